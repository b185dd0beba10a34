import { describe, expect, it } from 'vitest';
import { PermanentWriteError, WriteQueue, type SaveStatus } from './writeQueue';
import type { Write } from './writes';

/** A write we can recognise: put of a setting whose value names the change. */
const w = (name: string): Write => ({ op: 'put', store: 'settings', value: { key: 'annotatorName', value: name } });
const names = (writes: readonly Write[]) => writes.map((x) => (x.op === 'put' && x.store === 'settings' && typeof x.value.value === 'string' ? x.value.value : '?'));

interface Call {
  writes: string[];
  resolve(): void;
  reject(e: unknown): void;
}

/** A disk whose transactions finish when the test says so. */
function harness() {
  const calls: Call[] = [];
  const disk: string[] = []; // the order writes reached the disk
  const statuses: SaveStatus[] = [];
  const timers: Array<() => void> = [];
  const queue = new WriteQueue({
    commit: (writes) =>
      new Promise<void>((resolve, reject) => {
        const call: Call = {
          writes: names(writes),
          resolve: () => {
            disk.push(...call.writes);
            resolve();
          },
          reject,
        };
        calls.push(call);
      }),
    describeError: async (e) => `failed: ${(e as Error).name}`,
    onStatus: (s) => statuses.push(s),
    setTimer: (fn) => timers.push(fn),
  });
  return { queue, calls, disk, statuses, timers };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const err = (name: string) => Object.assign(new Error(name), { name });

describe('WriteQueue', () => {
  it('writes a change at once and reports saved only after the commit', async () => {
    const h = harness();
    let done = false;
    const p = h.queue.enqueue([w('a')]).then(() => (done = true));
    expect(h.calls.map((c) => c.writes)).toEqual([['a']]);
    expect(h.queue.status).toEqual({ state: 'saving' });
    await tick();
    expect(done).toBe(false);
    h.calls[0]!.resolve();
    await p;
    expect(h.queue.status).toEqual({ state: 'saved' });
    expect(h.statuses).toEqual([{ state: 'saving' }, { state: 'saved' }]);
  });

  it('groups changes made during a transaction into the next one, never splitting a change', async () => {
    const h = harness();
    void h.queue.enqueue([w('a')]);
    void h.queue.enqueue([w('b1'), w('b2')]);
    void h.queue.enqueue([w('c')]);
    expect(h.calls).toHaveLength(1);
    h.calls[0]!.resolve();
    await tick();
    expect(h.calls.map((c) => c.writes)).toEqual([['a'], ['b1', 'b2', 'c']]);
    h.calls[1]!.resolve();
    await h.queue.whenIdle();
    expect(h.disk).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('retries a failed transaction before newer changes and shows the error meanwhile', async () => {
    const h = harness();
    const first = h.queue.enqueue([w('a')]);
    h.calls[0]!.reject(err('QuotaExceededError'));
    await tick();
    expect(h.queue.status).toEqual({ state: 'error', message: 'failed: QuotaExceededError' });
    void h.queue.enqueue([w('b')]); // made while the error shows: must wait for 'a'
    expect(h.calls).toHaveLength(1);
    h.timers.shift()!(); // retry
    expect(h.calls[1]!.writes).toEqual(['a', 'b']);
    h.calls[1]!.resolve();
    await first;
    await h.queue.whenIdle();
    expect(h.disk).toEqual(['a', 'b']);
    expect(h.queue.status).toEqual({ state: 'saved' });
  });

  it('keeps retrying with back-off until the disk accepts', async () => {
    const h = harness();
    void h.queue.enqueue([w('a')]);
    for (let i = 0; i < 3; i++) {
      h.calls[i]!.reject(err('UnknownError'));
      await tick();
      expect(h.queue.status.state).toBe('error');
      h.timers.shift()!();
    }
    h.calls[3]!.resolve();
    await h.queue.whenIdle();
    expect(h.disk).toEqual(['a']);
  });

  it('pins a permanent error on the change that caused it and still writes the others', async () => {
    const h = harness();
    void h.queue.enqueue([w('a')]);
    const good = h.queue.enqueue([w('good')]);
    const bad = h.queue.enqueue([w('bad')]);
    const later = h.queue.enqueue([w('later')]);
    h.calls[0]!.resolve();
    await tick();
    expect(h.calls[1]!.writes).toEqual(['good', 'bad', 'later']);
    h.calls[1]!.reject(err('ConstraintError'));
    await tick();
    // Now each goes alone.
    expect(h.calls[2]!.writes).toEqual(['good']);
    h.calls[2]!.resolve();
    await tick();
    expect(h.calls[3]!.writes).toEqual(['bad']);
    h.calls[3]!.reject(err('ConstraintError'));
    await expect(bad).rejects.toBeInstanceOf(PermanentWriteError);
    await tick();
    expect(h.calls[4]!.writes).toEqual(['later']);
    h.calls[4]!.resolve();
    await Promise.all([good, later]);
    expect(h.disk).toEqual(['a', 'good', 'later']);
    expect(h.queue.status).toEqual({ state: 'saved' });
  });

  it('never says Saved after a labelled change was refused for good: it names the change until dismissed', async () => {
    const h = harness();
    const bad = h.queue.enqueue([w('bad')], { label: 'draw box on street.jpg' });
    const caught = bad.catch((e: unknown) => e);
    h.calls[0]!.reject(err('DataCloneError'));
    expect(await caught).toBeInstanceOf(PermanentWriteError);
    await tick();
    const refused = { state: 'refused', message: 'Not saved: draw box on street.jpg — failed: DataCloneError' };
    expect(h.queue.status).toEqual(refused);
    expect(h.queue.idle).toBe(true);
    expect(h.statuses).not.toContainEqual({ state: 'saved' });
    // Later changes are saved, but the refusal stays said.
    const next = h.queue.enqueue([w('next')], { label: 'move box' });
    expect(h.queue.status).toEqual(refused);
    h.calls[1]!.resolve();
    await next;
    expect(h.queue.status).toEqual(refused);
    expect(h.statuses).not.toContainEqual({ state: 'saved' });
    h.queue.dismissRefusal();
    expect(h.queue.status).toEqual({ state: 'saved' });
  });

  it('a refused change without a label (an import reports its own failures) only rejects', async () => {
    const h = harness();
    const bad = h.queue.enqueue([w('bad')]).catch((e: unknown) => e);
    h.calls[0]!.reject(err('ConstraintError'));
    expect(await bad).toBeInstanceOf(PermanentWriteError);
    await tick();
    expect(h.queue.status).toEqual({ state: 'saved' });
  });

  it('flush sends waiting changes without waiting, and replays them if the earlier transaction fails', async () => {
    const h = harness();
    void h.queue.enqueue([w('a')]);
    void h.queue.enqueue([w('b')]);
    h.queue.flush();
    expect(h.calls.map((c) => c.writes)).toEqual([['a'], ['b']]);
    h.calls[1]!.resolve(); // the later transaction lands first…
    h.calls[0]!.reject(err('AbortError')); // …and the earlier one fails
    await tick();
    h.timers.shift()!();
    expect(h.calls[2]!.writes).toEqual(['a', 'b']); // replayed in order: b ends up after a
    h.calls[2]!.resolve();
    await h.queue.whenIdle();
    expect(h.disk).toEqual(['b', 'a', 'b']);
  });

  it('flush first has the batch being written handed over whole (hurry), then sends the waiting ones', () => {
    const order: string[] = [];
    const queue = new WriteQueue({
      commit: (writes) => {
        order.push(`commit ${names(writes).join()}`);
        return new Promise<void>(() => undefined);
      },
      hurry: () => order.push('hurry'),
      describeError: async () => '',
      setTimer: () => null,
    });
    void queue.enqueue([w('a')]);
    void queue.enqueue([w('b')]);
    queue.flush();
    expect(order).toEqual(['commit a', 'hurry', 'commit b']);
  });

  it('an empty change costs nothing', async () => {
    const h = harness();
    await h.queue.enqueue([]);
    expect(h.calls).toHaveLength(0);
    expect(h.statuses).toEqual([]);
  });
});

describe('WriteQueue: changes that give up on an error', () => {
  it('rejects a change that gives up on quota errors, and keeps retrying one that does not', async () => {
    const h = harness();
    void h.queue.enqueue([w('first')]);
    const edit = h.queue.enqueue([w('edit')]);
    const image = h.queue.enqueue([w('image')], { giveUpOn: ['QuotaExceededError'] });
    h.calls[0]!.resolve();
    await tick();
    expect(h.calls[1]!.writes).toEqual(['edit', 'image']);
    h.calls[1]!.reject(err('QuotaExceededError'));
    await tick();
    // Isolated: the edit alone first.
    expect(h.calls[2]!.writes).toEqual(['edit']);
    h.calls[2]!.reject(err('QuotaExceededError'));
    // The image does not wait behind the edit's retries.
    await expect(image).rejects.toMatchObject({ name: 'PermanentWriteError', message: 'failed: QuotaExceededError' });
    expect(h.queue.status).toEqual({ state: 'error', message: 'failed: QuotaExceededError' });
    h.timers.shift()!();
    expect(h.calls[3]!.writes).toEqual(['edit']);
    h.calls[3]!.resolve(); // space was freed
    await edit;
    expect(h.disk).toEqual(['first', 'edit']);
    expect(h.queue.status).toEqual({ state: 'saved' });
  });

  it('rejects a lone change that gives up, without retrying it', async () => {
    const h = harness();
    const image = h.queue.enqueue([w('image')], { giveUpOn: ['QuotaExceededError'] });
    h.calls[0]!.reject(err('QuotaExceededError'));
    await expect(image).rejects.toBeInstanceOf(PermanentWriteError);
    await tick();
    expect(h.calls).toHaveLength(1);
    expect(h.timers).toHaveLength(0);
    expect(h.queue.status).toEqual({ state: 'saved' });
  });
});
