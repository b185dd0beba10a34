/**
 * Tally's data model. Everything here is persisted (IndexedDB) and exported, so:
 *
 * PERSISTED NAMES — changing a field name, a union member or a unit here needs a numbered
 * migration in src/persistence/migrations.ts and a bump of SCHEMA_VERSION.
 *
 * Geometry is in image pixels: continuous coordinates, origin at the top-left corner of the
 * top-left pixel; pixel (i, j) covers [i, i+1) × [j, j+1). A box covering a W×H image is
 * x ∈ [0, W], y ∈ [0, H]. Conversions to other conventions happen only in src/formats.
 */

declare const brand: unique symbol;
/** A string that the type system keeps apart from other strings of another brand. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type ProjectId = Brand<string, 'ProjectId'>;
export type ImageId = Brand<string, 'ImageId'>;
export type ClassId = Brand<string, 'ClassId'>;
export type AnnotationId = Brand<string, 'AnnotationId'>;
export type LayerId = Brand<string, 'LayerId'>;
export type DecisionId = Brand<string, 'DecisionId'>;

/** Version of the persisted shapes in this file (also the IndexedDB version). */
export const SCHEMA_VERSION = 5;

export const SPLITS = ['train', 'val', 'test', 'unassigned'] as const;
export type Split = (typeof SPLITS)[number];

export const IMAGE_STATUSES = ['new', 'in_progress', 'done', 'needs_review'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const IMAGE_STATUS_LABELS: Readonly<Record<ImageStatus, string>> = {
  new: 'New',
  in_progress: 'In progress',
  done: 'Done',
  needs_review: 'Needs review',
};

/** A per-class attribute the annotator can set on a shape (beyond the built-in flags). */
export interface AttributeSpec {
  /** Unique within the class; 1–60 characters. */
  readonly name: string;
  readonly type: 'boolean' | 'text' | 'select';
  /** Choices for type 'select' (non-empty, unique); empty otherwise. */
  readonly options: readonly string[];
}

/**
 * A label class. Its hotkey is its position: the 1st–9th classes answer to keys 1–9, so
 * reordering the classes is how a user reassigns keys (no second source of truth to drift).
 */
export interface LabelClass {
  readonly id: ClassId;
  /** Trimmed, 1–100 characters, no control characters; unique in the project ignoring case. */
  readonly name: string;
  /** `#rrggbb`, lowercase. */
  readonly color: string;
  readonly attributes: readonly AttributeSpec[];
}

export interface SplitRatios {
  /** Fractions ≥ 0 summing to 1. */
  readonly train: number;
  readonly val: number;
  readonly test: number;
}

export interface ProjectSettings {
  /** IoU threshold τ for matching annotators' shapes, in (0, 1]. */
  readonly iouThreshold: number;
  readonly splitRatios: SplitRatios;
  /** Images with more pixels than this (width × height / 1e6) are refused on import. */
  readonly maxImageMegapixels: number;
  /**
   * The consistency checker's thresholds that differ from its defaults, by name (see
   * QualitySettings in src/quality/settings.ts; τ is `iouThreshold` above). Absent: every default.
   */
  readonly quality?: Readonly<Record<string, number>>;
}

export interface Project {
  readonly id: ProjectId;
  /** Trimmed, 1–120 characters, no control characters. */
  readonly name: string;
  /** In display order; position i (0-based) answers to key i + 1 for i < 9. */
  readonly classes: readonly LabelClass[];
  readonly settings: ProjectSettings;
  readonly schemaVersion: number;
  /** Milliseconds since the Unix epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface ImageRecord {
  readonly id: ImageId;
  readonly projectId: ProjectId;
  /** Base name, e.g. `cat.jpg`. */
  readonly fileName: string;
  /** '/'-separated path relative to what was imported (folder or zip), ending in fileName. */
  readonly relativePath: string;
  /** Pixels, after EXIF orientation is applied; positive integers. */
  readonly width: number;
  readonly height: number;
  /** Size of the stored file in bytes (> 0). */
  readonly byteSize: number;
  readonly mimeType: string;
  /** SHA-256 of the file bytes, 64 lowercase hex digits. Unique within a project. */
  readonly sha256: string;
  /** 64-bit perceptual hashes as 16 lowercase hex digits (see src/core/imaging/perceptualHash.ts). */
  readonly phash: string;
  readonly phashMirrored: string;
  readonly dhash: string;
  readonly split: Split;
  readonly status: ImageStatus;
  /** Import order within the project (unique, increasing); the list shows images in this order. */
  readonly seq: number;
  readonly addedAt: number;
  /**
   * Number of annotations on this image, all annotators. Kept by the same Change that adds or
   * removes annotations, so the image list never has to read the annotation store.
   */
  readonly annotationCount: number;
  /**
   * Measured at import from the decoded thumbnail-sized pixels (src/media/pixelFeatures.ts); absent
   * on images imported before Tally measured them, and dropped on read when malformed (validate.ts):
   * the checker then skips the pixel rules for that image. SHA-256 as 64 lowercase hex digits.
   */
  readonly pixelSha256?: string;
  readonly pixelStats?: PixelStats;
}

/** Pixel statistics of an image, from its thumbnail-sized pixels (src/quality/rules/imageProperties.ts). */
export interface PixelStats {
  /** Mean luma (BT.601) over all pixels, 0 (black) … 1 (white). */
  readonly meanLuminance: number;
  /** Variance of the 4-neighbour Laplacian of the grey image after resizing to a fixed working size (grey levels², 0–255 scale). */
  readonly laplacianVariance: number;
  /** Shannon entropy of the 256-bin grey histogram, bits (0 … 8). */
  readonly entropy: number;
}

/** An axis-aligned box: x, y is the top-left corner; w, h > 0; image pixels. */
export interface BoxShape {
  readonly kind: 'box';
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A simple polygon: flat [x0, y0, x1, y1, …], at least 3 vertices, image pixels, implicitly closed. */
export interface PolygonShape {
  readonly kind: 'polygon';
  readonly points: readonly number[];
}

export type Shape = BoxShape | PolygonShape;

export interface AnnotationAttributes {
  readonly occluded?: boolean;
  readonly truncated?: boolean;
  readonly difficult?: boolean;
  readonly iscrowd?: boolean;
  /** Values of the class's AttributeSpecs, by name. */
  readonly custom?: Readonly<Record<string, string | boolean>>;
}

export type AnnotationSource = 'manual' | 'imported' | 'merged';

export interface Annotation {
  readonly id: AnnotationId;
  readonly projectId: ProjectId;
  readonly imageId: ImageId;
  /** The layer it belongs to: whose work it is (an annotator's, the consensus…). */
  readonly layerId: LayerId;
  readonly classId: ClassId;
  readonly shape: Shape;
  readonly attributes: AnnotationAttributes;
  readonly source: AnnotationSource;
  /** Goes up by one with every change of the record (1 when created). */
  readonly revision: number;
  /** For a Consensus shape: how the review settled it (absent elsewhere). */
  readonly review?: ConsensusVotes;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** "2 of 3": how many annotators of the image gave the consensus shape's class, and who decided. */
export interface ConsensusVotes {
  readonly votes: number;
  readonly of: number;
  readonly decidedBy: string;
}

export const LAYER_KINDS = ['annotator', 'consensus', 'predictions'] as const;
/** An annotator's own work; the lead's consensus built by review; a model's predictions (later). */
export type LayerKind = (typeof LAYER_KINDS)[number];

/**
 * Whose shapes: every annotation points at one layer. Renaming an annotator renames this one
 * record. A project has at most one consensus layer; names are unique in a project ignoring case.
 */
export interface Layer {
  readonly id: LayerId;
  readonly projectId: ProjectId;
  /** Display name: an annotator's name (see validateAnnotatorName), or "Consensus". */
  readonly name: string;
  readonly kind: LayerKind;
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const REVIEW_ACTIONS = ['accept', 'majority', 'merge', 'reject', 'redraw'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/**
 * A lead's decision on one disagreement: a cluster of shapes (one object as the annotators of an
 * image drew it, named by its members' ids) settled by an action. The consensus shape it made,
 * if any, is in the Consensus layer.
 */
export interface ReviewDecision {
  readonly id: DecisionId;
  readonly projectId: ProjectId;
  readonly imageId: ImageId;
  /** The cluster's members' annotation ids, sorted and joined with "+" (quality/consensus.ts). */
  readonly clusterKey: string;
  readonly action: ReviewAction;
  /** The Consensus shape made (null for a rejection). */
  readonly consensusId: AnnotationId | null;
  readonly decidedBy: string;
  readonly revision: number;
  readonly at: number;
}

/**
 * A checker issue the user has dismissed, with why. Keyed by the stable key (the checker
 * builds it from the rule and the ids of the records concerned), so it keeps matching the same
 * problem on every later check.
 */
export interface Dismissal {
  readonly projectId: ProjectId;
  /** The key. */
  readonly id: string;
  /** Why it is not a problem, in the user's words (1–500 characters). */
  readonly reason: string;
  /** Who dismissed it (the annotator name of that browser). */
  readonly by: string;
  /** Milliseconds since the Unix epoch. */
  readonly at: number;
}

/** The name of the consensus layer produced by review. Not a valid annotator name. */
export const CONSENSUS_LAYER = 'Consensus';

export const DEFAULT_SETTINGS: ProjectSettings = {
  iouThreshold: 0.5,
  splitRatios: { train: 0.8, val: 0.1, test: 0.1 },
  maxImageMegapixels: 100,
};
