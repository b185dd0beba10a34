import { describe, expect, it } from 'vitest';
import type { AnnotationId } from '../core/model';
import { imageAgreement } from './agreement';
import { agreedClusters, clusterKey, mergedShape, resolveCluster } from './consensus';
import { box, classId, image, polygon, shape } from './testFixtures';
import type { CheckAnnotation } from './types';

const OPTIONS = { iouThreshold: 0.5, lowOverlapThreshold: 0.8, quorum: 0 };
const img = image(1, { width: 1000, height: 1000 });
const car = classId('car');
const person = classId('person');

/**
 * Three annotators on one image:
 * - object 1: all three boxes, all "car" (agreed);
 * - object 2: ana and bruno say "car", carla "person" (majority car, 2 of 3);
 * - object 3: only ana drew it (1 of 3: the vote fails).
 */
function threeAnnotators() {
  const annotations: CheckAnnotation[] = [
    shape(img, box(100, 100, 100, 100), { id: 'a1', annotator: 'ana' }),
    shape(img, box(102, 100, 100, 100), { id: 'b1', annotator: 'bruno' }),
    shape(img, box(100, 104, 100, 100), { id: 'c1', annotator: 'carla' }),
    shape(img, box(500, 500, 80, 60), { id: 'a2', annotator: 'ana' }),
    shape(img, box(504, 500, 80, 60), { id: 'b2', annotator: 'bruno' }),
    shape(img, box(500, 498, 80, 60), { id: 'c2', annotator: 'carla', classId: person }),
    shape(img, box(800, 50, 40, 40), { id: 'a3', annotator: 'ana' }),
  ];
  const agreement = imageAgreement(img, annotations, OPTIONS)!;
  const byId = new Map(annotations.map((a) => [a.id, a]));
  const cluster = (id: string) => agreement.clusters.find((c) => c.members.some((m) => m.id === id))!;
  return { agreement, byId, cluster };
}

describe('consensus: settling one disagreement', () => {
  it('names a cluster by its members, whatever their order', () => {
    const { cluster } = threeAnnotators();
    expect(clusterKey(cluster('b1'))).toBe('a1+b1+c1');
  });

  it('accept one annotator: that shape and class, with its votes', () => {
    const { cluster, byId } = threeAnnotators();
    expect(resolveCluster(cluster('c2'), byId, 3, { kind: 'accept', annotationId: 'c2' as AnnotationId })).toEqual({
      ok: true,
      value: { shape: box(500, 498, 80, 60), classId: person, sources: ['c2'], votes: 1, of: 3 },
    });
    expect(resolveCluster(cluster('c2'), byId, 3, { kind: 'accept', annotationId: 'a1' as AnnotationId }).ok).toBe(false);
  });

  it('accept the majority: the voted class (2 of 3) on the member nearest the mean box; refused when the vote failed', () => {
    const { cluster, byId } = threeAnnotators();
    const r = resolveCluster(cluster('a2'), byId, 3, { kind: 'majority' });
    // Mean box of the three: x 501.33, y 499.33; a2 (500, 500) is nearest.
    expect(r).toEqual({ ok: true, value: { shape: box(500, 500, 80, 60), classId: car, sources: ['a2', 'b2', 'c2'], votes: 2, of: 3 } });
    expect(resolveCluster(cluster('a3'), byId, 3, { kind: 'majority' })).toEqual({
      ok: false,
      message: 'There is no majority here: the annotators split or too few drew it. Pick a shape, merge or redraw.',
    });
  });

  it('merge: two boxes give their mean box; three give the member nearest the mean', () => {
    const a = shape(img, box(10, 10, 100, 50), { id: 'x', annotator: 'ana' });
    const b = shape(img, box(20, 14, 100, 50), { id: 'y', annotator: 'bruno' });
    const two = imageAgreement(img, [a, b], OPTIONS)!.clusters[0]!;
    expect(mergedShape(two, new Map([a, b].map((s) => [s.id, s])))).toEqual(box(15, 12, 100, 50));
    const { cluster, byId } = threeAnnotators();
    expect(mergedShape(cluster('a1'), byId)).toEqual(byId.get(cluster('a1').consensus)!.shape);
    // A split class needs to be named.
    expect(resolveCluster(cluster('a3'), byId, 3, { kind: 'merge' }).ok).toBe(true); // one member: its class
    const split = imageAgreement(img, [a, { ...b, classId: person }], OPTIONS)!.clusters[0]!;
    expect(resolveCluster(split, new Map([a, b].map((s) => [s.id, s])), 2, { kind: 'merge' }).ok).toBe(false);
    expect(resolveCluster(split, new Map([a, b].map((s) => [s.id, s])), 2, { kind: 'merge', classId: person })).toMatchObject({ ok: true, value: { classId: person, votes: 1, of: 2 } });
  });

  it('merge keeps polygons as the nearest member (no averaging of outlines)', () => {
    const p1 = shape(img, polygon(0, 0, 100, 0, 100, 100), { id: 'p1', annotator: 'ana' });
    const p2 = shape(img, polygon(2, 0, 100, 2, 100, 100), { id: 'p2', annotator: 'bruno' });
    const cluster = imageAgreement(img, [p1, p2], OPTIONS)!.clusters[0]!;
    expect(mergedShape(cluster, new Map([p1, p2].map((s) => [s.id, s])))).toEqual(cluster.consensus === 'p1' ? p1.shape : p2.shape);
  });

  it('reject puts nothing in the consensus; redraw the lead’s shape', () => {
    const { cluster, byId } = threeAnnotators();
    expect(resolveCluster(cluster('a3'), byId, 3, { kind: 'reject' })).toEqual({ ok: true, value: null });
    expect(resolveCluster(cluster('a3'), byId, 3, { kind: 'redraw', shape: box(1, 2, 3, 4), classId: person })).toEqual({
      ok: true,
      value: { shape: box(1, 2, 3, 4), classId: person, sources: [], votes: 0, of: 3 },
    });
  });

  it('"accept all agreed" takes the objects every annotator drew with one class, or as many as the quorum says', () => {
    const { agreement } = threeAnnotators();
    expect(agreedClusters(agreement.clusters, 3, 0).map(clusterKey)).toEqual(['a1+b1+c1']);
    expect(agreedClusters(agreement.clusters, 3, 2).map(clusterKey).sort()).toEqual(['a1+b1+c1', 'a2+b2+c2']);
    expect(agreedClusters(agreement.clusters, 1, 0)).toEqual([]);
  });
});
