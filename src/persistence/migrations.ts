import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { TallySchema } from './schema';

type UpgradeDb = IDBPDatabase<TallySchema>;
type UpgradeTx = IDBPTransaction<TallySchema, StoreNames<TallySchema>[], 'versionchange'>;

/**
 * The upgrade ladder: step n takes a database at version n − 1 to version n. A database at
 * version v opened by code at version V runs steps v + 1 … V in order, in the one upgrade
 * transaction, so an interrupted upgrade leaves the old version intact.
 * Never edit a published step: add the next one (and its test in migrations.test.ts).
 */
export const MIGRATIONS: Readonly<Record<number, (db: UpgradeDb, tx: UpgradeTx) => void>> = {
  1: (db) => {
    db.createObjectStore('projects', { keyPath: 'id' });
    const images = db.createObjectStore('images', { keyPath: ['projectId', 'id'] });
    images.createIndex('bySeq', ['projectId', 'seq'], { unique: true });
    images.createIndex('bySha', ['projectId', 'sha256'], { unique: true });
    db.createObjectStore('imageBlobs', { keyPath: ['projectId', 'imageId'] });
    db.createObjectStore('thumbnails', { keyPath: ['projectId', 'imageId'] });
    const annotations = db.createObjectStore('annotations', { keyPath: ['projectId', 'imageId', 'id'] });
    annotations.createIndex('byClass', ['projectId', 'classId']);
    db.createObjectStore('settings', { keyPath: 'key' });
  },
  2: (_db, tx) => {
    // Images by status: counting a project's done images needs no read of the images.
    tx.objectStore('images').createIndex('byStatus', ['projectId', 'status']);
  },
  3: (db) => {
    // Dismissed checker issues: the checker's findings are recomputed, only dismissals are kept.
    db.createObjectStore('dismissals', { keyPath: ['projectId', 'id'] });
  },
};

export function runMigrations(db: UpgradeDb, tx: UpgradeTx, oldVersion: number, newVersion: number): void {
  for (let v = oldVersion + 1; v <= newVersion; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`No migration to schema version ${v}.`);
    step(db, tx);
  }
}
