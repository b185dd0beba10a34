import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Shape, Split } from '../../core/model';
import type { Dataset, DatasetAnnotation, DatasetImage, Size } from '../types';
import { compareDatasets } from './compare';

const image = (path: string, split: Split = 'train', width = 100, height = 80): DatasetImage => ({
  relativePath: path,
  fileName: path.slice(path.lastIndexOf('/') + 1),
  width,
  height,
  split,
});
const ann = (imageIndex: number, className: string, shape: Shape): DatasetAnnotation => ({ image: imageIndex, className, shape, attributes: {} });
const box = (x: number, y: number, w: number, h: number): Shape => ({ kind: 'box', x, y, w, h });
const poly = (...points: number[]): Shape => ({ kind: 'polygon', points });

const classes = [{ name: 'car' }, { name: 'person' }];
const dataset = (images: DatasetImage[], annotations: DatasetAnnotation[], cls = classes): Dataset => ({ classes: cls, images, annotations });

const exact = (): number => 0;
const half = (): number => 0.5;

function sample(): Dataset {
  return dataset(
    [image('a.jpg'), image('b.jpg', 'val')],
    [ann(0, 'car', box(1, 2, 3, 4)), ann(0, 'car', box(10, 10, 5, 5)), ann(0, 'person', poly(0, 0, 10, 0, 5, 5)), ann(1, 'car', box(0, 0, 100, 80))],
  );
}

describe('compareDatasets', () => {
  it('finds nothing wrong when the two agree', () => {
    expect(compareDatasets(sample(), sample(), ['a.jpg', 'b.jpg'], exact)).toEqual([]);
  });

  it('matches images through imageRefs, not the written relativePath', () => {
    const expected = sample();
    const actual: Dataset = { ...sample(), images: [image('images/train/a.jpg'), image('images/val/b.jpg', 'val')] };
    expect(compareDatasets(expected, actual, ['images/train/a.jpg', 'images/val/b.jpg'], exact)).toEqual([]);
  });

  it('falls back to relativePath when there is no imageRef for an image', () => {
    expect(compareDatasets(sample(), sample(), [], exact)).toEqual([]);
  });

  it('matches images whatever their order in the read-back dataset', () => {
    const s = sample();
    const actual: Dataset = {
      ...s,
      images: [s.images[1]!, s.images[0]!],
      annotations: s.annotations.map((a) => ({ ...a, image: 1 - a.image })),
    };
    expect(compareDatasets(s, actual, ['a.jpg', 'b.jpg'], exact)).toEqual([]);
  });

  it('reports an image missing from the read-back dataset, naming the path looked for', () => {
    const actual: Dataset = { ...sample(), images: [image('a.jpg')], annotations: sample().annotations.filter((a) => a.image === 0) };
    const problems = compareDatasets(sample(), actual, ['a.jpg', 'labels/b.txt'], exact);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('b.jpg');
    expect(problems[0]).toContain('not found');
    expect(problems[0]).toContain('labels/b.txt');
  });

  it('reports a shape count that differs for one class', () => {
    const s = sample();
    const actual: Dataset = { ...s, annotations: s.annotations.filter((_, i) => i !== 1) };
    const problems = compareDatasets(s, actual, ['a.jpg', 'b.jpg'], exact);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('a.jpg');
    expect(problems[0]).toContain('2 box(es) of class "car" written, 1 read back');
  });

  it('reports shapes read back that were not written', () => {
    const s = sample();
    const actual: Dataset = { ...s, annotations: [...s.annotations, ann(1, 'person', box(1, 1, 1, 1))] };
    const problems = compareDatasets(s, actual, ['a.jpg', 'b.jpg'], exact);
    expect(problems).toEqual([expect.stringContaining('0 box(es) of class "person" written, 1 read back')]);
  });

  it('tells boxes and polygons apart (a box read back as a polygon is a mismatch)', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', box(0, 0, 10, 10))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', poly(0, 0, 10, 0, 10, 10, 0, 10))]);
    const problems = compareDatasets(e, a, ['a.jpg'], exact);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('1 box(es) of class "car" written, 0 read back');
    expect(problems.join('\n')).toContain('0 polygon(es) of class "car" written, 1 read back');
  });

  it('reports coordinates off by more than the precision', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', box(10, 10, 20, 20))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', box(10.6, 10, 20, 20))]);
    const problems = compareDatasets(e, a, ['a.jpg'], half);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('box 1 of class "car"');
    expect(problems[0]).toContain('0.600 px off');
    expect(problems[0]).toContain('allowed 0.500');
  });

  it('compares box corners, so a size error shows at the far corner', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', box(10, 10, 20, 20))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', box(10, 10, 21, 20))]);
    expect(compareDatasets(e, a, ['a.jpg'], half)).toEqual([expect.stringContaining('1.000 px off')]);
  });

  it('accepts coordinates within the precision (and exactly at it)', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', box(10, 10, 20, 20)), ann(0, 'person', poly(0, 0, 10, 0, 5, 5))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', box(10.5, 9.6, 19.8, 20.4)), ann(0, 'person', poly(0.5, 0, 10, 0.3, 5, 4.5))]);
    expect(compareDatasets(e, a, ['a.jpg'], half)).toEqual([]);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toHaveLength(2);
  });

  it('asks for the precision with the expected image size', () => {
    const sizes: Size[] = [];
    const e = dataset([image('a.jpg', 'train', 640, 480)], [ann(0, 'car', box(1, 1, 1, 1))]);
    compareDatasets(e, e, ['a.jpg'], (s) => {
      sizes.push({ width: s.width, height: s.height });
      return 0;
    });
    expect(sizes).toEqual([{ width: 640, height: 480 }]);
  });

  it('reports a polygon read back with a different number of points', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', poly(0, 0, 10, 0, 5, 5))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', poly(0, 0, 10, 0, 10, 5, 5, 5))]);
    expect(compareDatasets(e, a, ['a.jpg'], half)).toEqual([expect.stringContaining('with a different number of points')]);
  });

  it('compares same-class shapes in order', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', box(0, 0, 10, 10)), ann(0, 'car', box(50, 50, 10, 10))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', box(50, 50, 10, 10)), ann(0, 'car', box(0, 0, 10, 10))]);
    const problems = compareDatasets(e, a, ['a.jpg'], half);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('box 1');
    expect(problems[1]).toContain('box 2');
  });

  it('reports a split mismatch', () => {
    const e = dataset([image('a.jpg', 'val')], []);
    const a = dataset([image('a.jpg', 'train')], []);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toEqual(['a.jpg: read back in split train, written in val']);
  });

  it('does not report the split when the expected image is unassigned', () => {
    const e = dataset([image('a.jpg', 'unassigned')], []);
    expect(compareDatasets(e, dataset([image('a.jpg', 'train')], []), ['a.jpg'], exact)).toEqual([]);
    expect(compareDatasets(e, dataset([image('a.jpg', 'unassigned')], []), ['a.jpg'], exact)).toEqual([]);
  });

  it('reports a size mismatch', () => {
    const e = dataset([image('a.jpg', 'train', 100, 80)], []);
    const a = dataset([image('a.jpg', 'train', 100, 81)], []);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toEqual(['a.jpg: read back as 100×81, written as 100×80']);
  });

  it('does not report the size when the read-back image has none (width 0)', () => {
    const e = dataset([image('a.jpg', 'train', 100, 80)], []);
    const a = dataset([image('a.jpg', 'train', 0, 0)], []);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toEqual([]);
  });

  it('reports a class read back that was not written', () => {
    const e = dataset([image('a.jpg')], [], [{ name: 'car' }]);
    const a = dataset([image('a.jpg')], [], [{ name: 'car' }, { name: 'bus' }]);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toEqual(['class "bus" was read back but not written']);
  });

  it('does not report a class written but not read back when it has no shapes', () => {
    const e = dataset([image('a.jpg')], [], [{ name: 'car' }, { name: 'bus' }]);
    const a = dataset([image('a.jpg')], [], [{ name: 'car' }]);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toEqual([]);
  });

  it('caps the list at 20 problems and says how many more there were', () => {
    const images = Array.from({ length: 25 }, (_, i) => image(`img${i}.jpg`, 'val'));
    const e = dataset(images, []);
    const a = dataset(
      images.map((img) => ({ ...img, split: 'test' as const })),
      [],
    );
    const problems = compareDatasets(e, a, images.map((i) => i.relativePath), exact);
    expect(problems).toHaveLength(21);
    expect(problems.slice(0, 20).every((p) => p.includes('read back in split test'))).toBe(true);
    expect(problems[20]).toBe('…and 5 more');
  });

  it('does not add the "more" line at exactly 20 problems', () => {
    const images = Array.from({ length: 20 }, (_, i) => image(`img${i}.jpg`, 'val'));
    const a = dataset(
      images.map((img) => ({ ...img, split: 'test' as const })),
      [],
    );
    const problems = compareDatasets(dataset(images, []), a, images.map((i) => i.relativePath), exact);
    expect(problems).toHaveLength(20);
    expect(problems.some((p) => p.startsWith('…and'))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// The comparison before it was keyed by image index (every annotation grouped into maps of
// strings up front), kept as the reference: the faster one must say exactly what it said.

function worstDifference(a: Shape, b: Shape): number {
  if (a.kind === 'box' && b.kind === 'box') {
    return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.x + a.w - (b.x + b.w)), Math.abs(a.y + a.h - (b.y + b.h)));
  }
  if (a.kind !== 'polygon' || b.kind !== 'polygon' || a.points.length !== b.points.length) return Infinity;
  let worst = 0;
  for (let k = 0; k < a.points.length; k++) worst = Math.max(worst, Math.abs(a.points[k]! - b.points[k]!));
  return worst;
}

/**
 * A 4-point polygon that is an axis-aligned rectangle, as the box it outlines: COCO reads a
 * segmentation that is its bbox's corners as a box, so the two are one shape here.
 */
function asBoxIfRectangle(a: DatasetAnnotation): DatasetAnnotation {
  const s = a.shape;
  if (s.kind !== 'polygon' || s.points.length !== 8) return a;
  const xs = [s.points[0]!, s.points[2]!, s.points[4]!, s.points[6]!];
  const ys = [s.points[1]!, s.points[3]!, s.points[5]!, s.points[7]!];
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // Each vertex on a corner, consecutive vertices sharing an x or a y (no diagonal edges).
  const onCorners = xs.every((x, k) => (x === x0 || x === x1) && (ys[k] === y0 || ys[k] === y1));
  const edges = xs.every((x, k) => x === xs[(k + 1) % 4] || ys[k] === ys[(k + 1) % 4]);
  const distinct = new Set(xs.map((x, k) => `${x},${ys[k]}`)).size === 4;
  return onCorners && edges && distinct && x1 > x0 && y1 > y0 ? { ...a, shape: { kind: 'box', x: x0, y: y0, w: x1 - x0, h: y1 - y0 } } : a;
}

function groupByImageAndClass(d: Dataset, rectanglesAsBoxes: boolean): Map<number, Map<string, DatasetAnnotation[]>> {
  const out = new Map<number, Map<string, DatasetAnnotation[]>>();
  for (const raw of d.annotations) {
    const a = rectanglesAsBoxes ? asBoxIfRectangle(raw) : raw;
    let perImage = out.get(a.image);
    if (!perImage) out.set(a.image, (perImage = new Map()));
    const key = `${a.className}\u0000${a.shape.kind}`;
    const list = perImage.get(key);
    if (list) list.push(a);
    else perImage.set(key, [a]);
  }
  return out;
}

/**
 * Mismatches worded for users (at most 20, the last saying how many more); empty when the two
 * agree. `rectanglesAsBoxes`: a 4-point axis-aligned rectangle polygon counts as its box on both
 * sides (for a format whose reader reads it so: COCO).
 */
function referenceCompare(expected: Dataset, actual: Dataset, imageRefs: readonly string[], precision: (size: Size) => number, rectanglesAsBoxes = false): string[] {
  const problems: string[] = [];
  const MAX_MISMATCHES = 20;
  let more = 0;
  const report = (m: string): void => {
    if (problems.length < MAX_MISMATCHES) problems.push(m);
    else more++;
  };
  // Paths can repeat (two imports that each held a.jpg): such images are matched in order.
  const actualByPath = new Map<string, number[]>();
  actual.images.forEach((img, i) => {
    const list = actualByPath.get(img.relativePath);
    if (list) list.push(i);
    else actualByPath.set(img.relativePath, [i]);
  });
  const known = new Set(expected.classes.map((c) => c.name));
  for (const c of actual.classes) if (!known.has(c.name)) report(`class "${c.name}" was read back but not written`);

  const want = groupByImageAndClass(expected, rectanglesAsBoxes);
  const got = groupByImageAndClass(actual, rectanglesAsBoxes);
  expected.images.forEach((img, i) => {
    const ref = imageRefs[i] ?? img.relativePath;
    const j = actualByPath.get(ref)?.shift();
    if (j === undefined) {
      report(`${img.relativePath}: not found when the archive was read back (looked for ${ref})`);
      return;
    }
    const back = actual.images[j]!;
    if (back.width > 0 && (back.width !== img.width || back.height !== img.height)) {
      report(`${img.relativePath}: read back as ${back.width}×${back.height}, written as ${img.width}×${img.height}`);
    }
    if (img.split !== 'unassigned' && back.split !== img.split) report(`${img.relativePath}: read back in split ${back.split}, written in ${img.split}`);
    const tol = precision(img) + 1e-6;
    const w = want.get(i) ?? new Map<string, DatasetAnnotation[]>();
    const g = got.get(j) ?? new Map<string, DatasetAnnotation[]>();
    for (const key of new Set([...w.keys(), ...g.keys()])) {
      const [className, kind] = key.split('\u0000') as [string, string];
      const a = w.get(key) ?? [];
      const b = g.get(key) ?? [];
      if (a.length !== b.length) {
        report(`${img.relativePath}: ${a.length} ${kind}(es) of class "${className}" written, ${b.length} read back`);
        continue;
      }
      for (let k = 0; k < a.length; k++) {
        const worst = worstDifference(a[k]!.shape, b[k]!.shape);
        if (!(worst <= tol)) {
          report(`${img.relativePath}: ${kind} ${k + 1} of class "${className}" read back ${Number.isFinite(worst) ? `${worst.toFixed(3)} px off` : 'with a different number of points'} (allowed ${tol.toFixed(3)})`);
        }
      }
    }
  });
  if (more > 0) problems.push(`…and ${more} more`);
  return problems;
}

describe('compareDatasets agrees with the reference comparison', () => {
  const names = ['car', 'person', 'sign'];
  const shape = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 70 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 })).map(([x, y, w, h]) => box(x, y, w, h)),
    fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 6, maxLength: 10 }).map((p) => poly(...(p.length % 2 === 0 ? p : p.slice(1)))),
    // Axis-aligned rectangles as polygons (read as boxes when rectanglesAsBoxes).
    fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 })).map(([x, y, w, h]) => poly(x, y, x + w, y, x + w, y + h, x, y + h)),
  );
  /** Up to 12 images (paths may repeat) and up to 60 annotations, some naming an image that is not there. */
  const written = fc
    .tuple(
      fc.array(fc.tuple(fc.constantFrom('a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg', 'f.jpg', 'g.jpg', 'h.jpg'), fc.constantFrom<Split>('train', 'val', 'test', 'unassigned')), { minLength: 1, maxLength: 12 }),
      fc.array(fc.tuple(fc.integer({ min: -1, max: 12 }), fc.constantFrom(...names), shape), { maxLength: 60 }),
    )
    .map(([imgs, anns]) => dataset(imgs.map(([p, s]) => image(p, s)), anns.map(([i, c, sh]) => ann(i, c, sh)), names.map((name) => ({ name }))));
  /** What a reader might give back: the same, or with shapes moved, dropped, reordered, reclassed, images reordered, resized or resplit, classes added. */
  const edit = fc.array(
    fc.tuple(fc.constantFrom('move', 'drop', 'swap', 'class', 'kind', 'image-order', 'size', 'split', 'extra-class', 'none', 'none', 'none'), fc.nat(), fc.nat(), fc.double({ min: -3, max: 3, noNaN: true })),
    { maxLength: 4 },
  );
  const readBack = (d: Dataset, edits: [string, number, number, number][]): Dataset => {
    let images = [...d.images];
    let annotations = [...d.annotations];
    let classes = [...d.classes];
    for (const [kind, a, b, delta] of edits) {
      const k = annotations.length === 0 ? 0 : a % annotations.length;
      const target = annotations[k];
      if (kind === 'move' && target) {
        const s = target.shape;
        annotations[k] = { ...target, shape: s.kind === 'box' ? { ...s, x: s.x + delta } : { ...s, points: s.points.map((v, i) => (i === b % s.points.length ? v + delta : v)) } };
      } else if (kind === 'drop' && target) annotations.splice(k, 1);
      else if (kind === 'swap' && target && annotations.length > 1) {
        const m = b % annotations.length;
        [annotations[k], annotations[m]] = [annotations[m]!, target];
      } else if (kind === 'class' && target) annotations[k] = { ...target, className: names[b % names.length]! };
      else if (kind === 'kind' && target) annotations[k] = { ...target, shape: target.shape.kind === 'box' ? poly(target.shape.x, target.shape.y, target.shape.x + target.shape.w, target.shape.y, target.shape.x, target.shape.y + target.shape.h) : box(1, 1, 2, 2) };
      else if (kind === 'image-order' && images.length > 1) {
        const order = images.map((_, i) => i).sort((x, y) => ((x * 7 + a) % images.length) - ((y * 7 + a) % images.length) || x - y);
        const at = new Map(order.map((old, i) => [old, i]));
        images = order.map((old) => images[old]!);
        annotations = annotations.map((x) => ({ ...x, image: at.get(x.image) ?? x.image }));
      } else if (kind === 'size' && images.length > 0) {
        const i = a % images.length;
        images[i] = { ...images[i]!, width: b % 3 === 0 ? 0 : images[i]!.width + 1 };
      } else if (kind === 'split' && images.length > 0) {
        const i = a % images.length;
        images[i] = { ...images[i]!, split: (['train', 'val', 'test', 'unassigned'] as const)[b % 4]! };
      } else if (kind === 'extra-class') classes = [...classes, { name: `new${b % 3}` }];
    }
    return { classes, images, annotations };
  };

  it('on 1,000 generated pairs (up to 12 images, 60 shapes, 4 edits), with and without rectangles as boxes', () => {
    fc.assert(
      fc.property(written, edit, fc.boolean(), fc.constantFrom(0, 0.5, 1), (d, edits, asBoxes, tol) => {
        const back = readBack(d, edits);
        const refs = d.images.map((img) => img.relativePath);
        const precision = (): number => tol;
        expect(compareDatasets(d, back, refs, precision, asBoxes)).toEqual(referenceCompare(d, back, refs, precision, asBoxes));
      }),
      { numRuns: 1000 },
    );
  });

  it('on many mismatches (the list capped at 20 in the same order)', () => {
    const d = dataset(
      Array.from({ length: 30 }, (_, i) => image(`i${i}.jpg`)),
      Array.from({ length: 90 }, (_, k) => ann(k % 30, names[k % 3]!, box(k % 50, 1, 5, 5))),
      names.map((name) => ({ name })),
    );
    const back: Dataset = { ...d, annotations: d.annotations.map((a, k) => (k % 4 === 0 ? { ...a, shape: box(99, 1, 5, 5) } : a)).reverse() };
    const refs = d.images.map((img) => img.relativePath);
    const got = compareDatasets(d, back, refs, exact);
    expect(got).toHaveLength(21);
    expect(got).toEqual(referenceCompare(d, back, refs, exact));
  });
});
