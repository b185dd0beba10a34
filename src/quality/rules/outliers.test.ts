import { describe, expect, it } from 'vitest';
import type { AnnotationId, ClassId, ImageId } from '../../core/model';
import { mulberry32 } from '../../core/prng';
import { checkNow } from '../check';
import { DEFAULT_QUALITY_SETTINGS } from '../settings';
import { box, image, project, shape, snapshot } from '../testFixtures';
import { argsortValues, EMPTY_OUTLIER_INDEX, fences, quantile, updateOutlierIndex, type OutlierSample } from './outliers';

describe('quartiles and fences', () => {
  it('match hand-computed values (type 7)', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8];
    const at = (i: number) => values[i]!;
    // Q1 at position 7 · 0.25 = 1.75 → 2 + 0.75 · 1 = 2.75; Q3 at 5.25 → 6.25; IQR 3.5.
    expect(quantile(8, at, 0.25)).toBe(2.75);
    expect(quantile(8, at, 0.75)).toBe(6.25);
    expect(fences(8, at, 3)).toEqual([2.75 - 10.5, 6.25 + 10.5]);
  });
});

describe('argsortValues', () => {
  it('orders like a comparison sort, negatives, zeros, infinities and ties included', () => {
    const random = mulberry32(8);
    const special = [0, -0, 1e-300, -1e-300, Infinity, -Infinity, 1, -1, 2 ** 52, -(2 ** 52)];
    for (const n of [0, 1, 2, 17, 1000]) {
      const values = Float64Array.from({ length: n }, (_, i) => (i < special.length && n > 100 ? special[i]! : Math.round((random() - 0.5) * 1e6) / (random() < 0.5 ? 1 : 1e3)));
      const order = [...argsortValues(values)];
      const cmp = (a: number, b: number): number => (values[a]! < values[b]! ? -1 : values[a]! > values[b]! ? 1 : a - b);
      const expected = [...values.keys()].sort(cmp);
      // Equal values (0 and −0 among them) may come in either order, but the values must ascend.
      const plain = (i: number): number => (values[i] === 0 ? 0 : values[i]!);
      expect(order.map(plain)).toEqual(expected.map(plain));
      expect([...order].sort((a, b) => a - b)).toEqual([...values.keys()]);
    }
  });
});

describe('size and aspect outliers', () => {
  it('flags the one box far out of its class, by area and by aspect', () => {
    // 24 cars of 10×10 to 12×12 on 100×100 images, one car of 90×90 (far larger), one of 40×2 (far flatter).
    const images = Array.from({ length: 26 }, (_, i) => image(i));
    const shapes = images.slice(0, 24).map((img, i) => shape(img, box(10, 10, 10 + (i % 3), 10 + ((i + 1) % 3))));
    const big = shape(images[24]!, box(5, 5, 90, 90));
    const flat = shape(images[25]!, box(5, 5, 40, 2));
    const issues = checkNow(snapshot(project(['car']), images, [...shapes, big, flat]), DEFAULT_QUALITY_SETTINGS).report.issues;
    const size = issues.filter((i) => i.rule === 'size-outlier');
    const aspect = issues.filter((i) => i.rule === 'aspect-outlier');
    expect(size.map((i) => i.annotationIds[0])).toEqual([big.id]);
    expect(size[0]!.measured.areaShare).toBeCloseTo(0.81, 12);
    expect(aspect.map((i) => i.annotationIds[0])).toEqual([flat.id]);
    expect(aspect[0]!.measured.aspect).toBeCloseTo(20, 9);
  });

  it('leaves classes with fewer than outlierMinInstances shapes alone', () => {
    const images = Array.from({ length: 6 }, (_, i) => image(i));
    const shapes = images.map((img, i) => shape(img, box(0, 0, i === 5 ? 90 : 10, 10)));
    const issues = checkNow(snapshot(project(['car']), images, shapes), DEFAULT_QUALITY_SETTINGS).report.issues;
    expect(issues.filter((i) => i.rule === 'size-outlier')).toEqual([]);
  });
});

describe('updateOutlierIndex', () => {
  it('edits give the same issues as building the index afresh (columns of thousands, split into chunks)', () => {
    const random = mulberry32(3);
    const names = new Map<ClassId, string>([
      ['a' as ClassId, 'a'],
      ['b' as ClassId, 'b'],
    ]);
    let n = 0;
    let tied = false;
    const samplesFor = (img: number): OutlierSample[] =>
      Array.from({ length: tied ? 2 : Math.floor(random() * 4) }, () => ({
        id: `s${n++}` as AnnotationId,
        imageId: `i${img}` as ImageId,
        annotator: 'x',
        classId: (tied || random() < 0.7 ? 'a' : 'b') as ClassId,
        // Heavy tails, and repeated values (ties) from the rounding; in some rounds hundreds of
        // equal values, which all land in one chunk and make it split.
        logArea: tied ? 0.25 : Math.round(Math.tan((random() - 0.5) * 3) * 20) / 20,
        logAspect: Math.round((random() - 0.5) * 40) / 10,
      }));
    let current = new Map<ImageId, OutlierSample[]>();
    for (let i = 0; i < 1500; i++) current.set(`i${i}` as ImageId, samplesFor(i));
    let index = updateOutlierIndex(EMPTY_OUTLIER_INDEX, current, () => [], names, DEFAULT_QUALITY_SETTINGS);
    const summary = (ix: typeof index) =>
      [...ix.issues.values()]
        .flat()
        .map((i) => `${i.key} ${JSON.stringify(i.measured)}`)
        .sort();
    for (let round = 0; round < 30; round++) {
      const changed = new Map<ImageId, OutlierSample[]>();
      tied = round % 3 === 1;
      for (let k = 0; k < (tied ? 120 : 1 + Math.floor(random() * 40)); k++) {
        const img = Math.floor(random() * 1600); // some new images, some removed ones
        changed.set(`i${img}` as ImageId, random() < 0.2 ? [] : samplesFor(img));
      }
      const before = current;
      index = updateOutlierIndex(index, changed, (id) => before.get(id) ?? [], names, DEFAULT_QUALITY_SETTINGS);
      current = new Map(before);
      for (const [id, s] of changed) current.set(id, s);
      const fresh = updateOutlierIndex(EMPTY_OUTLIER_INDEX, current, () => [], names, DEFAULT_QUALITY_SETTINGS);
      expect(summary(index)).toEqual(summary(fresh));
    }
  }, 60_000);
});
