import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/prng';
import { bytesReader, listZip, type RandomAccessReader } from '../formats/archive/zipReader';
import { extractZipImage } from './zipImage';

/** A reader that counts the archive bytes it hands out. */
function counting(zip: Uint8Array): RandomAccessReader & { readonly bytesRead: () => number } {
  const inner = bytesReader(zip);
  let read = 0;
  return {
    size: inner.size,
    read: async (offset, length) => {
      read += length;
      return inner.read(offset, length);
    },
    bytesRead: () => read,
  };
}

const noise = (n: number, seed: number): Uint8Array => {
  const rand = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
};

const LIMITS = { maxMegapixels: 100 };

async function only(zip: Uint8Array) {
  const reader = counting(zip);
  const [entry] = (await listZip(reader)).entries;
  return { reader, entry: entry!, listed: reader.bytesRead() };
}

describe('extractZipImage', () => {
  it('refuses a deflated entry that is not an image after reading only its head', async () => {
    // 8 MB that do not compress: extracting it whole would read all 8 MB of the archive.
    const { reader, entry, listed } = await only(zipSync({ 'big.png': [noise(8 << 20, 7), { level: 1 }] }));
    expect(entry.compressedSize).toBeGreaterThan(8_000_000);
    const result = await extractZipImage(reader, entry, LIMITS);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^not an image Tally can read/) });
    expect(reader.bytesRead() - listed).toBeLessThan(400_000);
  }, 30_000);

  it('refuses a stored entry the same way', async () => {
    const { reader, entry, listed } = await only(zipSync({ 'big.png': [new Uint8Array(8 << 20), { level: 0 }] }));
    expect(await extractZipImage(reader, entry, LIMITS)).toEqual({ ok: false, reason: expect.stringMatching(/^not an image/) });
    expect(reader.bytesRead() - listed).toBeLessThan(400_000);
  });

  it('refuses by header an image over the size limit, before inflating it', async () => {
    const png = new Uint8Array(4 << 20);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(png.buffer).setUint32(16, 20_000);
    new DataView(png.buffer).setUint32(20, 20_000);
    png.set([8, 6, 0, 0, 0], 24);
    png.set(noise(4 << 20, 3).subarray(0, png.length - 64), 64);
    const { reader, entry, listed } = await only(zipSync({ 'huge.png': [png, { level: 1 }] }));
    expect(await extractZipImage(reader, entry, LIMITS)).toEqual({ ok: false, reason: '20000 × 20000 pixels (400 MP) is over the 100 MP limit' });
    expect(reader.bytesRead() - listed).toBeLessThan(400_000);
  }, 30_000);

  it('extracts an image whole, checked against its CRC', async () => {
    const png = new Uint8Array(1000);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(png.buffer).setUint32(16, 40);
    new DataView(png.buffer).setUint32(20, 30);
    const { reader, entry } = await only(zipSync({ 'a.png': [png, { level: 6 }] }));
    expect(await extractZipImage(reader, entry, LIMITS)).toEqual({ ok: true, bytes: png });
  });
});
