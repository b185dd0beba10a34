import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../core/imaging/perceptualHash';
import { pixelFeatures } from './pixelFeatures';

/** A width × height RGBA image whose pixel (x, y) has grey level f(x, y), opaque. */
function grey(width: number, height: number, f: (x: number, y: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([f(x, y), f(x, y), f(x, y), 255], (y * width + x) * 4);
  return { width, height, data };
}

/** The documented input, hashed by Node's own SHA-256: width, height (u32 LE), then the RGBA bytes. */
function expectedHash(img: RgbaImage, fullWidth: number, fullHeight: number): string {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(fullWidth, 0);
  header.writeUInt32LE(fullHeight, 4);
  return createHash('sha256').update(header).update(img.data).digest('hex');
}

describe('pixelFeatures (measured at import from the thumbnail-sized pixels)', () => {
  const board = grey(40, 30, (x, y) => ((x + y) % 2 === 0 ? 0 : 255));

  it('hashes the full size and the thumbnail pixels as documented, the same for the same pixels in another buffer', async () => {
    const f = await pixelFeatures(board, 4000, 3000);
    expect(f.pixelSha256).toBe(expectedHash(board, 4000, 3000));
    const copy = { width: 40, height: 30, data: new Uint8Array(board.data) };
    expect((await pixelFeatures(copy, 4000, 3000)).pixelSha256).toBe(f.pixelSha256);
  });

  it('tells apart one changed pixel and another full size with the same thumbnail', async () => {
    const f = await pixelFeatures(board, 4000, 3000);
    const changed = new Uint8ClampedArray(board.data);
    changed[4 * 17] = 1;
    expect((await pixelFeatures({ ...board, data: changed }, 4000, 3000)).pixelSha256).not.toBe(f.pixelSha256);
    expect((await pixelFeatures(board, 400, 300)).pixelSha256).not.toBe(f.pixelSha256);
  });

  it('measures brightness, blur and information (hand-computed values)', async () => {
    // All black: mean 0, no edges, one grey level (0 bits).
    expect((await pixelFeatures(grey(20, 10, () => 0), 20, 10)).pixelStats).toEqual({ meanLuminance: 0, laplacianVariance: 0, entropy: 0 });
    // 40 × 30 checkerboard of 0 and 255: mean 1/2, two equally frequent levels (1 bit); every
    // inner Laplacian is ±4·255 (4 neighbours of the other colour minus 4 × itself), half of each
    // sign, so the variance is (4·255)² = 1,040,400.
    const s = (await pixelFeatures(board, 40, 30)).pixelStats;
    expect(s.meanLuminance).toBeCloseTo(0.5, 12);
    expect(s.entropy).toBeCloseTo(1, 12);
    expect(s.laplacianVariance).toBeCloseTo(1_040_400, 3);
  });
});
