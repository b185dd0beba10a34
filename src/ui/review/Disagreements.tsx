import { useMemo } from 'react';
import { useStore } from 'zustand';
import { useApp, useDocument } from '../../app/context';
import { acceptAgreed, currentReview, settle as settleOne, type ImageReview } from '../../app/reviewOps';
import type { AnnotationId, LabelClass } from '../../core/model';
import { reportResult } from '../../state/stores';
import type { Cluster } from '../../quality/agreement';
import type { Resolution } from '../../quality/consensus';
import { annotatorColours } from '../../quality/annotatorColours';
import { decisionOf } from '../../quality/decisions';
import { shapeIoU } from '../../quality/iou';

/** What kind of disagreement a cluster is, in a reviewer's words. */
function kindOf(cluster: Cluster, annotators: readonly string[]): string {
  if (cluster.members.length < annotators.length) {
    const drew = cluster.members.map((m) => m.annotator);
    return `missing from ${annotators.filter((a) => !drew.includes(a)).join(', ')}`;
  }
  if (cluster.votes.length > 1) return 'label mismatch';
  return cluster.status === 'agreed' ? 'agreed' : 'majority';
}

const ACTIONS: Readonly<Record<string, string>> = { accept: 'accepted', majority: 'accepted by majority', merge: 'merged', reject: 'rejected', redraw: 'redrawn' };

/**
 * The open image's objects as its annotators drew them, disagreements first, each with what
 * settles it: accept one annotator's shape, merge, reject — and "Accept all agreed" for the
 * rest. Shown when two annotators or more drew on the image. Every decision is one undo step.
 */
export default function Disagreements() {
  const { review, services } = useApp();
  const decisions = useStore(review.store, (s) => s.decisions);
  const reviewImageId = useStore(review.store, (s) => s.imageId);
  const items = useStore(services.stores.annotations, (s) => s.items);
  const layers = useDocument((s) => s.doc?.layers);
  const settings = useDocument((s) => s.doc?.project.settings);
  const classes = useDocument((s) => s.doc?.project.classes);
  // Recomputed when the shapes, layers, settings or decisions change (one image: a few ms).
  const current: ImageReview | null = useMemo(() => currentReview(services, review), [services, review, items, layers, settings, decisions, reviewImageId]); // eslint-disable-line react-hooks/exhaustive-deps
  const agreement = current?.agreement;
  if (!current || !agreement) return null;
  const className = (id: string) => classes?.find((c: LabelClass) => c.id === id)?.name ?? '?';
  const colours = annotatorColours([...agreement.annotators].sort());
  const open = agreement.clusters.filter((c) => c.status !== 'agreed' && !decisionOf(c, current.review.decisions));
  const agreedOpen = agreement.clusters.filter((c) => c.status === 'agreed' && !decisionOf(c, current.review.decisions));
  // Open disagreements first, then settled ones, then objects the annotators agree on.
  const rank = (c: Cluster) => (decisionOf(c, current.review.decisions) ? 1 : c.status === 'agreed' ? 2 : 0);
  const ordered = [...agreement.clusters].sort((a, b) => rank(a) - rank(b));
  const settle = (cluster: Cluster, resolution: Resolution, label: string) => reportResult(services.stores, settleOne(services, review, cluster, resolution, label));

  return (
    <section className="disagreements" aria-label="Disagreements">
      <div className="disagreements-head">
        <h3 className="panel-subtitle">
          Review <span className="muted">{open.length === 0 ? 'nothing open' : `${open.length} open`}</span>
        </h3>
        <button
          type="button"
          disabled={agreedOpen.length === 0}
          title="Put every object the annotators agree on (same place, same class) in the Consensus layer, one undo step"
          onClick={() => {
            const r = acceptAgreed(services, review);
            reportResult(services.stores, r.ok ? { ok: true, value: `Accepted ${r.value} agreed object${r.value === 1 ? '' : 's'} into the Consensus layer.` } : r);
          }}
        >
          Accept all agreed{agreedOpen.length > 0 ? ` (${agreedOpen.length})` : ''}
        </button>
      </div>
      <ul className="disagreement-list" aria-label="Objects by annotator">
        {ordered.map((cluster) => {
          const decided = decisionOf(cluster, current.review.decisions);
          const [a, b] = cluster.members;
          const sa = a && current.review.named.get(a.id);
          const sb = b && current.review.named.get(b.id);
          const iou = cluster.members.length === 2 && sa && sb ? shapeIoU(sa.shape, sb.shape) : null;
          const kind = kindOf(cluster, agreement.annotators);
          return (
            <li key={cluster.members.map((m) => m.id).join('+')} className={`disagreement ${decided ? 'decided' : ''}`}>
              <div className="disagreement-what">
                <strong>{kind}</strong>
                {iou !== null && <span className="muted"> · IoU {iou.toFixed(2)}</span>}
                {cluster.members.map((m) => (
                  <span key={m.id} className="disagreement-member">
                    <span className="swatch" style={{ background: colours.get(m.annotator)?.colour }} aria-hidden="true" /> {m.annotator}: {className(m.classId)}
                  </span>
                ))}
                {decided && <span className="muted"> · settled: {ACTIONS[decided.action] ?? decided.action} by {decided.decidedBy}</span>}
              </div>
              <div className="disagreement-actions">
                {cluster.members.map((m) => (
                  <button key={m.id} type="button" onClick={() => settle(cluster, { kind: 'accept', annotationId: m.id as AnnotationId }, `accept ${m.annotator}'s shape`)}>
                    {`Accept ${m.annotator}'s shape`}
                  </button>
                ))}
                {cluster.members.length > 1 && cluster.votes.length === 1 && (
                  <button type="button" onClick={() => settle(cluster, { kind: 'merge' }, 'merge shapes')}>
                    Merge
                  </button>
                )}
                <button type="button" onClick={() => settle(cluster, { kind: 'reject' }, 'reject object')}>
                  Reject
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
