/**
 * Which of the check worker's shapes Review compares (checkApi.ts `agreement`): only annotators'
 * layers — never the consensus the lead builds, nor predictions — grouped by image as the worker
 * keeps them (no list of every shape is built). Pure.
 */
import type { ImageId, LayerId } from '../core/model';
import type { CheckAnnotation } from '../quality';

export interface AgreementInput {
  /** Each image's annotator shapes (the worker's own list when nothing is left out); images without any are absent. */
  readonly annotations: ReadonlyMap<ImageId, readonly CheckAnnotation[]>;
  /** Names of the annotator layers holding shapes, sorted. */
  readonly annotators: string[];
}

/**
 * The annotator layers' shapes of these images. `notAnnotators`: ids of the consensus and
 * prediction layers (their kind is on the layer records, not on the shapes).
 */
export function agreementInput(images: readonly { readonly id: ImageId }[], shapes: ReadonlyMap<ImageId, readonly CheckAnnotation[]>, notAnnotators: ReadonlySet<LayerId>): AgreementInput {
  const names = new Set<string>();
  const annotations = new Map<ImageId, readonly CheckAnnotation[]>();
  const counts = (a: CheckAnnotation) => a.layerId === undefined || !notAnnotators.has(a.layerId);
  for (const image of images) {
    const all = shapes.get(image.id);
    if (!all) continue;
    const kept = all.every(counts) ? all : all.filter(counts);
    if (kept.length === 0) continue;
    annotations.set(image.id, kept);
    for (const a of kept) names.add(a.annotator);
  }
  return { annotations, annotators: [...names].sort() };
}
