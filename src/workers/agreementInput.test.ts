import { describe, expect, it } from 'vitest';
import type { ImageId, LayerId } from '../core/model';
import { agreementReport, type CheckAnnotation } from '../quality';
import { box, image, project, shape } from '../quality/testFixtures';
import { agreementInput } from './agreementInput';

const img1 = image(1);
const img2 = image(2);
const on = (img: typeof img1, annotator: string, layerId: string, id: string): CheckAnnotation => ({ ...shape(img, box(0, 0, 10, 10), { id, annotator }), layerId: layerId as LayerId });

describe('agreementInput', () => {
  it("keeps the annotators' layers and leaves out the consensus and prediction layers, by layer id", () => {
    const shapes = new Map<ImageId, CheckAnnotation[]>([
      [img1.id, [on(img1, 'bob', 'L-bob', 'b1'), on(img1, 'alice', 'L-alice', 'a1'), on(img1, 'model', 'L-model', 'm1'), on(img1, 'Consensus', 'L-consensus', 'c1')]],
      [img2.id, [on(img2, 'alice', 'L-alice', 'a2'), on(img2, 'model', 'L-model', 'm2')]],
    ]);
    const input = agreementInput([img1, img2], shapes, new Set(['L-model', 'L-consensus'] as LayerId[]));
    expect(input.annotators).toEqual(['alice', 'bob']);
    expect([...input.annotations].map(([id, list]) => [id, list.map((a) => a.id)])).toEqual([
      [img1.id, ['b1', 'a1']],
      [img2.id, ['a2']],
    ]);
    expect(input.annotations.get(img2.id)).not.toBe(shapes.get(img2.id)); // m2 left out

    // A model's predictions are no annotator: Review compares alice and bob only.
    const report = agreementReport({ project: project(), images: [img1, img2], annotations: input.annotations }, { iouThreshold: 0.5, lowOverlapThreshold: 0.8, quorum: 0 });
    expect(report.annotators).toEqual(['alice', 'bob']);
    expect(report.pairs.map((p) => p.annotators)).toEqual([['alice', 'bob']]);
  });

  it('skips shapes of images no longer in the project and names no annotator without shapes', () => {
    const shapes = new Map<ImageId, CheckAnnotation[]>([[img2.id, [on(img2, 'alice', 'L-alice', 'a2')]]]);
    expect(agreementInput([img1], shapes, new Set())).toEqual({ annotations: new Map(), annotators: [] });
    // Nothing to leave out: the worker's own list is passed on, not copied.
    expect(agreementInput([img2], shapes, new Set()).annotations.get(img2.id)).toBe(shapes.get(img2.id));
  });
});
