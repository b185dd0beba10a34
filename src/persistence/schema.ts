import type { DBSchema, StoreNames, StoreValue } from 'idb';
import type { Annotation, AnnotationId, Dismissal, ImageRecord, Layer, Project, ReviewDecision } from '../core/model';

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
  /**
   * Since schema 5: the shapes, as a log. Each record is what one saved change did to one layer on
   * one image (see ShapeLogEntry); an image's shapes are its entries folded in `seq` order.
   * Schemas 1–4 kept one record per shape in `annotations`, which made an import of 5,000 shapes
   * 5,000 records (over a second of the browser's storage work, whatever the page does).
   */
  shapeLog: {
    key: [projectId: string, imageId: string, layerId: string, seq: number];
    value: ShapeLogEntry;
    /** byClass: multiEntry over `classKeys` (which entries hold a shape of a class); bySeq: the newest `seq` (the clock starts above it). */
    indexes: { byClass: [string, string]; bySeq: number };
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

/**
 * What one saved change did to one layer's shapes on one image: the shapes it put (whole records,
 * sorted by id) and the ids it removed (a put and a removal of the same id never share an entry).
 * PERSISTED SHAPE. `seq` orders the entries of a layer (ShapeClock: strictly increasing, above any
 * stored one); writing an entry again with the same key is harmless, so writes stay idempotent.
 */
export interface ShapeLogEntry {
  readonly projectId: string;
  readonly imageId: string;
  readonly layerId: string;
  readonly seq: number;
  readonly shapes: readonly Annotation[];
  readonly removed: readonly AnnotationId[];
  /** `[projectId, classId]` of every class among `shapes` (the byClass index, multiEntry). */
  readonly classKeys: readonly (readonly [string, string])[];
}

export type StoreName = StoreNames<TallySchema>;
export type Value<S extends StoreName> = StoreValue<TallySchema, S>;

export const DB_NAME = 'tally';

/** The key range of everything in a per-project store whose key starts with `prefix`. */
export const prefixRange = (prefix: readonly string[]): IDBKeyRange =>
  IDBKeyRange.bound([...prefix], [...prefix, []]);
