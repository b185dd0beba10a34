import { createContext, useContext, useEffect, useEffectEvent } from 'react';
import { ShortcutRegistry, type Shortcut } from './shortcuts';

export const ShortcutContext = createContext<ShortcutRegistry>(new ShortcutRegistry());

export const useShortcutRegistry = (): ShortcutRegistry => useContext(ShortcutContext);

type ShortcutSpec = Omit<Shortcut, 'run'>;

/** Registers a shortcut while the component is mounted; `run` always sees the latest props. */
export function useShortcut(spec: ShortcutSpec, run: (chord: string) => boolean): void {
  const registry = useShortcutRegistry();
  const act = useEffectEvent(run);
  const key = JSON.stringify(spec); // a stable dependency for an object literal
  useEffect(() => registry.register({ ...(JSON.parse(key) as ShortcutSpec), run: (chord) => act(chord) }), [registry, key]);
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
