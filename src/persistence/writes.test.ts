import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { added, change, removed } from '../core/change';
import { makeBox, makeImage, makeProject } from '../test-support/fixtures';
import { openTallyDb } from './db';
import { Repository, writesForChange } from './repository';
import { commitWrites, hurryWrites, type Write } from './writes';

afterEach(() => vi.restoreAllMocks());

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
      const put = vi.spyOn(IDBObjectStore.prototype, 'put');
      const commit = vi.spyOn(IDBTransaction.prototype, 'commit');
      const done = commitWrites(db, batch(), 4);
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
      const put = vi.spyOn(IDBObjectStore.prototype, 'put');
      const commit = vi.spyOn(IDBTransaction.prototype, 'commit');
      const done = commitWrites(db, batch(), 4);
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
      await expect(commitWrites(db, [...batch(), ...writesForChange(change(added('images', dup)))], 4)).rejects.toMatchObject({ name: 'ConstraintError' });
      expect(await db.getAll('projects')).toEqual([]);
      expect(await db.getAll('shapeLog')).toEqual([]);
      db.close();
    });
  });
});
