import type { Result } from '../core/result';

/**
 * One registry of commands: every action a button, a key, the `?` overlay or a tooltip offers is
 * a Command registered here once, so they cannot drift apart. Keys are looked up by scope: the
 * same key may mean different things in different scopes, the innermost active scope wins, and
 * a key bound twice within one scope is refused at registration. Every result (an error, or a
 * notice for the user) is reported through the one `report` given to the registry.
 */

export type ScopeId = 'global' | 'editor' | 'issues' | 'review' | 'dialog';

interface ScopeSpec {
  /** Higher is further in: its keys win over every scope with a lower depth. */
  readonly depth: number;
  /** While active, scopes below it get no keys at all (a modal dialog owns the keyboard). */
  readonly modal: boolean;
}

export const SCOPES: Readonly<Record<ScopeId, ScopeSpec>> = {
  global: { depth: 0, modal: false },
  editor: { depth: 1, modal: false },
  issues: { depth: 2, modal: false },
  review: { depth: 3, modal: false },
  dialog: { depth: 9, modal: true },
};

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

const isLetter = (ch: string): boolean => ch.toLowerCase() !== ch.toUpperCase();

/** The canonical chord of a key event, e.g. `d`, `Shift+ArrowRight`, `Mod+Shift+z`, `?`. Ctrl and Cmd both read as `Mod`. */
export function chordOf(e: KeyLike): string {
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('Mod');
  if (e.altKey) parts.push('Alt');
  const printable = e.key.length === 1;
  // Shift is part of a printable key itself ('?' is Shift+/) except for letters.
  if (e.shiftKey && (!printable || isLetter(e.key))) parts.push('Shift');
  parts.push(printable ? e.key.toLowerCase() : e.key);
  return parts.join('+');
}

/** Human form of a chord for the overlay and tooltips. */
export function describeChord(chord: string, mac = false): string {
  return chord
    .split('+')
    .map((p) => (p === 'Mod' ? (mac ? '⌘' : 'Ctrl') : p === ' ' ? 'Space' : p.length === 1 ? p.toUpperCase() : p.replace(/^Arrow/, '') + (p.startsWith('Arrow') ? ' arrow' : '')))
    .join('+');
}

/** A command that did not apply (nothing selected to nudge…): its key goes on to outer scopes, then to the browser. */
export const PASS = 'pass';
/** What a command returns: done (with an optional notice for the user), a failure message, or PASS. */
export type CommandResult = Result<string | null> | typeof PASS;

export interface RunContext {
  /** The chord that ran it, or null for a button. */
  readonly chord: string | null;
}

export interface Command {
  /** Stable, dotted: `tool.box`, `image.next`. */
  readonly id: string;
  /** What it does, in a few words; the accessible name of its button (UI-CONTRACT.md names). */
  readonly label: string;
  readonly scope: ScopeId;
  /** Canonical chords (see chordOf). */
  readonly keys?: readonly string[];
  /** How the overlay shows the keys when listing each would be noise, e.g. `1 – 9`. */
  readonly keysLabel?: string;
  /** Heading in the `?` overlay. */
  readonly group: string;
  /** A longer line for the overlay (defaults to the label). */
  readonly description?: string;
  /** true, or why not (shown as the disabled button's tooltip). Disabled commands pass their keys on. */
  readonly enabled?: () => true | string;
  /** For toggles such as tools: whether it is on (aria-pressed). */
  readonly pressed?: () => boolean;
  /** Words that make the tooltip precise right now, e.g. what Undo would undo. */
  readonly detail?: () => string | null;
  /**
   * Space and Enter keep their native meaning on a focused button or checkbox; a command that
   * must have them anyway says when (Space pans while the pointer is over the canvas).
   */
  readonly claimsControlKeys?: () => boolean;
  run(ctx: RunContext): CommandResult | Promise<CommandResult>;
}

/** What has the keyboard focus, as far as keys are concerned. */
export type FocusKind =
  /** A text or number field, a textarea, editable content: it keeps every key but Escape. */
  | 'text'
  /** A select: keeps the keys that choose an option. */
  | 'select'
  /** A button, checkbox, radio, colour input or link: keeps Space and Enter. */
  | 'control'
  /** A slider: keeps the keys that move it. */
  | 'range'
  | 'none';

const NATIVE_KEYS: Readonly<Record<Exclude<FocusKind, 'text' | 'none'>, ReadonlySet<string>>> = {
  control: new Set([' ', 'Enter']),
  select: new Set([' ', 'Enter', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']),
  range: new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']),
};

/**
 * What became of a key: a command took it (prevent the browser's default), it belongs to the
 * focused control or to nobody (let it be), or it was Escape in a text field (leave the field).
 */
export type KeyOutcome = 'handled' | 'native' | 'leave-field' | 'none';

export interface CommandState {
  readonly enabled: boolean;
  /** Why it is disabled, or null. */
  readonly reason: string | null;
  readonly pressed: boolean | null;
  readonly detail: string | null;
}

export class CommandClashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandClashError';
  }
}

export interface RegistryOptions {
  /** Where every result goes: failures as errors, ok messages as notices. */
  report(result: Result<string | null>, command: Command): void;
  /** Calls the listener whenever something a command's enabled / pressed / detail reads may have changed. */
  watch?(listener: () => void): () => void;
}

const failedMessage = (command: Command, e: unknown): string => `${command.label} failed: ${e instanceof Error ? e.message : String(e)}`;

export class CommandRegistry {
  private readonly byId = new Map<string, Command>();
  /** scope → chord → command. */
  private readonly byChord = new Map<ScopeId, Map<string, Command>>();
  private readonly active = new Map<ScopeId, number>([['global', 1]]);
  private readonly listeners = new Set<() => void>();
  private readonly states = new Map<string, CommandState>();
  private keyed: readonly Command[] = [];

  constructor(private readonly options: RegistryOptions) {}

  /**
   * Adds commands (all or none); returns their removal. Refused with a CommandClashError when an
   * id is taken or a key is already bound in the same scope (or twice in the same call).
   */
  register(...commands: readonly Command[]): () => void {
    const claimed = new Map<string, Command>();
    for (const c of commands) {
      if (this.byId.has(c.id) || commands.filter((d) => d.id === c.id).length > 1) throw new CommandClashError(`A command with id “${c.id}” is already registered.`);
      for (const chord of c.keys ?? []) {
        const slot = `${c.scope}\u0000${chord}`;
        const taken = this.byChord.get(c.scope)?.get(chord) ?? claimed.get(slot);
        if (taken) {
          throw new CommandClashError(
            `Key ${describeChord(chord)} is already bound to “${taken.label}” (${taken.id}) in the ${c.scope} scope; “${c.label}” (${c.id}) cannot take it too. Bind it in another scope or choose another key.`,
          );
        }
        claimed.set(slot, c);
      }
    }
    for (const c of commands) {
      this.byId.set(c.id, c);
      let chords = this.byChord.get(c.scope);
      if (!chords) this.byChord.set(c.scope, (chords = new Map()));
      for (const chord of c.keys ?? []) chords.set(chord, c);
    }
    this.changed();
    return () => {
      for (const c of commands) {
        if (this.byId.get(c.id) !== c) continue;
        this.byId.delete(c.id);
        this.states.delete(c.id);
        const chords = this.byChord.get(c.scope);
        for (const chord of c.keys ?? []) if (chords?.get(chord) === c) chords.delete(chord);
      }
      this.changed();
    };
  }

  get(id: string): Command | undefined {
    return this.byId.get(id);
  }

  /** Activates a scope until the returned function is called (counted: two views may hold one scope). */
  enter(scope: ScopeId): () => void {
    this.active.set(scope, (this.active.get(scope) ?? 0) + 1);
    this.changed();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const n = (this.active.get(scope) ?? 1) - 1;
      if (n <= 0) this.active.delete(scope);
      else this.active.set(scope, n);
      this.changed();
    };
  }

  /** Active scopes, innermost first, stopping at (and including) the first modal one. */
  activeScopes(): ScopeId[] {
    const sorted = [...this.active.keys()].sort((a, b) => SCOPES[b].depth - SCOPES[a].depth);
    const modal = sorted.findIndex((s) => SCOPES[s].modal);
    return modal < 0 ? sorted : sorted.slice(0, modal + 1);
  }

  /** Runs a command (a button, a menu, a test) and reports its result. */
  run(id: string, ctx: RunContext = { chord: null }): Promise<CommandResult> {
    const command = this.byId.get(id);
    if (!command) return Promise.resolve({ ok: false, message: `No command “${id}”.` });
    const enabled = command.enabled?.() ?? true;
    if (enabled !== true) return Promise.resolve({ ok: false, message: enabled });
    return this.execute(command, ctx);
  }

  /**
   * Offers a key to the commands of the active scopes, innermost first. `focus` says what holds
   * the keyboard: a text field keeps every key but Escape; selects, buttons and checkboxes keep
   * only the keys that operate them, and everything else reaches the commands.
   */
  handleKey(e: KeyLike, focus: FocusKind): KeyOutcome {
    const chord = chordOf(e);
    if (focus === 'text') return e.key === 'Escape' && !this.modalActive() ? 'leave-field' : 'native';
    const native = focus === 'none' ? false : NATIVE_KEYS[focus].has(chord);
    for (const scope of this.activeScopes()) {
      const command = this.byChord.get(scope)?.get(chord);
      if (!command) continue;
      if (native && !(command.claimsControlKeys?.() ?? false)) return 'native';
      if ((command.enabled?.() ?? true) !== true) continue;
      let result: CommandResult | Promise<CommandResult>;
      try {
        result = command.run({ chord });
      } catch (e) {
        result = { ok: false, message: failedMessage(command, e) };
      }
      if (result === PASS) continue;
      this.settle(command, result);
      return 'handled';
    }
    return native ? 'native' : 'none';
  }

  /**
   * The commands with keys in the active scopes, modal or not (what the `?` overlay lists: the
   * keys of the screen behind it); a new array after every change.
   */
  readonly listed = (): readonly Command[] => this.keyed;

  /** The state a button shows; the same object while nothing changed (for useSyncExternalStore). */
  stateOf(id: string): CommandState {
    const c = this.byId.get(id);
    const enabled = c ? (c.enabled?.() ?? true) : 'Not available here.';
    const next: CommandState = {
      enabled: enabled === true,
      reason: enabled === true ? null : enabled,
      pressed: c?.pressed ? c.pressed() : null,
      detail: c?.detail?.() ?? null,
    };
    const prev = this.states.get(id);
    if (prev && prev.enabled === next.enabled && prev.reason === next.reason && prev.pressed === next.pressed && prev.detail === next.detail) return prev;
    this.states.set(id, next);
    return next;
  }

  /** For a button's tooltip: `Box tool (B)`, or why it is disabled. */
  tooltip(id: string, mac = false): string {
    const c = this.byId.get(id);
    if (!c) return '';
    const state = this.stateOf(id);
    if (!state.enabled) return state.reason ?? c.label;
    const keys = c.keysLabel ?? (c.keys ?? []).map((k) => describeChord(k, mac)).join(' or ');
    const text = state.detail ? `${c.label} ${state.detail}` : (c.description ?? c.label);
    return keys ? `${text} (${keys})` : text;
  }

  /** Registration, scopes, or (through `watch`) the app's state changed. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    const unwatch = this.options.watch?.(listener);
    return () => {
      this.listeners.delete(listener);
      unwatch?.();
    };
  };

  private modalActive(): boolean {
    return this.activeScopes().some((s) => SCOPES[s].modal);
  }

  private async execute(command: Command, ctx: RunContext): Promise<CommandResult> {
    let result: CommandResult;
    try {
      result = await command.run(ctx);
    } catch (e) {
      result = { ok: false, message: failedMessage(command, e) };
    }
    if (result !== PASS) this.options.report(result, command);
    return result;
  }

  private settle(command: Command, result: CommandResult | Promise<CommandResult>): void {
    if (result instanceof Promise) {
      void result.then(
        (r) => r !== PASS && this.options.report(r, command),
        (e: unknown) => this.options.report({ ok: false, message: failedMessage(command, e) }, command),
      );
    } else if (result !== PASS) this.options.report(result, command);
  }

  private changed(): void {
    // Every active scope, a modal one's cut ignored: the overlay, itself a dialog, lists the screen's keys.
    const scopes = new Set(this.active.keys());
    this.keyed = [...this.byId.values()].filter((c) => (c.keys?.length ?? 0) > 0 && scopes.has(c.scope));
    for (const l of this.listeners) l();
  }
}
