import { screenPoint, type ScreenPoint } from '../core/viewport';
import { ignore, stay, to, type Tool } from './types';

/** Pan: drag the view. Works in screen pixels (the image point under the pointer stays put). */
export type PanState = { readonly name: 'idle' } | { readonly name: 'panning'; readonly last: ScreenPoint };

export const panTool: Tool<PanState> = {
  id: 'pan',
  initial: { name: 'idle' },
  step(state, input) {
    switch (input.type) {
      case 'down':
        return to({ name: 'panning', last: input.screen });
      case 'move': {
        if (state.name !== 'panning') return ignore(state);
        // Whole pixels only (the remainder carries to the next move): the view keeps its
        // sub-pixel phase, so the canvas can pan by blitting its cached layers.
        const dx = Math.round(input.screen.x - state.last.x);
        const dy = Math.round(input.screen.y - state.last.y);
        if (dx === 0 && dy === 0) return stay(state);
        return to({ name: 'panning', last: screenPoint(state.last.x + dx, state.last.y + dy) }, { kind: 'pan', dx, dy });
      }
      case 'up':
        return state.name === 'panning' ? to({ name: 'idle' }) : ignore(state);
      case 'cancel':
        return stay({ name: 'idle' });
      default:
        return ignore(state);
    }
  },
  preview: () => ({}),
  busy: (state) => state.name === 'panning',
};
