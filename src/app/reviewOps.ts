/**
 * What the review panel does on the open image (see reviewController.ts): its agreement, and the
 * lead's decisions as undoable Changes. Loaded with the panel, not with the app.
 */
import type { Change } from '../core/change';
import type { Annotation, AnnotationId, Layer, LayerId } from '../core/model';
import { fail, ok, type Result } from '../core/result';
import { imageAgreement, type Cluster, type ImageAgreement } from '../quality/agreement';
import { mergedShape, type Resolution } from '../quality/consensus';
import { acceptAllAgreed, decide, type ReviewImage } from '../quality/decisions';
import { toCheckAnnotation } from '../quality/checkAnnotation';
import { qualitySettingsOf } from '../quality/settings';
import type { CheckAnnotation } from '../quality/types';
import { currentAnnotations, currentImage, selectShapes } from './annotationActions';
import type { ReviewController } from './reviewController';
import type { Services } from './services';

/** The open image as review sees it, with its agreement (null when fewer than two annotators drew on it). */
export interface ImageReview {
  readonly review: ReviewImage;
  readonly agreement: ImageAgreement | null;
  readonly quorum: number;
  /** τ_low: matched shapes overlapping less are a "low overlap" disagreement. */
  readonly lowOverlapIoU: number;
}

const annotatorLayers = (layers: readonly Layer[]): Map<LayerId, string> => new Map(layers.filter((l) => l.kind === 'annotator').map((l) => [l.id, l.name]));

/** The open image's review: its shapes by layer, its decisions, the clusters of its annotators' shapes. */
export function currentReview(services: Services, controller: ReviewController): ImageReview | null {
  const image = currentImage(services);
  const items = currentAnnotations(services);
  const doc = services.stores.document.getState().doc;
  const { imageId, decisions } = controller.store.getState();
  if (!image || !items || !doc || imageId !== image.id) return null;
  const settings = qualitySettingsOf(doc.project.settings);
  const s = settings.ok ? settings.value : null;
  const names = annotatorLayers(doc.layers);
  const named = new Map<AnnotationId, CheckAnnotation>();
  for (const a of items) {
    const annotator = names.get(a.layerId);
    if (annotator === undefined) continue; // the Consensus layer is not compared
    named.set(a.id, toCheckAnnotation(a, annotator));
  }
  const drew = new Set([...named.values()].map((a) => a.annotator));
  const review: ReviewImage = { image, layers: doc.layers, annotations: items, named, annotators: drew.size, decisions };
  const agreement = s ? imageAgreement(image, [...named.values()], { iouThreshold: s.matchIoU, lowOverlapThreshold: s.lowOverlapIoU, quorum: s.quorum }) : null;
  return { review, agreement, quorum: s?.quorum ?? 0, lowOverlapIoU: s?.lowOverlapIoU ?? 0.8 };
}

const who = (services: Services): string => services.stores.session.getState().annotatorName ?? 'lead';

function commit(services: Services, change: Result<Change | null>, label: string): Result<null> {
  if (!change.ok) return change;
  if (change.value === null) return ok(null);
  const image = currentImage(services);
  if (services.editor.commit(change.value, { imageId: image?.id ?? null, label }) === null) return fail('This tab is read-only: the project is open for editing in another tab.');
  return ok(null);
}

/** Settles one disagreement of the open image. */
export function settle(services: Services, controller: ReviewController, cluster: Cluster, resolution: Resolution, label: string): Result<null> {
  const now = currentReview(services, controller);
  if (!now) return fail('Open an image first.');
  return commit(services, decide(now.review, cluster, resolution, who(services), Date.now()), label);
}

/** "Accept all agreed" on the open image: every matched, same-class object not decided yet. */
export function acceptAgreed(services: Services, controller: ReviewController): Result<number> {
  const now = currentReview(services, controller);
  if (!now?.agreement) return fail('Fewer than two annotators drew on this image: there is nothing to agree on.');
  const made = acceptAllAgreed(now.review, now.agreement.clusters, now.quorum, who(services), Date.now());
  if (!made.ok) return made;
  const n = made.value?.updates.filter((u) => u.table === 'reviewDecisions' && u.after).length ?? 0;
  const committed = commit(services, made, `accept ${n} agreed`);
  return committed.ok ? ok(n) : committed;
}

/**
 * "Redraw": the lead's own geometry for an object. It starts as the members' merged geometry (the
 * mean of two boxes, else the member nearest the mean box) with the voted class (the first in the
 * vote when it split) in the Consensus layer, recorded as redrawn, and is selected with the Select
 * tool on, so the lead drags its corners or vertices and presses 1–9 for its class — ordinary
 * edits of the Consensus shape, each undoable. Returns the shape's id.
 */
export function redraw(services: Services, controller: ReviewController, cluster: Cluster): Result<AnnotationId> {
  const now = currentReview(services, controller);
  if (!now) return fail('Open an image first.');
  const classId = cluster.classId ?? cluster.votes[0]?.classId;
  if (!classId) return fail('That object has no shape left to start from.');
  const made = decide(now.review, cluster, { kind: 'redraw', shape: mergedShape(cluster, now.review.named), classId }, who(services), Date.now());
  if (!made.ok) return made;
  const created = made.value.updates.find((u) => u.table === 'annotations' && u.after && !u.before)?.after as Annotation | undefined;
  const committed = commit(services, made, 'redraw object');
  if (!committed.ok) return committed;
  if (!created) return fail('The redrawn shape was not made.');
  // The Consensus layer is shown, so the new shape can be edited at once.
  services.stores.session.setState((s) => {
    const hiddenLayers = new Set(s.hiddenLayers);
    hiddenLayers.delete(created.layerId);
    return { hiddenLayers, blind: false };
  });
  selectShapes(services, [created.id]);
  return ok(created.id);
}
