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

/** Records a commit hands over per turn of the event loop (see commitWrites). */
export const WRITES_PER_TURN = 250;

/**
 * What a write costs the page to hand over, in records: a shape log entry carries up to
 * SHAPES_PER_ENTRY shapes in one request (an import of 5,000 boxes on one image is 20 entries),
 * and the structured clone of each shape costs about what a request of its own used to.
 */
export function weightOf(w: Write): number {
  if (w.op === 'put' && w.store === 'shapeLog') return Math.max(1, w.value.shapes.length + w.value.removed.length);
  return 1;
}

/** Runs `fn` once, after the next frame is painted (at once-ish when the page is hidden and paints nothing). */
export function afterNextPaint(fn: () => void): void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    fn();
  };
  const page = (globalThis as { readonly document?: { readonly visibilityState?: string } }).document;
  if (typeof requestAnimationFrame !== 'function' || page === undefined || page.visibilityState === 'hidden') {
    setTimeout(once, 0);
    return;
  }
  // A task after the frame's callbacks runs after its paint. The timer covers a page that stops
  // painting meanwhile (hidden between this call and the frame).
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 100);
}

/** Commits still issuing their requests in turns (or waiting for their first), each able to issue the rest at once. */
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
 * Handing a record over costs the page a structured clone (~0.01 ms a shape, ~0.1 ms a request),
 * so a batch heavier than `perTurn` records (`weightOf`: an import of 5,000 shapes) is handed
 * over in turns: the first after the page has painted the change (`later`, after the next frame:
 * the shapes are on screen before their 50-70 ms of cloning), then `perTurn` records' worth at a
 * time, the next turn from the first reply of the last (the transaction stays open in its own
 * callbacks): the page paints and answers input in between instead of freezing, and it is still
 * one transaction. `hurryWrites` (the page is being hidden or closed) issues the rest of it at
 * once — in a new transaction, with the same writes, as this one can only take requests in its
 * callbacks — so no batch is ever left half issued or waiting. A batch of one turn (every edit
 * drawn by hand) is handed over whole in the task that made it.
 */
export function commitWrites(db: TallyDb, writes: readonly Write[], perTurn = WRITES_PER_TURN, later: (fn: () => void) => void = afterNextPaint): Promise<void> {
  if (writes.length === 0) return Promise.resolve();
  const native = unwrap(db) as IDBDatabase;
  return new Promise<void>((resolve, reject) => {
    let tx: IDBTransaction | null = null;
    let settled = false;
    const settle = (error: unknown): void => {
      issuing.delete(hurry);
      if (settled) return;
      settled = true;
      if (error === null) resolve();
      else reject(error);
    };
    const hurry = (): void => {
      issuing.delete(hurry);
      if (settled) return;
      settled = true;
      tx?.abort();
      commitAtOnce(native, writes).then(resolve, reject);
    };
    let next = 0;
    const issueTurn = (): void => {
      if (settled) return;
      if (!tx) {
        const opened = (tx = transactionFor(native, writes));
        opened.oncomplete = () => settle(null);
        opened.onabort = () => settle(opened.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
      }
      let first: IDBRequest | null = null;
      try {
        for (let weight = 0; next < writes.length && weight < perTurn; next++) {
          const w = writes[next]!;
          const request = issue(tx, w);
          first ??= request;
          weight += weightOf(w);
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
    let total = 0;
    for (const w of writes) total += weightOf(w);
    if (total <= perTurn) return issueTurn();
    issuing.add(hurry);
    later(issueTurn);
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
