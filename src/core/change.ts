import type { Annotation, Dismissal, ImageRecord, Layer, Project, ReviewDecision } from './model';

/**
 * A Change is the only way a document moves: a list of record updates, each with the record
 * before and after (null before = added, null after = removed). Undo applies the inverse;
 * autosave turns a Change into idempotent writes. Because each update carries whole records
 * (never increments), writing the same Change twice leaves the same state.
 */
export interface Tables {
  readonly projects: Project;
  readonly images: ImageRecord;
  readonly annotations: Annotation;
  readonly dismissals: Dismissal;
  readonly layers: Layer;
  readonly reviewDecisions: ReviewDecision;
}
export type Table = keyof Tables;

export type RecordUpdate<K extends Table = Table> = {
  [T in K]: { readonly table: T; readonly before: Tables[T] | null; readonly after: Tables[T] | null };
}[K];

export interface Change {
  readonly updates: readonly RecordUpdate[];
}

export const added = <K extends Table>(table: K, after: Tables[K]): RecordUpdate<K> =>
  ({ table, before: null, after }) as RecordUpdate<K>;
export const updated = <K extends Table>(table: K, before: Tables[K], after: Tables[K]): RecordUpdate<K> =>
  ({ table, before, after }) as RecordUpdate<K>;
export const removed = <K extends Table>(table: K, before: Tables[K]): RecordUpdate<K> =>
  ({ table, before, after: null }) as RecordUpdate<K>;

export const change = (...updates: RecordUpdate[]): Change => ({ updates });

export const isEmptyChange = (c: Change): boolean => c.updates.length === 0;

/** The updates of one table, narrowed. */
export function updatesOf<K extends Table>(c: Change, table: K): RecordUpdate<K>[] {
  return c.updates.filter((u) => u.table === table) as unknown as RecordUpdate<K>[];
}
