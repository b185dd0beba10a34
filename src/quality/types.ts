/**
 * The consistency checker's values (../shared/QUALITY.md): what goes in (a snapshot of the
 * project), what comes out (issues), and the rule catalogue. Everything here is plain data that
 * survives structured cloning, so a worker can post it as it is.
 */
import type { Annotation, AnnotationId, ClassId, ImageId, ImageRecord, LayerId, PixelStats, Project, Split } from '../core/model';

/**
 * A shape as the checker sees it: an annotation with the name of whose layer it is in place of
 * the layer's id (the checker groups, compares and names annotators by it; the Consensus layer
 * is named "Consensus"). The app makes these from its records and layers.
 */
export interface CheckAnnotation extends Omit<Annotation, 'layerId' | 'revision' | 'review'> {
  readonly annotator: string;
  /** The layer the name comes from (absent in hand-made test data). */
  readonly layerId?: LayerId;
}

export type Severity = 'error' | 'warning' | 'info';

/** Most severe first: the order of the Issues table and of the report. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Which part of QUALITY.md a rule belongs to (the Issues table's filter groups). */
export type RuleFamily = 'shapes' | 'class-names' | 'agreement' | 'coverage' | 'duplicates' | 'image';

/**
 * Every rule, in the order the report lists them within a severity. The ids are persisted with
 * dismissals (inside issue keys): renaming one orphans the dismissals of its issues.
 */
export const RULE_IDS = [
  // Shape validity (per annotation)
  'non-finite',
  'degenerate-box',
  'tiny-box',
  'out-of-image',
  'bad-polygon',
  'self-intersecting-polygon',
  'unknown-class',
  'duplicate-shape',
  'stacked-conflict',
  'size-outlier',
  'aspect-outlier',
  // Class names
  'class-name-clash',
  'class-name-typo',
  'unused-class',
  // Agreement between annotators (per image, per pair)
  'label-mismatch',
  'missing-shape',
  'low-overlap',
  'attribute-mismatch',
  // Coverage
  'class-imbalance',
  'class-missing-from-split',
  'rare-class',
  'unlabeled-image',
  'background-share',
  'odd-aspect-image',
  // Leakage and duplicates
  'leaky-split',
  'duplicate-images',
  'duplicate-label-conflict',
  // Image properties
  'too-dark',
  'too-bright',
  'blurry',
  'low-information',
  'odd-size-image',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface RuleInfo {
  readonly family: RuleFamily;
  /** Short name for the Issues table's Type column. */
  readonly title: string;
}

export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  'non-finite': { family: 'shapes', title: 'Non-finite coordinates' },
  'degenerate-box': { family: 'shapes', title: 'Degenerate box' },
  'tiny-box': { family: 'shapes', title: 'Tiny box' },
  'out-of-image': { family: 'shapes', title: 'Out of image' },
  'bad-polygon': { family: 'shapes', title: 'Bad polygon' },
  'self-intersecting-polygon': { family: 'shapes', title: 'Self-intersecting polygon' },
  'unknown-class': { family: 'shapes', title: 'Unknown class' },
  'duplicate-shape': { family: 'shapes', title: 'Duplicate shape' },
  'stacked-conflict': { family: 'shapes', title: 'Stacked conflict' },
  'size-outlier': { family: 'shapes', title: 'Size outlier' },
  'aspect-outlier': { family: 'shapes', title: 'Aspect outlier' },
  'class-name-clash': { family: 'class-names', title: 'Class name variants' },
  'class-name-typo': { family: 'class-names', title: 'Possible class name typo' },
  'unused-class': { family: 'class-names', title: 'Unused class' },
  'label-mismatch': { family: 'agreement', title: 'Label mismatch' },
  'missing-shape': { family: 'agreement', title: 'Missing shape' },
  'low-overlap': { family: 'agreement', title: 'Low overlap' },
  'attribute-mismatch': { family: 'agreement', title: 'Attribute mismatch' },
  'class-imbalance': { family: 'coverage', title: 'Class imbalance' },
  'class-missing-from-split': { family: 'coverage', title: 'Class missing from a split' },
  'rare-class': { family: 'coverage', title: 'Rare class' },
  'unlabeled-image': { family: 'coverage', title: 'Unlabeled image' },
  'background-share': { family: 'coverage', title: 'Background share' },
  'odd-aspect-image': { family: 'coverage', title: 'Odd image aspect' },
  'leaky-split': { family: 'duplicates', title: 'Leaky split' },
  'duplicate-images': { family: 'duplicates', title: 'Duplicate images' },
  'duplicate-label-conflict': { family: 'duplicates', title: 'Conflicting labels on duplicates' },
  'too-dark': { family: 'image', title: 'Too dark' },
  'too-bright': { family: 'image', title: 'Too bright' },
  blurry: { family: 'image', title: 'Blurry' },
  'low-information': { family: 'image', title: 'Low information' },
  'odd-size-image': { family: 'image', title: 'Odd image size' },
};

/** The splits a duplicate group may be moved into, in the order of preference (QUALITY.md). */
export type AssignedSplit = Exclude<Split, 'unassigned'>;

/**
 * A fix with an obvious outcome, as data; `buildFix` (fixes.ts) turns it into one Change (one
 * undo step) against the current records.
 */
export type SuggestedFix =
  /** Re-class every shape of the `from` classes as `into`, then delete the `from` classes. */
  | { readonly kind: 'merge-classes'; readonly into: ClassId; readonly from: readonly ClassId[] }
  /** Delete these shapes (all on `imageId`). */
  | { readonly kind: 'delete-shapes'; readonly imageId: ImageId; readonly annotationIds: readonly AnnotationId[] }
  /** Put every listed image into `split`. */
  | { readonly kind: 'move-to-split'; readonly imageIds: readonly ImageId[]; readonly split: AssignedSplit }
  /** Replace the shape by its part inside the image. */
  | { readonly kind: 'clip-shape'; readonly imageId: ImageId; readonly annotationId: AnnotationId }
  /** Status `done` with no shapes: the image is background on purpose. */
  | { readonly kind: 'mark-background'; readonly imageId: ImageId }
  /** Status `new`: back in the labeling queue. */
  | { readonly kind: 'send-to-queue'; readonly imageId: ImageId };

/**
 * One finding. Everything a table row, a canvas highlight and a dismissal need.
 *
 * `key` is stable: the same problem gets the same key on every run, whatever else changed in
 * the project (it is built from the rule id and the ids of the records concerned, never from
 * measured values or positions in a list), so a stored dismissal keeps matching it. Keys are
 * unique within a report.
 */
export interface Issue {
  readonly key: string;
  readonly rule: RuleId;
  readonly severity: Severity;
  /** The images concerned; the first is the one to open. Empty for project-wide findings. */
  readonly imageIds: readonly ImageId[];
  /** The shapes concerned (to highlight and zoom to). */
  readonly annotationIds: readonly AnnotationId[];
  /** Annotator names concerned, sorted. */
  readonly annotators: readonly string[];
  /** Classes concerned (for filtering by class). */
  readonly classIds: readonly ClassId[];
  /** Named measurements in the units the message gives (px, px², IoU, bits…). */
  readonly measured: Readonly<Record<string, number>>;
  /** The threshold the measurement was held against, or null where the rule has none. */
  readonly threshold: number | null;
  /** One sentence for a person, naming classes, annotators and values. */
  readonly message: string;
  /** Obvious fixes, the recommended one first; empty when there is none. */
  readonly fixes: readonly SuggestedFix[];
}

/** Per-image extras computed outside the checker (decoding is not pure). */
export interface ImageFeatures {
  /**
   * SHA-256 of the decoded pixels at thumbnail size, with the full size (src/media/pixelFeatures.ts),
   * 64 lowercase hex digits: equal for copies whose pixels are equal (a PNG and its lossless
   * re-encoding), and for images that differ only below what a 160 px thumbnail keeps.
   */
  readonly pixelSha256?: string;
  /** Statistics of the image's pixels (see imageStats in rules/imageProperties.ts). */
  readonly stats?: ImageStats;
}

/** Pixel statistics, computed from any reasonably sized copy of the image (the thumbnail is enough); one definition, the stored one. */
export type ImageStats = PixelStats;

/**
 * What a check reads. Images and annotations are those of `project`; annotations of images not
 * in `images` are ignored. `features` is optional: rules that need a missing feature skip the image.
 */
export interface CheckSnapshot {
  readonly project: Project;
  readonly images: readonly ImageRecord[];
  readonly annotations: readonly CheckAnnotation[];
  readonly features?: ReadonlyMap<ImageId, ImageFeatures>;
}

/** Counts for the Issues table's header and the export manifest. */
export interface CheckSummary {
  readonly images: number;
  readonly annotations: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** Issues per rule; every rule is present (0 when it found nothing). */
  readonly byRule: Readonly<Record<RuleId, number>>;
}

export interface CheckReport {
  /**
   * Project-wide issues first (by severity, rule, first image, key), then each image's issues in
   * import order (by severity, rule, key). A fixed order makes reports comparable; tables sort
   * as their user asks.
   */
  readonly issues: readonly Issue[];
  readonly summary: CheckSummary;
}
