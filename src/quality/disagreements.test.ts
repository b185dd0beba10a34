import { describe, expect, it } from 'vitest';
import type { DecisionId, ImageId, ProjectId, ReviewDecision } from '../core/model';
import { imageAgreement } from './agreement';
import { countOpen, describeObjects, openDisagreements } from './disagreements';
import { box, classId, image, shape } from './testFixtures';
import type { CheckAnnotation } from './types';

const OPTIONS = { iouThreshold: 0.5, lowOverlapThreshold: 0.8, quorum: 0 };
const img = image(1, { width: 1000, height: 1000 });
const person = classId('person');

function objects(annotations: readonly CheckAnnotation[], decisions: readonly ReviewDecision[] = []) {
  const agreement = imageAgreement(img, annotations, OPTIONS)!;
  return describeObjects(agreement, new Map(annotations.map((a) => [a.id, a])), decisions, OPTIONS.lowOverlapThreshold);
}

const decision = (clusterKey: string): ReviewDecision => ({
  id: 'd1' as DecisionId,
  projectId: 'p1' as ProjectId,
  imageId: img.id as ImageId,
  clusterKey,
  action: 'reject',
  consensusId: null,
  decidedBy: 'lead',
  revision: 1,
  at: 1,
});

describe('describeObjects: two annotators (alice is the reference, as in the pair table)', () => {
  // Box IoUs worked out by hand:
  // - o1: 100×100 at (100,100) and at (102,100): overlap 98×100 = 9,800; union 20,000 − 9,800 =
  //   10,200 → 0.96. Same class → agreed.
  // - o2: 100×100 at (400,100) and at (400,110): overlap 100×90 = 9,000; union 11,000 → 0.82;
  //   classes differ → label mismatch · IoU 0.82.
  // - o3: 100×100 at (100,400) and at (130,400): overlap 70×100 = 7,000; union 13,000 → 0.54 ≥ τ
  //   (matched) but < τ_low 0.8 → low overlap · IoU 0.54.
  // - o4: alice alone → missing from bob; o5: bob alone → extra: only bob drew it.
  // - o6: IoU 1, same class, occluded differs → attribute mismatch: occluded · IoU 1.00.
  const annotations = [
    shape(img, box(100, 100, 100, 100), { id: 'a1', annotator: 'alice' }),
    shape(img, box(102, 100, 100, 100), { id: 'b1', annotator: 'bob' }),
    shape(img, box(400, 100, 100, 100), { id: 'a2', annotator: 'alice' }),
    shape(img, box(400, 110, 100, 100), { id: 'b2', annotator: 'bob', classId: person }),
    shape(img, box(100, 400, 100, 100), { id: 'a3', annotator: 'alice' }),
    shape(img, box(130, 400, 100, 100), { id: 'b3', annotator: 'bob' }),
    shape(img, box(700, 700, 50, 50), { id: 'a4', annotator: 'alice' }),
    shape(img, box(800, 300, 50, 50), { id: 'b5', annotator: 'bob' }),
    shape(img, box(600, 600, 40, 40), { id: 'a6', annotator: 'alice', attributes: { occluded: true } }),
    shape(img, box(600, 600, 40, 40), { id: 'b6', annotator: 'bob', attributes: { occluded: false } }),
  ];

  it('names each kind with its IoU, open ones first, top to bottom', () => {
    const got = objects(annotations).map((o) => [o.key, o.kind, o.label]);
    expect(got).toEqual([
      ['a2+b2', 'label mismatch', 'label mismatch · IoU 0.82'],
      ['b5', 'extra', 'extra: only bob drew it'],
      ['a3+b3', 'low overlap', 'low overlap · IoU 0.54'],
      ['a6+b6', 'attribute mismatch', 'attribute mismatch: occluded · IoU 1.00'],
      ['a4', 'missing', 'missing from bob'],
      ['a1+b1', 'agreed', 'agreed · IoU 0.96'],
    ]);
  });

  it('bounds are the union of the members’ boxes', () => {
    const o = objects(annotations).find((x) => x.key === 'a2+b2')!;
    expect(o.bounds).toEqual({ x: 400, y: 100, w: 100, h: 110 });
    expect(o.iou).toBeCloseTo(9000 / 11000, 10);
  });

  it('a decided object is no longer open, and comes after the open ones', () => {
    const all = objects(annotations, [decision('a2+b2')]);
    expect(openDisagreements(all).map((o) => o.key)).toEqual(['b5', 'a3+b3', 'a6+b6', 'a4']);
    expect(all.findIndex((o) => o.key === 'a2+b2')).toBe(4);
    expect(all.find((o) => o.key === 'a2+b2')!.decision?.action).toBe('reject');
  });

  it('the result does not depend on the order of the shapes', () => {
    const forward = objects(annotations).map((o) => o.label);
    expect(objects([...annotations].reverse()).map((o) => o.label)).toEqual(forward);
  });
});

describe('describeObjects: three annotators', () => {
  it('two of three drew it → missing from the third; one of three → extra', () => {
    const got = objects([
      shape(img, box(100, 100, 100, 100), { id: 'a1', annotator: 'ana' }),
      shape(img, box(100, 100, 100, 100), { id: 'b1', annotator: 'bruno' }),
      shape(img, box(500, 500, 50, 50), { id: 'c2', annotator: 'chen' }),
      // Everyone agrees on a third object, so the image has all three annotators.
      shape(img, box(800, 800, 50, 50), { id: 'a3', annotator: 'ana' }),
      shape(img, box(800, 800, 50, 50), { id: 'b3', annotator: 'bruno' }),
      shape(img, box(800, 800, 50, 50), { id: 'c3', annotator: 'chen' }),
    ]).map((o) => [o.key, o.label]);
    expect(got).toEqual([
      ['a1+b1', 'missing from chen · IoU 1.00'],
      ['c2', 'extra: only chen drew it'],
      ['a3+b3+c3', 'agreed · IoU 1.00'],
    ]);
  });

  it('the IoU shown is the worst pair’s', () => {
    const [o] = objects([
      shape(img, box(100, 100, 100, 100), { id: 'a1', annotator: 'ana' }),
      shape(img, box(100, 100, 100, 100), { id: 'b1', annotator: 'bruno' }),
      // 100×100 shifted 20 px: overlap 8,000, union 12,000 → 0.67 with both others.
      shape(img, box(120, 100, 100, 100), { id: 'c1', annotator: 'chen', classId: person }),
    ]);
    expect(o!.label).toBe('label mismatch · IoU 0.67');
  });
});

describe('countOpen: the open disagreements of a project', () => {
  it('counts per image what the panel lists as open, less what was decided', () => {
    const other = image(2, { width: 1000, height: 1000 });
    const first = imageAgreement(
      img,
      [
        shape(img, box(100, 100, 100, 100), { id: 'a1', annotator: 'alice' }),
        shape(img, box(100, 100, 100, 100), { id: 'b1', annotator: 'bob', classId: person }),
        shape(img, box(500, 500, 50, 50), { id: 'b2', annotator: 'bob' }),
      ],
      OPTIONS,
    )!;
    const second = imageAgreement(
      other,
      [shape(other, box(10, 10, 50, 50), { id: 'a3', annotator: 'alice' }), shape(other, box(10, 10, 50, 50), { id: 'b3', annotator: 'bob' })],
      OPTIONS,
    )!;
    // img: a label mismatch and an extra (2 open); other: agreed (0 open).
    expect(countOpen([first, second], [], 0.8)).toEqual({ open: 2, images: 1 });
    // Deciding the mismatch leaves one; a decision on another image's key changes nothing here.
    expect(countOpen([first, second], [decision('a1+b1')], 0.8)).toEqual({ open: 1, images: 1 });
    expect(countOpen([first, second], [decision('a1+b1'), { ...decision('b2'), id: 'd2' as DecisionId }], 0.8)).toEqual({ open: 0, images: 0 });
  });
});
