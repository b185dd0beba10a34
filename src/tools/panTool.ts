import type { ScreenPoint } from '../core/geometry';
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
      case 'move':
        if (state.name !== 'panning') return ignore(state);
        return to({ name: 'panning', last: input.screen }, { kind: 'pan', dx: input.screen.x - state.last.x, dy: input.screen.y - state.last.y });
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
