import type { RecordUpdate } from '../core/change';
import type { Annotation, AnnotationId } from '../core/model';
import type { ShapeLogEntry } from './schema';
import { WRITES_PER_TURN } from './writes';

/**
 * The shapes are stored as a log (schema 5, store `shapeLog`): every saved change adds, per layer
 * and image it touched, one entry with the whole records it put and the ids it removed. Writing is
 * then blind — no read before a write, so a change is handed to the browser's storage in the same
 * task as before and a tab closed a moment later loses nothing — and an import of 5,000 shapes on
 * one image is one record instead of 5,000. Reading folds a layer's entries in `seq` order;
 * `compactedEntry` is what a long run of entries becomes when the repository compacts it.
 */

/**
 * Hands out `seq` numbers: strictly increasing in this page, taken from the wall clock
 * (microseconds since the epoch, so a reload later starts above what it wrote), and never below
 * one already stored (`observe`, fed by every read and by the newest stored entry at start-up),
 * so a clock set back between sessions cannot put a new entry before an old one.
 */
export class ShapeClock {
  private last = 0;
  constructor(private readonly now: () => number = Date.now) {}

  next(): number {
    this.last = Math.max(Math.floor(this.now()) * 1000, this.last + 1);
    return this.last;
  }

  /** A stored entry's seq: later numbers go above it. */
  observe(seq: number): void {
    if (seq > this.last) this.last = seq;
  }
}

/** The clock of this page (or worker): the writes of a change take their seqs from it. */
export const shapeClock = new ShapeClock();

/**
 * The most shapes one entry carries: one turn of the write queue (persistence/writes.ts). A
 * change putting more on one layer and image (an import) writes several entries (in seq order,
 * each id in one of them): handing one entry to IndexedDB is one structured clone in one task
 * (~0.01 ms a shape), and the write queue hands a heavy batch over a turn at a time, so the page
 * is never frozen for one big entry right after it has drawn the import.
 */
export const SHAPES_PER_ENTRY = WRITES_PER_TURN;

/** The key of a layer on an image: the first three parts of its entries' keys. */
const runKey = (a: Pick<Annotation, 'projectId' | 'imageId' | 'layerId'>): string => `${a.projectId}\u0000${a.imageId}\u0000${a.layerId}`;

/**
 * The log entries that make the disk match the annotation updates' `after` side: one per layer
 * and image touched, in order of first touch, each with its own seq. Within the updates, the last
 * one of an id decides; a shape moved to another image or layer is removed from the old run.
 */
export function shapeLogEntries(updates: readonly RecordUpdate<'annotations'>[], clock: ShapeClock = shapeClock, perEntry = SHAPES_PER_ENTRY): ShapeLogEntry[] {
  const runs = new Map<string, { readonly of: Annotation; readonly ops: Map<AnnotationId, Annotation | null> }>();
  const op = (of: Annotation, id: AnnotationId, after: Annotation | null): void => {
    const key = runKey(of);
    let run = runs.get(key);
    if (!run) runs.set(key, (run = { of, ops: new Map() }));
    run.ops.delete(id); // the last update of an id decides, and takes its place in the order
    run.ops.set(id, after);
  };
  for (const { before, after } of updates) {
    if (before && (!after || runKey(before) !== runKey(after))) op(before, before.id, null);
    if (after) op(after, after.id, after);
  }
  const out: ShapeLogEntry[] = [];
  for (const { of, ops } of runs.values()) {
    const shapes: Annotation[] = [];
    const removed: AnnotationId[] = [];
    for (const [id, a] of ops) {
      if (a) shapes.push(a);
      else removed.push(id);
    }
    shapes.sort(byId);
    removed.sort();
    // The removals go with the first entry; every id is in exactly one entry, so their order does not matter.
    for (let start = 0; start === 0 || start < shapes.length; start += perEntry) {
      out.push(entryOf(of, clock.next(), shapes.length <= perEntry ? shapes : shapes.slice(start, start + perEntry), start === 0 ? removed : []));
    }
  }
  return out;
}

/** An entry of `run`'s layer and image (its shapes sorted by id), its classes listed. */
function entryOf(run: Pick<ShapeLogEntry, 'projectId' | 'imageId' | 'layerId'>, seq: number, shapes: Annotation[], removed: AnnotationId[]): ShapeLogEntry {
  const classes = [...new Set(shapes.map((a) => a.classId))].filter((c) => typeof c === 'string').sort();
  return { projectId: run.projectId, imageId: run.imageId, layerId: run.layerId, seq, shapes, removed, classKeys: classes.map((c) => [run.projectId, c] as const) };
}

const byId = (a: { readonly id: string }, b: { readonly id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A stored entry as read: checked for its parts before it is folded (records inside are checked by the caller). */
function isLogEntry(raw: unknown): raw is ShapeLogEntry {
  if (typeof raw !== 'object' || raw === null) return false;
  const e = raw as Partial<Record<keyof ShapeLogEntry, unknown>>;
  return typeof e.projectId === 'string' && typeof e.imageId === 'string' && typeof e.layerId === 'string' && typeof e.seq === 'number' && Array.isArray(e.shapes) && Array.isArray(e.removed);
}

/** One image's layer folded: what its shapes are, and how many entries it took. */
export interface FoldedRun {
  readonly projectId: string;
  readonly imageId: string;
  readonly layerId: string;
  /** The records, unchecked, one per id. */
  readonly shapes: readonly unknown[];
  /** Entries folded (a run of many is worth compacting). */
  readonly entries: number;
  /** The last entry's seq (a compacted run keeps it). */
  readonly lastSeq: number;
}

const idOf = (s: unknown): unknown => (typeof s === 'object' && s !== null ? (s as { id?: unknown }).id : undefined);

/**
 * Folds entries read in key order (project, image, layer, seq) into one result per layer and
 * image, in that order. `onBad` hears of an entry that is not one, and of a shape without an id
 * (left out). A layer of one entry that removes nothing (the usual case: a project read after an
 * import or a compaction) keeps that entry's list as it is; only a longer run is replayed by id.
 */
export function foldLog(entries: readonly unknown[], onBad: (reason: string) => void, clock?: ShapeClock): FoldedRun[] {
  type Run = { projectId: string; imageId: string; layerId: string; entries: number; lastSeq: number; list: readonly unknown[] | null; byId: Map<string, unknown> | null };
  const runs: Run[] = [];
  let current: Run | null = null;
  const replay = (run: Run, removed: readonly string[], shapes: readonly unknown[]): void => {
    const byId = (run.byId ??= new Map(run.list?.map((s) => [idOf(s) as string, s])));
    run.list = null;
    for (const id of removed) byId.delete(id);
    for (const s of shapes) {
      const id = idOf(s);
      if (typeof id === 'string') byId.set(id, s);
      else onBad('a shape without an id');
    }
  };
  for (const raw of entries) {
    if (!isLogEntry(raw)) {
      onBad('a shape log entry without its parts');
      continue;
    }
    clock?.observe(raw.seq);
    if (!current || current.projectId !== raw.projectId || current.imageId !== raw.imageId || current.layerId !== raw.layerId) {
      current = { projectId: raw.projectId, imageId: raw.imageId, layerId: raw.layerId, entries: 0, lastSeq: raw.seq, list: null, byId: null };
      runs.push(current);
    }
    const first = current.entries === 0;
    current.entries++;
    current.lastSeq = raw.seq;
    const shapes = raw.shapes as readonly unknown[];
    if (first && raw.removed.length === 0 && shapes.every((s) => typeof idOf(s) === 'string')) current.list = shapes;
    else replay(current, raw.removed, shapes);
  }
  return runs.map(({ list, byId, ...run }) => ({ ...run, shapes: list ?? [...byId!.values()] }));
}

/**
 * The entry that replaces a run's entries when it is compacted: everything folded, under the
 * last entry's key (so any entry written after the compaction still comes later). `shapes` must
 * be the checked records of the run.
 */
export const compactedEntry = (run: Pick<FoldedRun, 'projectId' | 'imageId' | 'layerId' | 'lastSeq'>, shapes: readonly Annotation[]): ShapeLogEntry => entryOf(run, run.lastSeq, [...shapes].sort(byId), []);

/** Sorts an image's shapes (from all its layers) by id, the order one record per shape gave. */
export const sortById = <T extends { readonly id: string }>(list: T[]): T[] => list.sort(byId);
