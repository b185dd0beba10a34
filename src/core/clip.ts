/**
 * Clipping shapes to the image rectangle [0, width] × [0, height] (image pixels).
 * Used by every exporter (clip first, drop what becomes empty) and every importer (a shape read
 * from a file is clipped, and the clipping reported).
 */
import type { PolygonShape, Shape } from './model';

export type ClipOutcome =
  | { readonly kind: 'inside'; readonly shape: Shape }
  | { readonly kind: 'clipped'; readonly shape: Shape }
  | { readonly kind: 'empty' };

/** Coordinates within this of the border count as on it (float noise from format conversions). */
const EPS = 1e-9;

function clampTo(v: number, hi: number): number {
  return v < 0 ? 0 : v > hi ? hi : v;
}

/**
 * The part of the shape inside the image. A box keeps the overlap of itself and the image; a
 * polygon is clipped against the four edges (Sutherland–Hodgman, exact for any simple outline
 * against a convex window; collinear leftovers along the border are harmless and removed).
 * 'empty' when nothing with positive area is left, or a coordinate is not finite.
 */
export function clipShape(shape: Shape, width: number, height: number): ClipOutcome {
  if (shape.kind === 'box') {
    const { x, y, w, h } = shape;
    if (![x, y, w, h].every(Number.isFinite) || w <= 0 || h <= 0) return { kind: 'empty' };
    const x0 = clampTo(x, width);
    const y0 = clampTo(y, height);
    const x1 = clampTo(x + w, width);
    const y1 = clampTo(y + h, height);
    if (x1 - x0 <= 0 || y1 - y0 <= 0) return { kind: 'empty' };
    const inside = x >= -EPS && y >= -EPS && x + w <= width + EPS && y + h <= height + EPS;
    if (inside) return { kind: 'inside', shape };
    return { kind: 'clipped', shape: { ...shape, x: x0, y: y0, w: x1 - x0, h: y1 - y0 } };
  }
  const pts = shape.points;
  if (pts.length < 6 || pts.length % 2 !== 0 || !pts.every(Number.isFinite)) return { kind: 'empty' };
  let inside = true;
  for (let i = 0; i < pts.length; i += 2) {
    const px = pts[i]!;
    const py = pts[i + 1]!;
    if (px < -EPS || py < -EPS || px > width + EPS || py > height + EPS) {
      inside = false;
      break;
    }
  }
  if (inside) {
    if (signedArea(pts) === 0) return { kind: 'empty' };
    return { kind: 'inside', shape };
  }
  let poly = pts.slice();
  poly = clipHalfPlane(poly, 0, 0, true);
  poly = clipHalfPlane(poly, 0, width, false);
  poly = clipHalfPlane(poly, 1, 0, true);
  poly = clipHalfPlane(poly, 1, height, false);
  poly = dropRepeats(poly);
  if (poly.length < 6 || Math.abs(signedArea(poly)) < 1e-12) return { kind: 'empty' };
  const clipped: PolygonShape = { ...shape, points: poly };
  return { kind: 'clipped', shape: clipped };
}

/** Keeps the part of a closed outline where the coordinate on `axis` (0 = x, 1 = y) is ≥ limit (lower) or ≤ limit (upper). */
function clipHalfPlane(pts: readonly number[], axis: 0 | 1, limit: number, lower: boolean): number[] {
  const n = pts.length >> 1;
  if (n === 0) return [];
  const isIn = (v: number): boolean => (lower ? v >= limit : v <= limit);
  const out: number[] = [];
  let px = pts[2 * n - 2]!;
  let py = pts[2 * n - 1]!;
  let pv = axis === 0 ? px : py;
  for (let i = 0; i < n; i++) {
    const cx = pts[2 * i]!;
    const cy = pts[2 * i + 1]!;
    const cv = axis === 0 ? cx : cy;
    if (isIn(cv)) {
      if (!isIn(pv)) out.push(...crossing(px, py, pv, cx, cy, cv, limit, axis));
      out.push(cx, cy);
    } else if (isIn(pv)) {
      out.push(...crossing(px, py, pv, cx, cy, cv, limit, axis));
    }
    px = cx;
    py = cy;
    pv = cv;
  }
  return out;
}

function crossing(ax: number, ay: number, av: number, bx: number, by: number, bv: number, limit: number, axis: 0 | 1): [number, number] {
  const t = (limit - av) / (bv - av);
  // The clipped coordinate is the limit exactly, not limit ± rounding noise.
  return axis === 0 ? [limit, ay + (by - ay) * t] : [ax + (bx - ax) * t, limit];
}

/** Removes consecutive duplicate vertices (including last = first). */
function dropRepeats(pts: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < pts.length; i += 2) {
    const x = pts[i]!;
    const y = pts[i + 1]!;
    const k = out.length;
    if (k >= 2 && out[k - 2] === x && out[k - 1] === y) continue;
    out.push(x, y);
  }
  while (out.length >= 4 && out[0] === out[out.length - 2] && out[1] === out[out.length - 1]) out.length -= 2;
  return out;
}

function signedArea(pts: readonly number[]): number {
  const n = pts.length >> 1;
  let twice = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) twice += pts[2 * j]! * pts[2 * i + 1]! - pts[2 * i]! * pts[2 * j + 1]!;
  return twice / 2;
}
