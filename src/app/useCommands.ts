import { useEffect, useSyncExternalStore } from 'react';
import type { CommandState, ScopeId } from './commands';
import { useApp } from './context';

/** Activates a command scope while the component is mounted (the editor, a dialog, the review view). */
export function useScope(scope: ScopeId): void {
  const { commands } = useApp();
  useEffect(() => commands.enter(scope), [commands, scope]);
}

/** A command's state for its button: enabled (or why not), pressed, detail; re-renders only when it changes. */
export function useCommandState(id: string): CommandState {
  const { commands } = useApp();
  return useSyncExternalStore(commands.subscribe, () => commands.stateOf(id));
}
