import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { added, change } from '../core/change';
import { makeProject } from '../test-support/fixtures';
import { openTallyDb } from './db';
import { Repository, writesForChange } from './repository';
import { commitWrites } from './writes';

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
});
