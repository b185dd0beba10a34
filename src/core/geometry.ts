/**
 * Plane geometry of shapes for the canvas and the tools: rectangles, box handles and polygon
 * editing, hit testing, areas and rounding (the coordinate spaces and the view transform are in
 * viewport.ts).
 *
 * Units: image pixels (continuous; origin at the top-left corner of the top-left pixel, x right,
 * y down; a W×H image spans [0, W] × [0, H]), except where a function says it works in either
 * space. Every function here is pure: inputs are never mutated, and arrays/objects returned are
 * fresh.
 *
 * Polygons are flat arrays [x0, y0, x1, y1, …] and implicitly closed (the last vertex joins the
 * first). Functions taking a vertex or edge index count vertices, not array slots.
 */
import type { Shape } from './model';
import { imagePoint, type ImagePoint } from './viewport';

/** Any point-like value; used where either space is meaningful as long as both arguments agree. */
interface XY {
  readonly x: number;
  readonly y: number;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

// ---------------------------------------------------------------------------------------------
// Rectangles

/** An axis-aligned rectangle: (x, y) top-left, w, h ≥ 0. Units are those of its context. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The rectangle spanned by two opposite corners given in any order (any drag direction). */
export function rectFromCorners(a: XY, b: XY): Rect {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y) };
}

/** p moved to the nearest point of [0, width] × [0, height]. */
export function clampPoint(p: ImagePoint, width: number, height: number): ImagePoint {
  return imagePoint(clamp(p.x, 0, width), clamp(p.y, 0, height));
}

/**
 * The part of r inside [0, width] × [0, height]. A rectangle wholly outside keeps a position on
 * the nearest image edge with w and/or h 0, so callers can still tell where it was.
 */
export function clampRect(r: Rect, width: number, height: number): Rect {
  const x0 = clamp(r.x, 0, width);
  const y0 = clamp(r.y, 0, height);
  const x1 = clamp(r.x + r.w, 0, width);
  const y1 = clamp(r.y + r.h, 0, height);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

/** The box itself, or a polygon's axis-aligned bounding box. A polygon without points gives a 0×0 rect at the origin. */
export function shapeBounds(shape: Shape): Rect {
  if (shape.kind === 'box') return { x: shape.x, y: shape.y, w: shape.w, h: shape.h };
  const pts = shape.points;
  if (pts.length < 2) return { x: 0, y: 0, w: 0, h: 0 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < pts.length; i += 2) {
    const x = pts[i]!;
    const y = pts[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}

/** True when a and b share at least one point; rectangles that only touch along an edge or at a corner count. */
/** The bounding box of several shapes (of none: an empty rect at the origin). */
export function boundsOf(shapes: readonly Shape[]): Rect {
  if (shapes.length === 0) return { x: 0, y: 0, w: 0, h: 0 };
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const s of shapes) {
    const b = shapeBounds(s);
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

export function rectsIntersect(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

/** True when inner lies wholly inside outer; shared edges count as inside. */
export function rectContainsRect(outer: Rect, inner: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.w <= outer.x + outer.w &&
    inner.y + inner.h <= outer.y + outer.h
  );
}

/** v with -0 turned into 0, so deltas and coordinates compare and serialise cleanly. */
function noNegZero(v: number): number {
  return v === 0 ? 0 : v;
}

function clampDeltaAxis(start: number, size: number, d: number, limit: number): number {
  if (size > limit) return 0;
  // Bounds already partly outside (imported shapes can be) may move back in but never further out:
  // the allowed range always contains 0, so the result has d's sign and at most its magnitude.
  const lo = Math.min(0, -start);
  const hi = Math.max(0, limit - (start + size));
  return noNegZero(clamp(d, lo, hi));
}

/**
 * The delta (dx, dy), image px, reduced so that `bounds` moved by it stays inside
 * [0, width] × [0, height]. Each component keeps its sign and never grows. On an axis where
 * bounds is bigger than the image the component is 0; bounds already outside on an axis may move
 * towards the inside but not further out.
 */
export function clampDelta(
  bounds: Rect,
  dx: number,
  dy: number,
  width: number,
  height: number,
): { dx: number; dy: number } {
  return {
    dx: clampDeltaAxis(bounds.x, bounds.w, dx, width),
    dy: clampDeltaAxis(bounds.y, bounds.h, dy, height),
  };
}

/** The shape moved by (dx, dy) image px; other properties of the object are kept. */
export function translateShape<S extends Shape>(shape: S, dx: number, dy: number): S {
  if (shape.kind === 'box') return { ...shape, x: shape.x + dx, y: shape.y + dy };
  const pts = shape.points;
  const moved = new Array<number>(pts.length);
  for (let i = 0; i < pts.length; i++) moved[i] = pts[i]! + (i % 2 === 0 ? dx : dy);
  return { ...shape, points: moved };
}

// ---------------------------------------------------------------------------------------------
// Box handles

/** Resize handles, named by compass direction (n = top edge, since y grows downwards). */
export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w';
/** Clockwise from the top-left corner. */
export const HANDLES: readonly Handle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

const isCorner = (h: Handle): boolean => h.length === 2;

/** -1: the handle sits on the left (or top) side; 1: right (or bottom); 0: the middle of that axis. */
function handleSideX(h: Handle): -1 | 0 | 1 {
  return h.includes('w') ? -1 : h.includes('e') ? 1 : 0;
}
function handleSideY(h: Handle): -1 | 0 | 1 {
  return h.includes('n') ? -1 : h.includes('s') ? 1 : 0;
}

/** Where handle h sits on box: a corner or the midpoint of an edge. */
export function handlePoint(box: Rect, h: Handle): ImagePoint {
  const sx = handleSideX(h);
  const sy = handleSideY(h);
  const x = sx < 0 ? box.x : sx > 0 ? box.x + box.w : box.x + box.w / 2;
  const y = sy < 0 ? box.y : sy > 0 ? box.y + box.h : box.y + box.h / 2;
  return imagePoint(x, y);
}

/**
 * The handle of box within `tolerance` image px (Euclidean, inclusive) of p, or null. The nearest
 * handle wins; on an exact tie a corner beats an edge handle (a corner resizes both axes, which
 * is what a user aiming at a small box's corner wants), then HANDLES order decides.
 */
export function handleAt(box: Rect, p: ImagePoint, tolerance: number): Handle | null {
  let best: Handle | null = null;
  let bestD = Infinity;
  for (const h of HANDLES) {
    const q = handlePoint(box, h);
    const d = Math.hypot(p.x - q.x, p.y - q.y);
    if (!(d <= tolerance)) continue;
    if (best === null || d < bestD || (d === bestD && isCorner(h) && !isCorner(best))) {
      best = h;
      bestD = d;
    }
  }
  return best;
}

/**
 * One axis of resizeBox. `fixed` stays put, `moving` is the dragged coordinate (already clamped
 * into [0, limit]), `dir` is the side the handle started on (used when moving === fixed).
 * Returns [start, size].
 */
function resizeAxis(fixed: number, moving: number, dir: -1 | 1, limit: number, minSize: number): [number, number] {
  const lo = Math.min(fixed, moving);
  const size = Math.abs(moving - fixed);
  if (size >= minSize) return [lo, size];
  const growsPositive = moving > fixed || (moving === fixed && dir > 0);
  const after: [number, number] = [fixed, minSize];
  const before: [number, number] = [fixed - minSize, minSize];
  const fitsAfter = fixed + minSize <= limit;
  const fitsBefore = fixed - minSize >= 0;
  if (growsPositive ? fitsAfter : fitsBefore) return growsPositive ? after : before;
  if (growsPositive ? fitsBefore : fitsAfter) return growsPositive ? before : after;
  // Neither side of the fixed edge has room: give up keeping it fixed and take the largest span
  // the image allows, against the image edge the drag was heading for.
  if (minSize >= limit) return [0, Math.max(0, limit)];
  return growsPositive ? [limit - minSize, minSize] : [0, minSize];
}

/**
 * The box after dragging handle h to p (image px):
 * - p is first clamped into [0, width] × [0, height];
 * - the side or corner opposite h stays fixed; dragging past it flips the box, which is returned
 *   normalised (w, h ≥ 0);
 * - edge handles change only their own axis (the other axis is returned as it was);
 * - on each changed axis the size is at least minSize where possible: grown away from the fixed
 *   side, or, if that would leave the image, towards the other side; if neither fits, the fixed
 *   side gives way and the box spans minSize (or the whole image axis, if smaller) inside the image.
 */
export function resizeBox(box: Rect, h: Handle, p: ImagePoint, width: number, height: number, minSize: number): Rect {
  const q = clampPoint(p, width, height);
  const min = Math.max(0, minSize);
  let { x, y, w, h: bh } = box;
  const sx = handleSideX(h);
  const sy = handleSideY(h);
  if (sx !== 0) [x, w] = resizeAxis(sx > 0 ? box.x : box.x + box.w, q.x, sx, width, min);
  if (sy !== 0) [y, bh] = resizeAxis(sy > 0 ? box.y : box.y + box.h, q.y, sy, height, min);
  return { x, y, w, h: bh };
}

// ---------------------------------------------------------------------------------------------
// Polygons

/**
 * Even-odd rule: a point is inside when a ray from it crosses the outline an odd number of
 * times, so self-intersecting outlines alternate in and out. Points exactly on the outline may
 * fall either way; callers wanting the outline included use a tolerance (shapeHit).
 */
export function pointInPolygon(points: readonly number[], p: XY): boolean {
  const n = points.length >> 1;
  if (n < 3) return false;
  let inside = false;
  let xj = points[2 * n - 2]!;
  let yj = points[2 * n - 1]!;
  for (let i = 0; i < n; i++) {
    const xi = points[2 * i]!;
    const yi = points[2 * i + 1]!;
    // Half-open test on y so a ray through a vertex counts the vertex once, not twice.
    if (yi > p.y !== yj > p.y && p.x < ((xj - xi) * (p.y - yi)) / (yj - yi) + xi) inside = !inside;
    xj = xi;
    yj = yi;
  }
  return inside;
}

/** The point of segment ab nearest p, as a parameter t ∈ [0, 1] along it (0 for a degenerate segment). */
function nearestT(p: XY, ax: number, ay: number, bx: number, by: number): number {
  const ux = bx - ax;
  const uy = by - ay;
  const len2 = ux * ux + uy * uy;
  if (len2 === 0) return 0;
  return clamp(((p.x - ax) * ux + (p.y - ay) * uy) / len2, 0, 1);
}

/** Euclidean distance from p to the closed segment ab (to a itself when a = b), same units as the inputs. */
export function distanceToSegment(p: XY, a: XY, b: XY): number {
  const t = nearestT(p, a.x, a.y, b.x, b.y);
  return Math.hypot(p.x - (a.x + t * (b.x - a.x)), p.y - (a.y + t * (b.y - a.y)));
}

/** Index of the vertex nearest p within `tolerance` (inclusive; lowest index on a tie), or -1. */
export function vertexAt(points: readonly number[], p: XY, tolerance: number): number {
  let best = -1;
  let bestD = Infinity;
  const n = points.length >> 1;
  for (let i = 0; i < n; i++) {
    const d = Math.hypot(points[2 * i]! - p.x, points[2 * i + 1]! - p.y);
    if (d <= tolerance && d < bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

/**
 * The edge of the closed polygon nearest p, if within `tolerance` (inclusive): edge i runs from
 * vertex i to vertex (i + 1) % n. `point` is the nearest point on that edge and `distance` its
 * distance from p. Lowest index wins a tie (where two edges meet at a vertex). Null for fewer
 * than 2 vertices.
 */
export function edgeAt(
  points: readonly number[],
  p: XY,
  tolerance: number,
): { index: number; point: ImagePoint; distance: number } | null {
  const n = points.length >> 1;
  if (n < 2) return null;
  let bestI = -1;
  let bestD = Infinity;
  let bestX = 0;
  let bestY = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const ax = points[2 * i]!;
    const ay = points[2 * i + 1]!;
    const bx = points[2 * j]!;
    const by = points[2 * j + 1]!;
    const t = nearestT(p, ax, ay, bx, by);
    const x = ax + t * (bx - ax);
    const y = ay + t * (by - ay);
    const d = Math.hypot(p.x - x, p.y - y);
    if (d < bestD) {
      bestI = i;
      bestD = d;
      bestX = x;
      bestY = y;
    }
  }
  if (bestI < 0 || bestD > tolerance) return null;
  return { index: bestI, point: imagePoint(bestX, bestY), distance: bestD };
}

function checkVertexIndex(points: readonly number[], index: number, allowEnd: boolean): void {
  const n = points.length >> 1;
  const max = allowEnd ? n : n - 1;
  if (!Number.isInteger(index) || index < 0 || index > max) {
    throw new RangeError(`vertex index ${index} out of range for a polygon of ${n} vertices`);
  }
}

/**
 * A copy of points with p inserted as vertex afterIndex + 1 (after vertex afterIndex, which may
 * be the last vertex: the new vertex then sits on the closing edge). Throws RangeError when
 * afterIndex is not a vertex index.
 */
export function insertVertex(points: readonly number[], afterIndex: number, p: XY): number[] {
  checkVertexIndex(points, afterIndex, false);
  const at = 2 * (afterIndex + 1);
  return [...points.slice(0, at), p.x, p.y, ...points.slice(at)];
}

/**
 * A copy of points without vertex `index`. The caller ensures at least 3 vertices remain (the
 * polygon invariant); this function does not check, so a tool can decide what to do instead.
 * Throws RangeError when index is not a vertex index.
 */
export function removeVertex(points: readonly number[], index: number): number[] {
  checkVertexIndex(points, index, false);
  return [...points.slice(0, 2 * index), ...points.slice(2 * index + 2)];
}

/** A copy of points with vertex `index` at p. Throws RangeError when index is not a vertex index. */
export function moveVertex(points: readonly number[], index: number, p: XY): number[] {
  checkVertexIndex(points, index, false);
  const out = points.slice();
  out[2 * index] = p.x;
  out[2 * index + 1] = p.y;
  return out;
}

/** Absolute shoelace area in square image px, for either winding. Self-intersecting outlines give the net signed sum's magnitude, not the covered area. */
export function polygonArea(points: readonly number[]): number {
  const n = points.length >> 1;
  if (n < 3) return 0;
  let twice = 0;
  let xj = points[2 * n - 2]!;
  let yj = points[2 * n - 1]!;
  for (let i = 0; i < n; i++) {
    const xi = points[2 * i]!;
    const yi = points[2 * i + 1]!;
    twice += xj * yi - xi * yj;
    xj = xi;
    yj = yi;
  }
  return Math.abs(twice) / 2;
}

/** Area in square image px. */
export function shapeArea(shape: Shape): number {
  return shape.kind === 'box' ? Math.abs(shape.w * shape.h) : polygonArea(shape.points);
}

/** Euclidean distance from p to the filled rectangle r (0 inside or on it). */
function distanceToRect(r: Rect, p: XY): number {
  const dx = Math.max(r.x - p.x, 0, p.x - (r.x + r.w));
  const dy = Math.max(r.y - p.y, 0, p.y - (r.y + r.h));
  return Math.hypot(dx, dy);
}

/**
 * Does the shape contain p, or pass within `tolerance` image px (Euclidean, inclusive) of its
 * outline? A box's own edges count as inside. Distances are true distances, so a box's hit area
 * has rounded corners.
 */
export function shapeHit(shape: Shape, p: XY, tolerance: number): boolean {
  const tol = Math.max(0, tolerance);
  if (shape.kind === 'box') return distanceToRect(shape, p) <= tol;
  return pointInPolygon(shape.points, p) || edgeAt(shape.points, p, tol) !== null;
}

/** Intersection over union of two rectangles, in [0, 1]; 0 when they do not overlap or either has zero area. */
export function boxIoU(a: Rect, b: Rect): number {
  const iw = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const ih = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (!(iw > 0) || !(ih > 0)) return 0;
  const inter = iw * ih;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? Math.min(1, inter / union) : 0;
}

// ---------------------------------------------------------------------------------------------
// Rounding

/** Stored precision: 1/100 image px. */
const COORD_STEP = 0.01;

/**
 * v rounded to the nearest 1/100 px (what we store; halves as Math.round does on v × 100), with
 * -0 turned into 0 so stored JSON never says "-0".
 */
export function roundCoord(v: number): number {
  return noNegZero(Math.round(v * 100) / 100);
}

/**
 * The shape with every coordinate rounded by roundCoord. A box rounds its corners, not its size:
 * each edge then lands within 1/200 px of where it was, and an edge on the image border stays
 * on it (rounding x and w separately could push the right edge past the image). A box never
 * rounds to zero size: w and h are at least 1/100 px, keeping the model's w, h > 0.
 */
export function roundShape<S extends Shape>(s: S): S {
  if (s.kind === 'box') {
    const x = roundCoord(s.x);
    const y = roundCoord(s.y);
    const w = Math.max(COORD_STEP, roundCoord(roundCoord(s.x + s.w) - x));
    const h = Math.max(COORD_STEP, roundCoord(roundCoord(s.y + s.h) - y));
    return { ...s, x, y, w, h };
  }
  return { ...s, points: s.points.map(roundCoord) };
}
