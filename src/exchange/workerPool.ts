/**
 * A fixed set of workers serving the same API (workers/rpc.ts), each given up to `perWorker`
 * calls of one kind at once: a job spends much of its time waiting (file reads, the decoder), so
 * a second job keeps the worker busy meanwhile. Jobs start in the order given. A worker that
 * could not start or died answers its calls with a WorkerUnavailableError (rpc.ts), so every job
 * settles.
 */
import { CancelledError, RpcClient, type Api, type WorkerLike } from '../workers/rpc';

/** Runs jobs somewhere else (workers; a fake in tests), `size` at a time. */
export interface JobRunner<Job, Result> {
  readonly size: number;
  run(job: Job): Promise<Result>;
}

interface Queued<Job, Result> {
  readonly job: Job;
  readonly resolve: (r: Result) => void;
  readonly reject: (e: unknown) => void;
}

export class WorkerPool<A extends Api<A>, K extends keyof A & string> implements JobRunner<A[K]['payload'], A[K]['result']> {
  private readonly clients: RpcClient<A>[] = [];
  private readonly queue: Queued<A[K]['payload'], A[K]['result']>[] = [];
  private readonly stop = new AbortController();

  constructor(
    workers: number,
    create: () => WorkerLike,
    name: string,
    private readonly kind: K,
    private readonly perWorker = 2,
  ) {
    for (let i = 0; i < workers; i++) {
      const client = new RpcClient<A>(create, name);
      client.start();
      this.clients.push(client);
    }
  }

  /** How many jobs run at once. */
  get size(): number {
    return this.clients.length * this.perWorker;
  }

  /** Why the workers cannot run (they could not start, or died), or null. */
  get unavailable(): Error | null {
    return this.clients.find((c) => c.unavailable !== null && !this.stop.signal.aborted)?.unavailable ?? null;
  }

  run(job: A[K]['payload']): Promise<A[K]['result']> {
    if (this.stop.signal.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops the workers; what is running or waiting rejects with a CancelledError. */
  dispose(): void {
    this.stop.abort();
    for (const c of this.clients) c.terminate();
    for (const q of this.queue.splice(0)) q.reject(new CancelledError());
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const client = this.clients.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      if (client.inFlight >= this.perWorker) return;
      const { job, resolve, reject } = this.queue.shift()!;
      client
        .call(this.kind, job, { signal: this.stop.signal })
        .then(resolve, reject)
        .finally(() => this.dispatch());
    }
  }
}
