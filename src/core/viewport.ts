/**
 * The two coordinate spaces of the canvas and the one transform between them. Image points are
 * image pixels (continuous; origin at the top-left corner of the top-left pixel, x right, y
 * down); screen points are CSS pixels relative to the canvas container's top-left corner. The
 * brands keep the two apart: a function wanting an ImagePoint refuses a ScreenPoint, and
 * toImage / toScreen are the only conversions.
 */
import type { Brand } from './model';

/** A point in image pixels. */
export type ImagePoint = Brand<{ readonly x: number; readonly y: number }, 'ImagePoint'>;
/** A point in CSS pixels relative to the canvas container's top-left corner. */
export type ScreenPoint = Brand<{ readonly x: number; readonly y: number }, 'ScreenPoint'>;

export const imagePoint = (x: number, y: number): ImagePoint => ({ x, y }) as ImagePoint;
export const screenPoint = (x: number, y: number): ScreenPoint => ({ x, y }) as ScreenPoint;

/**
 * The view transform: screen = image * scale + (x, y).
 * `scale` is screen px per image px, in [MIN_SCALE, MAX_SCALE]; (x, y) is where the image's
 * origin lands on screen, in screen px.
 */
export interface Viewport {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export function toImage(v: Viewport, p: ScreenPoint): ImagePoint {
  return imagePoint((p.x - v.x) / v.scale, (p.y - v.y) / v.scale);
}

export function toScreen(v: Viewport, p: ImagePoint): ScreenPoint {
  return screenPoint(p.x * v.scale + v.x, p.y * v.scale + v.y);
}

/** Zoom limits (screen px per image px): 1% lets a 100k px panorama fit; 64× shows single pixels large. */
export const MIN_SCALE = 0.01;
export const MAX_SCALE = 64;

function clampScale(s: number): number {
  return s < MIN_SCALE ? MIN_SCALE : s > MAX_SCALE ? MAX_SCALE : s;
}

/**
 * Fit a w×h image (image px) into a vw×vh viewport (screen px) with `margin` screen px on each
 * side, centred on both axes. The scale is clamped to [MIN_SCALE, MAX_SCALE]: the lower bound
 * keeps a tiny viewport usable; the upper bound keeps a tiny image (say 4×4) from arriving at a
 * zoom that zoomAt would then refuse to keep. Degenerate sizes (≤ 0 or not finite) give
 * MIN_SCALE rather than Infinity or NaN.
 */
export function fitViewport(w: number, h: number, vw: number, vh: number, margin = 16): Viewport {
  const availW = Math.max(0, vw - 2 * margin);
  const availH = Math.max(0, vh - 2 * margin);
  // A zero image side puts no limit on its axis; both zero (or bad input) falls back below.
  const sx = w > 0 ? availW / w : Infinity;
  const sy = h > 0 ? availH / h : Infinity;
  const raw = Math.min(sx, sy);
  const scale = Number.isFinite(raw) && raw > 0 ? clampScale(raw) : MIN_SCALE;
  const imgW = w > 0 ? w : 0;
  const imgH = h > 0 ? h : 0;
  return { scale, x: (vw - imgW * scale) / 2, y: (vh - imgH * scale) / 2 };
}

/**
 * Zoom by `factor` (> 1 zooms in) keeping the image point under `at` at the same screen position.
 * The resulting scale is clamped to [MIN_SCALE, MAX_SCALE]; at a limit the point still stays
 * put. A factor that is not a positive finite number leaves the viewport unchanged (a wheel
 * event with a huge delta must not flip or blank the view).
 */
export function zoomAt(v: Viewport, at: ScreenPoint, factor: number): Viewport {
  if (!(factor > 0) || !Number.isFinite(factor)) return v;
  const scale = clampScale(v.scale * factor);
  if (scale === v.scale) return v;
  const k = scale / v.scale;
  // Solve at = ip * scale + origin' where ip = (at - origin) / v.scale.
  return { scale, x: at.x - (at.x - v.x) * k, y: at.y - (at.y - v.y) * k };
}

/** Move the view by (dx, dy) screen px: the image moves with the pointer. */
export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return { scale: v.scale, x: v.x + dx, y: v.y + dy };
}

/**
 * The view that shows a region of the image (image px; x, y, w, h) centred and large, with room
 * around it: the region fills at most `fill` of the viewport on either axis, and the zoom never
 * goes past `maxScale` (a 3-pixel shape is not blown up to fill the screen) nor below the scale
 * that fits the whole image (`fitScale`), so the region is never shown smaller than the fit.
 */
export function focusViewport(region: { x: number; y: number; w: number; h: number }, vw: number, vh: number, fitScale: number, fill = 0.5, maxScale = 8): Viewport {
  const w = Math.max(region.w, 1);
  const h = Math.max(region.h, 1);
  const scale = clampScale(Math.max(fitScale, Math.min((vw * fill) / w, (vh * fill) / h, maxScale)));
  const cx = region.x + region.w / 2;
  const cy = region.y + region.h / 2;
  return { scale, x: vw / 2 - cx * scale, y: vh / 2 - cy * scale };
}
