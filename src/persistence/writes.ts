import { unwrap } from 'idb';
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

/** Requests a commit issues per turn of the event loop (see commitWrites). */
export const WRITES_PER_TURN = 250;

/** Commits still issuing their requests in turns, each able to issue the rest at once. */
const issuing = new Set<() => void>();

/**
 * The page is going away: every commit still issuing its requests in turns issues all of them
 * now and asks for its commit, in the order the commits were started. Call it before starting
 * any newer transaction (IndexedDB runs overlapping readwrite transactions in creation order).
 */
export function hurryWrites(): void {
  for (const hurry of [...issuing]) hurry();
}

/**
 * Commits writes, in order, in one readwrite transaction with `strict` durability, committed
 * explicitly as soon as every request is issued: the promise resolves only once the browser
 * reports the data flushed to disk, and rejects (writing nothing) if any write fails — with the
 * failing request's own error (ConstraintError, QuotaExceededError…) rather than a generic
 * AbortError, so callers can tell causes apart.
 *
 * The requests go straight to the native IndexedDB objects, with no handler or promise per
 * request (a failed request aborts the transaction with its own error as `transaction.error`).
 * Each one costs the page a structured clone and a message to the browser (~0.1 ms), so a batch
 * of more than `perTurn` writes (an import of 5,000 shapes) is issued `perTurn` at a time, the
 * next ones from the first reply to the last (the transaction stays open in its own callbacks):
 * the page paints and answers input in between instead of freezing for half a second, and it is
 * still one transaction. `hurryWrites` (the page is being hidden or closed) issues the rest of
 * it at once — in a new transaction, with the same writes, as this one can only take requests in
 * its callbacks — so no batch is ever left half issued.
 */
export function commitWrites(db: TallyDb, writes: readonly Write[], perTurn = WRITES_PER_TURN): Promise<void> {
  if (writes.length === 0) return Promise.resolve();
  const native = unwrap(db) as IDBDatabase;
  return new Promise<void>((resolve, reject) => {
    const tx = transactionFor(native, writes);
    let settled = false;
    const settle = (error: unknown): void => {
      issuing.delete(hurry);
      if (settled) return;
      settled = true;
      if (error === null) resolve();
      else reject(error);
    };
    tx.oncomplete = () => settle(null);
    tx.onabort = () => settle(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
    const hurry = (): void => {
      issuing.delete(hurry);
      if (settled) return;
      settled = true;
      tx.abort();
      commitAtOnce(native, writes).then(resolve, reject);
    };
    let next = 0;
    const issueTurn = (): void => {
      if (settled) return;
      const end = Math.min(next + perTurn, writes.length);
      let first: IDBRequest | null = null;
      try {
        for (; next < end; next++) {
          const request = issue(tx, writes[next]!);
          first ??= request;
        }
      } catch (e) {
        // A request refused on the spot (DataCloneError, DataError) does not abort the
        // transaction by itself: without this, the writes before it would commit and the batch
        // would be torn.
        settle(e);
        tx.abort();
        return;
      }
      if (next < writes.length) {
        first!.onsuccess = issueTurn;
        issuing.add(hurry);
        return;
      }
      // Every request is issued: ask for the commit now rather than after their replies come back
      // to this page. A tab closed a moment later (or frozen in the background) has then already
      // handed the whole batch to the browser's storage.
      issuing.delete(hurry);
      tx.commit();
    };
    issueTurn();
  });
}

/** All of `writes` issued and committed in this call (see commitWrites). */
function commitAtOnce(db: IDBDatabase, writes: readonly Write[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const tx = transactionFor(db, writes);
    let refused: unknown = null;
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(refused ?? tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
    try {
      for (const w of writes) issue(tx, w);
    } catch (e) {
      refused = e;
      tx.abort();
      return;
    }
    tx.commit();
  });
}

function transactionFor(db: IDBDatabase, writes: readonly Write[]): IDBTransaction {
  return db.transaction([...new Set(writes.map((w) => w.store))], 'readwrite', { durability: 'strict' });
}

/** The last store a transaction was asked for (consecutive writes mostly go to the same store). */
const lastStore = new WeakMap<IDBTransaction, IDBObjectStore>();

function issue(tx: IDBTransaction, w: Write): IDBRequest {
  let store = lastStore.get(tx);
  if (store?.name !== w.store) lastStore.set(tx, (store = tx.objectStore(w.store)));
  if (w.op === 'put') return store.put(w.value);
  if (w.op === 'delete') return store.delete(w.key as IDBValidKey);
  return store.delete(prefixRange(w.prefix));
}
