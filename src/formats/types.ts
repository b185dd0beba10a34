/**
 * The exchange model shared by every format module: what a serializer is given and what a
 * parser returns. Pure data: no DOM, no idb, no ids that only mean something inside IndexedDB
 * (except the optional ones the Tally package carries so that a re-import loses nothing).
 *
 * Geometry is Tally's: continuous 0-based image pixels, origin at the top-left corner of the
 * top-left pixel (see core/model.ts). Each format module converts to and from its own
 * convention (YOLO normalised centres, VOC 1-based inclusive corners, COCO xywh…) and nowhere
 * else.
 */
import type { AnnotationAttributes, AttributeSpec, ImageStatus, ProjectSettings, Shape, Split } from '../core/model';

export const FORMAT_IDS = ['coco', 'yolo', 'yolo-seg', 'voc', 'cvat', 'labelme', 'labelme-xml', 'createml', 'csv', 'tally'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

export interface DatasetClass {
  /** Unique in the dataset ignoring case (core/validate.ts classNameKey). */
  readonly name: string;
  /** `#rrggbb` when the format carries colours (CVAT, Tally). */
  readonly color?: string;
  readonly attributes?: readonly AttributeSpec[];
  /** Tally package only: the class id in the project it came from. */
  readonly id?: string;
}

export interface DatasetImage {
  /**
   * '/'-separated path of the image as the format records it, ending in fileName: COCO's
   * `file_name`, CVAT's `name`, LabelMe's `imagePath`, the image's place in a YOLO or VOC tree…
   * Importers match it against the project's images (after SHA-256) by whole path, base name
   * and stem.
   */
  readonly relativePath: string;
  /** The base name (last segment of relativePath). */
  readonly fileName: string;
  /** Pixels; 0 when neither the format nor an image file told us (the parser reports it). */
  readonly width: number;
  readonly height: number;
  /** 'unassigned' when the format has no split (or the export was made without splits). */
  readonly split: Split;
  /** SHA-256 of the image bytes (64 lowercase hex) when known: from the Tally package, or from the image file in the archive. */
  readonly sha256?: string;
  /** Tally package only. */
  readonly id?: string;
  readonly status?: ImageStatus;
  /** The annotation file that describes this image (for messages: "instances_val.json says 640×480…"). */
  readonly source?: string;
}

export interface DatasetAnnotation {
  /** Index into Dataset.images. */
  readonly image: number;
  /** A name in Dataset.classes (exact spelling). */
  readonly className: string;
  readonly shape: Shape;
  readonly attributes: AnnotationAttributes;
  /** Who drew it, when the format records it (Tally package, CSV, LabelMe flags…). */
  readonly annotator?: string;
  /** LabelMe's group_id: shapes with the same value belong to one object. */
  readonly groupId?: number;
  /** Tally package only. */
  readonly id?: string;
  readonly createdAt?: number;
  readonly updatedAt?: number;
}

/** Project-level facts only the Tally package carries. */
export interface DatasetProject {
  readonly name: string;
  readonly settings?: ProjectSettings;
}

export interface Dataset {
  readonly project?: DatasetProject;
  /** In project order: class i gets COCO id i + 1, YOLO id i… */
  readonly classes: readonly DatasetClass[];
  readonly images: readonly DatasetImage[];
  readonly annotations: readonly DatasetAnnotation[];
}

// ---------------------------------------------------------------------------------------------
// Export

export interface SerializeOptions {
  /** Whether the caller will put the image files in the archive (at SerializeResult.imagePaths). */
  readonly includeImages: boolean;
  /** Tally's version, for formats that name their writer. */
  readonly tallyVersion: string;
  /** ISO 8601 time of the export, for formats that record one (fixed in golden tests). */
  readonly createdAt: string;
  /**
   * COCO: a box's `segmentation`. 'empty' (the default) writes `[]`, as CVAT, Datumaro and
   * Roboflow do: detection training and bbox evaluation need nothing more. 'corners' writes the
   * box's 4-corner polygon, for mask training (pycocotools' annToMask and segm evaluation fail on
   * `[]`). Either reads back as a box.
   */
  readonly cocoBoxSegmentation?: 'empty' | 'corners';
}

export type ExportNoteKind = 'clipped' | 'dropped' | 'changed';

/** Something the export did not write exactly as it is in Tally, and why. Goes into manifest.json. */
export interface ExportNote {
  readonly kind: ExportNoteKind;
  /** relativePath of the image concerned, when one is. */
  readonly image?: string;
  readonly message: string;
}

export interface SerializeResult {
  /** Annotation and metadata files (never the images, never manifest.json), by path in the zip. */
  readonly files: Map<string, Uint8Array>;
  /**
   * For each image (by index): where its bytes go in the zip when images are included, which is
   * also where the annotation files say it is.
   */
  readonly imagePaths: readonly string[];
  /**
   * For each image (by index): the relativePath that this format's parse() gives it when these
   * files are read back. The export verification matches images through it.
   */
  readonly imageRefs: readonly string[];
  /** Renames and other changes the writer itself had to make (clipping is done before, see prepare.ts). */
  readonly notes: readonly ExportNote[];
}

// ---------------------------------------------------------------------------------------------
// Import

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** An image file found next to the annotation files (in the zip or folder being imported). */
export interface SourceImageInfo extends Size {
  /** '/'-separated path in the source. */
  readonly path: string;
  readonly sha256?: string;
}

export interface ParseInput {
  /** Every file of the source that is not an image, by '/'-separated path (already checked: no `..`, no absolute paths). */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Image files of the source, with sizes read from their headers. */
  readonly images: readonly SourceImageInfo[];
  /**
   * Size of an image the project already holds, looked up by a path (whole path, base name or
   * stem, in that order). For formats whose files carry no sizes (YOLO) when the image itself is
   * not in the source.
   */
  readonly sizeOf?: (path: string) => Size | undefined;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * A problem with the input, worded for users, always naming the file and, where there is one,
 * the line (1-based) or the field (a JSON path like `annotations[3].bbox`).
 * 'error': something was skipped (a file, an image, a shape). 'warning': something was read but
 * changed (clipped, reinterpreted). 'info': worth knowing, nothing lost.
 */
export interface Diagnostic {
  readonly severity: Severity;
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
  readonly message: string;
}

export interface ParseResult {
  readonly dataset: Dataset;
  readonly diagnostics: readonly Diagnostic[];
}

/** How a format stores shapes: export converts what it cannot hold (and says so). */
export type ShapeSupport = 'boxes' | 'polygons' | 'both';

export interface Format {
  readonly id: FormatId;
  /** The option text in the Format select (UI-CONTRACT.md). */
  readonly label: string;
  /** Polygons become their bounding boxes for 'boxes'; boxes become 4-corner polygons for 'polygons'. */
  readonly shapes: ShapeSupport;
  /** True for the Tally package: images without a split stay so (training formats put them with train). */
  readonly keepsUnassigned?: boolean;
  /** True for COCO: its reader takes a polygon on its bbox's 4 corners for a box (the verification compares them as one). */
  readonly readsRectanglesAsBoxes?: boolean;
  /** Largest coordinate difference (image px) that writing and reading back may introduce for an image of this size. */
  precision(size: Size): number;
  /** How strongly a set of files looks like this format: 0 not at all, 1 certainly. */
  detect(files: ReadonlyMap<string, Uint8Array>): number;
  serialize(dataset: Dataset, options: SerializeOptions): SerializeResult;
  parse(input: ParseInput): ParseResult;
}
