/**
 * Settling a disagreement (issue 11): what the Consensus layer gets for one cluster of shapes
 * (one object as the annotators of an image drew it) when the lead accepts one annotator's
 * shape, accepts the majority, merges the geometry, rejects the object, or redraws it. Pure: the
 * app turns the outcome into a shape of the Consensus layer and a review decision.
 */
import type { CheckAnnotation } from './types';
import type { AnnotationId, ClassId, Shape } from '../core/model';
import { fail, ok, type Result } from '../core/result';
import type { Cluster } from './agreement';

export type Resolution =
  /** That annotator's shape and class, as drawn. */
  | { readonly kind: 'accept'; readonly annotationId: AnnotationId }
  /** The voted class on the consensus geometry; refused when the vote failed. */
  | { readonly kind: 'majority' }
  /** One geometry from all members (see mergedShape), with the voted class or the one given. */
  | { readonly kind: 'merge'; readonly classId?: ClassId }
  /** There is no object here: nothing goes into the Consensus layer. */
  | { readonly kind: 'reject' }
  /** The lead's own shape and class. */
  | { readonly kind: 'redraw'; readonly shape: Shape; readonly classId: ClassId };

export type ResolutionKind = Resolution['kind'];

/** What the Consensus layer receives for a cluster. */
export interface ConsensusShape {
  readonly shape: Shape;
  readonly classId: ClassId;
  /** The members the shape comes from (empty for a redraw). */
  readonly sources: readonly AnnotationId[];
  /** Annotators of the image whose shape in the cluster has this class ("2 of 3"). */
  readonly votes: number;
  readonly of: number;
}

/** A cluster's stable name: its members' ids, sorted. A decision keeps matching it while they stay. */
export function clusterKey(cluster: Pick<Cluster, 'members'>): string {
  return cluster.members
    .map((m) => m.id)
    .sort()
    .join('+');
}

/**
 * The consensus geometry of a cluster: with two boxes, their mean box (neither annotator's
 * shape is preferred); otherwise (3+ members, or polygons) the member nearest the members' mean
 * box, which agreement.ts already found (`cluster.consensus`).
 */
export function mergedShape(cluster: Cluster, byId: ReadonlyMap<AnnotationId, CheckAnnotation>): Shape {
  const shapes = cluster.members.map((m) => byId.get(m.id)?.shape);
  if (shapes.length === 2 && shapes.every((s) => s?.kind === 'box')) {
    const [a, b] = shapes as Extract<Shape, { kind: 'box' }>[];
    const x0 = (a!.x + b!.x) / 2;
    const y0 = (a!.y + b!.y) / 2;
    const x1 = (a!.x + a!.w + b!.x + b!.w) / 2;
    const y1 = (a!.y + a!.h + b!.y + b!.h) / 2;
    return { kind: 'box', x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }
  return byId.get(cluster.consensus)!.shape;
}

/**
 * What a resolution puts in the Consensus layer for `cluster` (null: nothing, the object was
 * rejected). `annotators` is how many annotators drew on the image (the "of" of the votes);
 * `byId` holds at least the cluster's members.
 */
export function resolveCluster(cluster: Cluster, byId: ReadonlyMap<AnnotationId, CheckAnnotation>, annotators: number, resolution: Resolution): Result<ConsensusShape | null> {
  const votesFor = (classId: ClassId) => cluster.members.filter((m) => m.classId === classId).length;
  const sources = cluster.members.map((m) => m.id);
  switch (resolution.kind) {
    case 'accept': {
      const member = cluster.members.find((m) => m.id === resolution.annotationId);
      const shape = byId.get(resolution.annotationId)?.shape;
      if (!member || !shape) return fail('That shape is not part of this disagreement any more.');
      return ok({ shape, classId: member.classId, sources: [member.id], votes: votesFor(member.classId), of: annotators });
    }
    case 'majority': {
      if (cluster.status === 'failed' || cluster.classId === null) return fail('There is no majority here: the annotators split or too few drew it. Pick a shape, merge or redraw.');
      return ok({ shape: byId.get(cluster.consensus)!.shape, classId: cluster.classId, sources, votes: votesFor(cluster.classId), of: annotators });
    }
    case 'merge': {
      const [top, second] = cluster.votes;
      const unsplit = top && (!second || second.count < top.count) ? top.classId : null;
      const classId = resolution.classId ?? cluster.classId ?? unsplit;
      if (classId === null) return fail('The annotators disagree on the class: choose one to merge into.');
      return ok({ shape: mergedShape(cluster, byId), classId, sources, votes: votesFor(classId), of: annotators });
    }
    case 'reject':
      return ok(null);
    case 'redraw':
      return ok({ shape: resolution.shape, classId: resolution.classId, sources: [], votes: votesFor(resolution.classId), of: annotators });
  }
}

/**
 * The clusters "Accept all agreed" settles: every object whose class at least `quorum` annotators
 * gave it (0: all of the image's annotators, i.e. matched and of one class), with no vote split.
 */
export function agreedClusters(clusters: readonly Cluster[], annotators: number, quorum: number): Cluster[] {
  const needed = quorum > 0 ? quorum : annotators;
  return clusters.filter((c) => {
    const top = c.votes[0];
    const tie = c.votes.length > 1 && c.votes[1]!.count === top?.count;
    return top !== undefined && !tie && top.count >= needed && annotators >= 2;
  });
}
