import { useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { useApp, useDocument, useSession } from '../../app/context';
import { useScope } from '../../app/useCommands';
import { currentReview, redraw, settle as settleOne, type ImageReview } from '../../app/reviewOps';
import type { AnnotationId, LabelClass, Layer } from '../../core/model';
import { reportResult, type ReviewMark } from '../../state/stores';
import type { Resolution } from '../../quality/consensus';
import { agreedClusters } from '../../quality/consensus';
import { decisionOf } from '../../quality/decisions';
import { annotatorColours } from '../../quality/annotatorColours';
import { describeObjects, openDisagreements, type ObjectReview } from '../../quality/disagreements';

const ACTIONS: Readonly<Record<string, string>> = { accept: 'accepted', majority: 'accepted by majority', merge: 'merged', reject: 'rejected', redraw: 'redrawn' };
const NO_LAYERS: readonly Layer[] = [];

/** The review keys (N, Shift+N) and the canvas markers work while the panel shows an image under review. */
function ReviewScope() {
  useScope('review');
  return null;
}

/**
 * The open image's objects as its annotators drew them, disagreements first, each labelled
 * (missing, extra, label mismatch, low overlap, attribute mismatch, with its IoU) with what
 * settles it: accept one annotator's shape, accept the majority, merge, reject — and "Accept all
 * agreed" for the rest. Shown when two annotators or more drew on the image. Every decision is
 * one undo step. The open disagreements are published for the canvas, which marks them.
 */
export default function Disagreements() {
  const { review, services, tools, commands } = useApp();
  const { stores } = services;
  const decisions = useStore(review.store, (s) => s.decisions);
  const reviewImageId = useStore(review.store, (s) => s.imageId);
  const focused = useStore(stores.review, (s) => s.focused);
  const items = useStore(stores.annotations, (s) => s.items);
  const layers = useDocument((s) => s.doc?.layers ?? NO_LAYERS);
  const settings = useDocument((s) => s.doc?.project.settings);
  const classes = useDocument((s) => s.doc?.project.classes);
  const sideBySide = useSession((s) => s.sideBySide);
  // Recomputed when the shapes, layers, settings or decisions change (one image: a few ms).
  const current: ImageReview | null = useMemo(() => currentReview(services, review), [services, review, items, layers, settings, decisions, reviewImageId]); // eslint-disable-line react-hooks/exhaustive-deps
  const agreement = current?.agreement ?? null;
  const objects: readonly ObjectReview[] = useMemo(() => {
    if (!current || !agreement) return [];
    return describeObjects(agreement, current.review.named, current.review.decisions, current.lowOverlapIoU);
  }, [current, agreement]);
  const open = useMemo(() => openDisagreements(objects), [objects]);

  // Publish the open disagreements for the canvas markers and the review keys.
  const imageId = agreement && current ? current.review.image.id : null;
  useEffect(() => {
    const marks: ReviewMark[] = open.map((o) => ({ key: o.key, kind: o.kind, label: o.label, bounds: o.bounds, members: o.cluster.members.map((m) => m.id) }));
    stores.review.setState((s) => ({ imageId, marks, focused: s.imageId === imageId && marks.some((m) => m.key === s.focused) ? s.focused : null }));
  }, [open, imageId, stores]);
  useEffect(() => () => stores.review.setState({ imageId: null, marks: [], focused: null }), [stores]);

  // The focused row stays in view.
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (!focused) return;
    listRef.current?.querySelector<HTMLElement>('[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [focused]);

  if (!current || !agreement) return null;
  const className = (id: string) => classes?.find((c: LabelClass) => c.id === id)?.name ?? '?';
  // One colour per annotator for the whole project (the same in the layer toggles and on the canvas).
  const colours = annotatorColours(layers.filter((l) => l.kind === 'annotator').map((l) => l.name).sort());
  const agreedOpen = agreedClusters(agreement.clusters, agreement.annotators.length, current.quorum).filter((c) => !decisionOf(c, current.review.decisions));
  const settle = (o: ObjectReview, resolution: Resolution, label: string) => reportResult(stores, settleOne(services, review, o.cluster, resolution, label));
  const many = agreement.annotators.length >= 3;

  return (
    <section className="disagreements" aria-label="Disagreements">
      <ReviewScope />
      <div className="disagreements-head">
        <h3 className="panel-subtitle">
          Review <span className="muted">{open.length === 0 ? 'nothing open' : `${open.length} open`}</span>
        </h3>
        <button
          type="button"
          disabled={agreedOpen.length === 0}
          title={`Put every object ${current.quorum > 0 ? `at least ${current.quorum} annotators` : 'all annotators'} gave one class in the Consensus layer, one undo step (Shift+A)`}
          onClick={() => void commands.run('review.acceptAgreed')}
        >
          Accept all agreed{agreedOpen.length > 0 ? ` (${agreedOpen.length})` : ''}
        </button>
        <label className="check small" title="Each annotator's layer in its own pane, same view (review)">
          <input type="checkbox" checked={sideBySide} onChange={(e) => stores.session.setState({ sideBySide: e.target.checked })} />
          Side by side
        </label>
      </div>
      <ul ref={listRef} className="disagreement-list" aria-label="Objects by annotator">
        {objects.map((o) => {
          const { cluster, decision } = o;
          return (
            <li key={o.key} className={`disagreement ${decision ? 'decided' : ''} ${o.key === focused ? 'focused' : ''}`} aria-current={o.key === focused ? 'true' : undefined} data-kind={o.kind}>
              <div className="disagreement-what">
                <strong>{o.label}</strong>
                {cluster.members.map((m) => (
                  <span key={m.id} className="disagreement-member">
                    <span className="swatch" style={{ background: colours.get(m.annotator)?.colour }} aria-hidden="true" /> {m.annotator}: {className(m.classId)}
                  </span>
                ))}
                {decision && <span className="muted"> · settled: {ACTIONS[decision.action] ?? decision.action} by {decision.decidedBy}</span>}
              </div>
              <div className="disagreement-actions">
                {cluster.members.map((m) => (
                  <button key={m.id} type="button" onClick={() => settle(o, { kind: 'accept', annotationId: m.id as AnnotationId }, `accept ${m.annotator}'s shape`)}>
                    {`Accept ${m.annotator}'s shape`}
                  </button>
                ))}
                {many && cluster.status !== 'failed' && cluster.classId !== null && (cluster.votes.length > 1 || cluster.missing.length > 0) && (
                  <button type="button" title={`The voted class (${className(cluster.classId)}, ${cluster.votes[0]?.count ?? 0} of ${agreement.annotators.length}) on the member nearest the mean box`} onClick={() => settle(o, { kind: 'majority' }, 'accept the majority')}>
                    Accept majority
                  </button>
                )}
                {cluster.members.length > 1 && cluster.votes.length === 1 && (
                  <button type="button" title={many ? "The member nearest the members' mean box" : 'The mean of the two boxes'} onClick={() => settle(o, { kind: 'merge' }, 'merge shapes')}>
                    Accept merged shape
                  </button>
                )}
                <button
                  type="button"
                  title="Your own shape: starts from the merged one in the Consensus layer, selected — drag its corners, press 1–9 for its class"
                  onClick={() => {
                    const r = redraw(services, review, cluster);
                    if (r.ok) tools.setTool('select');
                    reportResult(stores, r.ok ? { ok: true, value: 'Redraw: adjust the selected Consensus shape (drag its corners; 1–9 sets its class).' } : r);
                  }}
                >
                  Accept and redraw
                </button>
                <button type="button" onClick={() => settle(o, { kind: 'reject' }, 'reject object')}>
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
