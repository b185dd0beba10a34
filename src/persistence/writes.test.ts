import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { added, change, removed } from '../core/change';
import { makeBox, makeImage, makeProject } from '../test-support/fixtures';
import { openTallyDb } from './db';
import { Repository, writesForChange } from './repository';
import { afterNextPaint, commitWrites, hurryWrites, weightOf, type Write } from './writes';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** Spies on what reaches IndexedDB: puts, commits asked for, transactions opened (set up after any preparation the test does). */
function spyOnIdb() {
  return {
    put: vi.spyOn(IDBObjectStore.prototype, 'put'),
    commit: vi.spyOn(IDBTransaction.prototype, 'commit'),
    transaction: vi.spyOn(IDBDatabase.prototype, 'transaction'),
  };
}

/** A `later` for commitWrites that runs what it was given only when the test says so. */
function manualLater() {
  const waiting: Array<() => void> = [];
  return { later: (fn: () => void) => void waiting.push(fn), run: () => waiting.splice(0).forEach((fn) => fn()), get waiting() { return waiting.length; } };
}

describe('commitWrites', () => {
  it('asks for the commit as soon as every request is issued, in the same task', async () => {
    const db = await openTallyDb('tally-writes-commit');
    const commit = vi.spyOn(IDBTransaction.prototype, 'commit');
    const done = commitWrites(db, writesForChange(change(added('projects', makeProject()))));
    // Before any request has come back: a page closed now has handed the batch over already.
    expect(commit).toHaveBeenCalledTimes(1);
    await done;
    expect(await new Repository(db).getProject(makeProject().id)).toEqual(makeProject());
    db.close();
  });

  it('a request refused on the spot aborts the whole batch: nothing of it is stored', async () => {
    const db = await openTallyDb('tally-writes-refused');
    const good = makeProject();
    const bad = { ...makeProject({ id: 'p2' as never }), notCloneable: () => undefined };
    await expect(commitWrites(db, writesForChange(change(added('projects', good), added('projects', bad))))).rejects.toMatchObject({ name: 'DataCloneError' });
    expect(await db.getAll('projects')).toEqual([]);
    db.close();
  });

  describe('a batch larger than a turn', () => {
    const project = makeProject();
    const image = makeImage(1);
    const boxes = Array.from({ length: 10 }, (_, i) => makeBox(i + 1, image.id));
    /** The project, its image, 10 boxes drawn one at a time (a log entry each), then the first box deleted again (order matters). */
    const batch = (): Write[] => [
      ...writesForChange(change(added('projects', project), added('images', image))),
      ...boxes.flatMap((b) => writesForChange(change(added('annotations', b)))),
      ...writesForChange(change(removed('annotations', boxes[0]!))),
    ];

    it('is issued a turn at a time in one transaction, in order, and commits once all is issued', async () => {
      const db = await openTallyDb('tally-writes-turns');
      const { put, commit, transaction } = spyOnIdb();
      const paint = manualLater();
      const done = commitWrites(db, batch(), 4, paint.later);
      // Nothing handed over before the page has painted (not even a transaction opened, which
      // would commit empty at the end of this task).
      expect(put).not.toHaveBeenCalled();
      expect(transaction).not.toHaveBeenCalled();
      paint.run();
      // The first turn only: the page gets its event loop back after 4 requests.
      expect(put).toHaveBeenCalledTimes(4);
      expect(commit).not.toHaveBeenCalled();
      await done;
      expect(put).toHaveBeenCalledTimes(13);
      expect(commit).toHaveBeenCalledTimes(1);
      const repo = new Repository(db);
      expect(await repo.getProject(project.id)).toEqual(project);
      expect((await repo.annotationsOfImage(project.id, image.id)).map((a) => a.id).sort()).toEqual(boxes.slice(1).map((b) => b.id).sort());
      db.close();
    });

    it('hurryWrites (the page is going away) issues the rest at once and asks for the commit in the same call', async () => {
      const db = await openTallyDb('tally-writes-hurry');
      const { put, commit } = spyOnIdb();
      const paint = manualLater();
      const done = commitWrites(db, batch(), 4, paint.later);
      paint.run();
      expect(commit).not.toHaveBeenCalled();
      hurryWrites();
      // The whole batch again, in a new transaction (the first one takes requests only in its callbacks), committed.
      expect(put).toHaveBeenCalledTimes(4 + 13);
      expect(commit).toHaveBeenCalledTimes(1);
      await done;
      const repo = new Repository(db);
      expect((await repo.annotationsOfImage(project.id, image.id)).map((a) => a.id).sort()).toEqual(boxes.slice(1).map((b) => b.id).sort());
      // Nothing is left to hurry.
      hurryWrites();
      expect(commit).toHaveBeenCalledTimes(1);
      db.close();
    });

    it('a request failing in a later turn leaves nothing of the batch stored, and says why', async () => {
      const db = await openTallyDb('tally-writes-turn-fails');
      // The last write: an image with image 1's SHA-256 in the same project (a unique index refuses it).
      const dup = makeImage(2, { sha256: image.sha256 });
      await expect(commitWrites(db, [...batch(), ...writesForChange(change(added('images', dup)))], 4, (fn) => setTimeout(fn, 0))).rejects.toMatchObject({ name: 'ConstraintError' });
      expect(await db.getAll('projects')).toEqual([]);
      expect(await db.getAll('shapeLog')).toEqual([]);
      db.close();
    });
  });

  describe('a batch weighed by the shapes it carries', () => {
    const project = makeProject();
    const image = makeImage(1);
    const imported = (n: number): Write[] => writesForChange(change(...Array.from({ length: n }, (_, i) => added('annotations', makeBox(i + 1, image.id)))));
    /** A database holding the project and its image, for the shapes to go on. */
    const withImage = async (name: string) => {
      const db = await openTallyDb(name);
      await commitWrites(db, writesForChange(change(added('projects', project), added('images', image))));
      return db;
    };

    it('a shape log entry weighs its shapes and removals; any other write one', () => {
      const [entry] = imported(200);
      expect(entry).toMatchObject({ op: 'put', store: 'shapeLog' });
      expect(weightOf(entry!)).toBe(200);
      expect(weightOf(writesForChange(change(removed('annotations', makeBox(1, image.id))))[0]!)).toBe(1);
      expect(weightOf(writesForChange(change(added('projects', project)))[0]!)).toBe(1);
    });

    it('one entry of 200 imported shapes, heavier than a turn of 100, waits for the paint, then goes whole in one turn and commits', async () => {
      const db = await withImage('tally-writes-weight');
      const { put, commit } = spyOnIdb();
      const paint = manualLater();
      const done = commitWrites(db, imported(200), 100, paint.later);
      expect(put).not.toHaveBeenCalled();
      expect(paint.waiting).toBe(1);
      paint.run();
      expect(put).toHaveBeenCalledTimes(1);
      expect(commit).toHaveBeenCalledTimes(1);
      await done;
      expect(await new Repository(db).annotationsOfImage(project.id, image.id)).toHaveLength(200);
      db.close();
    });

    it('1,200 imported shapes (five entries) go an entry a turn after the paint, in one transaction', async () => {
      const db = await withImage('tally-writes-entries');
      const { put, commit, transaction } = spyOnIdb();
      const paint = manualLater();
      const writes = imported(1_200);
      expect(writes.map(weightOf)).toEqual([250, 250, 250, 250, 200]);
      const done = commitWrites(db, writes, 250, paint.later);
      paint.run();
      expect(put).toHaveBeenCalledTimes(1);
      expect(commit).not.toHaveBeenCalled();
      await done;
      expect(put).toHaveBeenCalledTimes(5);
      expect(commit).toHaveBeenCalledTimes(1);
      expect(transaction).toHaveBeenCalledTimes(1);
      expect(await new Repository(db).annotationsOfImage(project.id, image.id)).toHaveLength(1_200);
      db.close();
    });

    it('a batch within one turn is handed over in the calling task, without waiting for a paint', async () => {
      const db = await openTallyDb('tally-writes-light');
      const { commit } = spyOnIdb();
      const paint = manualLater();
      const done = commitWrites(db, [...writesForChange(change(added('projects', project), added('images', image))), ...imported(200)], 250, paint.later);
      expect(commit).toHaveBeenCalledTimes(1);
      expect(paint.waiting).toBe(0);
      await done;
      db.close();
    });

    it('hurryWrites while the batch waits for its paint hands it all over at once', async () => {
      const db = await withImage('tally-writes-hurry-waiting');
      const { commit } = spyOnIdb();
      const paint = manualLater();
      const done = commitWrites(db, imported(1_000), 250, paint.later);
      hurryWrites();
      expect(commit).toHaveBeenCalledTimes(1);
      paint.run(); // the paint comes afterwards: nothing more is issued
      await done;
      expect(commit).toHaveBeenCalledTimes(1);
      expect(await new Repository(db).annotationsOfImage(project.id, image.id)).toHaveLength(1_000);
      db.close();
    });
  });
});

describe('afterNextPaint', () => {
  it('runs after the next frame, in a task of its own after it', () => {
    vi.useFakeTimers();
    const frames: Array<() => void> = [];
    vi.stubGlobal('requestAnimationFrame', (fn: () => void) => frames.push(fn));
    vi.stubGlobal('document', { visibilityState: 'visible' });
    const fn = vi.fn();
    afterNextPaint(fn);
    vi.advanceTimersByTime(50);
    expect(fn).not.toHaveBeenCalled();
    frames.splice(0).forEach((f) => f());
    expect(fn).not.toHaveBeenCalled(); // not in the frame's callbacks: after its paint
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(200);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not wait for a frame that a hidden page never paints, nor for long if painting stops', () => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', () => 0);
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    const hidden = vi.fn();
    afterNextPaint(hidden);
    vi.advanceTimersByTime(0);
    expect(hidden).toHaveBeenCalledTimes(1);
    vi.stubGlobal('document', { visibilityState: 'visible' });
    const stalled = vi.fn();
    afterNextPaint(stalled);
    vi.advanceTimersByTime(99);
    expect(stalled).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(stalled).toHaveBeenCalledTimes(1);
  });
});
