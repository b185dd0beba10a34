import { describe, expect, it } from 'vitest';
import { FakeWorker, servingWorker } from '../test-support/fakeWorker';
import { CancelledError, RpcClient, RpcError, WorkerCallError, WorkerUnavailableError, type Method } from './rpc';

interface TestApi {
  double: Method<number, number>;
  count: Method<{ to: number }, string, { done: number }>;
  /** Waits until cancelled (or released), then says how it ended. */
  wait: Method<null, string>;
  fail: Method<{ worded: boolean }, never>;
  clone: Method<null, unknown>;
}

function setup() {
  const seen: string[] = [];
  let release: (() => void) | null = null;
  const workers: FakeWorker[] = [];
  const client = new RpcClient<TestApi>(() => {
    const w = servingWorker<TestApi>({
      double: (n) => n * 2,
      count: async ({ to }, { progress }) => {
        for (let i = 1; i <= to; i++) progress({ done: i });
        return `counted to ${to}`;
      },
      wait: (_, { signal }) =>
        new Promise((resolve) => {
          release = () => resolve('released');
          signal.addEventListener('abort', () => {
            seen.push('worker saw the cancel');
            resolve('cancelled');
          });
        }),
      fail: ({ worded }) => {
        throw worded ? new RpcError('The file is not there.') : new TypeError('x is undefined');
      },
      clone: () => ({ f: () => 1 }),
    });
    workers.push(w);
    return w;
  }, 'the test worker');
  return { client, seen, workers, release: () => release?.(), armed: () => release !== null };
}

/** Waits (a task at a time, at most ~2 s) until `done` holds: messages cross on later tasks, more of them on a loaded machine. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !done(); i++) await new Promise((r) => setTimeout(r, 1));
}

describe('rpc', () => {
  it('answers calls with results and progress, overlapping calls by id', async () => {
    const { client, workers } = setup();
    const progress: number[] = [];
    const [a, b, c] = await Promise.all([client.call('double', 21), client.call('count', { to: 3 }, { onProgress: (p) => progress.push(p.done) }), client.call('double', 2)]);
    expect([a, b, c]).toEqual([42, 'counted to 3', 4]);
    expect(progress).toEqual([1, 2, 3]);
    expect(workers).toHaveLength(1); // started once, kept
    expect(client.inFlight).toBe(0);
  });

  it('rejects with the handler message: as it is when worded for users, else saying where it went wrong', async () => {
    const { client } = setup();
    await expect(client.call('fail', { worded: true })).rejects.toEqual(new WorkerCallError('The file is not there.'));
    await expect(client.call('fail', { worded: false })).rejects.toEqual(new WorkerCallError('Something went wrong in the test worker: x is undefined'));
    // A result that cannot be sent still answers.
    await expect(client.call('clone', null)).rejects.toThrow(/Something went wrong in the test worker: its answer could not be sent/);
    expect(await client.call('double', 1)).toBe(2);
  });

  it('cancels: the call rejects at once, the handler sees its signal, the worker stays for the next call', async () => {
    const { client, seen, workers, armed } = setup();
    const abort = new AbortController();
    const waiting = client.call('wait', null, { signal: abort.signal });
    await until(() => workers[0]?.sent.length === 1 && armed());
    abort.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    await until(() => seen.length > 0);
    expect(seen).toEqual(['worker saw the cancel']);
    expect(await client.call('double', 5)).toBe(10);
    expect(workers).toHaveLength(1);
    // An already aborted signal never reaches the worker.
    await expect(client.call('double', 1, { signal: abort.signal })).rejects.toBeInstanceOf(CancelledError);
  });

  it('a worker whose script does not load answers every pending and later call with an error that says to reload', async () => {
    const client = new RpcClient<TestApi>(() => new FakeWorker({ failToLoad: '' }), 'the test worker');
    const pending = client.call('double', 1);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerUnavailableError);
    expect((error as Error).message).toMatch(/^The test worker could not start: its script did not load\. .*Reload the page/);
    await expect(client.call('double', 2)).rejects.toBe(error);
    expect(client.unavailable).toBe(error);
  });

  it('a load failure before the first call is not missed (the client listens from the start)', async () => {
    const client = new RpcClient<TestApi>(() => new FakeWorker({ failToLoad: 'net::ERR_ABORTED 404' }), 'the test worker');
    client.start();
    await until(() => client.unavailable !== null);
    await expect(client.call('double', 1)).rejects.toThrow('could not start: its script did not load (net::ERR_ABORTED 404)');
  });

  it('a worker that dies fails what it was doing and everything after, and is stopped', async () => {
    const { client, workers, armed } = setup();
    expect(await client.call('double', 1)).toBe(2);
    const waiting = client.call('wait', null);
    await until(armed);
    workers[0]!.crash('out of memory');
    await expect(waiting).rejects.toThrow('The test worker stopped unexpectedly (out of memory). Reload the page to continue.');
    await expect(client.call('double', 1)).rejects.toBeInstanceOf(WorkerUnavailableError);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(1);
  });

  it('a worker that cannot even be constructed fails the call', async () => {
    const client = new RpcClient<TestApi>(() => {
      throw new Error('SecurityError');
    }, 'the test worker');
    await expect(client.call('double', 1)).rejects.toThrow('The test worker could not be created (SecurityError). Reload the page to continue.');
  });

  it('terminate stops the worker and cancels what is pending', async () => {
    const { client, workers, release, armed } = setup();
    const waiting = client.call('wait', null);
    await until(armed);
    client.terminate();
    release();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    expect(workers[0]!.terminated).toBe(true);
    await expect(client.call('double', 1)).rejects.toBeInstanceOf(WorkerUnavailableError);
  });
});
