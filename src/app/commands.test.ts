import { describe, expect, it } from 'vitest';
import { fail, ok, type Result } from '../core/result';
import { CommandClashError, CommandRegistry, PASS, chordOf, describeChord, type Command, type KeyLike } from './commands';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

function setup() {
  const reports: { id: string; result: Result<string | null> }[] = [];
  const registry = new CommandRegistry({ report: (result, command) => reports.push({ id: command.id, result }) });
  const ran: string[] = [];
  const cmd = (id: string, scope: Command['scope'], keys: string[], extra: Partial<Command> = {}): Command => ({
    id,
    label: id,
    scope,
    keys,
    group: 'Test',
    run: (ctx) => {
      ran.push(`${id}:${ctx.chord ?? 'button'}`);
      return ok(null);
    },
    ...extra,
  });
  return { registry, reports, ran, cmd };
}

describe('chords', () => {
  it('canonicalises key events', () => {
    expect(chordOf(key('d'))).toBe('d');
    expect(chordOf(key('D', { shiftKey: true }))).toBe('Shift+d');
    expect(chordOf(key('?', { shiftKey: true }))).toBe('?');
    expect(chordOf(key('z', { ctrlKey: true }))).toBe('Mod+z');
    expect(chordOf(key('z', { metaKey: true, shiftKey: true }))).toBe('Mod+Shift+z');
    expect(chordOf(key('ArrowRight', { shiftKey: true }))).toBe('Shift+ArrowRight');
    expect(chordOf(key('Enter', { ctrlKey: true }))).toBe('Mod+Enter');
  });

  it('describes chords for people', () => {
    expect(describeChord('Mod+Shift+z')).toBe('Ctrl+Shift+Z');
    expect(describeChord('Mod+z', true)).toBe('⌘+Z');
    expect(describeChord('ArrowLeft')).toBe('Left arrow');
    expect(describeChord(' ')).toBe('Space');
  });
});

describe('CommandRegistry', () => {
  it('runs the command bound to a key and reports its result in one place', async () => {
    const { registry, reports, ran, cmd } = setup();
    registry.enter('editor');
    registry.register(
      cmd('image.next', 'editor', ['d', 'ArrowRight']),
      cmd('broken', 'editor', ['x'], { run: () => fail('Nothing to do here.') }),
      cmd('slow', 'editor', ['y'], { run: async () => ok('Done later.') }),
    );
    expect(registry.handleKey(key('d'), 'none')).toBe('handled');
    expect(registry.handleKey(key('ArrowRight'), 'none')).toBe('handled');
    expect(ran).toEqual(['image.next:d', 'image.next:ArrowRight']);
    expect(registry.handleKey(key('x'), 'none')).toBe('handled');
    expect(registry.handleKey(key('y'), 'none')).toBe('handled');
    await Promise.resolve();
    expect(reports.map((r) => [r.id, r.result])).toEqual([
      ['image.next', ok(null)],
      ['image.next', ok(null)],
      ['broken', fail('Nothing to do here.')],
      ['slow', ok('Done later.')],
    ]);
    expect(registry.handleKey(key('q'), 'none')).toBe('none');
    expect(registry.handleKey(key('d', { ctrlKey: true }), 'none')).toBe('none');
  });

  it('lets the same key mean different things in different scopes: the innermost active one wins', () => {
    const { registry, ran, cmd } = setup();
    registry.register(cmd('image.previous', 'editor', ['a']), cmd('review.accept', 'review', ['a']), cmd('help', 'global', ['?']));
    expect(registry.handleKey(key('a'), 'none')).toBe('none'); // no scope but global is active
    const leaveEditor = registry.enter('editor');
    registry.handleKey(key('a'), 'none');
    const leaveReview = registry.enter('review');
    registry.handleKey(key('a'), 'none');
    registry.handleKey(key('?'), 'none'); // outer scopes still answer keys the inner ones leave
    leaveReview();
    registry.handleKey(key('a'), 'none');
    leaveEditor();
    expect(ran).toEqual(['image.previous:a', 'review.accept:a', 'help:?', 'image.previous:a']);
  });

  it('gives a modal scope the whole keyboard', () => {
    const { registry, ran, cmd } = setup();
    registry.register(cmd('image.next', 'editor', ['d']), cmd('help', 'global', ['?']));
    registry.enter('editor');
    const close = registry.enter('dialog');
    expect(registry.activeScopes()).toEqual(['dialog']);
    expect(registry.handleKey(key('d'), 'none')).toBe('none');
    expect(registry.handleKey(key('?'), 'none')).toBe('none');
    close();
    expect(registry.activeScopes()).toEqual(['editor', 'global']);
    registry.handleKey(key('d'), 'none');
    expect(ran).toEqual(['image.next:d']);
  });

  it('counts activations: a scope stays active until every holder has left', () => {
    const { registry, cmd, ran } = setup();
    registry.register(cmd('image.next', 'editor', ['d']));
    const a = registry.enter('editor');
    const b = registry.enter('editor');
    a();
    a(); // leaving twice is harmless
    registry.handleKey(key('d'), 'none');
    b();
    registry.handleKey(key('d'), 'none');
    expect(ran).toEqual(['image.next:d']);
  });

  it('refuses a clash within one scope at registration, with a clear message, and binds nothing of the refused batch', () => {
    const { registry, cmd, ran } = setup();
    registry.enter('editor');
    registry.register(cmd('image.previous', 'editor', ['a']));
    expect(() => registry.register(cmd('tool.box', 'editor', ['b']), cmd('tool.bad', 'editor', ['c', 'a']))).toThrow(CommandClashError);
    expect(() => registry.register(cmd('tool.bad', 'editor', ['c', 'a']))).toThrow(
      'Key A is already bound to “image.previous” (image.previous) in the editor scope; “tool.bad” (tool.bad) cannot take it too. Bind it in another scope or choose another key.',
    );
    expect(() => registry.register(cmd('x', 'editor', ['z']), cmd('y', 'editor', ['z']))).toThrow(/Key Z is already bound to “x”/);
    expect(() => registry.register(cmd('image.previous', 'review', ['q']))).toThrow('A command with id “image.previous” is already registered.');
    expect(registry.handleKey(key('b'), 'none')).toBe('none');
    expect(registry.handleKey(key('c'), 'none')).toBe('none');
    expect(registry.get('tool.box')).toBeUndefined();
    // Another scope may bind the same key.
    expect(() => registry.register(cmd('review.accept', 'review', ['a']))).not.toThrow();
    registry.handleKey(key('a'), 'none');
    expect(ran).toEqual(['image.previous:a']);
  });

  it('unregisters, freeing the keys', () => {
    const { registry, cmd } = setup();
    registry.enter('editor');
    const off = registry.register(cmd('a', 'editor', ['a']));
    off();
    expect(registry.handleKey(key('a'), 'none')).toBe('none');
    expect(() => registry.register(cmd('a', 'editor', ['a']))).not.toThrow();
  });

  it('passes a key on when the command does not apply or is disabled', () => {
    const { registry, cmd, ran } = setup();
    registry.register(
      cmd('image.previous', 'editor', ['ArrowLeft']),
      cmd('review.previous', 'review', ['ArrowLeft'], { run: () => PASS }),
      cmd('review.accept', 'review', ['a'], { enabled: () => 'Nothing to accept.' }),
      cmd('image.first', 'editor', ['a']),
    );
    registry.enter('editor');
    registry.enter('review');
    expect(registry.handleKey(key('ArrowLeft'), 'none')).toBe('handled');
    expect(registry.handleKey(key('a'), 'none')).toBe('handled');
    expect(ran).toEqual(['image.previous:ArrowLeft', 'image.first:a']);
  });

  it('leaves typing keys to text fields, and turns Escape there into leaving the field', () => {
    const { registry, cmd, ran } = setup();
    registry.register(cmd('image.next', 'editor', ['d']), cmd('draw.cancel', 'editor', ['Escape']), cmd('edit.delete', 'editor', ['Delete']));
    registry.enter('editor');
    expect(registry.handleKey(key('d'), 'text')).toBe('native');
    expect(registry.handleKey(key('Delete'), 'text')).toBe('native');
    expect(registry.handleKey(key('Escape'), 'text')).toBe('leave-field');
    // In a dialog, Escape is the dialog's (it closes it).
    registry.enter('dialog');
    expect(registry.handleKey(key('Escape'), 'text')).toBe('native');
    expect(ran).toEqual([]);
  });

  it('lets checkboxes, buttons, selects and colour inputs pass editor keys through, keeping only the keys that operate them', () => {
    const { registry, cmd, ran } = setup();
    registry.register(
      cmd('image.next', 'editor', ['d']),
      cmd('tool.box', 'editor', ['b']),
      cmd('edit.delete', 'editor', ['Delete']),
      cmd('image.done', 'editor', ['Mod+Enter']),
      cmd('draw.finish', 'editor', ['Enter']),
      cmd('view.panHold', 'editor', [' ']),
      cmd('edit.nudge', 'editor', ['ArrowDown']),
      cmd('image.previous', 'editor', ['ArrowLeft']),
    );
    registry.enter('editor');
    expect(registry.handleKey(key('d'), 'control')).toBe('handled');
    expect(registry.handleKey(key('Delete'), 'control')).toBe('handled');
    expect(registry.handleKey(key('Enter', { ctrlKey: true }), 'control')).toBe('handled');
    expect(registry.handleKey(key('Enter'), 'control')).toBe('native');
    expect(registry.handleKey(key(' '), 'control')).toBe('native');
    expect(registry.handleKey(key('b'), 'select')).toBe('handled');
    expect(registry.handleKey(key('ArrowDown'), 'select')).toBe('native');
    expect(registry.handleKey(key('ArrowLeft'), 'select')).toBe('handled');
    expect(registry.handleKey(key('ArrowLeft'), 'range')).toBe('native');
    expect(ran).toEqual(['image.next:d', 'edit.delete:Delete', 'image.done:Mod+Enter', 'tool.box:b', 'image.previous:ArrowLeft']);
  });

  it('lets a command claim Space on a focused button when it says so', () => {
    const { registry, cmd, ran } = setup();
    let pointerOverCanvas = false;
    registry.register(cmd('view.panHold', 'editor', [' '], { claimsControlKeys: () => pointerOverCanvas }));
    registry.enter('editor');
    expect(registry.handleKey(key(' '), 'control')).toBe('native');
    pointerOverCanvas = true;
    expect(registry.handleKey(key(' '), 'control')).toBe('handled');
    expect(ran).toEqual(['view.panHold: ']);
  });

  it('runs commands for buttons, refusing disabled ones with their reason', async () => {
    const { registry, cmd, ran, reports } = setup();
    let canUndo = false;
    registry.register(cmd('edit.undo', 'editor', ['Mod+z'], { enabled: () => (canUndo ? true : 'Nothing to undo.') }));
    expect(await registry.run('edit.undo')).toEqual(fail('Nothing to undo.'));
    canUndo = true;
    expect(await registry.run('edit.undo')).toEqual(ok(null));
    expect(ran).toEqual(['edit.undo:button']);
    expect(reports).toHaveLength(1);
    expect(await registry.run('nope')).toEqual(fail('No command “nope”.'));
  });

  it('reports a command that throws as an error instead of losing the key', async () => {
    const { registry, cmd, reports } = setup();
    registry.register(
      cmd('boom', 'global', ['x'], {
        run: () => {
          throw new Error('disk on fire');
        },
      }),
    );
    expect(registry.handleKey(key('x'), 'none')).toBe('handled');
    expect(reports[0]?.result).toEqual(fail('boom failed: disk on fire'));
  });

  it('gives buttons a stable state object and a tooltip with the keys or the reason', () => {
    const { registry, cmd } = setup();
    let tool = 'box';
    let past: string | null = null;
    registry.register(
      cmd('tool.box', 'editor', ['b'], { label: 'Box tool', pressed: () => tool === 'box' }),
      cmd('edit.undo', 'editor', ['Mod+z'], { label: 'Undo', enabled: () => (past ? true : 'Nothing to undo'), detail: () => past }),
    );
    const first = registry.stateOf('tool.box');
    expect(first).toEqual({ enabled: true, reason: null, pressed: true, detail: null });
    expect(registry.stateOf('tool.box')).toBe(first);
    tool = 'select';
    expect(registry.stateOf('tool.box').pressed).toBe(false);
    expect(registry.tooltip('tool.box')).toBe('Box tool (B)');
    expect(registry.tooltip('edit.undo')).toBe('Nothing to undo');
    past = 'draw box';
    expect(registry.tooltip('edit.undo')).toBe('Undo draw box (Ctrl+Z)');
    expect(registry.tooltip('edit.undo', true)).toBe('Undo draw box (⌘+Z)');
  });

  it('lists the keyed commands of the active scopes for the overlay', () => {
    const { registry, cmd } = setup();
    const seen: number[] = [];
    registry.subscribe(() => seen.push(registry.listed().length));
    registry.register(cmd('help', 'global', ['?']), cmd('image.next', 'editor', ['d']), cmd('image.background', 'editor', []));
    expect(registry.listed().map((c) => c.id)).toEqual(['help']);
    const leave = registry.enter('editor');
    expect(registry.listed().map((c) => c.id)).toEqual(['help', 'image.next']);
    leave();
    expect(seen).toEqual([1, 2, 1]);
  });
});
