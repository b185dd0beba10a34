/**
 * Which of the check worker's shapes Review compares (checkApi.ts `agreement`): only annotators'
 * layers — never the consensus the lead builds, nor predictions — in the images' order. Pure.
 */
import type { ImageId, LayerId } from '../core/model';
import type { CheckAnnotation } from '../quality';

export interface AgreementInput {
  readonly annotations: CheckAnnotation[];
  /** Names of the annotator layers holding shapes, sorted. */
  readonly annotators: string[];
}

/**
 * The annotator layers' shapes of these images. `notAnnotators`: ids of the consensus and
 * prediction layers (their kind is on the layer records, not on the shapes).
 */
export function agreementInput(images: readonly { readonly id: ImageId }[], shapes: ReadonlyMap<ImageId, readonly CheckAnnotation[]>, notAnnotators: ReadonlySet<LayerId>): AgreementInput {
  const names = new Set<string>();
  const annotations: CheckAnnotation[] = [];
  for (const image of images) {
    for (const a of shapes.get(image.id) ?? []) {
      if (a.layerId !== undefined && notAnnotators.has(a.layerId)) continue;
      annotations.push(a);
      names.add(a.annotator);
    }
  }
  return { annotations, annotators: [...names].sort() };
}
