import type { TallyDb } from './db';
import { prefixRange, type StoreName, type TallySchema, type Value } from './schema';

/**
 * A write is data: put a whole record, delete one key, or delete every key that starts with a
 * prefix. All three are idempotent, so a batch that failed can be written again, and batches
 * can be replayed in order after a failure without harm.
 */
export type Write = {
  [S in StoreName]:
    | { readonly op: 'put'; readonly store: S; readonly value: Value<S> }
    | { readonly op: 'delete'; readonly store: S; readonly key: TallySchema[S]['key'] }
    | { readonly op: 'deletePrefix'; readonly store: S; readonly prefix: readonly string[] };
}[StoreName];

/**
 * Commits writes, in order, in one readwrite transaction with `strict` durability, committed
 * explicitly as soon as every request is issued: the promise
 * resolves only once the browser reports the data flushed to disk, and rejects (writing nothing)
 * if any write fails — with the failing request's own error (ConstraintError, QuotaExceededError…)
 * rather than the transaction's generic AbortError, so callers can tell causes apart.
 */
export async function commitWrites(db: TallyDb, writes: readonly Write[]): Promise<void> {
  if (writes.length === 0) return;
  const stores = [...new Set(writes.map((w) => w.store))];
  const tx = db.transaction(stores, 'readwrite', { durability: 'strict' });
  let firstError: unknown = null;
  const noteError = (e: unknown): void => {
    firstError ??= e;
  };
  try {
    for (const w of writes) {
      const store = tx.objectStore(w.store);
      if (w.op === 'put') store.put(w.value as never).catch(noteError);
      else if (w.op === 'delete') store.delete(w.key as never).catch(noteError);
      else store.delete(prefixRange(w.prefix)).catch(noteError);
    }
  } catch (e) {
    // A request refused on the spot (DataCloneError, DataError) does not abort the transaction
    // by itself: without this, the writes before it would commit and the batch would be torn.
    tx.abort();
    await tx.done.catch(() => undefined);
    throw e;
  }
  // Every request is issued: ask for the commit now rather than after their replies come back to
  // this page. A tab closed a moment later (or frozen in the background) has then already handed
  // the whole batch to the browser's storage.
  tx.commit();
  try {
    await tx.done;
  } catch (e) {
    throw firstError ?? e;
  }
}
