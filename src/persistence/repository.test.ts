import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { added, change, removed, updated } from '../core/change';
import type { ClassId, DecisionId, ImageRecord, ProjectId } from '../core/model';
import { layersFor, makeBox, makeImage, makeProject } from '../test-support/fixtures';
import { openTallyDb, type TallyDb } from './db';
import { COMPACT_AT, Repository, writesForChange, type BadRecord, writesForDeleteProject, writesForImageFiles, writesForSetting } from './repository';
import { commitWrites } from './writes';
import { openedKey } from './schema';

let db: TallyDb;
let repo: Repository;
let dbName: string;
let counter = 0;

beforeEach(async () => {
  dbName = `tally-test-${++counter}`;
  db = await openTallyDb(dbName);
  repo = new Repository(db);
});
afterEach(() => db.close());

const bytes = (s: string) => new Blob([s], { type: 'image/jpeg' });

async function storeImage(img: ImageRecord) {
  await commitWrites(db, [...writesForImageFiles(img, bytes(`bytes of ${img.id}`), bytes(`thumb of ${img.id}`)), ...writesForChange(change(added('images', img)))]);
}

describe('repository', () => {
  it('checks what it reads: a shape it cannot use is left out and reported, one it can restore is restored', async () => {
    const bad: BadRecord[] = [];
    const checked = new Repository(db, { onBadRecord: (b) => bad.push(b) });
    const good = makeBox(1, makeImage(1).id);
    const { revision: _r, ...oldRevision } = makeBox(2, makeImage(1).id);
    const { layerId: _l, ...noLayer } = makeBox(3, makeImage(1).id);
    const entry = { projectId: 'p1', imageId: makeImage(1).id, layerId: good.layerId, seq: 1, shapes: [good, oldRevision, noLayer], removed: [], classKeys: [] };
    await db.put('shapeLog', entry as never);
    await db.put('shapeLog', { projectId: 'p1', imageId: makeImage(1).id, layerId: good.layerId, seq: 2, shapes: 'not a list' } as never);
    const read = await checked.listAnnotations('p1' as ProjectId);
    expect(read.map((a) => [a.id, a.revision])).toEqual([['a-1', 1], ['a-2', 1]]);
    expect(bad).toEqual([
      { store: 'shapeLog', reason: 'a shape log entry without its parts' },
      { store: 'shapeLog', reason: 'shape a-3 names no layer' },
    ]);
    expect((await checked.annotationsOfImage('p1' as ProjectId, makeImage(1).id)).map((a) => a.id)).toEqual(['a-1', 'a-2']);
    // Left out, not deleted: the records are still on disk for a later version to read.
    expect(await db.count('shapeLog')).toBe(2);
    expect((await db.getAll('shapeLog'))[0]).toEqual(entry);
  });

  it('lists layers oldest first and review decisions by project or image; deleting the project removes them', async () => {
    const p = makeProject();
    const [ana, bo] = layersFor('ana', 'bo');
    const decision = { id: 'd-1' as DecisionId, projectId: p.id, imageId: makeImage(1).id, clusterKey: 'a-1+a-2', action: 'accept' as const, consensusId: null, decidedBy: 'lead', revision: 1, at: 5 };
    await commitWrites(db, writesForChange(change(added('projects', p), added('layers', bo!), added('layers', ana!), added('reviewDecisions', decision))));
    expect((await repo.listLayers(p.id)).map((l) => l.name)).toEqual(['ana', 'bo']);
    expect(await repo.listDecisions(p.id)).toEqual([decision]);
    expect(await repo.listDecisions(p.id, makeImage(1).id)).toEqual([decision]);
    expect(await repo.listDecisions(p.id, makeImage(2).id)).toEqual([]);
    await commitWrites(db, writesForDeleteProject(p.id));
    expect(await db.count('layers')).toBe(0);
    expect(await db.count('reviewDecisions')).toBe(0);
  });

  it('stores an image with its bytes and thumbnail, and lists images in import order', async () => {
    const p = makeProject();
    await commitWrites(db, writesForChange(change(added('projects', p))));
    for (const n of [3, 1, 2]) await storeImage(makeImage(n));
    expect((await repo.listImages(p.id)).map((i) => i.id)).toEqual(['img-1', 'img-2', 'img-3']);
    expect(await (await repo.getImageBlob(p.id, makeImage(2).id))!.text()).toBe('bytes of img-2');
    const thumbs = await repo.getThumbnails(p.id, [makeImage(2).id, 'missing' as ImageRecord['id'], makeImage(3).id]);
    expect([...thumbs.keys()]).toEqual(['img-2', 'img-3']);
    expect(await thumbs.get(makeImage(2).id)!.text()).toBe('thumb of img-2');
    const blobs = await repo.getImageBlobs(p.id, [makeImage(3).id, 'missing' as ImageRecord['id'], makeImage(1).id]);
    expect([...blobs.keys()]).toEqual(['img-3', 'img-1']);
    expect(await blobs.get(makeImage(1).id)!.text()).toBe('bytes of img-1');
  });

  it('lists every annotation of a project, and only of that project', async () => {
    const p = makeProject();
    const other = makeProject({ id: 'p2' as ProjectId });
    await commitWrites(db, writesForChange(change(added('projects', p), added('projects', other))));
    await storeImage(makeImage(1));
    await commitWrites(db, writesForChange(change(added('annotations', makeBox(1, makeImage(1).id)), added('annotations', makeBox(2, makeImage(1).id, { projectId: other.id })))));
    expect((await repo.listAnnotations(p.id)).map((a) => a.id)).toEqual(['a-1']);
  });

  it('applies a Change: added, updated and removed records, in one transaction', async () => {
    const p = makeProject();
    const img = makeImage(1);
    await commitWrites(db, writesForChange(change(added('projects', p))));
    await storeImage(img);
    const a1 = makeBox(1, img.id);
    const a2 = makeBox(2, img.id);
    const withShapes = { ...img, annotationCount: 2 };
    await commitWrites(db, writesForChange(change(added('annotations', a1), added('annotations', a2), updated('images', img, withShapes))));
    expect((await repo.annotationsOfImage(p.id, img.id)).map((a) => a.id)).toEqual(['a-1', 'a-2']);
    const moved = { ...a1, shape: { kind: 'box' as const, x: 1, y: 2, w: 3, h: 4 } };
    await commitWrites(db, writesForChange(change(updated('annotations', a1, moved), removed('annotations', a2), updated('images', withShapes, { ...withShapes, annotationCount: 1 }))));
    expect(await repo.annotationsOfImage(p.id, img.id)).toEqual([moved]);
    expect((await repo.listImages(p.id))[0]!.annotationCount).toBe(1);
    expect(await repo.annotationsOfClass(p.id, a1.classId)).toEqual([moved]);
  });

  it('finds a class’s shapes by the entries that held it, as they are now: a shape since given another class is not one of them', async () => {
    const img = makeImage(1);
    const car = makeBox(1, img.id);
    const person = makeBox(2, makeImage(2).id, { classId: 'c-person' as ClassId });
    await commitWrites(db, writesForChange(change(added('annotations', car), added('annotations', person), added('annotations', makeBox(3, img.id)))));
    await commitWrites(db, writesForChange(change(updated('annotations', car, { ...car, classId: 'c-person' as ClassId }))));
    expect((await repo.annotationsOfClass('p1' as ProjectId, 'c-car' as ClassId)).map((a) => a.id)).toEqual(['a-3']);
    expect((await repo.annotationsOfClass('p1' as ProjectId, 'c-person' as ClassId)).map((a) => a.id)).toEqual(['a-1', 'a-2']);
  });

  it('compacts a layer whose shapes took more than COMPACT_AT entries when the image is read, keeping every shape as it is', async () => {
    const img = makeImage(1);
    const compacting = new Repository(db, { compact: true });
    const boxes = Array.from({ length: COMPACT_AT + 1 }, (_, i) => makeBox(i + 1, img.id));
    for (const b of boxes) await commitWrites(db, writesForChange(change(added('annotations', b))));
    await commitWrites(db, writesForChange(change(removed('annotations', boxes[0]!))));
    const other = makeBox(99, makeImage(2).id);
    await commitWrites(db, writesForChange(change(added('annotations', other))));
    const before = await repo.listAnnotations('p1' as ProjectId);
    expect(await db.count('shapeLog')).toBe(COMPACT_AT + 3);
    expect(await compacting.annotationsOfImage('p1' as ProjectId, img.id)).toEqual(before.filter((a) => a.imageId === img.id));
    // Compaction's readwrite transaction was created before the read returned: any later transaction sees its result.
    expect(await db.count('shapeLog')).toBe(2);
    expect(await repo.listAnnotations('p1' as ProjectId)).toEqual(before);
    // A change saved after the compaction still comes after it.
    await commitWrites(db, writesForChange(change(removed('annotations', boxes[1]!))));
    expect((await repo.annotationsOfImage('p1' as ProjectId, img.id)).map((a) => a.id)).toEqual(boxes.slice(2).map((b) => b.id).sort());
    // Below the threshold nothing is rewritten.
    await compacting.annotationsOfImage('p1' as ProjectId, img.id);
    await db.getAll('shapeLog');
    expect(await db.count('shapeLog')).toBe(3);
  });

  it('writes nothing when any write of the transaction fails', async () => {
    const p = makeProject();
    await commitWrites(db, writesForChange(change(added('projects', p))));
    await storeImage(makeImage(1));
    // Same SHA-256 as image 1 in the same project: the unique index refuses the whole batch.
    const dup = makeImage(2, { sha256: makeImage(1).sha256 });
    const renamed = { ...p, name: 'Renamed' };
    const batch = [...writesForChange(change(updated('projects', p, renamed))), ...writesForImageFiles(dup, bytes('x'), bytes('y')), ...writesForChange(change(added('images', dup)))];
    await expect(commitWrites(db, batch)).rejects.toMatchObject({ name: 'ConstraintError' });
    expect((await repo.getProject(p.id))!.name).toBe('Streets');
    expect((await repo.listImages(p.id)).map((i) => i.id)).toEqual(['img-1']);
    expect(await repo.getImageBlob(p.id, dup.id)).toBeUndefined();
  });

  it('allows the same bytes in two different projects', async () => {
    const other = 'p2' as ProjectId;
    await storeImage(makeImage(1));
    await storeImage(makeImage(1, { projectId: other }));
    expect(await repo.listImages(other)).toHaveLength(1);
  });

  it('deletes one project entirely and leaves the others alone', async () => {
    const p1 = makeProject();
    const p2 = makeProject({ id: 'p2' as ProjectId, name: 'Other', createdAt: 2 });
    await commitWrites(db, writesForChange(change(added('projects', p1), added('projects', p2))));
    for (const pid of [p1.id, p2.id]) {
      const img = makeImage(1, { projectId: pid, annotationCount: 1 });
      await storeImage(img);
      await commitWrites(db, writesForChange(change(added('annotations', makeBox(1, img.id, { projectId: pid })))));
    }
    expect((await repo.listProjects()).map((s) => [s.project.name, s.imageCount, s.annotationCount])).toEqual([
      ['Other', 1, 1],
      ['Streets', 1, 1],
    ]);
    await commitWrites(db, writesForDeleteProject(p1.id));
    expect((await repo.listProjects()).map((s) => s.project.name)).toEqual(['Other']);
    expect(await repo.listImages(p1.id)).toEqual([]);
    expect(await repo.getImageBlob(p1.id, makeImage(1).id)).toBeUndefined();
    expect((await repo.getThumbnails(p1.id, [makeImage(1).id])).size).toBe(0);
    expect(await repo.annotationsOfImage(p1.id, makeImage(1).id)).toEqual([]);
    expect(await repo.listImages(p2.id)).toHaveLength(1);
    expect(await repo.annotationsOfImage(p2.id, makeImage(1).id)).toHaveLength(1);
  });

  it('summarises each project for the start page: progress, where it was left, a cover image; last opened first', async () => {
    const a = makeProject({ id: 'pa' as ProjectId, name: 'A', createdAt: 1 });
    const b = makeProject({ id: 'pb' as ProjectId, name: 'B', createdAt: 2 });
    await commitWrites(db, writesForChange(change(added('projects', a), added('projects', b))));
    for (const [n, status] of [[1, 'done'], [2, 'new'], [3, 'done']] as const) await storeImage({ ...makeImage(n), projectId: a.id, status });
    const first = await repo.listProjects();
    expect(first.map((s) => [s.project.name, s.imageCount, s.doneCount, s.lastOpened, s.coverImageId])).toEqual([
      ['B', 0, 0, null, null],
      ['A', 3, 2, null, 'img-1'],
    ]);
    await commitWrites(db, writesForSetting({ key: openedKey(a.id), value: { imageId: 'img-2', at: 50 } }));
    const after = await repo.listProjects();
    expect(after.map((s) => [s.project.name, s.lastOpened, s.coverImageId])).toEqual([
      ['A', { imageId: 'img-2', at: 50 }, 'img-2'],
      ['B', null, null],
    ]);
    expect(await repo.lastOpened(a.id)).toEqual({ imageId: 'img-2', at: 50 });
    // Deleting the project forgets where it was left.
    await commitWrites(db, writesForDeleteProject(a.id));
    expect(await repo.lastOpened(a.id)).toBeNull();
  });

  it('keeps settings', async () => {
    expect(await repo.getSetting('annotatorName')).toBeUndefined();
    await commitWrites(db, writesForSetting({ key: 'annotatorName', value: 'Ana' }));
    expect(await repo.getSetting('annotatorName')).toBe('Ana');
  });

  it('survives closing and reopening the database', async () => {
    const p = makeProject();
    await commitWrites(db, writesForChange(change(added('projects', p))));
    await storeImage(makeImage(1));
    db.close();
    db = await openTallyDb(dbName);
    repo = new Repository(db);
    expect((await repo.getProject(p.id))!.name).toBe('Streets');
    expect(await repo.listImages(p.id)).toHaveLength(1);
  });
});

describe('commitWrites atomicity', () => {
  it('writes nothing when a write is refused on the spot (an uncloneable value)', async () => {
    const p = makeProject();
    await commitWrites(db, writesForChange(change(added('projects', p))));
    const renamed = { ...p, name: 'Renamed' };
    const poisoned = { ...makeImage(1), fileName: (() => 'fn') as unknown as string };
    const batch = [...writesForChange(change(updated('projects', p, renamed))), ...writesForChange(change(added('images', poisoned)))];
    await expect(commitWrites(db, batch)).rejects.toMatchObject({ name: 'DataCloneError' });
    expect((await repo.getProject(p.id))!.name).toBe('Streets');
    expect(await repo.listImages(p.id)).toEqual([]);
  });
});
