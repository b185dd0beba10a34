import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../core/imaging/perceptualHash';
import { checkNow } from '../check';
import { DEFAULT_QUALITY_SETTINGS } from '../settings';
import { image, project, snapshot } from '../testFixtures';
import { RULES, type ImageFeatures, type ImageStats } from '../types';
import { greyImageStats, imageStats, laplacianVariance } from './imageProperties';

function rgba(width: number, height: number, grey: (x: number, y: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const g = grey(x, y);
      data.set([g, g, g, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

describe('imageStats', () => {
  it('a flat image: its brightness, no entropy, no edges', () => {
    const s = imageStats(rgba(50, 40, () => 51));
    expect(s.meanLuminance).toBeCloseTo(0.2, 9);
    expect(s.entropy).toBe(0);
    expect(s.laplacianVariance).toBe(0);
  });

  it('entropy in bits: two equally common levels give 1, four give 2', () => {
    expect(imageStats(rgba(8, 8, (x) => (x < 4 ? 0 : 255))).entropy).toBeCloseTo(1, 12);
    expect(imageStats(rgba(8, 8, (x) => [0, 80, 160, 240][x >> 1]!)).entropy).toBeCloseTo(2, 12);
  });

  it('the Laplacian variance by hand on a 3×3 image with one bright centre', () => {
    // One interior pixel: L = 4 neighbours · 0 − 4 · 100 = −400; one value, variance 0.
    expect(laplacianVariance(Float64Array.from([0, 0, 0, 0, 100, 0, 0, 0, 0]), 3, 3)).toBe(0);
    // 4×3: interior pixels (1,1) = 100 and (2,1) = 0. L(1,1) = 0 − 400 = −400; L(2,1) = 100 − 0 = 100.
    // Mean −150; variance ((−250)² + 250²) / 2 = 62,500.
    expect(laplacianVariance(Float64Array.from([0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0]), 4, 3)).toBe(62_500);
  });

  it('does not depend on the size of the copy it is measured on (fixed working size)', () => {
    const stripes = (w: number) => rgba(w, w, (x) => (Math.floor((x / w) * 16) % 2 === 0 ? 30 : 220));
    const a = imageStats(stripes(256)).laplacianVariance;
    const b = imageStats(stripes(512)).laplacianVariance;
    expect(b).toBeCloseTo(a, 6);
  });

  it('blurring lowers it', () => {
    const sharp = rgba(128, 128, (x, y) => ((x >> 3) + (y >> 3)) % 2 === 0 ? 0 : 255);
    const soft = rgba(128, 128, (x, y) => 127.5 + 127.5 * Math.sin(x / 10) * Math.sin(y / 10));
    expect(greyImageStats(new Float64Array(128 * 128).fill(7), 128, 128).laplacianVariance).toBe(0);
    expect(imageStats(sharp).laplacianVariance).toBeGreaterThan(DEFAULT_QUALITY_SETTINGS.blurVariance);
    expect(imageStats(soft).laplacianVariance).toBeLessThan(DEFAULT_QUALITY_SETTINGS.blurVariance);
  });
});

describe('image property rules', () => {
  const run = (stats: ImageStats | undefined) => {
    const img = image(1);
    const features = new Map<typeof img.id, ImageFeatures>(stats ? [[img.id, { stats }]] : []);
    return checkNow({ ...snapshot(project(), [img], []), features }, DEFAULT_QUALITY_SETTINGS)
      .report.issues.map((i) => i.rule)
      .filter((r) => RULES[r].family === 'image');
  };
  const normal: ImageStats = { meanLuminance: 0.5, laplacianVariance: 500, entropy: 7 };

  it('flags each property past its threshold, and nothing without statistics', () => {
    expect(run(normal)).toEqual([]);
    expect(run({ ...normal, meanLuminance: 0.21 })).toEqual(['too-dark']);
    expect(run({ ...normal, meanLuminance: 0.96 })).toEqual(['too-bright']);
    expect(run({ ...normal, laplacianVariance: 49 })).toEqual(['blurry']);
    expect(run({ ...normal, entropy: 2.9 })).toEqual(['low-information']);
    expect(run(undefined)).toEqual([]);
  });

  it('odd sizes: more than 5× off the median width or height', () => {
    const images = [image(1, { width: 1000, height: 800 }), image(2, { width: 1100, height: 700 }), image(3, { width: 150, height: 800 }), image(4)];
    const issues = checkNow(snapshot(project(), images, []), DEFAULT_QUALITY_SETTINGS).report.issues.filter((i) => i.rule === 'odd-size-image');
    // Medians: width (150 + 1000) / 2 = 575, height 750. Image 4 (100 × 100): 7.5× below in height.
    // Image 3: 575 / 150 = 3.8×: fine.
    expect(issues.map((i) => i.imageIds[0])).toEqual([images[3]!.id]);
    expect(issues[0]!.measured.ratio).toBeCloseTo(7.5, 12);
  });
});
