import { describe, expect, it } from 'vitest';
import { ExportAhead, type AheadProgress } from './exportAhead';

/** A build the test finishes by hand, counting how often builds start and seeing their signal. */
function manualBuilds() {
  const started: { signal: AbortSignal; progress: (p: AheadProgress) => void; finish: (r: string) => void; fail: (e: Error) => void }[] = [];
  const build = (signal: AbortSignal, progress: (p: AheadProgress) => void) =>
    new Promise<string>((finish, fail) => {
      started.push({ signal, progress, finish, fail });
      signal.addEventListener('abort', () => fail(new Error('aborted')), { once: true });
    });
  return { started, build };
}

/** An ExportAhead already making the archive of `plan` for the check summary 'c'. */
function startedAhead() {
  const ahead = new ExportAhead<object, string>();
  const builds = manualBuilds();
  const plan = {};
  ahead.start(plan, 'c', builds.build);
  return { ahead, plan, ...builds };
}

const writing: AheadProgress = { done: 0, total: 0, label: 'Writing the archive' };
const checking: AheadProgress = { done: 0, total: 0, label: 'Checking the archive' };

describe('ExportAhead', () => {
  it('hands the archive made ahead to the export of the same plan and check, built once', async () => {
    const ahead = new ExportAhead<object, string>();
    const { started, build } = manualBuilds();
    const plan = {};
    ahead.start(plan, 'unchecked', build);
    ahead.start(plan, 'unchecked', build);
    expect(started).toHaveLength(1);
    started[0]!.finish('zip');
    expect(await ahead.take(plan, 'unchecked', () => undefined)).toBe('zip');
    // A second Download of the same choice gets it again.
    expect(await ahead.take(plan, 'unchecked', () => undefined)).toBe('zip');
    expect(started).toHaveLength(1);
  });

  it('is not handed over for another plan or another check summary', () => {
    const ahead = new ExportAhead<object, string>();
    const { build } = manualBuilds();
    const plan = {};
    ahead.start(plan, '{"checked":false}', build);
    expect(ahead.take({}, '{"checked":false}', () => undefined)).toBeNull();
    expect(ahead.take(plan, '{"checked":true,"open":{"error":1}}', () => undefined)).toBeNull();
  });

  it('shows an export that waits for it the steps passed so far, then the rest', async () => {
    const { ahead, plan, started } = startedAhead();
    started[0]!.progress(writing);
    const seen: string[] = [];
    const taken = ahead.take(plan, 'c', (p) => seen.push(p.label));
    expect(seen).toEqual(['Writing the archive']);
    started[0]!.progress(checking);
    started[0]!.finish('zip');
    expect(await taken).toBe('zip');
    expect(seen).toEqual(['Writing the archive', 'Checking the archive']);
  });

  it('stops a build nobody waits for when the choice changes, and keeps the one of the same plan', () => {
    const { ahead, plan, started } = startedAhead();
    ahead.drop(plan);
    expect(started[0]!.signal.aborted).toBe(false);
    ahead.drop({});
    expect(started[0]!.signal.aborted).toBe(true);
    expect(ahead.take(plan, 'c', () => undefined)).toBeNull();
  });

  it('does not stop a build an export waits for; the export’s Cancel does', async () => {
    const { ahead, plan, started, build } = startedAhead();
    const cancel = new AbortController();
    const taken = ahead.take(plan, 'c', () => undefined, cancel.signal)!;
    ahead.drop({});
    ahead.start({}, 'c', build);
    expect(started[0]!.signal.aborted).toBe(false);
    cancel.abort();
    expect(started[0]!.signal.aborted).toBe(true);
    await expect(taken).rejects.toThrow('aborted');
  });

  it('forgets a build that failed, so that the export builds anew', async () => {
    const { ahead, plan, started, build } = startedAhead();
    started[0]!.fail(new Error('did not read back'));
    await Promise.resolve();
    await Promise.resolve();
    expect(ahead.has(plan, 'c')).toBe(false);
    expect(ahead.take(plan, 'c', () => undefined)).toBeNull();
    ahead.start(plan, 'c', build);
    expect(started).toHaveLength(2);
  });

  it('takeOrBuild: an archive built at the click is kept, so the same choice asks for no second build', async () => {
    const ahead = new ExportAhead<object, string>();
    const { started, build } = manualBuilds();
    const plan = {};
    let builtNow = 0;
    const now = () => Promise.resolve(`zip ${++builtNow}`);
    expect(await ahead.takeOrBuild(plan, 'c', () => undefined, new AbortController().signal, now)).toBe('zip 1');
    // The dialog shown again asks for the archive of the same choice: nothing is built.
    ahead.start(plan, 'c', build);
    expect(started).toHaveLength(0);
    expect(await ahead.takeOrBuild(plan, 'c', () => undefined, new AbortController().signal, now)).toBe('zip 1');
    expect(builtNow).toBe(1);
  });

  it('takeOrBuild: a build made ahead that failed is replaced by one built now; a cancelled export builds nothing', async () => {
    const { ahead, plan, started, build } = startedAhead();
    const now = () => Promise.resolve('built now');
    const taken = ahead.takeOrBuild(plan, 'c', () => undefined, new AbortController().signal, now);
    started[0]!.fail(new Error('did not read back'));
    expect(await taken).toBe('built now');

    const other = {};
    ahead.start(other, 'c', build);
    const cancel = new AbortController();
    let calls = 0;
    const cancelled = ahead.takeOrBuild(other, 'c', () => undefined, cancel.signal, () => Promise.resolve(`never ${++calls}`));
    cancel.abort();
    await expect(cancelled).rejects.toThrow('aborted');
    expect(calls).toBe(0);
  });
});
