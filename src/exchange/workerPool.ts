/** Runs jobs somewhere else (workers; a fake in tests), `size` at a time. */
export interface JobRunner<Job, Result> {
  readonly size: number;
  run(job: Job): Promise<Result>;
}

/**
 * A fixed set of workers taking jobs one at a time each, in the order given. A worker answers
 * each job with exactly one message.
 */
export class WorkerPool<Job extends { id: number }, Result extends { id: number }> implements JobRunner<Job, Result> {
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ job: Job; resolve: (r: Result) => void; reject: (e: unknown) => void }> = [];
  private readonly running = new Map<Worker, { resolve: (r: Result) => void; reject: (e: unknown) => void }>();
  private disposed = false;

  constructor(
    readonly size: number,
    create: () => Worker,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = create();
      worker.onmessage = (e: MessageEvent<Result>) => this.finished(worker, e.data);
      worker.onerror = (e) => this.failed(worker, new Error(e.message || 'the import worker crashed'));
      this.idle.push(worker);
    }
  }

  run(job: Job): Promise<Result> {
    if (this.disposed) return Promise.reject(new Error('worker pool disposed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const w of [...this.idle, ...this.running.keys()]) w.terminate();
    for (const { reject } of this.running.values()) reject(new Error('cancelled'));
    for (const { reject } of this.queue.splice(0)) reject(new Error('cancelled'));
    this.running.clear();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const { job, resolve, reject } = this.queue.shift()!;
      this.running.set(worker, { resolve, reject });
      worker.postMessage(job);
    }
  }

  private finished(worker: Worker, result: Result): void {
    this.release(worker)?.resolve(result);
    this.dispatch();
  }

  private failed(worker: Worker, error: Error): void {
    this.release(worker)?.reject(error);
    this.dispatch();
  }

  /** Marks the worker idle again and returns whoever waited for its job. */
  private release(worker: Worker) {
    const waiter = this.running.get(worker);
    this.running.delete(worker);
    this.idle.push(worker);
    return waiter;
  }
}
