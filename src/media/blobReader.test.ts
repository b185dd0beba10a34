import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/prng';
import { blobReader, windowedBlobReader } from './blobReader';
import { HEAVY_TEST_MS } from '../test-support/heavy';

/** A Blob that counts how often it is read. */
function countingBlob(bytes: Uint8Array): { blob: Blob; reads: () => number } {
  let reads = 0;
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  const slice = blob.slice.bind(blob);
  blob.slice = (...args: Parameters<Blob['slice']>) => {
    reads++;
    return slice(...args);
  };
  return { blob, reads: () => reads };
}

describe('windowedBlobReader', () => {
  const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) & 0xff);

  it('answers every read like blobReader', async () => {
    const random = mulberry32(5);
    const plain = blobReader(new Blob([bytes]));
    const windowed = windowedBlobReader(new Blob([bytes]), 4096);
    for (let k = 0; k < 100; k++) {
      const offset = Math.floor(random() * bytes.length);
      const length = Math.floor(random() * Math.min(10_000, bytes.length - offset));
      expect(await windowed.read(offset, length)).toEqual(await plain.read(offset, length));
    }
    await expect(windowed.read(bytes.length - 1, 2)).rejects.toThrow(RangeError);
  }, HEAVY_TEST_MS);

  it('reads a small Blob once however many small reads follow', async () => {
    const { blob, reads } = countingBlob(bytes);
    const reader = windowedBlobReader(blob, 1 << 20);
    for (let at = 0; at + 100 <= bytes.length; at += 100) await reader.read(at, 100);
    expect(reads()).toBe(1);
  });

  it('reads sequential small entries of a big Blob one window at a time', async () => {
    const { blob, reads } = countingBlob(bytes);
    const reader = windowedBlobReader(blob, 10_000);
    for (let at = 0; at + 100 <= bytes.length; at += 100) await reader.read(at, 100);
    expect(reads()).toBe(10);
  });
});
