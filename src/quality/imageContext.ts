/**
 * One image as the per-image rules see it: its record, its shapes (prepared once for every
 * overlap computation), the project's classes and the settings.
 */
import type { CheckAnnotation } from './types';
import { CONSENSUS_LAYER, type ClassId, type ImageRecord } from '../core/model';
import { prepareShape, type PreparedShape } from './iou';
import type { PreparedInput } from './match';
import type { QualitySettings } from './settings';
import type { ImageFeatures } from './types';

export interface ImageContext {
  readonly image: ImageRecord;
  /** The image's annotations in id order (every rule's output is then independent of input order). */
  readonly annotations: readonly CheckAnnotation[];
  /** prepared[i] belongs to annotations[i]. */
  readonly prepared: readonly PreparedShape[];
  /** Class names by id, for the project's classes. */
  readonly classNames: ReadonlyMap<ClassId, string>;
  readonly settings: QualitySettings;
  readonly features: ImageFeatures | undefined;
}

export function imageContext(
  image: ImageRecord,
  annotations: readonly CheckAnnotation[],
  classNames: ReadonlyMap<ClassId, string>,
  settings: QualitySettings,
  features: ImageFeatures | undefined,
): ImageContext {
  const sorted = [...annotations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { image, annotations: sorted, prepared: sorted.map((a) => prepareShape(a.shape)), classNames, settings, features };
}

/** A class's name for a message (quoted), or a note that the class is unknown. */
export function className(ctx: { readonly classNames: ReadonlyMap<ClassId, string> }, id: ClassId): string {
  const name = ctx.classNames.get(id);
  return name === undefined ? 'an unknown class' : `“${name}”`;
}

/** Layers compared between annotators: every annotator's, not the review's consensus. */
export const isAnnotatorLayer = (annotator: string): boolean => annotator !== CONSENSUS_LAYER;

/**
 * The annotator layers among `annotations` (prepared[i] belongs to annotations[i]), sorted by
 * name, each in the order given; `wanted` restricts the annotators.
 */
export function annotatorLayers(
  annotations: readonly CheckAnnotation[],
  prepared: readonly PreparedShape[],
  wanted: ReadonlySet<string> | null = null,
): Map<string, PreparedInput<CheckAnnotation>[]> {
  const layers = new Map<string, PreparedInput<CheckAnnotation>[]>();
  annotations.forEach((a, i) => {
    if (!isAnnotatorLayer(a.annotator) || (wanted && !wanted.has(a.annotator))) return;
    const entry = { item: a, prepared: prepared[i]! };
    const list = layers.get(a.annotator);
    if (list) list.push(entry);
    else layers.set(a.annotator, [entry]);
  });
  return new Map([...layers].sort((x, y) => (x[0] < y[0] ? -1 : 1)));
}
