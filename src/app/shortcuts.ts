/**
 * One registry for keyboard shortcuts: every key the app answers to is registered here with what
 * it does, so the `?` overlay lists exactly what works, and a key bound twice is refused at
 * registration instead of doing one of two things at random.
 */
export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

export interface Shortcut {
  readonly id: string;
  /** Canonical chords, e.g. `d`, `ArrowRight`, `Mod+z`, `Mod+Shift+z`, `?`. */
  readonly keys: readonly string[];
  /** How the overlay shows the keys when listing each would be noise, e.g. `1 – 9`. */
  readonly keysLabel?: string;
  readonly description: string;
  readonly group: string;
  /** Runs with the chord that was pressed; returns false when it did nothing (the key then reaches the browser). */
  run(chord: string): boolean;
}

const isLetter = (ch: string): boolean => ch.toLowerCase() !== ch.toUpperCase();

/** The canonical chord of a key event. Ctrl and Cmd both read as `Mod`. */
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
    .map((p) => (p === 'Mod' ? (mac ? '⌘' : 'Ctrl') : p.length === 1 ? p.toUpperCase() : p.replace(/^Arrow/, '') + (p.startsWith('Arrow') ? ' arrow' : '')))
    .join('+');
}

export class ShortcutRegistry {
  private readonly byChord = new Map<string, Shortcut>();
  private all: readonly Shortcut[] = [];
  private readonly listeners = new Set<() => void>();

  register(shortcut: Shortcut): () => void {
    for (const chord of shortcut.keys) {
      const taken = this.byChord.get(chord);
      if (taken) throw new Error(`Shortcut ${chord} is already bound to “${taken.description}”.`);
    }
    for (const chord of shortcut.keys) this.byChord.set(chord, shortcut);
    this.all = [...this.all, shortcut];
    this.changed();
    return () => {
      for (const chord of shortcut.keys) if (this.byChord.get(chord) === shortcut) this.byChord.delete(chord);
      this.all = this.all.filter((s) => s !== shortcut);
      this.changed();
    };
  }

  /** Runs the shortcut for this event, if any; true when it acted (the caller then prevents the default). */
  handle(e: KeyLike): boolean {
    const chord = chordOf(e);
    return this.byChord.get(chord)?.run(chord) ?? false;
  }

  /** The registered shortcuts, in registration order (a new array after every change). */
  readonly snapshot = (): readonly Shortcut[] => this.all;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
