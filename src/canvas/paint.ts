import { HANDLES, handlePoint, shapeBounds, type Rect } from '../core/geometry';
import type { Viewport } from '../core/viewport';
import type { Annotation, AnnotationId, ClassId, Shape } from '../core/model';
import type { Preview } from '../tools';

/**
 * Painting on raw 2D contexts (called from Konva scene functions). The shapes layer paints every
 * visible shape in one path per class, culled to the screen; it repaints only when shapes, the
 * view or the shapes being dragged change. The interaction layer paints the few things that
 * follow the pointer (draft, handles, hover, crosshair), so a pointer move repaints only that.
 */

export interface ClassStyle {
  readonly color: string;
  readonly name: string;
}

const FALLBACK: ClassStyle = { color: '#cccccc', name: '(unknown class)' };

function tracePath(ctx: CanvasRenderingContext2D, s: Shape, v: Viewport): void {
  const { scale: k, x: ox, y: oy } = v;
  if (s.kind === 'box') {
    ctx.rect(s.x * k + ox, s.y * k + oy, s.w * k, s.h * k);
    return;
  }
  const p = s.points;
  ctx.moveTo(p[0]! * k + ox, p[1]! * k + oy);
  for (let i = 2; i < p.length; i += 2) ctx.lineTo(p[i]! * k + ox, p[i + 1]! * k + oy);
  ctx.closePath();
}

/** Screen-space bounds check without allocating. */
function onScreen(s: Shape, v: Viewport, width: number, height: number): boolean {
  let x0: number, y0: number, x1: number, y1: number;
  if (s.kind === 'box') {
    x0 = s.x;
    y0 = s.y;
    x1 = s.x + s.w;
    y1 = s.y + s.h;
  } else {
    x0 = y0 = Infinity;
    x1 = y1 = -Infinity;
    const p = s.points;
    for (let i = 0; i < p.length; i += 2) {
      const px = p[i]!, py = p[i + 1]!;
      if (px < x0) x0 = px;
      if (px > x1) x1 = px;
      if (py < y0) y0 = py;
      if (py > y1) y1 = py;
    }
  }
  const k = v.scale;
  return x1 * k + v.x >= -2 && x0 * k + v.x <= width + 2 && y1 * k + v.y >= -2 && y0 * k + v.y <= height + 2;
}

/** Visible shapes grouped by class (drawing order kept within a class), made once per change. */
export function groupByClass(shapes: readonly Annotation[]): Map<ClassId, Annotation[]> {
  return groupBy(shapes, (a) => a.classId);
}

/** Visible shapes grouped by layer: with annotator colours, one stroke colour per layer. */
export function groupByLayer(shapes: readonly Annotation[]): Map<string, Annotation[]> {
  return groupBy<string>(shapes, (a) => a.layerId);
}

function groupBy<K>(shapes: readonly Annotation[], key: (a: Annotation) => K): Map<K, Annotation[]> {
  const groups = new Map<K, Annotation[]>();
  for (const a of shapes) {
    const k = key(a);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(a);
  }
  return groups;
}

/**
 * Every visible shape, culled to the screen. Costs measured on this machine's software canvas
 * (5,000 boxes; see docs/PERFORMANCE.md): a 2 px strokeRect per box snapped
 * to whole pixels is ~4 ms, while one path of 5,000 rects stroked at 1.5 px with round joins is
 * ~150 ms and an even-odd translucent fill another ~60 ms. So: boxes one strokeRect each, no
 * fill (the hovered and selected shapes get one on the interaction layer); polygons as one path
 * per class, 2 px while there are few vertices in view, else a 1 px hairline (which Skia
 * draws ~20× faster than any wider stroke).
 */
export function paintShapes(
  ctx: CanvasRenderingContext2D,
  groups: ReadonlyMap<string, readonly Annotation[]>,
  styles: ReadonlyMap<string, ClassStyle>,
  v: Viewport,
  width: number,
  height: number,
  skip: ReadonlyMap<AnnotationId, unknown> | undefined,
): void {
  const { scale: k, x: ox, y: oy } = v;
  ctx.lineJoin = 'miter';
  let polygonVertices = 0;
  for (const shapes of groups.values()) for (const a of shapes) if (a.shape.kind === 'polygon') polygonVertices += a.shape.points.length / 2;
  const polygonWidth = polygonVertices <= 5000 ? 2 : 1;
  for (const [classId, shapes] of groups) {
    const style = styles.get(classId) ?? FALLBACK;
    ctx.strokeStyle = style.color;
    ctx.lineWidth = 2;
    let polygons = false;
    for (const a of shapes) {
      const s = a.shape;
      if (s.kind !== 'box') {
        polygons = true;
        continue;
      }
      if (skip?.has(a.id) || !onScreen(s, v, width, height)) continue;
      // Whole pixels: a 2 px line on integer coordinates covers exactly two pixel rows.
      const x0 = Math.round(s.x * k + ox), y0 = Math.round(s.y * k + oy);
      ctx.strokeRect(x0, y0, Math.round((s.x + s.w) * k + ox) - x0, Math.round((s.y + s.h) * k + oy) - y0);
    }
    if (!polygons) continue;
    ctx.beginPath();
    for (const a of shapes) {
      if (a.shape.kind !== 'polygon' || skip?.has(a.id) || !onScreen(a.shape, v, width, height)) continue;
      tracePath(ctx, a.shape, v);
    }
    ctx.lineWidth = polygonWidth;
    ctx.stroke();
  }
}

export interface InteractionPaint {
  readonly viewport: Viewport;
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly preview: Preview;
  readonly selected: readonly Annotation[];
  readonly hover: Annotation | null;
  /** Whose layer the hovered shape is in (the hover label names it). */
  readonly hoverLayer: string;
  readonly styles: ReadonlyMap<ClassId, ClassStyle>;
  readonly activeStyle: ClassStyle | null;
  readonly cursor: { readonly x: number; readonly y: number } | null;
  readonly crosshair: boolean;
}

const HANDLE = 7;

function handleSquare(ctx: CanvasRenderingContext2D, x: number, y: number): void {
  ctx.rect(x - HANDLE / 2, y - HANDLE / 2, HANDLE, HANDLE);
}

function label(ctx: CanvasRenderingContext2D, text: string, color: string, x: number, y: number): Rect {
  ctx.font = '12px system-ui, sans-serif';
  const w = ctx.measureText(text).width + 8;
  const top = Math.max(0, y - 18);
  ctx.fillStyle = color;
  ctx.fillRect(x, top, w, 17);
  ctx.fillStyle = '#000000';
  ctx.fillText(text, x + 4, top + 13);
  return { x, y: top, w, h: 17 };
}

/** A shape's screen bounds, padded (for what is drawn around it: strokes, handles, vertices). */
function screenRect(shape: Shape, v: Viewport, pad: number): Rect {
  const b = shapeBounds(shape);
  return { x: b.x * v.scale + v.x - pad, y: b.y * v.scale + v.y - pad, w: b.w * v.scale + 2 * pad, h: b.h * v.scale + 2 * pad };
}

/**
 * Paints the interaction layer and returns the screen rectangles it painted, so the next paint
 * clears only those (a full clear of the canvas on every pointer move is measurable in software).
 */
export function paintInteraction(ctx: CanvasRenderingContext2D, p: InteractionPaint): Rect[] {
  const v = p.viewport;
  const k = v.scale;
  const dirty: Rect[] = [];
  const moved = p.preview.moved;

  if (p.crosshair && p.cursor) {
    const sx = p.cursor.x * k + v.x, sy = p.cursor.y * k + v.y;
    ctx.beginPath();
    ctx.moveTo(v.x, sy);
    ctx.lineTo(v.x + p.imageWidth * k, sy);
    ctx.moveTo(sx, v.y);
    ctx.lineTo(sx, v.y + p.imageHeight * k);
    ctx.lineWidth = 1; // a solid hairline: dashes cost several ms per frame on a software canvas
    ctx.strokeStyle = 'rgba(255,255,255,0.4)';
    ctx.stroke();
    dirty.push({ x: v.x - 2, y: sy - 2, w: p.imageWidth * k + 4, h: 4 }, { x: sx - 2, y: v.y - 2, w: 4, h: p.imageHeight * k + 4 });
  }

  // Shapes being dragged, in their new place.
  if (moved) {
    for (const [id, shape] of moved) {
      const a = p.selected.find((s) => s.id === id);
      const style = (a && p.styles.get(a.classId)) ?? FALLBACK;
      ctx.beginPath();
      tracePath(ctx, shape, v);
      ctx.globalAlpha = 0.25;
      ctx.fillStyle = style.color;
      ctx.fill('evenodd');
      ctx.globalAlpha = 1;
      ctx.lineWidth = 2;
      ctx.strokeStyle = style.color;
      ctx.stroke();
      dirty.push(screenRect(shape, v, 4));
    }
  }

  // Selection: outline, then handles (one box) or vertices and edge midpoints (one polygon).
  for (const a of p.selected) {
    const shape = moved?.get(a.id) ?? a.shape;
    dirty.push(screenRect(shape, v, 9)); // outline, handles and vertex dots
    ctx.beginPath();
    tracePath(ctx, shape, v);
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = (p.styles.get(a.classId) ?? FALLBACK).color;
    ctx.stroke();
  }
  if (p.selected.length === 1) {
    const a = p.selected[0]!;
    const shape = moved?.get(a.id) ?? a.shape;
    ctx.beginPath();
    if (shape.kind === 'box') {
      for (const h of HANDLES) {
        const q = handlePoint(shape, h);
        handleSquare(ctx, q.x * k + v.x, q.y * k + v.y);
      }
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = '#111111';
      ctx.stroke();
    } else {
      const pts = shape.points;
      const n = pts.length / 2;
      for (let i = 0; i < n; i++) {
        const x = pts[2 * i]! * k + v.x, y = pts[2 * i + 1]! * k + v.y;
        ctx.moveTo(x + 4, y);
        ctx.arc(x, y, 4, 0, Math.PI * 2);
      }
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = '#111111';
      ctx.stroke();
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n;
        const x = ((pts[2 * i]! + pts[2 * j]!) / 2) * k + v.x, y = ((pts[2 * i + 1]! + pts[2 * j + 1]!) / 2) * k + v.y;
        ctx.moveTo(x + 3, y);
        ctx.arc(x, y, 3, 0, Math.PI * 2);
      }
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
    }
  }

  // Hover: a brighter outline, the class name and who drew it.
  if (p.hover && !moved?.has(p.hover.id)) {
    const style = p.styles.get(p.hover.classId) ?? FALLBACK;
    ctx.beginPath();
    tracePath(ctx, p.hover.shape, v);
    ctx.lineWidth = 3;
    ctx.strokeStyle = style.color;
    ctx.stroke();
    const around = screenRect(p.hover.shape, v, 4);
    dirty.push(around, label(ctx, `${style.name} · ${p.hoverLayer}`, style.color, around.x + 4, around.y + 4));
  }

  const draft = p.preview.draft;
  const color = p.activeStyle?.color ?? '#ffffff';
  if (draft?.kind === 'box') {
    const r = draft.rect;
    ctx.beginPath();
    ctx.rect(r.x * k + v.x, r.y * k + v.y, r.w * k, r.h * k);
    ctx.globalAlpha = 0.2;
    ctx.fillStyle = color;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.lineWidth = 2;
    ctx.strokeStyle = color;
    ctx.stroke();
    dirty.push({ x: r.x * k + v.x - 4, y: r.y * k + v.y - 4, w: r.w * k + 8, h: r.h * k + 8 });
  } else if (draft?.kind === 'polyline') {
    const pts = draft.points;
    ctx.beginPath();
    ctx.moveTo(pts[0]! * k + v.x, pts[1]! * k + v.y);
    for (let i = 2; i < pts.length; i += 2) ctx.lineTo(pts[i]! * k + v.x, pts[i + 1]! * k + v.y);
    if (draft.cursor) ctx.lineTo(draft.cursor.x * k + v.x, draft.cursor.y * k + v.y);
    ctx.lineWidth = 2;
    ctx.strokeStyle = color;
    ctx.stroke();
    ctx.beginPath();
    for (let i = 0; i < pts.length; i += 2) {
      const x = pts[i]! * k + v.x, y = pts[i + 1]! * k + v.y;
      const r = i === 0 && draft.closing ? 7 : 4;
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
    }
    ctx.fillStyle = color;
    ctx.fill();
    const xs = [...pts.filter((_, i) => i % 2 === 0), draft.cursor?.x ?? pts[0]!];
    const ys = [...pts.filter((_, i) => i % 2 === 1), draft.cursor?.y ?? pts[1]!];
    const x0 = Math.min(...xs) * k + v.x, y0 = Math.min(...ys) * k + v.y;
    dirty.push({ x: x0 - 10, y: y0 - 10, w: (Math.max(...xs) - Math.min(...xs)) * k + 20, h: (Math.max(...ys) - Math.min(...ys)) * k + 20 });
  }

  const band = p.preview.band;
  if (band) {
    ctx.beginPath();
    ctx.rect(band.x * k + v.x, band.y * k + v.y, band.w * k, band.h * k);
    ctx.fillStyle = 'rgba(120,160,255,0.12)';
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.setLineDash([5, 4]);
    ctx.strokeStyle = '#9bb8ff';
    ctx.stroke();
    ctx.setLineDash([]);
    dirty.push({ x: band.x * k + v.x - 3, y: band.y * k + v.y - 3, w: band.w * k + 6, h: band.h * k + 6 });
  }
  return dirty;
}

/** One open disagreement to mark (state/stores.ts ReviewMark, what the painter reads of it). */
export interface MarkPaint {
  readonly key: string;
  readonly kind: string;
  readonly label: string;
  readonly bounds: Rect;
}

/** Red for objects some annotators did not see or named differently, amber for shape and attribute differences. */
const MARK_COLOUR: Readonly<Record<string, string>> = {
  missing: '#ff6b6b',
  extra: '#ff6b6b',
  'label mismatch': '#ff6b6b',
  'low overlap': '#ffb020',
  'attribute mismatch': '#ffb020',
};

/**
 * Review: each open disagreement framed (dashed, a little outside its shapes so they stay
 * visible) and labelled with its number, kind and IoU; the focused one in white and thicker.
 * A handful per image, so dashes are affordable here.
 */
export function paintMarks(ctx: CanvasRenderingContext2D, marks: readonly MarkPaint[], focused: string | null, v: Viewport): void {
  const k = v.scale;
  ctx.save();
  marks.forEach((m, i) => {
    const colour = m.key === focused ? '#ffffff' : (MARK_COLOUR[m.kind] ?? '#ff6b6b');
    const pad = 6;
    const x = Math.round(m.bounds.x * k + v.x) - pad, y = Math.round(m.bounds.y * k + v.y) - pad;
    const w = Math.round(m.bounds.w * k) + 2 * pad, h = Math.round(m.bounds.h * k) + 2 * pad;
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = m.key === focused ? 3 : 2;
    ctx.strokeStyle = 'rgba(0,0,0,0.6)';
    ctx.strokeRect(x + 1, y + 1, w, h);
    ctx.strokeStyle = colour;
    ctx.strokeRect(x, y, w, h);
    ctx.setLineDash([]);
    label(ctx, `${i + 1}. ${m.label}`, colour, x, y);
  });
  ctx.restore();
}
