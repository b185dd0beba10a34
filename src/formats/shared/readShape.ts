/**
 * The one gate every parser sends a shape through: refuse what is not a shape (NaN, too few
 * vertices, no area), clip what reaches outside the image, and say so with file and line.
 */
import { clipShape } from '../../core/clip';
import type { Shape } from '../../core/model';
import type { Diagnostic, Size } from '../types';

export interface Where {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
}

export const diagnostic = (severity: Diagnostic['severity'], where: Where, message: string): Diagnostic => ({
  severity,
  file: where.file,
  ...(where.line !== undefined ? { line: where.line } : {}),
  ...(where.field !== undefined ? { field: where.field } : {}),
  message,
});

/** Where a diagnostic points, or how to make it: a function is called only when there is something to say. */
export type WhereLater = Where | (() => Where);

export const whereOf = (where: WhereLater): Where => (typeof where === 'function' ? where() : where);

/**
 * The shape to store, or null (skipped, with an error in `out`). `size` is the image's size when
 * known (width and height > 0); without it only negative coordinates are clipped (at 0).
 */
export function readShape(shape: Shape, size: Size | undefined, whereLater: WhereLater, out: Diagnostic[]): Shape | null {
  // The usual case, without the allocations of the checks below: a box with a positive size
  // well inside an image of known size, which clipShape would call inside (and return as is).
  if (shape.kind === 'box' && size !== undefined && size.width > 0 && size.height > 0 && isBoxWellInside(shape.x, shape.y, shape.w, shape.h, size.width, size.height)) return shape;
  const where = whereOf(whereLater);
  const coords = shape.kind === 'box' ? [shape.x, shape.y, shape.w, shape.h] : shape.points;
  if (!coords.every(Number.isFinite)) {
    out.push(diagnostic('error', where, `skipped a ${shape.kind}: its coordinates are not all numbers`));
    return null;
  }
  if (shape.kind === 'polygon' && (shape.points.length < 6 || shape.points.length % 2 !== 0)) {
    const has = shape.points.length % 2 === 0 ? `it has ${shape.points.length / 2}` : `it has ${shape.points.length} coordinates, an odd number`;
    out.push(diagnostic('error', where, `skipped a polygon: it needs at least 3 points (x, y pairs), ${has}`));
    return null;
  }
  if (shape.kind === 'box' && (shape.w <= 0 || shape.h <= 0)) {
    out.push(diagnostic('error', where, `skipped a box of size ${shape.w} × ${shape.h}: a box needs a positive width and height`));
    return null;
  }
  const known = size !== undefined && size.width > 0 && size.height > 0;
  const clipped = clipShape(shape, known ? size.width : Number.MAX_VALUE, known ? size.height : Number.MAX_VALUE);
  if (clipped.kind === 'empty') {
    out.push(diagnostic('error', where, known ? `skipped a ${shape.kind}: it lies outside the ${size.width}×${size.height} image` : `skipped a ${shape.kind}: it has no area`));
    return null;
  }
  if (clipped.kind === 'clipped') {
    out.push(diagnostic('warning', where, known ? `a ${shape.kind} reached outside the ${size.width}×${size.height} image and was cut at its edge` : `a ${shape.kind} had negative coordinates and was cut at 0`));
  }
  return clipped.shape;
}

/**
 * Whether a box lies inside [0, width] × [0, height] with a positive size that survives float
 * arithmetic: what clipShape then computes (its corners unclamped, its extent positive, inside)
 * needs no clipping, so readShape takes the box as it is. False for NaN and infinities.
 */
export function isBoxWellInside(x: number, y: number, w: number, h: number, width: number, height: number): boolean {
  return x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height && x + w - x > 0 && y + h - y > 0;
}
