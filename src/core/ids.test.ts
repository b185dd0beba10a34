import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId', () => {
  it('makes UUID v4 strings (version 4, variant 10), across many refills of its pool of random bytes', () => {
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const ids = Array.from({ length: 3000 }, newId);
    expect(ids.filter((id) => !v4.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('spreads its random nibbles evenly (each hex digit of the random part about 1/16 of the time)', () => {
    const counts = new Map<string, number>();
    let digits = 0;
    for (let i = 0; i < 4000; i++) {
      for (const c of newId().replace(/-/g, '').slice(13)) {
        counts.set(c, (counts.get(c) ?? 0) + 1);
        digits++;
      }
    }
    // Positions 13+ include the variant nibble (8–b only): allow for it, but no digit may be missing or dominant.
    expect(counts.size).toBe(16);
    for (const n of counts.values()) expect(n / digits).toBeGreaterThan(0.04);
    for (const n of counts.values()) expect(n / digits).toBeLessThan(0.09);
  });
});
