/**
 * Intersection over union of shapes, exact: boxes in closed form, polygons by clipping, a box
 * against a polygon through the box's polygon (QUALITY.md, agreement step 1).
 *
 * Shapes are prepared once (bounds, area, convexity, simplicity) so that the many pairs of an
 * image reuse that work. The cheapest exact route is taken per pair:
 * - box × box: closed form;
 * - one side convex (every box is) and the other simple: Sutherland–Hodgman against the convex
 *   side, exact for that case;
 * - both simple: the boundary integral of polygon.ts (simpleIntersectionArea), exact, and about
 *   fifty times faster than general clipping on annotation polygons;
 * - a self-crossing polygon: polygon-clipping (its region by the non-zero rule), the reference
 *   the faster routes are tested against.
 * All areas are px²; IoU is in [0, 1]. A shape without a positive finite area has IoU 0 with
 * everything.
 */
import { boxIoU } from '../core/geometry';
import type { Shape } from '../core/model';
import type { Ring } from 'polygon-clipping';
import {
  clippedIntersectionArea,
  convexClipArea,
  distinctRing,
  isConvex,
  regionArea,
  selfIntersection,
  simpleIntersectionArea,
  toLibraryRing,
  twiceSignedArea,
} from './polygon';
import { sortSmall } from './smallSort';

export interface PreparedShape {
  readonly shape: Shape;
  /** Bounds, image px. */
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  /** Area covered (px²); 0 for anything without a positive finite area. */
  readonly area: number;
  /** False when the shape cannot take part in overlaps (non-finite, degenerate, zero area). */
  readonly usable: boolean;
  /** Polygon: distinct vertices (flat); box: empty (see ringOf: most boxes never need one). */
  readonly ring: readonly number[];
  readonly convex: boolean;
  readonly simple: boolean;
  /** The library's form of ring, made on first use. */
  libraryRing: Ring | null;
}

function allFinite(values: readonly number[]): boolean {
  for (const v of values) if (!Number.isFinite(v)) return false;
  return true;
}

const NO_RING: readonly number[] = [];

/** The outline as a flat ring: a polygon's distinct vertices, a box's four corners. */
export function ringOf(p: PreparedShape): readonly number[] {
  return p.shape.kind === 'box' ? [p.x0, p.y0, p.x1, p.y0, p.x1, p.y1, p.x0, p.y1] : p.ring;
}

export function prepareShape(shape: Shape): PreparedShape {
  if (shape.kind === 'box') {
    const { x, y, w, h } = shape;
    const usable = Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(w) && Number.isFinite(h) && w > 0 && h > 0;
    return {
      shape,
      x0: x,
      y0: y,
      x1: x + w,
      y1: y + h,
      area: usable ? w * h : 0,
      usable,
      ring: NO_RING,
      convex: true,
      simple: true,
      libraryRing: null,
    };
  }
  const finite = shape.points.length % 2 === 0 && allFinite(shape.points);
  const ring = finite ? distinctRing(shape.points) : [];
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < ring.length; i += 2) {
    x0 = Math.min(x0, ring[i]!);
    x1 = Math.max(x1, ring[i]!);
    y0 = Math.min(y0, ring[i + 1]!);
    y1 = Math.max(y1, ring[i + 1]!);
  }
  const shoelace = ring.length >= 6 ? Math.abs(twiceSignedArea(ring)) / 2 : 0;
  const simple = ring.length >= 6 && selfIntersection(ring) === null;
  let area = shoelace;
  let libraryRing: Ring | null = null;
  if (ring.length >= 6 && !simple) {
    libraryRing = toLibraryRing(ring);
    area = regionArea(libraryRing) ?? shoelace;
  }
  const usable = ring.length >= 6 && area > 0 && Number.isFinite(area);
  return {
    shape,
    x0,
    y0,
    x1,
    y1,
    area: usable ? area : 0,
    usable,
    ring,
    convex: usable && simple && isConvex(ring),
    simple,
    libraryRing,
  };
}

/** Area of the overlap of the two bounding boxes (px²). */
function boundsOverlap(a: PreparedShape, b: PreparedShape): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * An upper bound of IoU(a, b) from bounds and areas alone: the intersection is at most the
 * smaller area and at most the overlap of the bounds. Pairs whose bound is below a threshold
 * need no clipping.
 */
export function iouUpperBound(a: PreparedShape, b: PreparedShape): number {
  if (!a.usable || !b.usable) return 0;
  const u = Math.min(a.area, b.area, boundsOverlap(a, b));
  return u > 0 ? u / (a.area + b.area - u) : 0;
}

function libraryRing(p: PreparedShape): Ring {
  p.libraryRing ??= toLibraryRing(ringOf(p));
  return p.libraryRing;
}

/** Intersection area of two prepared shapes (px²). */
export function intersectionArea(a: PreparedShape, b: PreparedShape): number {
  if (!a.usable || !b.usable || boundsOverlap(a, b) === 0) return 0;
  if (a.shape.kind === 'box' && b.shape.kind === 'box') {
    return boundsOverlap(a, b);
  }
  if (b.convex && a.simple) return convexClipArea(ringOf(a), ringOf(b));
  if (a.convex && b.simple) return convexClipArea(ringOf(b), ringOf(a));
  if (a.simple && b.simple) return simpleIntersectionArea(ringOf(a), ringOf(b));
  return clippedIntersectionArea(libraryRing(a), libraryRing(b)) ?? sampledIntersectionArea(a, b);
}

/** IoU of two prepared shapes, in [0, 1]. */
export function preparedIoU(a: PreparedShape, b: PreparedShape): number {
  if (!a.usable || !b.usable) return 0;
  if (a.shape.kind === 'box' && b.shape.kind === 'box') {
    return boxIoU(a.shape, b.shape);
  }
  const inter = intersectionArea(a, b);
  if (!(inter > 0)) return 0;
  const union = a.area + b.area - inter;
  return union > 0 ? Math.min(1, inter / union) : 0;
}

/** IoU of two shapes (prepares both; for many pairs prepare once and use preparedIoU). */
export function shapeIoU(a: Shape, b: Shape): number {
  return preparedIoU(prepareShape(a), prepareShape(b));
}

/** Non-zero winding number test of point (px, py) against a flat ring. */
function windingNumber(ring: readonly number[], px: number, py: number): number {
  const n = ring.length >> 1;
  let wn = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const ax = ring[2 * j]!;
    const ay = ring[2 * j + 1]!;
    const bx = ring[2 * i]!;
    const by = ring[2 * i + 1]!;
    const side = (bx - ax) * (py - ay) - (px - ax) * (by - ay);
    if (ay <= py) {
      if (by > py && side > 0) wn++;
    } else if (by <= py && side < 0) wn--;
  }
  return wn;
}

const SAMPLES = 128;

/**
 * Last resort when the clipping library rejects an input: the overlap estimated on a 128×128
 * grid over the bounds' overlap (error below 1 % of that rectangle). Never taken for valid
 * annotation polygons in the tests; it exists so one odd polygon cannot stop a whole check.
 */
function sampledIntersectionArea(a: PreparedShape, b: PreparedShape): number {
  const x0 = Math.max(a.x0, b.x0);
  const y0 = Math.max(a.y0, b.y0);
  const w = Math.min(a.x1, b.x1) - x0;
  const h = Math.min(a.y1, b.y1) - y0;
  if (!(w > 0 && h > 0)) return 0;
  const ringA = ringOf(a);
  const ringB = ringOf(b);
  let hits = 0;
  for (let j = 0; j < SAMPLES; j++) {
    const py = y0 + ((j + 0.5) * h) / SAMPLES;
    for (let i = 0; i < SAMPLES; i++) {
      const px = x0 + ((i + 0.5) * w) / SAMPLES;
      if (windingNumber(ringA, px, py) !== 0 && windingNumber(ringB, px, py) !== 0) hits++;
    }
  }
  return (hits / (SAMPLES * SAMPLES)) * w * h;
}

/**
 * Calls visit(i, j) for every i < j whose bounds overlap with positive area (touching edges do
 * not count: they cannot overlap). Sort-and-sweep on x: O(n log n + pairs visited).
 */
export function overlappingPairs(shapes: readonly PreparedShape[], visit: (i: number, j: number) => void): void {
  const order = sweepOrder(shapes);
  const active: number[] = [];
  for (const i of order) {
    const s = shapes[i]!;
    let k = 0;
    for (const j of active) {
      const t = shapes[j]!;
      if (t.x1 <= s.x0) continue; // ends before s starts: drop from the active list
      active[k++] = j;
      if (t.y0 < s.y1 && s.y0 < t.y1) visit(Math.min(i, j), Math.max(i, j));
    }
    active.length = k;
    active.push(i);
  }
}

/** Calls visit(i, j) for every i in a and j in b whose bounds overlap with positive area (same sweep, two sides). */
export function overlappingPairsBetween(
  a: readonly PreparedShape[],
  b: readonly PreparedShape[],
  visit: (i: number, j: number) => void,
): void {
  if (a.length === 0 || b.length === 0) return;
  const n = a.length;
  const all = [...a, ...b];
  const order = sweepOrder(all);
  const active: [number[], number[]] = [[], []];
  for (const i of order) {
    const s = all[i]!;
    const side = i < n ? 0 : 1;
    const others = active[1 - side]!;
    let k = 0;
    for (const j of others) {
      const t = all[j]!;
      if (t.x1 <= s.x0) continue;
      others[k++] = j;
      if (t.y0 < s.y1 && s.y0 < t.y1) visit(side === 0 ? i : j, (side === 0 ? j : i) - n);
    }
    others.length = k;
    active[side]!.push(i);
  }
}

/** Indices of usable shapes sorted by left edge (ties by index, so the sweep is deterministic). */
function sweepOrder(shapes: readonly PreparedShape[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < shapes.length; i++) if (shapes[i]!.usable) order.push(i);
  return sortSmall(order, (i, j) => shapes[i]!.x0 - shapes[j]!.x0 || i - j);
}
