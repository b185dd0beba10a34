import type { DBSchema, StoreNames, StoreValue } from 'idb';
import type { Annotation, ImageRecord, Project } from '../core/model';

/**
 * The IndexedDB layout. PERSISTED NAMES: the store names, key paths and index names below are on
 * users' disks. Changing any of them needs a new step in migrations.ts and a SCHEMA_VERSION bump.
 *
 * Every per-project store is keyed by a tuple starting with the project id, so a project's
 * records are one key range: listing them needs no index, and deleting a project is one
 * range delete per store.
 */
export interface StoredBlob {
  readonly projectId: string;
  readonly imageId: string;
  readonly blob: Blob;
}

export type Setting = { readonly key: 'annotatorName'; readonly value: string };

export interface TallySchema extends DBSchema {
  projects: { key: string; value: Project };
  images: {
    key: [projectId: string, imageId: string];
    value: ImageRecord;
    indexes: { bySeq: [string, number]; bySha: [string, string] };
  };
  /** The original file bytes, exactly as imported. */
  imageBlobs: { key: [projectId: string, imageId: string]; value: StoredBlob };
  thumbnails: { key: [projectId: string, imageId: string]; value: StoredBlob };
  annotations: {
    key: [projectId: string, imageId: string, annotationId: string];
    value: Annotation;
    indexes: { byClass: [string, string] };
  };
  settings: { key: string; value: Setting };
}

export type StoreName = StoreNames<TallySchema>;
export type Value<S extends StoreName> = StoreValue<TallySchema, S>;

export const DB_NAME = 'tally';

/** The key range of everything in a per-project store whose key starts with `prefix`. */
export const prefixRange = (prefix: readonly string[]): IDBKeyRange =>
  IDBKeyRange.bound([...prefix], [...prefix, []]);
