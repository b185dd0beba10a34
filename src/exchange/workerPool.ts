/** Runs jobs somewhere else (workers; a fake in tests), `size` at a time. */
export interface JobRunner<Job, Result> {
  readonly size: number;
  run(job: Job): Promise<Result>;
}

interface Waiter<Result> {
  readonly resolve: (r: Result) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  /** Ids of the jobs this worker has and has not answered yet. */
  readonly jobs: Set<number>;
}

/**
 * A fixed set of workers, each given up to `perWorker` jobs at once: a job spends much of its
 * time waiting (file reads, the decoder), so a second job keeps the worker busy meanwhile. Jobs
 * start in the order given. A worker answers each job with exactly one message carrying its id.
 */
export class WorkerPool<Job extends { id: number }, Result extends { id: number }> implements JobRunner<Job, Result> {
  private readonly slots: Slot[] = [];
  private readonly queue: Array<{ job: Job } & Waiter<Result>> = [];
  private readonly waiting = new Map<number, Waiter<Result>>();
  private disposed = false;

  constructor(
    workers: number,
    create: () => Worker,
    private readonly perWorker = 2,
  ) {
    for (let i = 0; i < workers; i++) {
      const slot: Slot = { worker: create(), jobs: new Set() };
      slot.worker.onmessage = (e: MessageEvent<Result>) => this.settle(slot, e.data.id, (w) => w.resolve(e.data));
      slot.worker.onerror = (e) => {
        const error = new Error(e.message || 'the import worker crashed');
        for (const id of [...slot.jobs]) this.settle(slot, id, (w) => w.reject(error));
      };
      this.slots.push(slot);
    }
  }

  /** How many jobs run at once. */
  get size(): number {
    return this.slots.length * this.perWorker;
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
    for (const slot of this.slots) slot.worker.terminate();
    const cancelled = new Error('cancelled');
    for (const w of this.waiting.values()) w.reject(cancelled);
    for (const w of this.queue.splice(0)) w.reject(cancelled);
    this.waiting.clear();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
      if (slot.jobs.size >= this.perWorker) return;
      const { job, resolve, reject } = this.queue.shift()!;
      slot.jobs.add(job.id);
      this.waiting.set(job.id, { resolve, reject });
      slot.worker.postMessage(job);
    }
  }

  private settle(slot: Slot, id: number, finish: (w: Waiter<Result>) => void): void {
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    slot.jobs.delete(id);
    if (waiter) finish(waiter);
    this.dispatch();
  }
}
