import { describe, expect, it } from 'vitest';
import { FakeWorker } from '../test-support/fakeWorker';
import { CancelledError, serve, WorkerUnavailableError, type Method } from '../workers/rpc';
import { WorkerPool } from './workerPool';

interface PoolApi {
  double: Method<number, number>;
}

/** Workers whose jobs wait until the test answers them; `received[w]` lists what worker w was given. */
function pool(workers: number, perWorker: number, load: 'ok' | 'fail' = 'ok') {
  const received: number[][] = [];
  const answers = new Map<number, () => void>();
  const fakes: FakeWorker[] = [];
  const p = new WorkerPool<PoolApi, 'double'>(
    workers,
    () => {
      const mine: number[] = [];
      received.push(mine);
      const w =
        load === 'fail'
          ? new FakeWorker({ failToLoad: '' })
          : new FakeWorker((scope) =>
              serve<PoolApi>(scope, {
                double: (n) =>
                  new Promise((resolve) => {
                    mine.push(n);
                    answers.set(n, () => resolve(n * 2));
                  }),
              }),
            );
      fakes.push(w);
      return w;
    },
    'the test worker',
    'double',
    perWorker,
  );
  return { p, received, fakes, answer: (n: number) => answers.get(n)!() };
}

/** Waits (a task at a time, at most ~2 s) until `done` holds: messages cross on later tasks, more of them on a loaded machine. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !done(); i++) await new Promise((r) => setTimeout(r, 1));
}
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('WorkerPool', () => {
  it('spreads jobs over the workers, at most perWorker each, and starts the rest as answers come', async () => {
    const { p, received, answer } = pool(2, 2);
    expect(p.size).toBe(4);
    const results = [1, 2, 3, 4, 5, 6].map((v) => p.run(v));
    await until(() => received.flat().length === 4);
    await tick(); // and no more arrive
    expect(received).toEqual([[1, 3], [2, 4]]);
    answer(2);
    await until(() => received[1]!.length === 3);
    expect(received[1]).toEqual([2, 4, 5]);
    expect(await results[1]).toBe(4);
    answer(3);
    await until(() => received[0]!.length === 3);
    expect(received[0]).toEqual([1, 3, 6]);
    for (const n of [1, 4, 5, 6]) answer(n);
    expect(await Promise.all(results)).toEqual([2, 4, 6, 8, 10, 12]);
  });

  it('workers that cannot load fail every job at once, with the reason', async () => {
    const { p } = pool(2, 2, 'fail');
    const results = [1, 2, 3, 4, 5, 6, 7].map((v) => p.run(v).catch((e: unknown) => e));
    for (const r of await Promise.all(results)) {
      expect(r).toBeInstanceOf(WorkerUnavailableError);
      expect((r as Error).message).toMatch(/could not start.*Reload the page/);
    }
    expect(p.unavailable).toBeInstanceOf(WorkerUnavailableError);
  });

  it('a worker that crashed fails its jobs and the rest go to the others', async () => {
    const { p, fakes, received, answer } = pool(2, 1);
    const a = p.run(1);
    const b = p.run(2);
    const c = p.run(3).then(
      (v) => v,
      (e: unknown) => e,
    );
    await until(() => received.flat().length === 2);
    fakes[0]!.crash('boom');
    await expect(a).rejects.toThrow(/\(boom\)\. .*Reload the page/);
    answer(2);
    expect(await b).toBe(4);
    // The dead worker answered 3 at once (unavailable), or the live one took it.
    const third = await c;
    expect(third === 6 || third instanceof WorkerUnavailableError).toBe(true);
    expect(received[0]).toEqual([1]);
  });

  it('dispose terminates the workers and rejects what is running or waiting', async () => {
    const { p, fakes, received } = pool(1, 1);
    const running = p.run(1);
    const queued = p.run(2);
    await until(() => received.flat().length === 1);
    p.dispose();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    await expect(queued).rejects.toBeInstanceOf(CancelledError);
    expect(fakes[0]!.terminated).toBe(true);
    await expect(p.run(3)).rejects.toBeInstanceOf(CancelledError);
  });
});
