import { clampPoint } from '../core/geometry';
import type { ImagePoint } from '../core/viewport';
import { ignore, stay, to, tolerance, type Step, type Tool, type ToolContext } from './types';

/**
 * Polygon: click to add vertices; close by clicking the first vertex, pressing Enter or
 * double-clicking; Backspace removes the last vertex; Escape cancels. Vertices are clamped into
 * the image as they are placed.
 */
export type PolygonState =
  /** `closedAt`: where the last polygon was closed by a click, so the second click of a double-click there does not start a new one. */
  | { readonly name: 'idle'; readonly closedAt?: ImagePoint }
  | { readonly name: 'drawing'; readonly points: readonly number[]; readonly cursor: ImagePoint | null; readonly closing: boolean };

const idle: PolygonState = { name: 'idle' };
const vertexCount = (points: readonly number[]): number => points.length / 2;

function near(points: readonly number[], i: number, p: { x: number; y: number }, tol: number): boolean {
  return Math.hypot(points[2 * i]! - p.x, points[2 * i + 1]! - p.y) <= tol;
}

function close(points: readonly number[], closedAt?: ImagePoint): Step<PolygonState> {
  const n = vertexCount(points);
  if (n < 3) {
    const placed = n === 1 ? '1 vertex is placed' : `${n} vertices are placed`;
    return to({ name: 'drawing', points, cursor: null, closing: false }, { kind: 'explain', message: `A polygon needs at least 3 vertices; ${placed}. Click to add more, or press Escape to drop it.` });
  }
  return to(closedAt ? { name: 'idle', closedAt } : idle, { kind: 'create', shape: { kind: 'polygon', points: [...points] } });
}

/** Would a click at p close the polygon (on the first vertex, with at least 3 placed)? */
function closesAt(points: readonly number[], p: ImagePoint, ctx: ToolContext): boolean {
  return vertexCount(points) >= 3 && near(points, 0, p, tolerance(ctx));
}

export const polygonTool: Tool<PolygonState> = {
  id: 'polygon',
  initial: idle,
  step(state, input, ctx) {
    switch (input.type) {
      case 'down': {
        if (input.button !== 0) return ignore(state);
        const p = clampPoint(input.point, ctx.width, ctx.height);
        if (state.name === 'idle') {
          if (state.closedAt && Math.hypot(state.closedAt.x - p.x, state.closedAt.y - p.y) <= tolerance(ctx)) return to(idle);
          return to({ name: 'drawing', points: [p.x, p.y], cursor: p, closing: false });
        }
        if (closesAt(state.points, p, ctx)) return close(state.points, p);
        const last = vertexCount(state.points) - 1;
        if (near(state.points, last, p, tolerance(ctx) / 3)) return stay(state); // a second click on the same spot
        return to({ name: 'drawing', points: [...state.points, p.x, p.y], cursor: p, closing: false });
      }
      case 'move': {
        if (state.name === 'idle' && state.closedAt && Math.hypot(state.closedAt.x - input.point.x, state.closedAt.y - input.point.y) > tolerance(ctx)) return stay(idle);
        if (state.name !== 'drawing') return ignore(state);
        const p = clampPoint(input.point, ctx.width, ctx.height);
        return to({ ...state, cursor: p, closing: closesAt(state.points, p, ctx) });
      }
      case 'doubleClick': {
        if (state.name !== 'drawing') return ignore(state);
        // The two clicks of a double-click have already placed (at most) one vertex here.
        return close(state.points);
      }
      case 'key': {
        if (state.name !== 'drawing') return ignore(state);
        if (input.key === 'Enter') return close(state.points);
        if (input.key === 'Escape') return to(idle);
        if (input.key === 'Backspace') {
          const points = state.points.slice(0, -2);
          return to(points.length === 0 ? idle : { ...state, points, closing: false });
        }
        return ignore(state);
      }
      case 'cancel':
        return stay(idle);
      default:
        return ignore(state);
    }
  },
  preview(state) {
    return state.name === 'drawing' ? { draft: { kind: 'polyline', points: state.points, cursor: state.cursor, closing: state.closing } } : {};
  },
  busy: (state) => state.name === 'drawing',
};
