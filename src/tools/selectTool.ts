import {
  clampDelta,
  clampPoint,
  edgeAt,
  handleAt,
  insertVertex,
  moveVertex,
  rectFromCorners,
  removeVertex,
  resizeBox,
  boundsOf,
  translateShape,
  vertexAt,
  type Handle,
  type Rect,
} from '../core/geometry';
import type { ImagePoint, ScreenPoint } from '../core/viewport';
import type { Annotation, AnnotationId, Shape } from '../core/model';
import { ignore, MIN_BOX_IMAGE, movedFar, stay, to, tolerance, type Step, type Tool, type ToolContext, type ToolEffect } from './types';

/**
 * Select: click a shape (Shift-click adds or removes it), drag on empty canvas for a rubber band,
 * drag a shape to move the selection, drag a handle to resize a box, drag a polygon's vertex, drag
 * an edge midpoint (or double-click an edge) to insert a vertex, Alt-click a vertex to delete it.
 * Arrow keys move the selection by 1 px, with Shift by 10 px. Every gesture ends in at most one
 * update effect, so it is one undo step.
 */
export type SelectState =
  | { readonly name: 'idle' }
  | { readonly name: 'pointing'; readonly target: AnnotationId; readonly origin: ImagePoint; readonly originScreen: ScreenPoint; readonly collapse: boolean }
  | { readonly name: 'translating'; readonly ids: readonly AnnotationId[]; readonly origin: ImagePoint; readonly shapes: ReadonlyMap<AnnotationId, Shape> }
  /** `dragging` turns true once the pointer has moved past the drag threshold: a click on a handle changes nothing. */
  | { readonly name: 'resizing'; readonly id: AnnotationId; readonly handle: Handle; readonly start: Rect; readonly shape: Shape; readonly originScreen: ScreenPoint; readonly dragging: boolean }
  | { readonly name: 'vertex'; readonly id: AnnotationId; readonly index: number; readonly start: readonly number[]; readonly shape: Shape; readonly originScreen: ScreenPoint; readonly dragging: boolean }
  | { readonly name: 'brushing'; readonly origin: ImagePoint; readonly originScreen: ScreenPoint; readonly current: ImagePoint; readonly additive: boolean; readonly moved: boolean };

const idle: SelectState = { name: 'idle' };

/** The one selected, editable shape (handles and vertices only show for a single selection). */
function single(ctx: ToolContext): Annotation | null {
  if (ctx.selection.length !== 1) return null;
  return ctx.byId.get(ctx.selection[0]!) ?? null;
}

function selectedShapes(ctx: ToolContext, ids: readonly AnnotationId[]): Annotation[] {
  return ids.map((id) => ctx.byId.get(id)).filter((a): a is Annotation => a !== undefined);
}


/** The selection moved by (dx, dy), held inside the image as one block. */
function translated(ctx: ToolContext, annotations: readonly Annotation[], dx: number, dy: number): Map<AnnotationId, Shape> {
  const d = clampDelta(boundsOf(annotations.map((a) => a.shape)), dx, dy, ctx.width, ctx.height);
  return new Map(annotations.map((a) => [a.id, translateShape(a.shape, d.dx, d.dy)]));
}

const update = (shapes: ReadonlyMap<AnnotationId, Shape>, label: string): ToolEffect => ({ kind: 'update', shapes, label });

function midpointAt(points: readonly number[], p: ImagePoint, tol: number): number {
  const n = points.length / 2;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const mx = (points[2 * i]! + points[2 * j]!) / 2;
    const my = (points[2 * i + 1]! + points[2 * j + 1]!) / 2;
    if (Math.hypot(mx - p.x, my - p.y) <= tol) return i;
  }
  return -1;
}

/** A press on the single selection's handles, vertices or edge midpoints. */
function pressOnSelection(ctx: ToolContext, p: ImagePoint, screen: ScreenPoint, alt: boolean): Step<SelectState> | null {
  const a = single(ctx);
  if (!a) return null;
  const tol = tolerance(ctx);
  if (a.shape.kind === 'box') {
    const handle = handleAt(a.shape, p, tol);
    return handle ? to({ name: 'resizing', id: a.id, handle, start: a.shape, shape: a.shape, originScreen: screen, dragging: false }) : null;
  }
  const points = a.shape.points;
  const v = vertexAt(points, p, tol);
  if (v >= 0) {
    if (!alt) return to({ name: 'vertex', id: a.id, index: v, start: points, shape: a.shape, originScreen: screen, dragging: false });
    if (points.length <= 6) return stay(idle); // a polygon keeps at least 3 vertices
    return to(idle, update(new Map([[a.id, { kind: 'polygon', points: removeVertex(points, v) }]]), 'delete vertex'));
  }
  const m = midpointAt(points, p, tol);
  if (m >= 0) {
    const inserted = insertVertex(points, m, clampPoint(p, ctx.width, ctx.height));
    return to({ name: 'vertex', id: a.id, index: m + 1, start: points, shape: { kind: 'polygon', points: inserted }, originScreen: screen, dragging: false });
  }
  return null;
}

function nudge(ctx: ToolContext, key: string, shift: boolean): Step<SelectState> {
  const annotations = selectedShapes(ctx, ctx.selection);
  if (annotations.length === 0) return ignore(idle);
  const step = shift ? 10 : 1;
  const dx = key === 'ArrowLeft' ? -step : key === 'ArrowRight' ? step : 0;
  const dy = key === 'ArrowUp' ? -step : key === 'ArrowDown' ? step : 0;
  const moved = translated(ctx, annotations, dx, dy);
  const changed = annotations.some((a) => moved.get(a.id) !== undefined && JSON.stringify(moved.get(a.id)) !== JSON.stringify(a.shape));
  return changed ? to(idle, update(moved, 'move')) : stay(idle);
}

export const selectTool: Tool<SelectState> = {
  id: 'select',
  initial: idle,
  step(state, input, ctx) {
    switch (input.type) {
      case 'down': {
        if (input.button !== 0) return ignore(state);
        const p = input.point;
        const onSelection = input.shift ? null : pressOnSelection(ctx, p, input.screen, input.alt);
        if (onSelection) return onSelection;
        const hit = ctx.shapes.hit(p, tolerance(ctx));
        if (!hit) {
          return to({ name: 'brushing', origin: p, originScreen: input.screen, current: p, additive: input.shift, moved: false });
        }
        const selected = ctx.selection.includes(hit.id);
        if (input.shift) {
          const ids = selected ? ctx.selection.filter((id) => id !== hit.id) : [...ctx.selection, hit.id];
          return to(idle, { kind: 'select', ids });
        }
        const pointing: SelectState = { name: 'pointing', target: hit.id, origin: p, originScreen: input.screen, collapse: selected && ctx.selection.length > 1 };
        return selected ? to(pointing) : to(pointing, { kind: 'select', ids: [hit.id] });
      }
      case 'move': {
        const p = input.point;
        switch (state.name) {
          case 'pointing': {
            if (!movedFar(state.originScreen, input.screen)) return stay(state);
            const ids = ctx.selection.includes(state.target) ? ctx.selection : [state.target];
            const annotations = selectedShapes(ctx, ids);
            return to({ name: 'translating', ids, origin: state.origin, shapes: translated(ctx, annotations, p.x - state.origin.x, p.y - state.origin.y) });
          }
          case 'translating':
            return to({ ...state, shapes: translated(ctx, selectedShapes(ctx, state.ids), p.x - state.origin.x, p.y - state.origin.y) });
          case 'resizing': {
            if (!state.dragging && !movedFar(state.originScreen, input.screen)) return stay(state);
            const r = resizeBox(state.start, state.handle, p, ctx.width, ctx.height, MIN_BOX_IMAGE);
            return to({ ...state, dragging: true, shape: { kind: 'box', x: r.x, y: r.y, w: r.w, h: r.h } });
          }
          case 'vertex': {
            if (!state.dragging && !movedFar(state.originScreen, input.screen)) return stay(state);
            const base = state.shape.kind === 'polygon' ? state.shape.points : state.start;
            return to({ ...state, dragging: true, shape: { kind: 'polygon', points: moveVertex(base, state.index, clampPoint(p, ctx.width, ctx.height)) } });
          }
          case 'brushing':
            return to({ ...state, current: p, moved: state.moved || movedFar(state.originScreen, input.screen) });
          default:
            return ignore(state);
        }
      }
      case 'up': {
        switch (state.name) {
          case 'pointing':
            return state.collapse ? to(idle, { kind: 'select', ids: [state.target] }) : to(idle);
          case 'translating':
            return to(idle, update(state.shapes, 'move'));
          case 'resizing':
            return state.dragging ? to(idle, update(new Map([[state.id, state.shape]]), 'resize')) : to(idle);
          case 'vertex': {
            if (!state.dragging) return to(idle);
            const label = state.shape.kind === 'polygon' && state.shape.points.length > state.start.length ? 'insert vertex' : 'move vertex';
            return to(idle, update(new Map([[state.id, state.shape]]), label));
          }
          case 'brushing': {
            if (!state.moved) return to(idle, { kind: 'select', ids: state.additive ? ctx.selection : [] });
            const inside = ctx.shapes.inRect(rectFromCorners(state.origin, state.current), 'contain').map((a) => a.id);
            const ids = state.additive ? [...ctx.selection, ...inside.filter((id) => !ctx.selection.includes(id))] : inside;
            return to(idle, { kind: 'select', ids });
          }
          default:
            return ignore(state);
        }
      }
      case 'doubleClick': {
        const a = single(ctx);
        if (!a || a.shape.kind !== 'polygon' || state.name !== 'idle') return ignore(state);
        const edge = edgeAt(a.shape.points, input.point, tolerance(ctx));
        if (!edge || vertexAt(a.shape.points, input.point, tolerance(ctx)) >= 0) return ignore(state);
        const points = insertVertex(a.shape.points, edge.index, clampPoint(edge.point, ctx.width, ctx.height));
        return to(idle, update(new Map([[a.id, { kind: 'polygon', points }]]), 'insert vertex'));
      }
      case 'key': {
        if (input.key === 'Escape') {
          if (state.name !== 'idle') return to(idle);
          return ctx.selection.length > 0 ? to(idle, { kind: 'select', ids: [] }) : ignore(state);
        }
        if (state.name !== 'idle' || !input.key.startsWith('Arrow')) return ignore(state);
        return nudge(ctx, input.key, input.shift);
      }
      case 'cancel':
        return stay(idle);
      default:
        return ignore(state);
    }
  },
  preview(state) {
    switch (state.name) {
      case 'translating':
        return { moved: state.shapes };
      case 'resizing':
      case 'vertex':
        return state.dragging ? { moved: new Map([[state.id, state.shape]]) } : {};
      case 'brushing':
        return state.moved ? { band: rectFromCorners(state.origin, state.current) } : {};
      default:
        return {};
    }
  },
  busy: (state) => state.name !== 'idle',
};
