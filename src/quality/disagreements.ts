/**
 * What each object of an image is, in a reviewer's words (issue 11: "each disagreement marked and
 * labelled — missing, extra, label mismatch, low overlap, attribute mismatch — with its IoU").
 * Built from the image's agreement (its clusters and its pairwise matches): one entry per cluster,
 * with where it is (the union of its members' bounds, for the canvas marker and for zooming to
 * it), its kind, the worst IoU between its members, and a short label. The review panel lists
 * them, the canvas marks the open ones, and the review keys step through them in this order.
 *
 * Kinds, first that applies:
 * - missing / extra: some annotators did not draw it. When most drew it, the others missed it
 *   ("missing from chen"); when most did not, it is extra in the layers of those who drew it
 *   ("extra: only bob drew it"). At exactly half (one of two annotators), the pair's own reading
 *   decides, as in the pair table: the first annotator (by name) is the reference, so a shape only
 *   they drew is missing from the other, and a shape only the other drew is extra.
 * - label mismatch: all drew it, in different classes.
 * - low overlap: one class, but some pair of members overlaps below τ_low.
 * - attribute mismatch: one class, good overlap, attributes differ (the fields named).
 * - agreed: none of these.
 *
 * Pure; the order is fixed (open kinds before agreed, then top to bottom, left to right), so the
 * keys and the list agree.
 */
import { shapeBounds, type Rect } from '../core/geometry';
import type { AnnotationId, ReviewDecision, Shape } from '../core/model';
import type { Cluster, ImageAgreement } from './agreement';
import { clusterKey } from './consensus';

export type DisagreementKind = 'missing' | 'extra' | 'label mismatch' | 'low overlap' | 'attribute mismatch' | 'agreed';

export interface ObjectReview {
  /** The cluster's key (its members' ids, sorted): what decisions are matched by. */
  readonly key: string;
  readonly cluster: Cluster;
  readonly kind: DisagreementKind;
  /** e.g. `label mismatch · IoU 0.62`, `missing from chen`, `attribute mismatch: occluded · IoU 0.91`. */
  readonly label: string;
  /** The lowest IoU between two members (null with one member). */
  readonly iou: number | null;
  /** Attributes that differ (attribute mismatch only), sorted. */
  readonly fields: readonly string[];
  /** The union of the members' bounds, image px. */
  readonly bounds: Rect;
  /** The lead's decision on it, if any. */
  readonly decision: ReviewDecision | undefined;
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

function union(rects: readonly Rect[]): Rect {
  if (rects.length === 0) return { x: 0, y: 0, w: 0, h: 0 };
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.w);
    y1 = Math.max(y1, r.y + r.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

const list = (names: readonly string[]): string => (names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/**
 * Every object of the image as review sees it, open disagreements first. `shapes` holds at least
 * the clusters' members; `lowOverlapThreshold` is τ_low.
 */
export function describeObjects(
  agreement: ImageAgreement,
  shapes: ReadonlyMap<AnnotationId, { readonly shape: Shape }>,
  decisions: readonly ReviewDecision[],
  lowOverlapThreshold: number,
): ObjectReview[] {
  // The IoU of every matched pair (both passes) and the attributes that differ, from the pairs.
  const ious = new Map<string, number>();
  const fieldsOf = new Map<string, readonly string[]>();
  for (const { result } of agreement.pairs) {
    for (const m of result.matches) ious.set(pairKey(m.a, m.b), m.iou);
    for (const m of result.labelMismatches) ious.set(pairKey(m.a, m.b), m.iou);
    for (const x of result.attributeMismatches) fieldsOf.set(pairKey(x.pair.a, x.pair.b), x.fields);
  }
  const byKey = new Map(decisions.map((d) => [d.clusterKey, d]));
  const n = agreement.annotators.length;
  const first = agreement.annotators[0];

  const out = agreement.clusters.map((cluster): ObjectReview => {
    const ids = cluster.members.map((m) => m.id);
    let iou: number | null = null;
    const fields = new Set<string>();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const k = pairKey(ids[i]!, ids[j]!);
        const v = ious.get(k);
        if (v !== undefined) iou = iou === null ? v : Math.min(iou, v);
        for (const f of fieldsOf.get(k) ?? []) fields.add(f);
      }
    }
    const drew = cluster.members.map((m) => m.annotator);
    const absent = cluster.missing;
    const iouText = iou === null ? '' : ` · IoU ${iou.toFixed(2)}`;
    let kind: DisagreementKind;
    let label: string;
    if (absent.length > 0) {
      const most = drew.length * 2 > n || (drew.length * 2 === n && first !== undefined && drew.includes(first));
      kind = most ? 'missing' : 'extra';
      label = most ? `missing from ${list(absent)}${iouText}` : `extra: only ${list(drew)} drew it${iouText}`;
    } else if (cluster.votes.length > 1) {
      kind = 'label mismatch';
      label = `label mismatch${iouText}`;
    } else if (iou !== null && iou < lowOverlapThreshold) {
      kind = 'low overlap';
      label = `low overlap${iouText}`;
    } else if (fields.size > 0) {
      kind = 'attribute mismatch';
      label = `attribute mismatch: ${[...fields].sort().join(', ')}${iouText}`;
    } else {
      kind = 'agreed';
      label = `agreed${iouText}`;
    }
    const bounds = union(cluster.members.map((m) => shapes.get(m.id)).filter((s) => s !== undefined).map((s) => shapeBounds(s.shape)));
    return { key: clusterKey(cluster), cluster, kind, label, iou, fields: [...fields].sort(), bounds, decision: byKey.get(clusterKey(cluster)) };
  });
  const rank = (o: ObjectReview): number => (o.decision ? 1 : o.kind === 'agreed' ? 2 : 0);
  return out.sort((a, b) => rank(a) - rank(b) || a.bounds.y - b.bounds.y || a.bounds.x - b.bounds.x || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The disagreements still open: not agreed, not decided (what the canvas marks and the keys visit). */
export function openDisagreements(objects: readonly ObjectReview[]): ObjectReview[] {
  return objects.filter((o) => o.kind !== 'agreed' && !o.decision);
}

/** How many disagreements are still open in a project, and on how many images (the Consensus export says so before Download). */
export interface OpenCount {
  readonly open: number;
  readonly images: number;
}

/**
 * Counts the open disagreements of every image of an agreement report, given the lead's
 * decisions (any order, any images): the same reading as the panel's, without the geometry.
 */
export function countOpen(images: readonly ImageAgreement[], decisions: readonly ReviewDecision[], lowOverlapThreshold: number): OpenCount {
  const byImage = new Map<string, ReviewDecision[]>();
  for (const d of decisions) {
    const list = byImage.get(d.imageId);
    if (list) list.push(d);
    else byImage.set(d.imageId, [d]);
  }
  let open = 0;
  let imagesOpen = 0;
  const noShapes = new Map<AnnotationId, { readonly shape: Shape }>();
  for (const agreement of images) {
    const n = openDisagreements(describeObjects(agreement, noShapes, byImage.get(agreement.imageId) ?? [], lowOverlapThreshold)).length;
    open += n;
    if (n > 0) imagesOpen++;
  }
  return { open, images: imagesOpen };
}
