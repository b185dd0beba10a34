import { boxTool } from './boxTool';
import { panTool } from './panTool';
import { polygonTool } from './polygonTool';
import { selectTool } from './selectTool';
import type { Preview, Tool, ToolContext, ToolEffect, ToolId, ToolInput } from './types';

export * from './types';

/** A tool with its current state, the generic state type hidden (the canvas holds one of these). */
export interface ToolMachine {
  readonly id: ToolId;
  /** Name of the current state, e.g. `drawing` (tests read the state path from it). */
  readonly stateName: string;
  dispatch(input: ToolInput, ctx: ToolContext): { readonly effects: readonly ToolEffect[]; readonly handled: boolean };
  preview(): Preview;
  busy(): boolean;
}

function machine<S extends { readonly name: string }>(tool: Tool<S>): ToolMachine {
  let state = tool.initial;
  return {
    id: tool.id,
    get stateName() {
      return state.name;
    },
    dispatch(input, ctx) {
      const step = tool.step(state, input, ctx);
      state = step.state;
      return step;
    },
    preview: () => tool.preview(state),
    busy: () => tool.busy(state),
  };
}

export function createTool(id: ToolId): ToolMachine {
  switch (id) {
    case 'select':
      return machine(selectTool);
    case 'box':
      return machine(boxTool);
    case 'polygon':
      return machine(polygonTool);
    case 'pan':
      return machine(panTool);
  }
}
