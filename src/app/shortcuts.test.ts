import { describe, expect, it } from 'vitest';
import { ShortcutRegistry, chordOf, describeChord, type KeyLike } from './shortcuts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('shortcuts', () => {
  it('canonicalises chords', () => {
    expect(chordOf(key('d'))).toBe('d');
    expect(chordOf(key('D', { shiftKey: true }))).toBe('Shift+d');
    expect(chordOf(key('?', { shiftKey: true }))).toBe('?');
    expect(chordOf(key('z', { ctrlKey: true }))).toBe('Mod+z');
    expect(chordOf(key('z', { metaKey: true, shiftKey: true }))).toBe('Mod+Shift+z');
    expect(chordOf(key('ArrowRight'))).toBe('ArrowRight');
    expect(chordOf(key('ArrowRight', { shiftKey: true }))).toBe('Shift+ArrowRight');
    expect(chordOf(key('1'))).toBe('1');
  });

  it('describes chords for people', () => {
    expect(describeChord('Mod+Shift+z')).toBe('Ctrl+Shift+Z');
    expect(describeChord('Mod+z', true)).toBe('⌘+Z');
    expect(describeChord('ArrowLeft')).toBe('Left arrow');
  });

  it('runs the bound shortcut and reports whether it acted', () => {
    const r = new ShortcutRegistry();
    let n = 0;
    r.register({ id: 'next', keys: ['d', 'ArrowRight'], description: 'Next image', group: 'Images', run: () => (n++, true) });
    r.register({ id: 'digits', keys: ['1', '2'], description: 'Pick', group: 'Classes', run: (chord) => chord === '2' });
    r.register({ id: 'noop', keys: ['x'], description: 'Nothing to do', group: 'Images', run: () => false });
    expect(r.handle(key('d'))).toBe(true);
    expect(r.handle(key('ArrowRight'))).toBe(true);
    expect(n).toBe(2);
    expect(r.handle(key('x'))).toBe(false);
    expect(r.handle(key('2'))).toBe(true); // run() learns which key it was
    expect(r.handle(key('1'))).toBe(false);
    expect(r.handle(key('q'))).toBe(false);
    expect(r.handle(key('d', { ctrlKey: true }))).toBe(false);
  });

  it('refuses an ambiguous binding', () => {
    const r = new ShortcutRegistry();
    r.register({ id: 'a', keys: ['a'], description: 'Previous image', group: 'Images', run: () => true });
    expect(() => r.register({ id: 'b', keys: ['b', 'a'], description: 'Box tool', group: 'Tools', run: () => true })).toThrow(
      'Shortcut a is already bound to “Previous image”.',
    );
    expect(r.handle(key('b'))).toBe(false); // nothing of the refused shortcut was bound
  });

  it('unregisters', () => {
    const r = new ShortcutRegistry();
    const off = r.register({ id: 'a', keys: ['a'], description: 'A', group: 'G', run: () => true });
    off();
    expect(r.handle(key('a'))).toBe(false);
    expect(r.snapshot()).toHaveLength(0);
  });
});
