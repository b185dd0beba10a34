/**
 * Export verification: does what a parser read back from an archive say the same as what was
 * written? Images are matched through the serializer's imageRefs; per image, shapes are compared
 * class by class and kind by kind, in order, within the format's precision.
 */
import type { Shape } from '../../core/model';
import type { Dataset, DatasetAnnotation, Size } from '../types';

const MAX_MISMATCHES = 20;

/** The largest difference between two shapes' coordinates (box corners, polygon vertices); Infinity when they have different vertex counts. */
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

/** Each image's annotations (rectangles as boxes when asked), in dataset order; annotations naming no image of the dataset are left out (no image would look them up). */
function byImage(d: Dataset, rectanglesAsBoxes: boolean): DatasetAnnotation[][] {
  const out: DatasetAnnotation[][] = Array.from({ length: d.images.length }, () => []);
  for (const raw of d.annotations) out[raw.image]?.push(rectanglesAsBoxes ? asBoxIfRectangle(raw) : raw);
  return out;
}

/** One image's annotations by class and kind (`class\0kind`), each list in order, the keys in order of first appearance. */
function byClassAndKind(list: readonly DatasetAnnotation[]): Map<string, DatasetAnnotation[]> {
  const out = new Map<string, DatasetAnnotation[]>();
  for (const a of list) {
    const key = `${a.className}\u0000${a.shape.kind}`;
    const same = out.get(key);
    if (same) same.push(a);
    else out.set(key, [a]);
  }
  return out;
}

/** Whether two lists hold the same class and kind at every position (then each class-and-kind group pairs up in the same order). */
function sameSequence(a: readonly DatasetAnnotation[], b: readonly DatasetAnnotation[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k]!.className !== b[k]!.className || a[k]!.shape.kind !== b[k]!.shape.kind) return false;
  return true;
}

/**
 * Mismatches worded for users (at most 20, the last saying how many more); empty when the two
 * agree. `rectanglesAsBoxes`: a 4-point axis-aligned rectangle polygon counts as its box on both
 * sides (for a format whose reader reads it so: COCO).
 */
export function compareDatasets(expected: Dataset, actual: Dataset, imageRefs: readonly string[], precision: (size: Size) => number, rectanglesAsBoxes = false): string[] {
  const problems: string[] = [];
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

  const want = byImage(expected, rectanglesAsBoxes);
  const got = byImage(actual, rectanglesAsBoxes);
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
    const wanted = want[i]!;
    const gotten = got[j]!;
    // The usual case: the shapes read back in the order written. When they all agree, there is
    // nothing to report and no need to group them; otherwise the grouping below words it.
    if (sameSequence(wanted, gotten)) {
      let agree = true;
      for (let k = 0; k < wanted.length && agree; k++) agree = worstDifference(wanted[k]!.shape, gotten[k]!.shape) <= tol;
      if (agree) return;
    }
    const w = byClassAndKind(wanted);
    const g = byClassAndKind(gotten);
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
