import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { added } from '../core/change';
import { newLayerId } from '../core/ids';
import { CONSENSUS_LAYER, type Annotation, type Layer } from '../core/model';
import type { TallySchema } from './schema';
import { ShapeClock, shapeLogEntries } from './shapeLog';

/** The stores of every schema version, so old steps still name what they upgraded. */
export interface UpgradeSchema extends TallySchema {
  /** Schemas 1–4: one record per shape (schema 5 moved them to `shapeLog`). */
  annotations: {
    key: [projectId: string, imageId: string, annotationId: string];
    value: Annotation;
    indexes: { byClass: [string, string] };
  };
}

export type UpgradeDb = IDBPDatabase<UpgradeSchema>;
export type UpgradeTx = IDBPTransaction<UpgradeSchema, StoreNames<UpgradeSchema>[], 'versionchange'>;

/**
 * The upgrade ladder: step n takes a database at version n − 1 to version n. A database at
 * version v opened by code at version V runs steps v + 1 … V in order, in the one upgrade
 * transaction, so an interrupted upgrade leaves the old version intact.
 * Never edit a published step: add the next one (and its test in migrations.test.ts).
 */
export const MIGRATIONS: Readonly<Record<number, (db: UpgradeDb, tx: UpgradeTx) => void | Promise<void>>> = {
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
  4: async (db, tx) => {
    // Layers become records: every annotation named its annotator; now it points at a layer, one
    // per (project, name ignoring case), and carries a revision. Review decisions get a store.
    db.createObjectStore('layers', { keyPath: ['projectId', 'id'] });
    db.createObjectStore('reviewDecisions', { keyPath: ['projectId', 'id'] }).createIndex('byImage', ['projectId', 'imageId']);
    const layers = new Map<string, Layer>();
    let cursor = await tx.objectStore('annotations').openCursor();
    while (cursor) {
      const { annotator, ...rest } = cursor.value as unknown as LegacyAnnotation;
      const name = typeof annotator === 'string' && annotator.trim() !== '' ? annotator.trim() : UNKNOWN_ANNOTATOR;
      const key = `${rest.projectId}\u0000${name.toLocaleLowerCase('en')}`;
      let layer = layers.get(key);
      if (!layer) {
        const kind = name.toLocaleLowerCase('en') === CONSENSUS_LAYER.toLocaleLowerCase('en') ? 'consensus' : 'annotator';
        const at = typeof rest.createdAt === 'number' ? rest.createdAt : 0;
        layer = { id: newLayerId(), projectId: rest.projectId, name, kind, revision: 1, createdAt: at, updatedAt: at };
        layers.set(key, layer);
        tx.objectStore('layers').put(layer);
      }
      const migrated: Annotation = { ...(rest as Omit<Annotation, 'layerId' | 'revision'>), layerId: layer.id, revision: 1 };
      await cursor.update(migrated);
      cursor = await cursor.continue();
    }
  },
  5: async (db, tx) => {
    // The shapes become a log (shapeLog.ts): each layer on each image becomes one entry holding
    // all its shapes, then the store of one record per shape goes. An import of 5,000 shapes on
    // one image is one record to write instead of 5,000.
    const log = db.createObjectStore('shapeLog', { keyPath: ['projectId', 'imageId', 'layerId', 'seq'] });
    log.createIndex('byClass', 'classKeys', { multiEntry: true });
    log.createIndex('bySeq', 'seq');
    const clock = new ShapeClock();
    let image: Annotation[] = [];
    const flush = (): void => {
      for (const entry of shapeLogEntries(image.map((a) => added('annotations', a)), clock)) void log.put(entry);
      image = [];
    };
    let cursor = await tx.objectStore('annotations').openCursor();
    while (cursor) {
      // A record without a layer (damaged) keeps its place under layer '' and is reported when read, as before.
      const a = typeof cursor.value.layerId === 'string' ? cursor.value : { ...cursor.value, layerId: '' as Annotation['layerId'] };
      if (image.length > 0 && (image[0]!.projectId !== a.projectId || image[0]!.imageId !== a.imageId)) flush();
      image.push(a);
      cursor = await cursor.continue();
    }
    flush();
    db.deleteObjectStore('annotations');
  },
};

/** An annotation as schemas 1–3 stored it: the annotator's name in place of a layer. */
type LegacyAnnotation = Omit<Annotation, 'layerId' | 'revision'> & { readonly annotator?: unknown };

/** The layer of shapes that named no annotator (none should: schema 1–3 required one). */
const UNKNOWN_ANNOTATOR = 'Unknown annotator';

/**
 * Runs the steps in order inside the upgrade transaction. A step may be async as long as it
 * awaits only requests of that transaction (the transaction stays open while they are pending);
 * a step that fails aborts the upgrade, which leaves the database at its old version.
 */
export async function runMigrations(db: UpgradeDb, tx: UpgradeTx, oldVersion: number, newVersion: number): Promise<void> {
  try {
    for (let v = oldVersion + 1; v <= newVersion; v++) {
      const step = MIGRATIONS[v];
      if (!step) throw new Error(`No migration to schema version ${v}.`);
      await step(db, tx);
    }
  } catch (e) {
    tx.abort();
    throw e;
  }
}
