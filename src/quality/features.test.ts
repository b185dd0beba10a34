import { describe, expect, it } from 'vitest';
import type { ImageRecord } from '../core/model';
import { checkNow } from './check';
import { imageFeaturesOf } from './features';
import { DEFAULT_QUALITY_SETTINGS } from './settings';
import { image, project, snapshot } from './testFixtures';

const PIXELS = 'c0'.repeat(32);
const stats = (meanLuminance: number) => ({ meanLuminance, laplacianVariance: 500, entropy: 7 });

/** A full check of records as the check worker reads them: features built from the records. */
const check = (images: readonly ImageRecord[]) => checkNow({ ...snapshot(project(), images, []), features: imageFeaturesOf(images) }, DEFAULT_QUALITY_SETTINGS).report;

describe('imageFeaturesOf (the records’ stored features, as the check reads them)', () => {
  it('a PNG and its re-encoding (other file bytes, other pHashes, equal pixels) in train and val are exact copies leaking across splits', () => {
    const png = image(1, { split: 'train', mimeType: 'image/png', pixelSha256: PIXELS, pixelStats: stats(0.5) });
    const webp = image(2, { split: 'val', mimeType: 'image/webp', pixelSha256: PIXELS, pixelStats: stats(0.5) });
    expect(png.sha256).not.toBe(webp.sha256);
    const leaks = check([png, webp, image(3)]).issues.filter((i) => i.rule === 'leaky-split');
    expect(leaks.map((i) => [i.imageIds, i.measured.exact])).toEqual([[[png.id, webp.id], 1]]);
    expect(leaks[0]!.message).toMatch(/^2 exact copies sit in train and val/);
    // Without the stored features the two are unrelated images.
    expect(checkNow(snapshot(project(), [png, webp, image(3)], []), DEFAULT_QUALITY_SETTINGS).report.issues.filter((i) => i.rule === 'leaky-split')).toEqual([]);
  });

  it('stored statistics feed the image-property rules; images without them (imported earlier) are not measured', () => {
    const dark = image(1, { pixelStats: stats(0.02) });
    const old = image(2);
    const issues = check([dark, old, image(3, { pixelStats: stats(0.5) })]).issues.filter((i) => i.rule === 'too-dark');
    expect(issues.map((i) => i.imageIds)).toEqual([[dark.id]]);
    expect(imageFeaturesOf([old]).size).toBe(0);
  });

  it('drops malformed stored features (the image is skipped by those rules, the rest still checked)', () => {
    const bad = image(1, { pixelSha256: 'not a hash', pixelStats: { meanLuminance: -3, laplacianVariance: 1, entropy: 1 } });
    const half = image(2, { pixelSha256: 'NOPE', pixelStats: stats(0.01) });
    const features = imageFeaturesOf([bad, half]);
    expect(features.has(bad.id)).toBe(false);
    expect(features.get(half.id)).toEqual({ stats: stats(0.01) });
  });
});
