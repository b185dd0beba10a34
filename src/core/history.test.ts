import { describe, expect, it } from 'vitest';
import { added, change, removed, updated, type Change } from './change';
import { applyChange, createDocument } from './document';
import {
  emptyHistory,
  HISTORY_LIMIT,
  invert,
  mergeChanges,
  record,
  recordCoalesced,
  redo,
  undo,
  withoutChange,
  type History,
  type HistoryEntry,
} from './history';
import type { ImageId } from './model';
import { makeBox, makeImage, makeProject } from '../test-support/fixtures';

const img1 = makeImage(1);
const img2 = makeImage(2);
const img3 = makeImage(3);
const project = makeProject();

const entry = (label: string, c: Change = change(), extra: Partial<HistoryEntry> = {}): HistoryEntry => ({ change: c, imageId: null, label, ...extra });
const labelsOf = (entries: readonly HistoryEntry[]): string[] => entries.map((e) => e.label);

describe('invert', () => {
  it('reverses the order of updates and swaps before and after', () => {
    const a = makeBox(1, img1.id);
    const a2 = { ...a, classId: a.classId, shape: { kind: 'box' as const, x: 1, y: 2, w: 3, h: 4 } };
    const c = change(added('annotations', a), updated('images', img1, { ...img1, annotationCount: 1 }), removed('annotations', a2));
    expect(invert(c)).toEqual({
      updates: [
        { table: 'annotations', before: null, after: a2 },
        { table: 'images', before: { ...img1, annotationCount: 1 }, after: img1 },
        { table: 'annotations', before: a, after: null },
      ],
    });
  });

  it('is its own inverse and leaves its input alone', () => {
    const c = change(updated('images', img1, img2), added('images', img3));
    const copy = structuredClone(c);
    expect(invert(invert(c))).toEqual(c);
    expect(c).toEqual(copy);
  });

  it('of an empty Change is empty', () => {
    expect(invert(change())).toEqual({ updates: [] });
  });
});

describe('record, undo, redo', () => {
  it('records steps in order and undoes the last first', () => {
    let h: History = emptyHistory;
    h = record(h, entry('a'));
    h = record(h, entry('b'));
    expect(labelsOf(h.past)).toEqual(['a', 'b']);
    const u = undo(h)!;
    expect(u.entry.label).toBe('b');
    expect(labelsOf(u.history.past)).toEqual(['a']);
    expect(labelsOf(u.history.future)).toEqual(['b']);
    const r = redo(u.history)!;
    expect(r.entry.label).toBe('b');
    expect(labelsOf(r.history.past)).toEqual(['a', 'b']);
    expect(r.history.future).toEqual([]);
  });

  it('undo gives the inverted Change and redo the Change itself', () => {
    const c = change(updated('images', img1, { ...img1, status: 'done' }));
    const h = record(emptyHistory, entry('done', c));
    const u = undo(h)!;
    expect(u.apply).toEqual(invert(c));
    expect(redo(u.history)!.apply).toBe(c);
  });

  it('undo and redo on an empty side give null', () => {
    expect(undo(emptyHistory)).toBeNull();
    expect(redo(emptyHistory)).toBeNull();
    expect(redo(record(emptyHistory, entry('a')))).toBeNull();
  });

  it('recording a new step drops the redo branch', () => {
    let h: History = record(record(record(emptyHistory, entry('a')), entry('b')), entry('c'));
    h = undo(undo(h)!.history)!.history;
    expect(labelsOf(h.future)).toEqual(['c', 'b']);
    h = record(h, entry('d'));
    expect(labelsOf(h.past)).toEqual(['a', 'd']);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBeNull();
  });

  it('keeps at most `limit` steps, dropping the oldest', () => {
    let h: History = emptyHistory;
    for (const l of ['1', '2', '3', '4', '5']) h = record(h, entry(l), 3);
    expect(labelsOf(h.past)).toEqual(['3', '4', '5']);
  });

  it(`keeps HISTORY_LIMIT (${HISTORY_LIMIT}) steps by default`, () => {
    let h: History = emptyHistory;
    for (let i = 0; i < HISTORY_LIMIT + 7; i++) h = record(h, entry(String(i)));
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]!.label).toBe('7');
    expect(h.past.at(-1)!.label).toBe(String(HISTORY_LIMIT + 6));
  });

  it('does not mutate the history it is given', () => {
    const h = record(emptyHistory, entry('a'));
    const before = { past: [...h.past], future: [...h.future] };
    record(h, entry('b'));
    undo(h);
    expect(h).toEqual(before);
    expect(emptyHistory).toEqual({ past: [], future: [] });
  });

  it('undo then redo round-trips a document through applyChange (image records)', () => {
    const doc0 = createDocument(project, [img1, img2]);
    const steps = [
      change(updated('images', img1, { ...img1, status: 'done', annotationCount: 4 })),
      change(added('images', img3), removed('images', img2)),
      change(updated('images', img3, { ...img3, split: 'val' }), updated('images', { ...img1, status: 'done', annotationCount: 4 }, { ...img1, status: 'needs_review', annotationCount: 4 })),
    ];
    let doc = doc0;
    let h: History = emptyHistory;
    const docs = [doc0];
    for (const c of steps) {
      doc = applyChange(doc, c);
      docs.push(doc);
      h = record(h, entry('step', c));
    }
    expect(doc.images.map((i) => [i.id, i.status, i.split])).toEqual([
      ['img-1', 'needs_review', 'unassigned'],
      ['img-3', 'new', 'val'],
    ]);
    // Undo all the way, checking each intermediate document.
    for (let i = steps.length - 1; i >= 0; i--) {
      const u = undo(h)!;
      doc = applyChange(doc, u.apply);
      h = u.history;
      expect(doc.images).toEqual(docs[i]!.images);
      expect([...doc.imageIndex]).toEqual([...docs[i]!.imageIndex]);
    }
    expect(doc.images).toEqual([img1, img2]);
    expect(doc.imageIndex.get(img2.id as ImageId)).toBe(1);
    expect(undo(h)).toBeNull();
    // And redo all the way.
    for (let i = 1; i <= steps.length; i++) {
      const r = redo(h)!;
      doc = applyChange(doc, r.apply);
      h = r.history;
      expect(doc.images).toEqual(docs[i]!.images);
    }
    expect(redo(h)).toBeNull();
  });
});

describe('mergeChanges', () => {
  const a = makeBox(1, img1.id);
  const aMoved = { ...a, shape: { kind: 'box' as const, x: 5, y: 5, w: 5, h: 5 } };
  const aMovedAgain = { ...a, shape: { kind: 'box' as const, x: 6, y: 6, w: 6, h: 6 } };

  it('a record touched twice keeps the first before and the last after, in first-touch order', () => {
    const m = mergeChanges(
      change(updated('annotations', a, aMoved), updated('images', img1, { ...img1, status: 'in_progress' })),
      change(updated('images', img2, { ...img2, status: 'done' }), updated('annotations', aMoved, aMovedAgain)),
    );
    expect(m.updates).toEqual([
      { table: 'annotations', before: a, after: aMovedAgain },
      { table: 'images', before: img1, after: { ...img1, status: 'in_progress' } },
      { table: 'images', before: img2, after: { ...img2, status: 'done' } },
    ]);
  });

  it('add then remove of the same record disappears', () => {
    const m = mergeChanges(change(added('annotations', a), added('images', img3)), change(removed('annotations', a)));
    expect(m.updates).toEqual([{ table: 'images', before: null, after: img3 }]);
  });

  it('add then update is an add of the last version; update then remove is a remove of the first', () => {
    expect(mergeChanges(change(added('annotations', a)), change(updated('annotations', a, aMoved))).updates).toEqual([
      { table: 'annotations', before: null, after: aMoved },
    ]);
    expect(mergeChanges(change(updated('annotations', a, aMoved)), change(removed('annotations', aMoved))).updates).toEqual([
      { table: 'annotations', before: a, after: null },
    ]);
  });

  it('does not confuse records of different tables or images that share an id', () => {
    const onOther = { ...a, imageId: img2.id };
    const m = mergeChanges(change(updated('annotations', a, aMoved)), change(updated('annotations', onOther, { ...onOther, classId: onOther.classId })));
    expect(m.updates).toHaveLength(2);
  });

  it('undoing the merge takes both steps back', () => {
    const doc0 = createDocument(project, [img1]);
    const c1 = change(updated('images', img1, { ...img1, annotationCount: 1 }));
    const c2 = change(updated('images', { ...img1, annotationCount: 1 }, { ...img1, annotationCount: 2 }));
    const m = mergeChanges(c1, c2);
    const doc2 = applyChange(applyChange(doc0, c1), c2);
    expect(applyChange(doc0, m)).toEqual(doc2);
    expect(applyChange(doc2, invert(m)).images).toEqual([img1]);
  });
});

describe('recordCoalesced', () => {
  const w = (n: number) => ({ ...img1, width: n });
  /** A step changing the image width; `coalesce: null` records it without a key. */
  const typing = (from: number, to: number, coalesce: string | null = 'width', label = `width ${to}`): HistoryEntry =>
    entry(label, change(updated('images', w(from), w(to))), coalesce === null ? {} : { coalesce });

  it('folds consecutive steps with the same key into one (first label, merged Change)', () => {
    let h: History = record(emptyHistory, entry('before'));
    h = recordCoalesced(h, typing(1280, 1));
    h = recordCoalesced(h, typing(1, 12));
    h = recordCoalesced(h, typing(12, 120));
    expect(labelsOf(h.past)).toEqual(['before', 'width 1']);
    expect(h.past[1]!.change.updates).toEqual([{ table: 'images', before: w(1280), after: w(120) }]);
    expect(h.past[1]!.coalesce).toBe('width');
  });

  it('does not fold steps with different keys, or without a key', () => {
    let h: History = emptyHistory;
    h = recordCoalesced(h, typing(1280, 1, 'width'));
    h = recordCoalesced(h, typing(1, 2, 'height'));
    h = recordCoalesced(h, typing(2, 3, null));
    h = recordCoalesced(h, typing(3, 4, null));
    expect(h.past).toHaveLength(4);
  });

  it('does not fold into a step that was undone and redone around: after an undo the redo branch is dropped and a new step starts', () => {
    let h: History = emptyHistory;
    h = recordCoalesced(h, typing(1280, 1));
    h = recordCoalesced(h, typing(1, 2, 'other'));
    h = undo(h)!.history;
    h = recordCoalesced(h, typing(1, 5));
    // 'width' is now last with an empty future, but the future was not empty when this came in.
    expect(labelsOf(h.past)).toEqual(['width 1', 'width 5']);
    expect(h.future).toEqual([]);
  });

  it('a key after an unkeyed step starts a new step', () => {
    let h: History = record(emptyHistory, entry('plain'));
    h = recordCoalesced(h, typing(1280, 1));
    expect(labelsOf(h.past)).toEqual(['plain', 'width 1']);
  });

  it('respects the limit when it records a new step', () => {
    let h: History = emptyHistory;
    for (let i = 0; i < 4; i++) h = recordCoalesced(h, entry(String(i)), 2);
    expect(labelsOf(h.past)).toEqual(['2', '3']);
  });
});

describe('withoutChange (a change the disk refused)', () => {
  const a = makeBox(1, img1.id);
  const b = makeBox(2, img1.id);
  const moved = { ...a, shape: { kind: 'box' as const, x: 5, y: 5, w: 10, h: 10 } };
  const movedAgain = { ...moved, shape: { kind: 'box' as const, x: 7, y: 7, w: 10, h: 10 } };
  const drawA = entry('draw a', change(added('annotations', a)));
  const drawB = entry('draw b', change(added('annotations', b)));
  const moveA = entry('move a', change(updated('annotations', a, moved)));
  const moveAgain = entry('move a again', change(updated('annotations', moved, movedAgain)));

  it('drops the refused step and the later steps built on its records, keeping the earlier ones and unrelated ones', () => {
    const h: History = { past: [drawA, drawB, moveA, moveAgain], future: [] };
    expect(labelsOf(withoutChange(h, moveA.change).past)).toEqual(['draw a', 'draw b']);
  });

  it('finds the refused change inside a coalesced step, and in the redo branch', () => {
    const merged = entry('move a (typed)', mergeChanges(moveA.change, moveAgain.change));
    expect(labelsOf(withoutChange({ past: [drawA, merged], future: [] }, moveAgain.change).past)).toEqual(['draw a']);
    expect(labelsOf(withoutChange({ past: [drawA], future: [moveAgain, moveA] }, moveA.change).future)).toEqual([]);
  });

  it('a refused delete drops its own step', () => {
    const del = entry('delete b', change(removed('annotations', b)));
    expect(labelsOf(withoutChange({ past: [drawA, drawB, del], future: [] }, del.change).past)).toEqual(['draw a', 'draw b']);
  });

  it('returns the same history when nothing refers to the change', () => {
    const h: History = { past: [drawA], future: [] };
    expect(withoutChange(h, drawB.change)).toBe(h);
  });
});
