import { KEYBOARD_HOME } from '../canvas/canvasInput';
import type { CommandRegistry, FocusKind } from './commands';

const CONTROL_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'file', 'image']);
const CONTROL_ROLES = '[role="button"], [role="checkbox"], [role="switch"], [role="radio"], [role="tab"], [role="menuitem"], [role="option"]';

/** What kind of control has the keyboard (see FocusKind): only text fields keep typing keys. */
export function focusKind(target: EventTarget | null): FocusKind {
  if (!(target instanceof HTMLElement)) return 'none';
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return 'text';
  if (target instanceof HTMLInputElement) return target.type === 'range' ? 'range' : CONTROL_INPUTS.has(target.type) ? 'control' : 'text';
  if (target instanceof HTMLSelectElement) return 'select';
  if (target.closest(`button, a[href], summary, ${CONTROL_ROLES}`)) return 'control';
  // A focusable row (the Annotations list) handles Enter and Space itself.
  if (target.tabIndex >= 0 && target !== document.body) return 'control';
  return 'none';
}

/** Apple keyboards say ⌘ where others say Ctrl. */
export const isMac = (): boolean => /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * The app's one keydown listener: every key goes to the command registry, which knows the
 * active scopes. Escape in a text field leaves it, back to the canvas (or to nothing).
 */
export function bindKeys(registry: CommandRegistry): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return;
    const outcome = registry.handleKey(e, focusKind(e.target));
    if (outcome === 'handled') e.preventDefault();
    else if (outcome === 'leave-field') {
      const home = document.querySelector<HTMLElement>(`[${KEYBOARD_HOME}]`);
      if (home) home.focus({ preventScroll: true });
      else if (e.target instanceof HTMLElement) e.target.blur();
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
