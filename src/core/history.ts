import type { Change, RecordUpdate } from './change';
import type { ImageId } from './model';

/**
 * Undo history over Change values. One gesture is one entry. It lives in memory only: a reload
 * starts with an empty history (what was committed stays committed), and switching images keeps
 * it, because each entry remembers the image it was made on.
 */
export interface HistoryEntry {
  readonly change: Change;
  /** The image whose shapes the change edits (undo shows it first), or null for project-wide changes. */
  readonly imageId: ImageId | null;
  /** What it did, for the Undo button's tooltip ("Undo: draw box"). */
  readonly label: string;
  /** Steps with the same key in a row fold into one (see recordCoalesced). */
  readonly coalesce?: string;
}

export interface History {
  readonly past: readonly HistoryEntry[];
  readonly future: readonly HistoryEntry[];
}

export const emptyHistory: History = { past: [], future: [] };

/** How many steps are kept; older ones fall off. */
export const HISTORY_LIMIT = 500;

/** The Change that takes a document back: updates reversed in order, before and after swapped. */
export function invert(c: Change): Change {
  const updates: RecordUpdate[] = [];
  for (let i = c.updates.length - 1; i >= 0; i--) {
    const u = c.updates[i]!;
    updates.push({ table: u.table, before: u.after, after: u.before } as RecordUpdate);
  }
  return { updates };
}

/** Records a new step; the redo branch is dropped. */
export function record(h: History, entry: HistoryEntry, limit = HISTORY_LIMIT): History {
  const past = h.past.length >= limit ? [...h.past.slice(h.past.length - limit + 1), entry] : [...h.past, entry];
  return { past, future: [] };
}

/** The step to undo (its Change already inverted) and the history after it, or null. */
export function undo(h: History): { history: History; entry: HistoryEntry; apply: Change } | null {
  const entry = h.past[h.past.length - 1];
  if (!entry) return null;
  return { history: { past: h.past.slice(0, -1), future: [...h.future, entry] }, entry, apply: invert(entry.change) };
}

export function redo(h: History): { history: History; entry: HistoryEntry; apply: Change } | null {
  const entry = h.future[h.future.length - 1];
  if (!entry) return null;
  return { history: { past: [...h.past, entry], future: h.future.slice(0, -1) }, entry, apply: entry.change };
}

function recordKey(u: RecordUpdate): string {
  const rec = (u.before ?? u.after)!;
  if (u.table === 'annotations') {
    const a = rec as { imageId: string; id: string };
    return `annotations/${a.imageId}/${a.id}`;
  }
  return `${u.table}/${(rec as { id: string }).id}`;
}

/**
 * `a` then `b` as one Change: a record touched by both keeps a's before and b's after (and drops
 * out if that brings it back to where it started as an add-then-remove).
 */
export function mergeChanges(a: Change, b: Change): Change {
  const order: string[] = [];
  const merged = new Map<string, RecordUpdate>();
  for (const u of [...a.updates, ...b.updates]) {
    const key = recordKey(u);
    const prev = merged.get(key);
    if (!prev) {
      order.push(key);
      merged.set(key, u);
    } else merged.set(key, { table: u.table, before: prev.before, after: u.after } as RecordUpdate);
  }
  return { updates: order.map((k) => merged.get(k)!).filter((u) => u.before !== null || u.after !== null) };
}

/**
 * Records a step, or folds it into the last one when both carry the same `coalesce` key (typing
 * 1, 2, 0 into a Width field is one undo step, not three).
 */
export function recordCoalesced(h: History, entry: HistoryEntry, limit = HISTORY_LIMIT): History {
  const last = h.past[h.past.length - 1];
  if (entry.coalesce !== undefined && last?.coalesce === entry.coalesce && h.future.length === 0) {
    return { past: [...h.past.slice(0, -1), { ...last, change: mergeChanges(last.change, entry.change) }], future: [] };
  }
  return record(h, entry, limit);
}

/**
 * The history without the steps a refused change invalidates: the step that made it (or a
 * coalesced step that holds it) and every later step built on the records it produced. Steps
 * recorded before it stay: the records they leave are the ones still on disk. Records are
 * matched by identity, since each step builds its records from the ones before.
 */
export function withoutChange(h: History, refused: Change): History {
  const produced = new Set<unknown>();
  for (const u of refused.updates) if (u.after) produced.add(u.after);
  const affected = (e: HistoryEntry): boolean =>
    e.change === refused || e.change.updates.some((u) => (u.before !== null && produced.has(u.before)) || (u.after !== null && produced.has(u.after)));
  const past = h.past.filter((e) => !affected(e));
  const future = h.future.filter((e) => !affected(e));
  return past.length === h.past.length && future.length === h.future.length ? h : { past, future };
}
