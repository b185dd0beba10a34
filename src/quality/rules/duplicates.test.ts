import { describe, expect, it } from 'vitest';
import { computeImageHashes, hammingDistance, type RgbaImage } from '../../core/imaging/perceptualHash';
import type { ImageRecord } from '../../core/model';
import { mulberry32 } from '../../core/prng';
import { checkNow } from '../check';
import { DEFAULT_QUALITY_SETTINGS } from '../settings';
import { box, classId, image, project, shape, snapshot } from '../testFixtures';

// ---------------------------------------------------------------------------------------------
// Procedural images (made here, independent of the code under test).

/** A scene: a two-colour gradient and a few random discs and rectangles. */
function scene(seed: number, width: number, height: number): RgbaImage {
  const random = mulberry32(seed);
  const colour = (): number[] => [random() * 255, random() * 255, random() * 255];
  const c0 = colour();
  const c1 = colour();
  const blobs = Array.from({ length: 6 }, () => ({ disc: random() < 0.5, x: random(), y: random(), r: 0.08 + random() * 0.2, c: colour() }));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      let c = c0.map((a, k) => a + (c1[k]! - a) * (0.5 * u + 0.5 * v));
      for (const b of blobs) {
        const inside = b.disc ? (u - b.x) ** 2 + (v - b.y) ** 2 < b.r ** 2 : Math.abs(u - b.x) < b.r && Math.abs(v - b.y) < b.r / 2;
        if (inside) c = b.c;
      }
      data.set([c[0]!, c[1]!, c[2]!, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** Area-average resize of RGBA pixels (each output pixel averages the source area it covers). */
function resize(img: RgbaImage, outW: number, outH: number): RgbaImage {
  const out = new Uint8ClampedArray(outW * outH * 4);
  const sx = img.width / outW;
  const sy = img.height / outH;
  for (let j = 0; j < outH; j++) {
    for (let i = 0; i < outW; i++) {
      const acc = [0, 0, 0, 0];
      let total = 0;
      for (let y = Math.floor(j * sy); y < Math.min(img.height, Math.ceil((j + 1) * sy)); y++) {
        const wy = Math.min(y + 1, (j + 1) * sy) - Math.max(y, j * sy);
        for (let x = Math.floor(i * sx); x < Math.min(img.width, Math.ceil((i + 1) * sx)); x++) {
          const w = wy * (Math.min(x + 1, (i + 1) * sx) - Math.max(x, i * sx));
          for (let k = 0; k < 4; k++) acc[k]! += w * img.data[(y * img.width + x) * 4 + k]!;
          total += w;
        }
      }
      out.set(acc.map((a) => Math.round(a / total)), (j * outW + i) * 4);
    }
  }
  return { width: outW, height: outH, data: out };
}

function mirror(img: RgbaImage): RgbaImage {
  const out = new Uint8ClampedArray(img.data.length);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      for (let k = 0; k < 4; k++) out[(y * img.width + x) * 4 + k] = img.data[(y * img.width + (img.width - 1 - x)) * 4 + k]!;
    }
  }
  return { ...img, data: out };
}

/** An image record carrying the real hashes of `pixels`. */
function recordOf(n: number, pixels: RgbaImage, overrides: Partial<ImageRecord> = {}): ImageRecord {
  return image(n, { width: pixels.width, height: pixels.height, ...computeImageHashes(pixels), ...overrides });
}

describe('perceptual hashes of procedural images', () => {
  const original = scene(1, 320, 240);

  it('a resized copy is within 4 bits, unrelated images are more than 20 apart', () => {
    const small = resize(original, 160, 120);
    const odd = resize(original, 203, 151);
    const h = computeImageHashes(original).phash;
    expect(hammingDistance(h, computeImageHashes(small).phash)).toBeLessThanOrEqual(4);
    expect(hammingDistance(h, computeImageHashes(odd).phash)).toBeLessThanOrEqual(4);
    for (let seed = 2; seed < 8; seed++) {
      expect(hammingDistance(h, computeImageHashes(scene(seed, 320, 240)).phash)).toBeGreaterThan(20);
    }
  });
});

describe('leakage and duplicates', () => {
  const original = scene(1, 320, 240);
  const copy = resize(original, 160, 120);

  it('a group across splits is a leak (error) with the fix "move all to train"', () => {
    const a = recordOf(1, original, { split: 'val' });
    const b = recordOf(2, copy, { split: 'train' });
    const c = recordOf(3, scene(9, 320, 240), { split: 'test' });
    const issues = checkNow(snapshot(project(), [a, b, c], []), DEFAULT_QUALITY_SETTINGS).report.issues;
    const leaks = issues.filter((i) => i.rule === 'leaky-split');
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatchObject({ severity: 'error', imageIds: [a.id, b.id], threshold: 10 });
    expect(leaks[0]!.measured.maxDistance).toBeLessThanOrEqual(4);
    expect(leaks[0]!.message).toContain('near-certain');
    expect(leaks[0]!.fixes).toEqual([{ kind: 'move-to-split', imageIds: [a.id], split: 'train' }]);
    expect(issues.some((i) => i.imageIds.includes(c.id) && (i.rule === 'leaky-split' || i.rule === 'duplicate-images'))).toBe(false);
  });

  it('val beats test when train is not involved; a group within one split is info', () => {
    const a = recordOf(1, original, { split: 'test' });
    const b = recordOf(2, copy, { split: 'val' });
    const [leak] = checkNow(snapshot(project(), [a, b], []), DEFAULT_QUALITY_SETTINGS).report.issues.filter((i) => i.rule === 'leaky-split');
    expect(leak!.fixes).toEqual([{ kind: 'move-to-split', imageIds: [a.id], split: 'val' }]);

    const same = checkNow(snapshot(project(), [a, { ...b, split: 'test' }], []), DEFAULT_QUALITY_SETTINGS).report.issues;
    expect(same.filter((i) => i.rule === 'leaky-split')).toEqual([]);
    expect(same.filter((i) => i.rule === 'duplicate-images')[0]).toMatchObject({ severity: 'info', imageIds: [a.id, b.id] });
  });

  it('finds mirrored copies, equal file bytes and equal decoded pixels', () => {
    const a = recordOf(1, original);
    const m = recordOf(2, mirror(copy));
    expect(hammingDistance(a.phash, m.phash)).toBeGreaterThan(10); // the straight hashes are far apart
    const bytes = recordOf(3, scene(3, 64, 64), { sha256: 'f'.repeat(64) });
    const sameBytes = recordOf(4, scene(4, 64, 64), { sha256: 'f'.repeat(64) });
    const p1 = recordOf(5, scene(5, 64, 64));
    const p2 = recordOf(6, scene(6, 64, 64));
    const features = new Map([
      [p1.id, { pixelSha256: 'a'.repeat(64) }],
      [p2.id, { pixelSha256: 'a'.repeat(64) }],
    ]);
    const report = checkNow({ ...snapshot(project(), [a, m, bytes, sameBytes, p1, p2], []), features }, DEFAULT_QUALITY_SETTINGS).report;
    const groups = report.issues.filter((i) => i.rule === 'duplicate-images').map((i) => i.imageIds);
    expect(groups).toEqual([
      [a.id, m.id],
      [bytes.id, sameBytes.id],
      [p1.id, p2.id],
    ]);
    expect(report.issues.find((i) => i.imageIds[0] === bytes.id)!.measured.exact).toBe(1);
  });

  it('the distance setting decides: 3 differing bits group at d = 3, not at d = 2', () => {
    const a = image(1, { split: 'train', phash: '00000000000000ff', phashMirrored: 'ffffffff00000000' });
    const b = image(2, { split: 'val', phash: '00000000000000f8', phashMirrored: 'ffff0000ffff0000' });
    const leaks = (d: number) =>
      checkNow(snapshot(project(), [a, b], []), { ...DEFAULT_QUALITY_SETTINGS, nearDuplicateDistance: d, nearCertainDistance: Math.min(d, 4) }).report.issues.filter(
        (i) => i.rule === 'leaky-split',
      );
    expect(leaks(3)).toHaveLength(1);
    expect(leaks(3)[0]!.measured.maxDistance).toBe(3);
    expect(leaks(2)).toEqual([]);
  });

  it('labels that disagree between near duplicates, with coordinates scaled (and mirrored)', () => {
    const a = recordOf(1, original); // 320 × 240
    const b = recordOf(2, copy); // 160 × 120: half scale
    const m = recordOf(3, mirror(copy));
    const shapes = [
      shape(a, box(20, 20, 100, 60), { id: 'a-car' }),
      shape(a, box(200, 100, 60, 60), { id: 'a-person', classId: classId('person') }),
      // On the half-size copy: the same car (scaled), but the person called a car.
      shape(b, box(10, 10, 50, 30), { id: 'b-car' }),
      shape(b, box(100, 50, 30, 30), { id: 'b-person-as-car' }),
      // On the mirrored copy: both right, mirrored (x' = 160 − (x + w)).
      shape(m, box(160 - 60, 10, 50, 30), { id: 'm-car' }),
      shape(m, box(160 - 130, 50, 30, 30), { id: 'm-person', classId: classId('person') }),
    ];
    const issues = checkNow(snapshot(project(), [a, b, m], shapes), DEFAULT_QUALITY_SETTINGS).report.issues;
    const conflicts = issues.filter((i) => i.rule === 'duplicate-label-conflict');
    // a–b and b–m disagree about the person; a–m agree once mirrored.
    expect(conflicts.map((i) => i.key).sort()).toEqual([`duplicate-label-conflict:${a.id},${b.id}:ana`, `duplicate-label-conflict:${b.id},${m.id}:ana`]);
    const ab = conflicts.find((i) => i.key.includes(`${a.id},${b.id}`))!;
    expect(ab.annotationIds).toEqual(['a-person', 'b-person-as-car']);
    expect(ab.measured).toMatchObject({ mismatches: 1, missing: 0, extra: 0, f1: 0.5 });
  });

  it('a duplicate marked background while its copy has shapes', () => {
    const a = recordOf(1, original, { status: 'done' });
    const b = recordOf(2, copy);
    const s = shape(b, box(10, 10, 20, 20));
    const [conflict] = checkNow(snapshot(project(), [a, b], [s]), DEFAULT_QUALITY_SETTINGS).report.issues.filter(
      (i) => i.rule === 'duplicate-label-conflict',
    );
    expect(conflict).toMatchObject({ imageIds: [b.id, a.id], annotationIds: [s.id], key: `duplicate-label-conflict:${a.id},${b.id}:background` });
  });
});
