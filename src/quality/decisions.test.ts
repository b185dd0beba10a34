import { describe, expect, it } from 'vitest';
import { updatesOf, type Change } from '../core/change';
import { applyChange, createDocument } from '../core/document';
import { invert } from '../core/history';
import type { AnnotationId, Layer, LayerId, ReviewDecision } from '../core/model';
import { imageAgreement } from './agreement';
import { acceptAllAgreed, decide, decisionOf, undecided, type ReviewImage } from './decisions';
import { box, classId, image, project, record, shape } from './testFixtures';

const OPTIONS = { iouThreshold: 0.5, lowOverlapThreshold: 0.8, quorum: 0 };
const img = image(1, { width: 1000, height: 1000, annotationCount: 5 });
const car = classId('car');
const person = classId('person');
const layers: Layer[] = ['ana', 'bo'].map((name, i) => ({ id: `layer-${name}` as LayerId, projectId: img.projectId, name, kind: 'annotator', revision: 1, createdAt: i, updatedAt: i }));

/**
 * ana and bo on one image:
 * - object 1: both drew a car at nearly the same place (agreed);
 * - object 2: ana says car, bo says person (label mismatch);
 * - object 3: only bo drew it (extra in bo's layer).
 */
function setup(decisions: readonly ReviewDecision[] = [], extra: ReviewImage['annotations'] = []) {
  const named = [
    shape(img, box(100, 100, 100, 100), { id: 'a1', annotator: 'ana' }),
    shape(img, box(102, 100, 100, 100), { id: 'b1', annotator: 'bo' }),
    shape(img, box(500, 500, 80, 60), { id: 'a2', annotator: 'ana' }),
    shape(img, box(502, 500, 80, 60), { id: 'b2', annotator: 'bo', classId: person }),
    shape(img, box(800, 50, 40, 40), { id: 'b3', annotator: 'bo' }),
  ];
  const agreement = imageAgreement(img, named, OPTIONS)!;
  const review: ReviewImage = {
    image: img,
    layers,
    annotations: [...named.map(record), ...extra],
    named: new Map(named.map((a) => [a.id, a])),
    annotators: 2,
    decisions,
  };
  const cluster = (id: string) => agreement.clusters.find((c) => c.members.some((m) => m.id === id))!;
  return { review, cluster, clusters: agreement.clusters };
}

function value<T>(r: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

const annotationsAdded = (c: Change) => updatesOf(c, 'annotations').flatMap((u) => (u.before === null && u.after ? [u.after] : []));

describe('review decisions as Changes', () => {
  it("accepting bo's shape makes the Consensus layer, puts his shape and class in it with its votes, and records who decided", () => {
    const { review, cluster } = setup();
    const c = value(decide(review, cluster('b2'), { kind: 'accept', annotationId: 'b2' as AnnotationId }, 'lead', 50));
    const [layer] = updatesOf(c, 'layers').map((u) => u.after!);
    expect(layer).toMatchObject({ name: 'Consensus', kind: 'consensus', createdAt: 50 });
    const [made] = annotationsAdded(c);
    expect(made).toMatchObject({ layerId: layer!.id, imageId: img.id, classId: person, shape: box(502, 500, 80, 60), source: 'merged', revision: 1, review: { votes: 1, of: 2, decidedBy: 'lead' } });
    expect(updatesOf(c, 'reviewDecisions').map((u) => u.after)).toEqual([
      { id: expect.any(String), projectId: img.projectId, imageId: img.id, clusterKey: 'a2+b2', action: 'accept', consensusId: made!.id, decidedBy: 'lead', revision: 1, at: 50 },
    ]);
    // No annotator's shape is touched; the image counts one more shape.
    expect(updatesOf(c, 'annotations').every((u) => u.before === null)).toBe(true);
    expect(updatesOf(c, 'images').map((u) => u.after!.annotationCount)).toEqual([6]);
  });

  it('the Consensus layer is made once: a second decision finds it', () => {
    const consensus: Layer = { id: 'layer-consensus' as LayerId, projectId: img.projectId, name: 'Consensus', kind: 'consensus', revision: 1, createdAt: 9, updatedAt: 9 };
    const { review, cluster } = setup();
    const c = value(decide({ ...review, layers: [...layers, consensus] }, cluster('b3'), { kind: 'accept', annotationId: 'b3' as AnnotationId }, 'lead', 60));
    expect(updatesOf(c, 'layers')).toEqual([]);
    expect(annotationsAdded(c)[0]!.layerId).toBe('layer-consensus');
  });

  it('a rejection records the decision and adds no shape', () => {
    const { review, cluster } = setup();
    const c = value(decide(review, cluster('b3'), { kind: 'reject' }, 'lead', 70));
    expect(annotationsAdded(c)).toEqual([]);
    expect(updatesOf(c, 'reviewDecisions')[0]!.after).toMatchObject({ clusterKey: 'b3', action: 'reject', consensusId: null });
    expect(updatesOf(c, 'images')).toEqual([]);
  });

  it('deciding a cluster again replaces the decision and the Consensus shape it made', () => {
    const first = setup();
    const c1 = value(decide(first.review, first.cluster('b2'), { kind: 'accept', annotationId: 'b2' as AnnotationId }, 'lead', 50));
    const made = annotationsAdded(c1)[0]!;
    const decision = updatesOf(c1, 'reviewDecisions')[0]!.after!;
    const consensus = updatesOf(c1, 'layers')[0]!.after!;
    const again = setup([decision], [made]);
    const c2 = value(decide({ ...again.review, layers: [...layers, consensus], image: { ...img, annotationCount: 6 } }, again.cluster('a2'), { kind: 'accept', annotationId: 'a2' as AnnotationId }, 'lead', 80));
    expect(updatesOf(c2, 'annotations').filter((u) => u.after === null).map((u) => u.before!.id)).toEqual([made.id]);
    expect(annotationsAdded(c2).map((a) => a.classId)).toEqual([car]);
    expect(updatesOf(c2, 'reviewDecisions').map((u) => [u.before?.id ?? null, u.after?.revision ?? null])).toEqual([
      [decision.id, null],
      [null, 2],
    ]);
    expect(updatesOf(c2, 'images')).toEqual([]); // one shape out, one in
  });

  it('a refused resolution changes nothing', () => {
    const { review, cluster } = setup();
    // bo and ana split on object 2: no majority.
    expect(decide(review, cluster('a2'), { kind: 'majority' }, 'lead', 50).ok).toBe(false);
  });

  it('"accept all agreed" settles every matched, same-class object not yet decided, in one Change; then nothing is left to settle', () => {
    const { review, clusters } = setup();
    const c = value(acceptAllAgreed(review, clusters, 0, 'lead', 90))!;
    // Only object 1 is agreed (both said car at the same place).
    expect(updatesOf(c, 'reviewDecisions').map((u) => u.after!.clusterKey)).toEqual(['a1+b1']);
    expect(annotationsAdded(c)).toEqual([expect.objectContaining({ classId: car, review: { votes: 2, of: 2, decidedBy: 'lead' } })]);
    const decided = updatesOf(c, 'reviewDecisions').map((u) => u.after!);
    expect(value(acceptAllAgreed({ ...review, decisions: decided }, clusters, 0, 'lead', 91))).toBeNull();
    expect(undecided(clusters, decided).map((k) => k.members.map((m) => m.id).join('+'))).toEqual(expect.not.arrayContaining(['a1+b1']));
    expect(decisionOf(clusters.find((k) => k.members.some((m) => m.id === 'a1'))!, decided)).toBe(decided[0]);
  });

  it('a decision undoes as one step: the document is as before', () => {
    const { review, cluster } = setup();
    const doc = createDocument(project(), [img], layers);
    const c = value(decide(review, cluster('b3'), { kind: 'accept', annotationId: 'b3' as AnnotationId }, 'lead', 50));
    const after = applyChange(doc, c);
    expect(after.layers.map((l) => l.name)).toEqual(['ana', 'bo', 'Consensus']);
    const back = applyChange(after, invert(c));
    expect(back.layers).toEqual(doc.layers);
    expect(back.images).toEqual(doc.images);
  });
});
