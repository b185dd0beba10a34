/**
 * The agreement summary as it crosses from the check worker to the page. 10,000 images' summaries
 * as objects cost the worker ~100 ms to serialize and the page a 60–80 ms task to deserialize
 * (and garbage to collect); packed into one string and a few typed arrays (transferred, not
 * copied) the message is read in well under a millisecond, and the page builds the objects
 * itself. `unpackSummary(packSummary(s))` equals `s`. Pure.
 */
import type { ImageId } from '../core/model';
import type { AgreementSummary, DisagreementCounts, ImageSummary } from '../quality';

const COUNT_KEYS = ['missing', 'extra', 'labelMismatch', 'lowOverlap', 'attributeMismatch'] as const satisfies readonly (keyof DisagreementCounts)[];

export interface PackedImages {
  /** The images' ids joined by "\n" (ids never hold one; see packSummary). */
  readonly ids: string;
  /** Each image's annotators: an index into `annotatorSets`. */
  readonly annotatorSet: Uint32Array;
  readonly annotatorSets: readonly (readonly string[])[];
  readonly meanF1: Float64Array;
  /** 1 − meanF1, as computed in the worker (sent, not recomputed, so the page shows the same number). */
  readonly disagreement: Float64Array;
  /** Five counts per image, in COUNT_KEYS order. */
  readonly counts: Uint32Array;
  /** The review queue as positions in the image list. */
  readonly queue: Uint32Array;
}

export interface PackedSummary extends Omit<AgreementSummary, 'images' | 'queue'> {
  readonly packed: PackedImages;
}

/** The summary packed, and the buffers to transfer with it. */
export function packSummary(summary: AgreementSummary): { readonly packed: PackedSummary; readonly transfer: ArrayBuffer[] } {
  const { images, queue, ...rest } = summary;
  const n = images.length;
  const position = new Map<ImageId, number>();
  const sets = new Map<string, number>();
  const annotatorSets: (readonly string[])[] = [];
  const annotatorSet = new Uint32Array(n);
  const meanF1 = new Float64Array(n);
  const disagreement = new Float64Array(n);
  const counts = new Uint32Array(n * COUNT_KEYS.length);
  images.forEach((image, i) => {
    if (image.imageId.includes('\n')) throw new Error(`an image id holds a line break: ${JSON.stringify(image.imageId)}`);
    position.set(image.imageId, i);
    const key = image.annotators.join('\n');
    let set = sets.get(key);
    if (set === undefined) {
      sets.set(key, (set = annotatorSets.length));
      annotatorSets.push(image.annotators);
    }
    annotatorSet[i] = set;
    meanF1[i] = image.meanF1;
    disagreement[i] = image.disagreement;
    COUNT_KEYS.forEach((k, c) => (counts[i * COUNT_KEYS.length + c] = image.counts[k]));
  });
  const order = new Uint32Array(queue.length);
  queue.forEach((id, q) => {
    const at = position.get(id);
    if (at === undefined) throw new Error(`the review queue names an image without a summary: ${id}`);
    order[q] = at;
  });
  const packed: PackedImages = { ids: images.map((i) => i.imageId).join('\n'), annotatorSet, annotatorSets, meanF1, disagreement, counts, queue: order };
  return { packed: { ...rest, packed }, transfer: [annotatorSet.buffer, meanF1.buffer, disagreement.buffer, counts.buffer, order.buffer] };
}

export function unpackSummary(summary: PackedSummary): AgreementSummary {
  const { packed, ...rest } = summary;
  const ids = (packed.meanF1.length === 0 ? [] : packed.ids.split('\n')) as ImageId[];
  const images: ImageSummary[] = ids.map((imageId, i) => {
    const at = i * COUNT_KEYS.length;
    const c = packed.counts;
    return {
      imageId,
      annotators: packed.annotatorSets[packed.annotatorSet[i]!]!,
      meanF1: packed.meanF1[i]!,
      disagreement: packed.disagreement[i]!,
      // In COUNT_KEYS order.
      counts: { missing: c[at]!, extra: c[at + 1]!, labelMismatch: c[at + 2]!, lowOverlap: c[at + 3]!, attributeMismatch: c[at + 4]! },
    };
  });
  const queue = Array.from(packed.queue, (at) => ids[at]!);
  return { ...rest, images, queue };
}
