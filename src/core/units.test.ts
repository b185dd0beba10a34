import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes } from './units';

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [1024 ** 3, '1 GB'],
    [1024 ** 3 + 1, '1.0 GB'],
    [5 * 1024 ** 4, '5 TB'],
  ])('formatBytes(%i) is %j', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });

  it.each([
    [2, '2 bytes'],
    [512, '512 bytes'],
    [1025, '1.0 KB'],
    [250 * 1024 ** 2, '250 MB'],
    [3.2 * 1024 ** 3, '3.2 GB'],
    [1.9 * 1024 ** 3, '1.9 GB'],
    [2 * 1024 ** 3, '2 GB'],
    [1023.95 * 1024 ** 2, '1024.0 MB'],
    [1024 ** 5, '1 PB'],
    [2048 * 1024 ** 5, '2048 PB'],
  ])('formatBytes(%i) is %j (hand-written)', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe('formatAgo', () => {
  const now = Date.UTC(2026, 11, 2, 12, 0, 0);
  it.each([
    [now - 5_000, 'just now'],
    [now + 5_000, 'just now'], // a clock a little ahead
    [now - 5 * 60_000, '5 min ago'],
    [now - 3 * 3_600_000, '3 h ago'],
    [now - 30 * 3_600_000, 'yesterday'],
    [now - 4 * 86_400_000, '4 days ago'],
    [Date.UTC(2026, 9, 1), '2026-10-01'],
  ])('%i is %j', (at, expected) => {
    expect(formatAgo(at, now)).toBe(expected);
  });
});
