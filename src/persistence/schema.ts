import type { DBSchema, StoreNames, StoreValue } from 'idb';
import type { Annotation, Dismissal, ImageRecord, Layer, Project, ReviewDecision } from '../core/model';

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

/** Where a project was left: the image open last and when (reopening and the start page use it). */
export interface LastOpened {
  readonly imageId: string | null;
  /** Milliseconds since the Unix epoch. */
  readonly at: number;
}

export type Setting =
  | { readonly key: 'annotatorName'; readonly value: string }
  | { readonly key: `opened:${string}`; readonly value: LastOpened };

/** The settings key of a project's LastOpened. PERSISTED NAME. */
export const openedKey = (projectId: string): `opened:${string}` => `opened:${projectId}`;

export interface TallySchema extends DBSchema {
  projects: { key: string; value: Project };
  images: {
    key: [projectId: string, imageId: string];
    value: ImageRecord;
    /** byStatus since schema 2 (the start page counts done images without reading them). */
    indexes: { bySeq: [string, number]; bySha: [string, string]; byStatus: [string, string] };
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
  /** Since schema 3: checker issues dismissed with a reason, keyed by project and issue key. */
  dismissals: { key: [projectId: string, issueKey: string]; value: Dismissal };
  /** Since schema 4: whose shapes (annotators' layers, the consensus); annotations point at them. */
  layers: { key: [projectId: string, layerId: string]; value: Layer };
  /** Since schema 4: the lead's review decisions, by image. */
  reviewDecisions: {
    key: [projectId: string, decisionId: string];
    value: ReviewDecision;
    indexes: { byImage: [string, string] };
  };
}

export type StoreName = StoreNames<TallySchema>;
export type Value<S extends StoreName> = StoreValue<TallySchema, S>;

export const DB_NAME = 'tally';

/** The key range of everything in a per-project store whose key starts with `prefix`. */
export const prefixRange = (prefix: readonly string[]): IDBKeyRange =>
  IDBKeyRange.bound([...prefix], [...prefix, []]);
