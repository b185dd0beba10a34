/**
 * A lead's review decisions as document Changes (issue 11): settling a disagreement puts one shape
 * (or none, for a rejection) in the Consensus layer and records the decision — in one Change, so
 * it is one undo step, saved like any edit and followed by other tabs. No annotator's layer is
 * ever touched. Deciding a cluster again replaces the earlier decision and its Consensus shape.
 *
 * Pure: the app passes the image's records (its layers, its shapes as the checker names them,
 * its decisions) and commits the Change.
 */
import { added, change, removed, type Change, type RecordUpdate } from '../core/change';
import { imageUpdate } from '../core/annotationCommands';
import { newAnnotationId, newDecisionId } from '../core/ids';
import { layerFor } from '../core/layerCommands';
import type { Annotation, AnnotationId, ImageRecord, Layer, ReviewAction, ReviewDecision } from '../core/model';
import { fail, ok, type Result } from '../core/result';
import type { Cluster } from './agreement';
import { agreedClusters, clusterKey, resolveCluster, type Resolution } from './consensus';
import type { CheckAnnotation } from './types';

/** An image as review sees it. */
export interface ReviewImage {
  readonly image: ImageRecord;
  /** The project's layers (the Consensus layer is found here, or made by the first decision). */
  readonly layers: readonly Layer[];
  /** The image's shapes of every layer, as stored. */
  readonly annotations: readonly Annotation[];
  /** The same shapes as the checker names them (annotator = layer name); annotators' layers only are compared. */
  readonly named: ReadonlyMap<AnnotationId, CheckAnnotation>;
  /** How many annotators drew on the image (the "of" of the votes). */
  readonly annotators: number;
  /** The image's decisions so far. */
  readonly decisions: readonly ReviewDecision[];
}

const ACTION: Readonly<Record<Resolution['kind'], ReviewAction>> = { accept: 'accept', majority: 'majority', merge: 'merge', reject: 'reject', redraw: 'redraw' };

/** The decision already made on a cluster, if any (matched by its members' ids). */
export function decisionOf(cluster: Pick<Cluster, 'members'>, decisions: readonly ReviewDecision[]): ReviewDecision | undefined {
  const key = clusterKey(cluster);
  return decisions.find((d) => d.clusterKey === key);
}

/** The updates of one decision (the Consensus layer known to exist); null when the resolution is refused. */
function decisionUpdates(
  review: ReviewImage,
  consensusLayer: Layer,
  cluster: Cluster,
  resolution: Resolution,
  decidedBy: string,
  now: number,
): Result<{ updates: RecordUpdate[]; delta: number }> {
  const outcome = resolveCluster(cluster, review.named, review.annotators, resolution);
  if (!outcome.ok) return outcome;
  const updates: RecordUpdate[] = [];
  let delta = 0;
  // Decided before: that decision and the Consensus shape it made go.
  const previous = decisionOf(cluster, review.decisions);
  if (previous) {
    updates.push(removed('reviewDecisions', previous));
    const made = previous.consensusId ? review.annotations.find((a) => a.id === previous.consensusId) : undefined;
    if (made) {
      updates.push(removed('annotations', made));
      delta--;
    }
  }
  let consensusId: AnnotationId | null = null;
  if (outcome.value) {
    const { shape, classId, votes, of } = outcome.value;
    // Attributes of the accepted shape travel with it; a merged or redrawn shape has none.
    const from = resolution.kind === 'accept' ? review.annotations.find((a) => a.id === resolution.annotationId) : undefined;
    const record: Annotation = {
      id: newAnnotationId(),
      projectId: review.image.projectId,
      imageId: review.image.id,
      layerId: consensusLayer.id,
      classId,
      shape,
      attributes: from?.attributes ?? {},
      source: 'merged',
      revision: 1,
      review: { votes, of, decidedBy },
      createdAt: now,
      updatedAt: now,
    };
    updates.push(added('annotations', record));
    consensusId = record.id;
    delta++;
  }
  const decision: ReviewDecision = {
    id: newDecisionId(),
    projectId: review.image.projectId,
    imageId: review.image.id,
    clusterKey: clusterKey(cluster),
    action: ACTION[resolution.kind],
    consensusId,
    decidedBy,
    revision: previous ? previous.revision + 1 : 1,
    at: now,
  };
  updates.push(added('reviewDecisions', decision));
  return ok({ updates, delta });
}

function consensusLayerOf(review: ReviewImage, now: number): Result<{ layer: Layer; change: Change }> {
  return layerFor(review.image.projectId, review.layers, 'Consensus', now, 'consensus');
}

/** Settles one disagreement: one Change (the Consensus layer made if needed, the shape, the decision, the image's count). */
export function decide(review: ReviewImage, cluster: Cluster, resolution: Resolution, decidedBy: string, now: number): Result<Change> {
  const layer = consensusLayerOf(review, now);
  if (!layer.ok) return layer;
  const made = decisionUpdates(review, layer.value.layer, cluster, resolution, decidedBy, now);
  if (!made.ok) return made;
  const image = imageUpdate(review.image, made.value.delta);
  return ok(change(...layer.value.change.updates, ...made.value.updates, ...image));
}

/**
 * "Accept all agreed": every cluster that reaches the quorum with no vote split and has no
 * decision yet is accepted by majority, in one Change. Null when there is nothing to settle.
 */
export function acceptAllAgreed(review: ReviewImage, clusters: readonly Cluster[], quorum: number, decidedBy: string, now: number): Result<Change | null> {
  const open = agreedClusters(clusters, review.annotators, quorum).filter((c) => !decisionOf(c, review.decisions));
  if (open.length === 0) return ok(null);
  const layer = consensusLayerOf(review, now);
  if (!layer.ok) return layer;
  const updates: RecordUpdate[] = [...layer.value.change.updates];
  let delta = 0;
  for (const cluster of open) {
    const made = decisionUpdates(review, layer.value.layer, cluster, { kind: 'majority' }, decidedBy, now);
    if (!made.ok) return fail(made.message);
    updates.push(...made.value.updates);
    delta += made.value.delta;
  }
  return ok(change(...updates, ...imageUpdate(review.image, delta)));
}

/** Clusters of the image still without a decision (the disagreements left open are those not agreed among them). */
export function undecided(clusters: readonly Cluster[], decisions: readonly ReviewDecision[]): Cluster[] {
  return clusters.filter((c) => !decisionOf(c, decisions));
}
