/**
 * The figures the Dataset overview charts (issue 10, item 4): instances per class and split,
 * images per status and split, COCO size bins, aspect ratios, objects per image and a 10×10
 * centre heatmap per class and split. One linear pass; plain arrays and records, ready for SVG
 * charts and their text tables.
 */
import type { CheckAnnotation } from './types';
import { IMAGE_STATUSES, SPLITS, type ClassId, type ImageId, type ImageStatus, type Split } from '../core/model';
import { prepareShape } from './iou';
import type { CheckSnapshot } from './types';

/** COCO's size bins by area (px²): small < 32², medium 32²–96², large ≥ 96². */
export const SIZE_BIN_LIMITS = [32 * 32, 96 * 96] as const;
export const SIZE_BINS = ['small', 'medium', 'large'] as const;

/**
 * Upper edges of the aspect-ratio bins (w / h of the bounds); the last bin is open. The bins are
 * even steps on a log scale, with 1 (square) in the middle bin [0.8, 1.25).
 */
export const ASPECT_BIN_EDGES = [0.25, 0.4, 0.63, 0.8, 1.25, 1.6, 2.5, 4] as const;
/** Objects-per-image bins: 0, 1, … OBJECTS_CAP − 1, then OBJECTS_CAP or more. */
export const OBJECTS_CAP = 20;
export const HEATMAP_SIZE = 10;

export interface ClassSplitFigures {
  readonly instances: number;
  /** Counts per SIZE_BINS entry. */
  readonly sizeBins: readonly number[];
  /** Counts per aspect bin: ASPECT_BIN_EDGES.length + 1 entries. */
  readonly aspectBins: readonly number[];
  /** Row-major HEATMAP_SIZE² counts of shape centres in image-relative cells (row 0 at the top). */
  readonly heatmap: readonly number[];
}

export interface DatasetOverview {
  readonly classes: readonly { readonly id: ClassId; readonly name: string }[];
  /** Per class (project order), per split: figures of its shapes. */
  readonly perClass: readonly { readonly classId: ClassId; readonly splits: Readonly<Record<Split, ClassSplitFigures>> }[];
  readonly imagesByStatus: Readonly<Record<ImageStatus, number>>;
  readonly imagesBySplit: Readonly<Record<Split, number>>;
  /** Per split: images with k objects at index k (the last index: OBJECTS_CAP or more). */
  readonly objectsPerImage: Readonly<Record<Split, readonly number[]>>;
  /** Image aspect ratios (w / h), in the same bins as shapes. */
  readonly imageAspectBins: readonly number[];
  /** Shapes of classes not in the project (not in perClass). */
  readonly unknownClassShapes: number;
}

export interface OverviewOptions {
  /** Count only this annotator's layer (or the consensus layer by its name); default every layer. */
  readonly layer?: string;
}

type Mutable = { instances: number; sizeBins: number[]; aspectBins: number[]; heatmap: number[] };
const emptyFigures = (): Mutable => ({
  instances: 0,
  sizeBins: new Array<number>(SIZE_BINS.length).fill(0),
  aspectBins: new Array<number>(ASPECT_BIN_EDGES.length + 1).fill(0),
  heatmap: new Array<number>(HEATMAP_SIZE * HEATMAP_SIZE).fill(0),
});

/** Index of the bin of ratio r (bins by their upper edges; the last is open). */
export function aspectBin(r: number): number {
  const i = ASPECT_BIN_EDGES.findIndex((edge) => r < edge);
  return i < 0 ? ASPECT_BIN_EDGES.length : i;
}

export function sizeBin(area: number): number {
  return area < SIZE_BIN_LIMITS[0] ? 0 : area < SIZE_BIN_LIMITS[1] ? 1 : 2;
}

const cell = (v: number): number => Math.min(HEATMAP_SIZE - 1, Math.max(0, Math.floor(v * HEATMAP_SIZE)));

export function overview(snapshot: CheckSnapshot, options: OverviewOptions = {}): DatasetOverview {
  const { project } = snapshot;
  const figures = new Map<ClassId, Record<Split, Mutable>>();
  for (const c of project.classes) {
    figures.set(c.id, Object.fromEntries(SPLITS.map((s) => [s, emptyFigures()])) as Record<Split, Mutable>);
  }
  const imagesByStatus = Object.fromEntries(IMAGE_STATUSES.map((s) => [s, 0])) as Record<ImageStatus, number>;
  const imagesBySplit = Object.fromEntries(SPLITS.map((s) => [s, 0])) as Record<Split, number>;
  const objectsPerImage = Object.fromEntries(SPLITS.map((s) => [s, new Array<number>(OBJECTS_CAP + 1).fill(0)])) as Record<Split, number[]>;
  const imageAspectBins = new Array<number>(ASPECT_BIN_EDGES.length + 1).fill(0);

  const byImage = new Map<ImageId, CheckAnnotation[]>();
  for (const a of snapshot.annotations) {
    if (options.layer !== undefined && a.annotator !== options.layer) continue;
    const list = byImage.get(a.imageId);
    if (list) list.push(a);
    else byImage.set(a.imageId, [a]);
  }

  let unknownClassShapes = 0;
  for (const image of snapshot.images) {
    imagesByStatus[image.status]++;
    imagesBySplit[image.split]++;
    imageAspectBins[aspectBin(image.width / image.height)]!++;
    const shapes = byImage.get(image.id) ?? [];
    objectsPerImage[image.split][Math.min(OBJECTS_CAP, shapes.length)]!++;
    for (const a of shapes) {
      const f = figures.get(a.classId)?.[image.split];
      if (!f) {
        unknownClassShapes++;
        continue;
      }
      f.instances++;
      const p = prepareShape(a.shape);
      if (!p.usable) continue;
      const w = p.x1 - p.x0;
      const h = p.y1 - p.y0;
      f.sizeBins[sizeBin(p.area)]!++;
      if (h > 0) f.aspectBins[aspectBin(w / h)]!++;
      const cx = (p.x0 + p.x1) / 2 / image.width;
      const cy = (p.y0 + p.y1) / 2 / image.height;
      f.heatmap[cell(cy) * HEATMAP_SIZE + cell(cx)]!++;
    }
  }
  return {
    classes: project.classes.map((c) => ({ id: c.id, name: c.name })),
    perClass: project.classes.map((c) => ({ classId: c.id, splits: figures.get(c.id)! })),
    imagesByStatus,
    imagesBySplit,
    objectsPerImage,
    imageAspectBins,
    unknownClassShapes,
  };
}
