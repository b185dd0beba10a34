import type { Write } from './writes';

export type SaveStatus =
  | { readonly state: 'saved' }
  | { readonly state: 'saving' }
  /** A write failed and is being retried. */
  | { readonly state: 'error'; readonly message: string }
  /**
   * A change was refused for good (the data itself, not the disk) and was not saved; it stays
   * said until the user dismisses it, so `Saved` never hides it.
   */
  | { readonly state: 'refused'; readonly message: string };

export interface WriteQueueOptions {
  /** Writes a batch in one transaction; rejects (having written nothing) on failure. */
  commit(writes: readonly Write[]): Promise<void>;
  /**
   * Why a commit failed, for the user (may look up storage usage). `permanent`: the change is
   * given up, not retried.
   */
  describeError(error: unknown, permanent: boolean): Promise<string>;
  onStatus?(status: SaveStatus): void;
  /**
   * The page is going away: a batch still being handed to the disk a part at a time must be
   * handed over whole now (commitWrites' `hurryWrites`). Called by `flush` before it sends
   * anything newer.
   */
  hurry?(): void;
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
  /**
   * What the change did, in the user's words (`draw box on street.jpg`). A labelled change that
   * is refused for good leaves the Save status saying so until dismissed; an unlabelled one (an
   * import, which reports its own failures) only rejects.
   */
  readonly label?: string;
}

interface Entry {
  readonly writes: readonly Write[];
  readonly giveUpOn: readonly string[];
  readonly label: string | undefined;
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
  /** The last labelled change refused for good, until dismissed. */
  private refusal: string | null = null;
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
      this.pending.push({ writes, giveUpOn: options.giveUpOn ?? [], label: options.label, resolve, reject, isolate: false });
      this.pump(false);
    });
  }

  /** Sends everything waiting now, without waiting for the open transaction (the page is going away). */
  flush(): void {
    this.options.hurry?.();
    this.pump(true);
  }

  /** Nothing waits or is being written (a refusal may still be shown). */
  get idle(): boolean {
    return this.isIdle();
  }

  /** The user has read that a change was refused: the status may say `Saved` again. */
  dismissRefusal(): void {
    this.refusal = null;
    this.publish();
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
      () => this.succeeded(batch),
      (error: unknown) => void this.failed(batch, error),
    );
  }

  private succeeded(batch: Batch): void {
    if (!this.issued.includes(batch)) return; // requeued after an earlier failure; the replay decides
    batch.done = true;
    while (this.issued[0]?.done) this.issued.shift();
    for (const e of batch.entries) e.resolve();
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
        // Said at once (the reason follows): the queue may be idle now, and must not read `saved`.
        const refusal = bad.label === undefined ? null : `Not saved: ${bad.label}`;
        if (refusal) this.refusal = refusal;
        void this.options.describeError(error, true).then((message) => {
          if (refusal && this.refusal === refusal) {
            this.refusal = `${refusal} — ${message}`;
            this.publish();
          }
          bad.reject(new PermanentWriteError(error, message));
        });
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
    void this.options.describeError(error, false).then((message) => {
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
    void this.options.describeError(error, true).then((message) => {
      for (const e of drop) e.reject(new PermanentWriteError(error, message));
    });
  }

  private publish(): void {
    const idle = this.isIdle();
    const status: SaveStatus =
      !idle && this.errorMessage !== null
        ? { state: 'error', message: this.errorMessage }
        : this.refusal !== null
          ? { state: 'refused', message: this.refusal }
          : idle
            ? { state: 'saved' }
            : { state: 'saving' };
    if (idle) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
    const last = this.lastStatus;
    const message = (x: SaveStatus): string | null => ('message' in x ? x.message : null);
    if (last.state === status.state && message(last) === message(status)) return;
    this.lastStatus = status;
    this.options.onStatus?.(status);
  }
}
