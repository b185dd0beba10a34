import { createContext, useContext, useEffect, useEffectEvent } from 'react';
import { ShortcutRegistry } from './shortcuts';

export const ShortcutContext = createContext<ShortcutRegistry>(new ShortcutRegistry());

export const useShortcutRegistry = (): ShortcutRegistry => useContext(ShortcutContext);

/** Registers a shortcut while the component is mounted; `run` always sees the latest props. */
export function useShortcut(id: string, keys: readonly string[], description: string, group: string, run: () => boolean): void {
  const registry = useShortcutRegistry();
  const act = useEffectEvent(run);
  const chords = JSON.stringify(keys); // a stable dependency for the array
  useEffect(
    () => registry.register({ id, keys: JSON.parse(chords) as string[], description, group, run: () => act() }),
    [registry, id, chords, description, group],
  );
}

/** Keys typed into a field belong to the field, and an open dialog owns the keyboard. */
function keyBelongsElsewhere(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return true;
  return document.querySelector('dialog[open]') !== null;
}

/** The one keydown listener of the app. */
export function useGlobalKeys(registry: ShortcutRegistry): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing || keyBelongsElsewhere(e)) return;
      if (registry.handle(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [registry]);
}
