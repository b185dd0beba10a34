import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { SCHEMA_VERSION } from '../core/model';
import { openTallyDb } from './db';
import { MIGRATIONS } from './migrations';

describe('schema migrations', () => {
  it('has one step for every version from 1 to SCHEMA_VERSION, and no other', () => {
    const versions = Object.keys(MIGRATIONS).map(Number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it('upgrades an empty database to schema 1 with every store, key path and index', async () => {
    const db = await openTallyDb('tally-migration-empty');
    expect(db.version).toBe(1);
    expect([...db.objectStoreNames].sort()).toEqual(['annotations', 'imageBlobs', 'images', 'projects', 'settings', 'thumbnails']);
    const tx = db.transaction(['projects', 'images', 'imageBlobs', 'thumbnails', 'annotations', 'settings']);
    expect(tx.objectStore('projects').keyPath).toBe('id');
    expect(tx.objectStore('images').keyPath).toEqual(['projectId', 'id']);
    expect(tx.objectStore('imageBlobs').keyPath).toEqual(['projectId', 'imageId']);
    expect(tx.objectStore('thumbnails').keyPath).toEqual(['projectId', 'imageId']);
    expect(tx.objectStore('annotations').keyPath).toEqual(['projectId', 'imageId', 'id']);
    expect(tx.objectStore('settings').keyPath).toBe('key');
    const images = tx.objectStore('images');
    expect([...images.indexNames].sort()).toEqual(['bySeq', 'bySha']);
    expect(images.index('bySha').unique).toBe(true);
    expect(images.index('bySha').keyPath).toEqual(['projectId', 'sha256']);
    expect(images.index('bySeq').keyPath).toEqual(['projectId', 'seq']);
    expect(tx.objectStore('annotations').index('byClass').keyPath).toEqual(['projectId', 'classId']);
    await tx.done;
    db.close();
  });

  it('refuses to open a database from a newer Tally instead of damaging it', async () => {
    const newer = await openDB('tally-migration-newer', SCHEMA_VERSION + 1);
    newer.close();
    await expect(openTallyDb('tally-migration-newer')).rejects.toMatchObject({ name: 'VersionError' });
  });
});
