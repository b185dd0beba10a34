import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB, type IDBPDatabase } from 'idb';
import { SCHEMA_VERSION, type Annotation, type ProjectId } from '../core/model';
import { makeBox, makeImage, makeProject } from '../test-support/fixtures';
import { openTallyDb } from './db';
import { MIGRATIONS } from './migrations';
import type { TallySchema } from './schema';

/**
 * A database as Tally at schema `version` left it: only the ladder's first steps run, then
 * `fill` stores records the way that version did, and the database is closed.
 */
async function databaseAt(name: string, version: number, fill: (db: IDBPDatabase<TallySchema>) => Promise<void>): Promise<void> {
  const db = await openDB<TallySchema>(name, version, {
    upgrade(database, oldVersion, _newVersion, tx) {
      for (let v = oldVersion + 1; v <= version; v++) MIGRATIONS[v]!(database, tx);
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
    expect([...db.objectStoreNames].sort()).toEqual(['annotations', 'dismissals', 'imageBlobs', 'images', 'layers', 'projects', 'reviewDecisions', 'settings', 'thumbnails']);
    const tx = db.transaction(['projects', 'images', 'imageBlobs', 'thumbnails', 'annotations', 'settings', 'dismissals']);
    expect(tx.objectStore('dismissals').keyPath).toEqual(['projectId', 'id']);
    expect(tx.objectStore('projects').keyPath).toBe('id');
    expect(tx.objectStore('images').keyPath).toEqual(['projectId', 'id']);
    expect(tx.objectStore('imageBlobs').keyPath).toEqual(['projectId', 'imageId']);
    expect(tx.objectStore('thumbnails').keyPath).toEqual(['projectId', 'imageId']);
    expect(tx.objectStore('annotations').keyPath).toEqual(['projectId', 'imageId', 'id']);
    expect(tx.objectStore('settings').keyPath).toBe('key');
    const images = tx.objectStore('images');
    expect([...images.indexNames].sort()).toEqual(['bySeq', 'bySha', 'byStatus']);
    expect(images.index('bySha').unique).toBe(true);
    expect(images.index('bySha').keyPath).toEqual(['projectId', 'sha256']);
    expect(images.index('bySeq').keyPath).toEqual(['projectId', 'seq']);
    expect(tx.objectStore('annotations').index('byClass').keyPath).toEqual(['projectId', 'classId']);
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
    const annotations = await db.getAll('annotations');
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

  it('refuses to open a database from a newer Tally instead of damaging it', async () => {
    const newer = await openDB('tally-migration-newer', SCHEMA_VERSION + 1);
    newer.close();
    await expect(openTallyDb('tally-migration-newer')).rejects.toMatchObject({ name: 'VersionError' });
  });
});
