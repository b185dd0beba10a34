/**
 * The one request / progress / cancel protocol between Tally and its workers (image import,
 * exchange, and any later one such as the consistency checker's check worker).
 *
 * A worker declares its API as a type, one {@link Method} per request kind:
 *
 *     export interface CheckApi {
 *       check: Method<CheckPayload, CheckReport, { done: number; total: number }>;
 *     }
 *
 * The worker's entry point serves it — each handler gets its payload and a {@link CallContext}
 * (a progress callback, an AbortSignal that fires when the caller cancels, and a way to transfer
 * buffers with the result); whatever it returns or throws answers the request:
 *
 *     serve<CheckApi>(self, { check: async (snapshot, { progress, signal }) => { … } });
 *
 * The app talks to it through an {@link RpcClient}, which starts the worker on first use and
 * keeps it for later calls (a worker may keep state between calls, e.g. the last report for an
 * incremental re-run):
 *
 *     const checker = new RpcClient<CheckApi>(() => new Worker(…), 'the check worker');
 *     const report = await checker.call('check', snapshot, { onProgress, signal });
 *
 * Guarantees:
 * - **Every call settles.** It resolves with the handler's result or rejects with a
 *   {@link WorkerCallError} (the handler threw: its message, worded for users when the handler
 *   threw an {@link RpcError}), a {@link CancelledError} (the caller's signal fired: at once,
 *   without waiting for the worker), or a {@link WorkerUnavailableError} when the worker's script
 *   could not load (the server is gone, or a redeploy renamed the hashed file) or the worker died.
 *   That last error answers every pending call and every later one: it names what failed and
 *   says to reload. The client listens for the worker's errors from the moment it creates it, so
 *   a load failure that comes before the first call is not missed.
 * - **Cancel is cooperative.** The worker's handler sees `signal.aborted` and should stop at its
 *   next safe point; its eventual answer is dropped. Nothing else is interrupted: the worker and
 *   its state stay for the next call. `terminate()` stops the worker itself.
 * - Calls may overlap; the worker runs their handlers concurrently (they interleave at awaits).
 * - Payloads, progress and results are structured-cloned (Blobs and Files pass by reference);
 *   `transfer` moves ArrayBuffers instead of copying them.
 *
 * No DOM or WebWorker library types are needed: both ends are reached through the small
 * {@link WorkerLike} and {@link WorkerScopeLike} shapes, so the module type-checks for the page and
 * for workers, and tests connect the two ends without a browser.
 */

/** One request kind: what it is given, what it answers, and what its progress reports carry. */
export interface Method<Payload, Result, Progress = never> {
  readonly payload: Payload;
  readonly result: Result;
  readonly progress: Progress;
}

/** A worker's API: request kinds to Methods (an interface of Method-typed members). */
export type Api<A> = { readonly [K in keyof A]: Method<unknown, unknown, unknown> };

export interface CallContext<Progress> {
  /** Fires when the caller cancels. The answer to a cancelled call is dropped. */
  readonly signal: AbortSignal;
  /** Reports progress to the caller's onProgress (structured-cloned; keep it small and not too frequent). */
  progress(value: Progress): void;
  /** Buffers to move (not copy) to the caller with the result. */
  transfer(...buffers: Transferable[]): void;
}

export type Handlers<A extends Api<A>> = {
  readonly [K in keyof A]: (payload: A[K]['payload'], context: CallContext<A[K]['progress']>) => Promise<A[K]['result']> | A[K]['result'];
};

/** An error whose message is worded for users: the caller shows it as it is. */
export class RpcError extends Error {}

/** The caller cancelled the call (its AbortSignal fired). */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

/** The handler threw. `message` is the handler's own when it threw an RpcError, else says something went wrong in the worker. */
export class WorkerCallError extends Error {}

/** The worker could not start or has stopped: this call and every later one fail with it. */
export class WorkerUnavailableError extends Error {}

// ---------------------------------------------------------------------------------------------
// The wire

type ToWorker =
  | { readonly rpc: 'call'; readonly id: number; readonly kind: string; readonly payload: unknown }
  | { readonly rpc: 'cancel'; readonly id: number };

type FromWorker =
  | { readonly rpc: 'ready' }
  | { readonly rpc: 'progress'; readonly id: number; readonly progress: unknown }
  | { readonly rpc: 'done'; readonly id: number; readonly result: unknown }
  | { readonly rpc: 'failed'; readonly id: number; readonly message: string; readonly worded: boolean };

const isFromWorker = (d: unknown): d is FromWorker => typeof d === 'object' && d !== null && typeof (d as { rpc?: unknown }).rpc === 'string';

/** The worker's side of the channel: `self` in a dedicated worker. */
export interface WorkerScopeLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** The page's side: a Worker. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

// ---------------------------------------------------------------------------------------------
// Worker side

/** Answers the calls that arrive at `scope` with `handlers`, and tells the client it is ready. */
export function serve<A extends Api<A>>(scope: WorkerScopeLike, handlers: Handlers<A>): void {
  const running = new Map<number, AbortController>();
  const post = (message: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

  const run = async (id: number, kind: string, payload: unknown): Promise<void> => {
    const abort = new AbortController();
    running.set(id, abort);
    const transfer: Transferable[] = [];
    const context: CallContext<unknown> = {
      signal: abort.signal,
      progress: (progress) => {
        if (!abort.signal.aborted) post({ rpc: 'progress', id, progress });
      },
      transfer: (...buffers) => void transfer.push(...buffers),
    };
    try {
      const handler = (handlers as unknown as Record<string, ((p: unknown, c: CallContext<unknown>) => unknown) | undefined>)[kind];
      if (typeof handler !== 'function') throw new Error(`no handler for "${kind}"`);
      const result = await handler(payload, context);
      if (abort.signal.aborted) return;
      try {
        post({ rpc: 'done', id, result }, transfer);
      } catch (e) {
        // A result that cannot be cloned must still answer the call.
        post({ rpc: 'failed', id, message: `its answer could not be sent (${describe(e)})`, worded: false });
      }
    } catch (e) {
      if (!abort.signal.aborted) post({ rpc: 'failed', id, message: describe(e), worded: e instanceof RpcError });
    } finally {
      running.delete(id);
    }
  };

  scope.addEventListener('message', (event) => {
    const m = event.data as ToWorker;
    if (m?.rpc === 'call') void run(m.id, m.kind, m.payload);
    else if (m?.rpc === 'cancel') running.get(m.id)?.abort();
  });
  post({ rpc: 'ready' });
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

// ---------------------------------------------------------------------------------------------
// Page side

export interface CallOptions<Progress> {
  readonly onProgress?: (progress: Progress) => void;
  /** Cancels the call: it rejects with a CancelledError at once, and the worker's handler sees its signal fire. */
  readonly signal?: AbortSignal;
  /** Buffers in the payload to move (not copy) to the worker. */
  readonly transfer?: Transferable[];
}

interface Pending {
  readonly onProgress: ((progress: unknown) => void) | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly release: () => void;
}

/**
 * Calls a worker's API. The worker is created on the first call (or by `start()`), and its
 * failures are watched from then on. `name` is how messages name it: "the exchange worker".
 */
export class RpcClient<A extends Api<A>> {
  private worker: WorkerLike | null = null;
  private ready = false;
  private failure: WorkerUnavailableError | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly create: () => WorkerLike,
    readonly name: string,
  ) {}

  /** How many calls have not settled yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Whether the worker has failed (every call now rejects with `unavailable`). */
  get unavailable(): WorkerUnavailableError | null {
    return this.failure;
  }

  /** Starts the worker ahead of need, so the first call finds it loaded. */
  start(): void {
    if (this.worker || this.failure) return;
    let worker: WorkerLike;
    try {
      worker = this.create();
    } catch (e) {
      this.fail(`${capitalise(this.name)} could not be created (${describe(e)}). Reload the page to continue.`);
      return;
    }
    this.worker = worker;
    worker.addEventListener('message', (event) => this.receive((event as MessageEvent).data));
    worker.addEventListener('messageerror', () => this.fail(`A message from ${this.name} could not be read. Reload the page to continue.`));
    worker.addEventListener('error', (event) => {
      const detail = (event as ErrorEvent).message;
      this.fail(
        this.ready
          ? `${capitalise(this.name)} stopped unexpectedly${detail ? ` (${detail})` : ''}. Reload the page to continue.`
          : `${capitalise(this.name)} could not start: its script did not load${detail ? ` (${detail})` : ''}. The server may be unreachable, or Tally was updated since this page was opened. Reload the page to continue.`,
      );
    });
  }

  call<K extends keyof A & string>(kind: K, payload: A[K]['payload'], options: CallOptions<A[K]['progress']> = {}): Promise<A[K]['result']> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    this.start();
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<A[K]['result']>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.pending.delete(id)) return;
        this.worker?.postMessage({ rpc: 'cancel', id } satisfies ToWorker, []);
        reject(new CancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        onProgress: options.onProgress as ((progress: unknown) => void) | undefined,
        resolve: resolve as (value: unknown) => void,
        reject,
        release: () => signal?.removeEventListener('abort', onAbort),
      });
      try {
        this.worker!.postMessage({ rpc: 'call', id, kind, payload } satisfies ToWorker, options.transfer ?? []);
      } catch (e) {
        this.settle(id, (p) => p.reject(new WorkerCallError(`Could not send the request to ${this.name}: ${describe(e)}`)));
      }
    });
  }

  /** Stops the worker; pending calls reject with a CancelledError, later ones with a WorkerUnavailableError. */
  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.failure ??= new WorkerUnavailableError(`${capitalise(this.name)} was stopped.`);
    for (const id of [...this.pending.keys()]) this.settle(id, (p) => p.reject(new CancelledError()));
  }

  private receive(data: unknown): void {
    if (!isFromWorker(data)) return;
    if (data.rpc === 'ready') {
      this.ready = true;
      return;
    }
    if (data.rpc === 'progress') {
      this.pending.get(data.id)?.onProgress?.(data.progress);
      return;
    }
    if (data.rpc === 'done') this.settle(data.id, (p) => p.resolve(data.result));
    else this.settle(data.id, (p) => p.reject(new WorkerCallError(data.worded ? data.message : `Something went wrong in ${this.name}: ${data.message}`)));
  }

  private settle(id: number, finish: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.release();
    finish(p);
  }

  private fail(message: string): void {
    if (this.failure && this.worker === null) return;
    this.failure ??= new WorkerUnavailableError(message);
    this.worker?.terminate();
    this.worker = null;
    const error = this.failure;
    for (const id of [...this.pending.keys()]) this.settle(id, (p) => p.reject(error));
  }
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
