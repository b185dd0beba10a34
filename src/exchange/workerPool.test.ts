import { describe, expect, it } from 'vitest';
import { WorkerPool } from './workerPool';

type Job = { id: number; value: number };
type Result = { id: number; doubled: number };

/** A stand-in for a Worker: it keeps the jobs it was sent until the test answers them. */
class FakeWorker {
  onmessage: ((e: MessageEvent<Result>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  readonly received: Job[] = [];
  terminated = false;
  postMessage(job: Job): void {
    this.received.push(job);
  }
  answer(id: number): void {
    const job = this.received.find((j) => j.id === id)!;
    this.onmessage!({ data: { id, doubled: job.value * 2 } } as MessageEvent<Result>);
  }
  crash(): void {
    this.onerror!({ message: 'boom' } as ErrorEvent);
  }
  terminate(): void {
    this.terminated = true;
  }
}

function pool(workers: number, perWorker: number) {
  const fakes: FakeWorker[] = [];
  const p = new WorkerPool<Job, Result>(workers, () => {
    const w = new FakeWorker();
    fakes.push(w);
    return w as unknown as Worker;
  }, perWorker);
  return { p, fakes };
}

describe('WorkerPool', () => {
  it('spreads jobs over the workers, at most perWorker each, and starts the rest as answers come', async () => {
    const { p, fakes } = pool(2, 2);
    expect(p.size).toBe(4);
    const results = [1, 2, 3, 4, 5, 6].map((v) => p.run({ id: v, value: v }));
    expect(fakes.map((f) => f.received.map((j) => j.id))).toEqual([[1, 3], [2, 4]]);
    fakes[1]!.answer(2);
    expect(fakes[1]!.received.map((j) => j.id)).toEqual([2, 4, 5]);
    expect(await results[1]).toEqual({ id: 2, doubled: 4 });
    fakes[0]!.answer(3);
    expect(fakes[0]!.received.map((j) => j.id)).toEqual([1, 3, 6]);
    for (const [w, id] of [[0, 1], [1, 4], [1, 5], [0, 6]] as const) fakes[w]!.answer(id);
    expect((await Promise.all(results)).map((r) => r.doubled)).toEqual([2, 4, 6, 8, 10, 12]);
  });

  it('rejects only the jobs of a worker that crashed, and keeps using it', async () => {
    const { p, fakes } = pool(2, 1);
    const a = p.run({ id: 1, value: 1 });
    const b = p.run({ id: 2, value: 2 });
    const c = p.run({ id: 3, value: 3 });
    fakes[0]!.crash();
    await expect(a).rejects.toThrow('boom');
    expect(fakes[0]!.received.map((j) => j.id)).toEqual([1, 3]);
    fakes[1]!.answer(2);
    fakes[0]!.answer(3);
    expect(await b).toEqual({ id: 2, doubled: 4 });
    expect(await c).toEqual({ id: 3, doubled: 6 });
  });

  it('dispose terminates the workers and rejects what is running or waiting', async () => {
    const { p, fakes } = pool(1, 1);
    const running = p.run({ id: 1, value: 1 });
    const queued = p.run({ id: 2, value: 2 });
    p.dispose();
    await expect(running).rejects.toThrow('cancelled');
    await expect(queued).rejects.toThrow('cancelled');
    expect(fakes[0]!.terminated).toBe(true);
    await expect(p.run({ id: 3, value: 3 })).rejects.toThrow('disposed');
  });
});
