import { clampPoint, rectFromCorners } from '../core/geometry';
import type { ImagePoint, ScreenPoint } from '../core/viewport';
import { ignore, MIN_BOX_IMAGE, MIN_BOX_PX, movedFar, stay, to, type Tool, type ToolContext } from './types';

/**
 * Box: press, drag, release. A press that never moves past the drag threshold draws nothing, and
 * a box smaller than the minimum is dropped, so a stray click never leaves a speck behind.
 */
export type BoxState =
  | { readonly name: 'idle' }
  | { readonly name: 'pointing'; readonly origin: ImagePoint; readonly originScreen: ScreenPoint }
  | { readonly name: 'drawing'; readonly origin: ImagePoint; readonly current: ImagePoint };

const idle: BoxState = { name: 'idle' };

function big(ctx: ToolContext, w: number, h: number): boolean {
  const min = Math.max(MIN_BOX_IMAGE, MIN_BOX_PX / ctx.scale);
  return w >= min && h >= min;
}

export const boxTool: Tool<BoxState> = {
  id: 'box',
  initial: idle,
  step(state, input, ctx) {
    switch (input.type) {
      case 'down':
        if (input.button !== 0) return ignore(state);
        return to({ name: 'pointing', origin: clampPoint(input.point, ctx.width, ctx.height), originScreen: input.screen });
      case 'move': {
        if (state.name === 'pointing' && movedFar(state.originScreen, input.screen)) {
          return to({ name: 'drawing', origin: state.origin, current: clampPoint(input.point, ctx.width, ctx.height) });
        }
        if (state.name === 'drawing') return to({ ...state, current: clampPoint(input.point, ctx.width, ctx.height) });
        return ignore(state);
      }
      case 'up': {
        if (state.name === 'pointing') return to(idle);
        if (state.name !== 'drawing') return ignore(state);
        const r = rectFromCorners(state.origin, clampPoint(input.point, ctx.width, ctx.height));
        if (!big(ctx, r.w, r.h)) return to(idle);
        return to(idle, { kind: 'create', shape: { kind: 'box', x: r.x, y: r.y, w: r.w, h: r.h } });
      }
      case 'key':
        return input.key === 'Escape' && state.name !== 'idle' ? to(idle) : ignore(state);
      case 'cancel':
        return stay(idle);
      default:
        return ignore(state);
    }
  },
  preview(state) {
    return state.name === 'drawing' ? { draft: { kind: 'box', rect: rectFromCorners(state.origin, state.current) } } : {};
  },
  busy: (state) => state.name !== 'idle',
};
