import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB, type IDBPDatabase } from 'idb';
import { change, removed } from '../core/change';
import { SCHEMA_VERSION, type Annotation, type ClassId, type LayerId, type ProjectId } from '../core/model';
import { makeBox, makeImage, makeProject } from '../test-support/fixtures';
import { openTallyDb } from './db';
import { MIGRATIONS, type UpgradeDb, type UpgradeSchema, type UpgradeTx } from './migrations';
import { Repository, writesForChange } from './repository';
import { ShapeClock } from './shapeLog';
import { commitWrites } from './writes';

/**
 * A database as Tally at schema `version` left it: only the ladder's first steps run, then
 * `fill` stores records the way that version did, and the database is closed.
 */
async function databaseAt(name: string, version: number, fill: (db: IDBPDatabase<UpgradeSchema>) => Promise<void>): Promise<void> {
  const db = await openDB<UpgradeSchema>(name, version, {
    upgrade(database, oldVersion, _newVersion, tx) {
      for (let v = oldVersion + 1; v <= version; v++) void MIGRATIONS[v]!(database as UpgradeDb, tx as unknown as UpgradeTx);
    },
  });
  await fill(db);
  db.close();
}

describe('schema migrations', () => {
  it('has one step for every version from 1 to SCHEMA_VERSION, and no other', () => {
    const versions = Object.keys(MIGRATIONS).map(Number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it('upgrades an empty database with every store, key path and index', async () => {
    const db = await openTallyDb('tally-migration-empty');
    expect(db.version).toBe(SCHEMA_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['dismissals', 'imageBlobs', 'images', 'layers', 'projects', 'reviewDecisions', 'settings', 'shapeLog', 'thumbnails']);
    const tx = db.transaction(['projects', 'images', 'imageBlobs', 'thumbnails', 'shapeLog', 'settings', 'dismissals']);
    expect(tx.objectStore('dismissals').keyPath).toEqual(['projectId', 'id']);
    expect(tx.objectStore('projects').keyPath).toBe('id');
    expect(tx.objectStore('images').keyPath).toEqual(['projectId', 'id']);
    expect(tx.objectStore('imageBlobs').keyPath).toEqual(['projectId', 'imageId']);
    expect(tx.objectStore('thumbnails').keyPath).toEqual(['projectId', 'imageId']);
    expect(tx.objectStore('shapeLog').keyPath).toEqual(['projectId', 'imageId', 'layerId', 'seq']);
    expect(tx.objectStore('settings').keyPath).toBe('key');
    const images = tx.objectStore('images');
    expect([...images.indexNames].sort()).toEqual(['bySeq', 'bySha', 'byStatus']);
    expect(images.index('bySha').unique).toBe(true);
    expect(images.index('bySha').keyPath).toEqual(['projectId', 'sha256']);
    expect(images.index('bySeq').keyPath).toEqual(['projectId', 'seq']);
    expect(tx.objectStore('shapeLog').index('byClass').keyPath).toBe('classKeys');
    expect(tx.objectStore('shapeLog').index('byClass').multiEntry).toBe(true);
    expect(tx.objectStore('shapeLog').index('bySeq').keyPath).toBe('seq');
    await tx.done;
    const review = db.transaction(['layers', 'reviewDecisions']);
    expect(review.objectStore('layers').keyPath).toEqual(['projectId', 'id']);
    expect(review.objectStore('reviewDecisions').keyPath).toEqual(['projectId', 'id']);
    expect(review.objectStore('reviewDecisions').index('byImage').keyPath).toEqual(['projectId', 'imageId']);
    await review.done;
    db.close();
  });

  it('2: a schema-1 database keeps every record and gains the images-by-status index', async () => {
    const project = makeProject();
    const done = { ...makeImage(1), status: 'done' as const };
    const open = makeImage(2);
    await databaseAt('tally-migration-1', 1, async (db) => {
      const tx = db.transaction(['projects', 'images', 'settings'], 'readwrite');
      await tx.objectStore('projects').put(project);
      await tx.objectStore('images').put(done);
      await tx.objectStore('images').put(open);
      await tx.objectStore('settings').put({ key: 'annotatorName', value: 'ana' });
      await tx.done;
    });
    const db = await openTallyDb('tally-migration-1');
    expect(db.version).toBe(SCHEMA_VERSION);
    expect(await db.get('projects', project.id)).toEqual(project);
    expect(await db.getAll('images')).toEqual([done, open]);
    expect(await db.get('settings', 'annotatorName')).toEqual({ key: 'annotatorName', value: 'ana' });
    const byStatus = db.transaction('images').store.index('byStatus');
    expect(byStatus.keyPath).toEqual(['projectId', 'status']);
    expect(await byStatus.count([project.id, 'done'])).toBe(1);
    expect(await byStatus.count([project.id, 'new'])).toBe(1);
    db.close();
  });

  it('3: a schema-2 database keeps every record and gains the dismissals store', async () => {
    const project = makeProject();
    const image = makeImage(1);
    await databaseAt('tally-migration-2', 2, async (db) => {
      const tx = db.transaction(['projects', 'images'], 'readwrite');
      await tx.objectStore('projects').put(project);
      await tx.objectStore('images').put(image);
      await tx.done;
    });
    const db = await openTallyDb('tally-migration-2');
    expect(await db.get('projects', project.id)).toEqual(project);
    expect(await db.getAll('images')).toEqual([image]);
    const dismissal = { projectId: project.id, id: 'unused-class:c-car', reason: 'kept for next season', by: 'ana', at: 5 };
    await db.put('dismissals', dismissal);
    expect(await db.getAll('dismissals')).toEqual([dismissal]);
    db.close();
  });

  it('4: a schema-3 database finds every shape in its annotator\'s layer, names kept, one layer per name', async () => {
    const project = makeProject();
    const other = makeProject({ id: 'p2' as ProjectId, name: 'Fields' });
    const image = makeImage(1);
    const otherImage = makeImage(2, { projectId: other.id });
    // Shapes as schema 3 stored them: the annotator's name on each, no layer, no revision.
    const legacy = (n: number, annotator: string, projectId = project.id, imageId = image.id) => {
      const { layerId: _layer, revision: _revision, ...rest } = makeBox(n, imageId, { projectId });
      return { ...rest, annotator, createdAt: 100 + n };
    };
    const old = [legacy(1, 'alice'), legacy(2, 'bob'), legacy(3, 'alice'), legacy(4, 'Consensus'), legacy(5, 'Alice'), legacy(6, 'alice', other.id, otherImage.id)];
    await databaseAt('tally-migration-3', 3, async (db) => {
      const tx = db.transaction(['projects', 'images', 'annotations'], 'readwrite');
      for (const p of [project, other]) await tx.objectStore('projects').put(p);
      for (const i of [image, otherImage]) await tx.objectStore('images').put(i);
      for (const a of old) await tx.objectStore('annotations').put(a as unknown as Annotation);
      await tx.done;
    });
    const db = await openTallyDb('tally-migration-3');
    expect(db.version).toBe(SCHEMA_VERSION);
    const layers = await db.getAll('layers');
    const annotations = [...(await new Repository(db).listAnnotations(project.id)), ...(await new Repository(db).listAnnotations(other.id))];
    expect(annotations).toHaveLength(old.length);
    const layerOf = (id: string) => {
      const a = annotations.find((x) => x.id === id)!;
      return layers.find((l) => l.id === a.layerId && l.projectId === a.projectId)!;
    };
    // Every shape is in a layer of its project, named as its annotator was (case-insensitively one layer).
    expect(layerOf('a-1')).toMatchObject({ name: 'alice', kind: 'annotator', projectId: 'p1', revision: 1, createdAt: 101 });
    expect(layerOf('a-3')).toBe(layerOf('a-1'));
    expect(layerOf('a-5')).toBe(layerOf('a-1'));
    expect(layerOf('a-2')).toMatchObject({ name: 'bob', kind: 'annotator' });
    expect(layerOf('a-4')).toMatchObject({ name: 'Consensus', kind: 'consensus' });
    expect(layerOf('a-6')).toMatchObject({ name: 'alice', projectId: 'p2' });
    expect(layerOf('a-6').id).not.toBe(layerOf('a-1').id);
    expect(layers).toHaveLength(4);
    // Nothing else changed: the annotator field is gone, a revision is there, the rest as stored.
    for (const before of old) {
      const after = annotations.find((a) => a.id === before.id)!;
      const { annotator: _name, ...kept } = before;
      expect(after).toEqual({ ...kept, layerId: after.layerId, revision: 1 });
      expect('annotator' in after).toBe(false);
    }
    expect(await db.getAll('reviewDecisions')).toEqual([]);
    db.close();
  });

  it('5: a schema-4 database keeps every shape, each layer on each image now one log entry, and the old store goes', async () => {
    const project = makeProject();
    const [one, two] = [makeImage(1), makeImage(2)];
    const [ana, bob] = ['layer-ana' as LayerId, 'layer-bob' as LayerId];
    const box = (n: number, image = one, layerId = ana, classId = 'c-car' as ClassId) => makeBox(n, image.id, { layerId, classId });
    const shapes = [box(1), box(2, one, bob), box(3), box(4, two, ana, 'c-person' as ClassId), box(5, one, bob, 'c-person' as ClassId)];
    const damaged = { ...box(6), layerId: undefined } as unknown as Annotation;
    await databaseAt('tally-migration-4', 4, async (db) => {
      const tx = db.transaction(['projects', 'images', 'annotations'], 'readwrite');
      await tx.objectStore('projects').put(project);
      for (const i of [one, two]) await tx.objectStore('images').put(i);
      for (const a of [...shapes, damaged]) await tx.objectStore('annotations').put(a);
      await tx.done;
    });
    const db = await openTallyDb('tally-migration-4');
    expect([...db.objectStoreNames]).not.toContain('annotations');
    const entries = await db.getAll('shapeLog');
    expect(entries.map((e) => [e.imageId, e.layerId, e.shapes.map((a) => a.id)])).toEqual([
      [one.id, '', ['a-6']],
      [one.id, ana, ['a-1', 'a-3']],
      [one.id, bob, ['a-2', 'a-5']],
      [two.id, ana, ['a-4']],
    ]);
    const bad: string[] = [];
    const repo = new Repository(db, { onBadRecord: (b) => bad.push(b.reason) });
    // Every shape as it was stored, by image then id; the damaged one is still reported, not read.
    expect(await repo.listAnnotations(project.id)).toEqual([shapes[0], shapes[1], shapes[2], shapes[4], shapes[3]]);
    expect(bad).toEqual(['shape a-6 names no layer']);
    expect((await repo.annotationsOfClass(project.id, 'c-person' as ClassId)).map((a) => a.id)).toEqual(['a-5', 'a-4']);
    // A change saved afterwards comes after the migrated entries even with a clock far behind them.
    const clock = new ShapeClock(() => 0);
    await new Repository(db, { clock }).startClock();
    await commitWrites(db, writesForChange(change(removed('annotations', shapes[0]!)), clock));
    expect((await repo.listAnnotations(project.id)).map((a) => a.id)).toEqual(['a-2', 'a-3', 'a-5', 'a-4']);
    db.close();
  });

  it('refuses to open a database from a newer Tally instead of damaging it', async () => {
    const newer = await openDB('tally-migration-newer', SCHEMA_VERSION + 1);
    newer.close();
    await expect(openTallyDb('tally-migration-newer')).rejects.toMatchObject({ name: 'VersionError' });
  });
});
