import type { Write } from './writes';

export type SaveStatus =
  | { readonly state: 'saved' }
  | { readonly state: 'saving' }
  | { readonly state: 'error'; readonly message: string };

export interface WriteQueueOptions {
  /** Writes a batch in one transaction; rejects (having written nothing) on failure. */
  commit(writes: readonly Write[]): Promise<void>;
  /** A message for the user about a failed commit (may look up storage usage). */
  describeError(error: unknown): Promise<string>;
  onStatus?(status: SaveStatus): void;
  onCommitted?(writes: readonly Write[]): void;
  /** Milliseconds before each retry; the last one repeats. */
  retryDelays?: readonly number[];
  setTimer?(fn: () => void, ms: number): unknown;
}

export interface EnqueueOptions {
  /**
   * Error names that reject this change instead of retrying it. An import gives up on
   * QuotaExceededError (it reports the files it could not store and stops); an edit keeps
   * retrying, so it lands once the user has freed space.
   */
  readonly giveUpOn?: readonly string[];
}

interface Entry {
  readonly writes: readonly Write[];
  readonly giveUpOn: readonly string[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  /** Set after a permanent failure in a shared batch: commit this entry on its own. */
  isolate: boolean;
}

interface Batch {
  readonly entries: readonly Entry[];
  readonly generation: number;
  /** Committed. Kept in `issued` until every earlier batch has committed too, so a failure of an earlier one can replay it. */
  done: boolean;
}

/** Errors that writing the same data again cannot fix. */
const PERMANENT = new Set(['ConstraintError', 'DataError', 'DataCloneError', 'TypeError', 'SyntaxError']);
const errorName = (e: unknown): string => (e instanceof Error || e instanceof DOMException ? e.name : '');
const isPermanentFor = (entry: Entry, error: unknown): boolean => {
  const name = errorName(error);
  return PERMANENT.has(name) || entry.giveUpOn.includes(name);
};

export class PermanentWriteError extends Error {
  constructor(override readonly cause: unknown, message: string) {
    super(message);
    this.name = 'PermanentWriteError';
  }
}

/**
 * The only path from a user's change to the disk.
 *
 * - A change is written at once when nothing else is being written; changes that arrive while a
 *   transaction is open wait and then go together in the next one. A change is never split
 *   across transactions.
 * - Status is `saved` only when every enqueued change has committed.
 * - A failed transaction is retried (with back-off) before anything newer, so writes land in the
 *   order they were made. The error stays visible until a retry succeeds.
 * - A permanent error (the data itself is refused, or the change gives up on that error) is
 *   pinned to its change, which is rejected; the changes around it are still written.
 * - `flush()` (page hiding) sends waiting changes at once even while a transaction is open;
 *   IndexedDB runs overlapping readwrite transactions in creation order, and if the earlier one
 *   fails, the later ones are replayed after it.
 */
export class WriteQueue {
  private pending: Entry[] = [];
  /** Batches sent to the disk, oldest first; committed ones leave from the front only. */
  private issued: Batch[] = [];
  private generation = 0;
  private failures = 0;
  private retryTimer: unknown = null;
  private errorMessage: string | null = null;
  private idleWaiters: Array<() => void> = [];
  private lastStatus: SaveStatus = { state: 'saved' };
  private readonly delays: readonly number[];
  private readonly setTimer: (fn: () => void, ms: number) => unknown;

  constructor(private readonly options: WriteQueueOptions) {
    this.delays = options.retryDelays ?? [250, 1000, 2000, 5000, 10_000];
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  }

  get status(): SaveStatus {
    return this.lastStatus;
  }

  /** Queues one change's writes; resolves when they are on disk, rejects on a permanent error. */
  enqueue(writes: readonly Write[], options: EnqueueOptions = {}): Promise<void> {
    if (writes.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ writes, giveUpOn: options.giveUpOn ?? [], resolve, reject, isolate: false });
      this.pump(false);
    });
  }

  /** Sends everything waiting now, without waiting for the open transaction (the page is going away). */
  flush(): void {
    this.pump(true);
  }

  /** Resolves when nothing is waiting or being written. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.pending.length === 0 && this.issued.length === 0;
  }

  private pump(force: boolean): void {
    if (this.pending.length === 0) return this.publish();
    if (this.retryTimer !== null && !force) return this.publish();
    if (this.issued.length > 0 && !force) return this.publish();
    // An isolated entry goes alone; otherwise take everything up to the next isolated entry.
    const nextIsolated = this.pending.findIndex((e) => e.isolate);
    const count = nextIsolated === 0 ? 1 : nextIsolated === -1 ? this.pending.length : nextIsolated;
    const entries = this.pending.splice(0, count);
    const batch: Batch = { entries, generation: this.generation, done: false };
    this.issued.push(batch);
    this.publish();
    const writes = entries.flatMap((e) => e.writes);
    this.options.commit(writes).then(
      () => this.succeeded(batch, writes),
      (error: unknown) => void this.failed(batch, error),
    );
  }

  private succeeded(batch: Batch, writes: readonly Write[]): void {
    if (!this.issued.includes(batch)) return; // requeued after an earlier failure; the replay decides
    batch.done = true;
    while (this.issued[0]?.done) this.issued.shift();
    for (const e of batch.entries) e.resolve();
    this.options.onCommitted?.(writes);
    if (batch.generation === this.generation) {
      this.failures = 0;
      this.errorMessage = null;
    }
    this.pump(false);
  }

  private failed(batch: Batch, error: unknown): void {
    const index = this.issued.indexOf(batch);
    if (index < 0) return; // already requeued because an earlier batch failed
    // This batch and every batch issued after it (even committed ones) go back to the front, in
    // order. Queue state changes synchronously here so no newer change can overtake them.
    const requeue = this.issued.slice(index);
    this.issued = this.issued.slice(0, index);
    this.generation++;
    let entries = requeue.flatMap((b) => b.entries);

    if (batch.entries.some((e) => isPermanentFor(e, error))) {
      if (batch.entries.length === 1) {
        const bad = batch.entries[0]!;
        entries = entries.filter((e) => e !== bad);
        void this.options.describeError(error).then((message) => bad.reject(new PermanentWriteError(error, message)));
      } else {
        for (const e of batch.entries) e.isolate = true;
      }
      this.pending = [...entries, ...this.pending];
      this.pump(false);
      return;
    }

    this.pending = [...entries, ...this.pending];
    this.rejectWaitingThatGiveUp(error);
    const delay = this.delays[Math.min(this.failures, this.delays.length - 1)] ?? 1000;
    this.failures++;
    this.retryTimer = this.setTimer(() => {
      this.retryTimer = null;
      this.pump(false);
    }, delay);
    const failure = this.failures;
    this.errorMessage ??= 'Not saved yet: retrying…';
    this.publish();
    void this.options.describeError(error).then((message) => {
      if (this.failures !== failure) return; // recovered, or failed again since (that message wins)
      this.errorMessage = message;
      this.publish();
    });
  }

  /**
   * While the head of the queue waits to retry, changes that give up on this error fail now
   * instead of waiting behind it. They never reached the disk, so dropping them keeps the order
   * of everything that is written.
   */
  private rejectWaitingThatGiveUp(error: unknown): void {
    const name = errorName(error);
    const [head, ...rest] = this.pending;
    if (!head || !rest.some((e) => e.giveUpOn.includes(name))) return;
    const keep = rest.filter((e) => !e.giveUpOn.includes(name));
    const drop = rest.filter((e) => e.giveUpOn.includes(name));
    this.pending = [head, ...keep];
    void this.options.describeError(error).then((message) => {
      for (const e of drop) e.reject(new PermanentWriteError(error, message));
    });
  }

  private publish(): void {
    const status: SaveStatus = this.isIdle()
      ? { state: 'saved' }
      : this.errorMessage !== null
        ? { state: 'error', message: this.errorMessage }
        : { state: 'saving' };
    if (status.state === 'saved') {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
    const last = this.lastStatus;
    if (last.state === status.state && (status.state !== 'error' || (last.state === 'error' && last.message === status.message))) return;
    this.lastStatus = status;
    this.options.onStatus?.(status);
  }
}
