import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB, type IDBPDatabase } from 'idb';
import { SCHEMA_VERSION } from '../core/model';
import { makeImage, makeProject } from '../test-support/fixtures';
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
    expect([...db.objectStoreNames].sort()).toEqual(['annotations', 'dismissals', 'imageBlobs', 'images', 'projects', 'settings', 'thumbnails']);
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

  it('refuses to open a database from a newer Tally instead of damaging it', async () => {
    const newer = await openDB('tally-migration-newer', SCHEMA_VERSION + 1);
    newer.close();
    await expect(openTallyDb('tally-migration-newer')).rejects.toMatchObject({ name: 'VersionError' });
  });
});
