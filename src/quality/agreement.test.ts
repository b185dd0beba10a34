import { describe, expect, it } from 'vitest';
import { agreementReport, agreementSummary, summarizeAgreement, type AgreementOptions } from './agreement';
import { AlphaAccumulator, nominalAlpha, NOT_ANNOTATED } from './krippendorff';
import { UNMATCHED } from './match';
import type { AnnotationId, ImageId } from '../core/model';
import type { CheckAnnotation } from './types';
import { box, classId, image, project, shape, twoAnnotatorCase } from './testFixtures';

const OPTIONS: AgreementOptions = { iouThreshold: 0.5, lowOverlapThreshold: 0.8, quorum: 0 };
const CAR = classId('car');
const PERSON = classId('person');

describe("Krippendorff's alpha (nominal)", () => {
  it("reproduces Krippendorff's published example (4 observers, 12 units, missing values): 0.743", () => {
    // Units 1–12 as the observers coded them (missing values left out).
    // n = 40 pairable values; n_v: 1→9, 2→13, 3→10, 4→5, 5→3; Σ n_v² = 384.
    // Disagreeing pairs per unit (m² − Σ f²)/(m − 1): unit 2: 6/3 = 2, unit 6: 12/3 = 4, unit 8: 6/3 = 2 → 8.
    // α = 1 − (40 − 1) · 8 / (40² − 384) = 1 − 312 / 1216 = 0.7434.
    const units = [['1', '1', '1'], ['2', '2', '3', '2'], ['3', '3', '3', '3'], ['3', '3', '3', '3'], ['2', '2', '2', '2'], ['1', '2', '3', '4'], ['4', '4', '4', '4'], ['1', '1', '2', '1'], ['2', '2', '2', '2'], ['5', '5', '5'], ['1', '1'], ['3']];
    const r = nominalAlpha(units);
    expect(r.alpha).toBeCloseTo(1 - 312 / 1216, 12);
    expect(r.reading).toBe('tentative');
    expect(r.units).toBe(11); // the single-value unit carries no pair
  });

  it('one value against the rest equals α of the units with every other value merged', () => {
    const units = [['a', 'b', 'a'], ['a', 'a', 'a'], ['c', 'b', NOT_ANNOTATED], ['b', 'b'], ['c', 'c', 'a', 'c']];
    const acc = new AlphaAccumulator();
    for (const u of units) acc.add(u);
    for (const v of ['a', 'b', 'c', NOT_ANNOTATED]) {
      const merged = nominalAlpha(units.map((u) => u.map((x) => (x === v ? v : 'rest'))));
      expect(acc.resultVersusRest(v).alpha).toBeCloseTo(merged.alpha!, 12);
    }
    expect(acc.resultVersusRest('zzz').alpha).toBeNull();
  });

  it('is undefined without variation, 1 for perfect agreement with variation', () => {
    expect(nominalAlpha([['a', 'a'], ['a', 'a']])).toEqual({ alpha: null, reading: 'undefined', units: 2 });
    expect(nominalAlpha([['a', 'a'], ['b', 'b']]).alpha).toBe(1);
  });
});

describe('agreement between two annotators, against hand-computed figures', () => {
  // Image 1: obj1 car/car IoU 1; obj2 car/car shifted by 1 px, IoU 9/11; obj3 alice person, bob car
  // (label mismatch); obj4 a car only alice drew (missing from bob).
  // Image 2: obj5 person/person IoU 1; obj6 a person only bob drew (extra).
  const img1 = image(1);
  const img2 = image(2);
  const annotations = twoAnnotatorCase(img1, img2);
  const report = agreementReport({ project: project(), images: [img2, img1], annotations }, OPTIONS);

  it('F1, accuracy and mean IoU', () => {
    // |A| = 5, |B| = 5, TP = 3 (obj1, obj2, obj5): F1 = 2·3 / (5 + 5) = 0.6.
    // Accuracy = TP / (TP + mismatches + missing + extra) = 3 / (3 + 1 + 1 + 1) = 0.5.
    // Mean IoU = (1 + 9/11 + 1) / 3.
    const [pair] = report.pairs;
    expect(pair!.annotators).toEqual(['alice', 'bob']);
    expect(pair!.images).toBe(2);
    expect(pair!.metrics).toMatchObject({ sizeA: 5, sizeB: 5, tp: 3, mismatches: 1, missing: 1, extra: 1 });
    expect(pair!.f1).toBe(0.6);
    expect(pair!.accuracy).toBe(0.5);
    expect(pair!.meanIoU).toBeCloseTo((2 + 9 / 11) / 3, 12);
    expect(report.overall.f1).toBe(0.6);
  });

  it('the confusion matrix with its unmatched row and column', () => {
    expect(report.pairs[0]!.confusion).toEqual({
      labels: [CAR, PERSON, UNMATCHED],
      counts: [
        [2, 0, 1], // alice car: 2 × bob car (obj1, obj2), 1 missing (obj4)
        [1, 1, 0], // alice person: bob car (obj3), bob person (obj5)
        [0, 1, 0], // bob's extra person (obj6)
      ],
    });
  });

  it("Krippendorff's alpha overall and per class", () => {
    // Units (alice, bob): (car, car) ×2, (person, car), (car, ∅), (person, person), (∅, person).
    // n = 12; n_car = 6, n_person = 4, n_∅ = 2; n² − Σ n_v² = 144 − 56 = 88.
    // Disagreeing units obj3, obj4, obj6 give 2 each: 6. α = 1 − 11 · 6 / 88 = 0.25.
    expect(report.alpha.overall.alpha).toBeCloseTo(0.25, 12);
    expect(report.alpha.overall.reading).toBe('unreliable');
    // Car against everything else: (c,c) ×2, (o,c), (c,o), (o,o) ×2. n_c = 6, n_o = 6: 144 − 72 = 72.
    // Disagreements obj3, obj4: 4. α = 1 − 11 · 4 / 72 = 28/72.
    const car = report.alpha.perClass.find((c) => c.classId === CAR)!;
    expect(car.result.alpha).toBeCloseTo(28 / 72, 12);
    expect(report.alpha.overall.units).toBe(6);
  });

  it('per image F1 and the review queue, worst first', () => {
    // Image 1: 2·2 / (4 + 3) = 4/7; image 2: 2·1 / (1 + 2) = 2/3.
    expect(report.images.map((i) => [i.imageId, i.meanF1])).toEqual([
      [img1.id, 4 / 7],
      [img2.id, 2 / 3],
    ]);
    expect(report.queue).toEqual([img1.id, img2.id]);
  });

  it('with two annotators every disagreement is a failed vote', () => {
    expect(report.failedVotes).toBe(3); // obj3 (tie), obj4 and obj6 (one vote of two)
    expect(report.minorityMissing).toBe(0);
  });

  it('does not depend on input order', () => {
    const reversed = agreementReport({ project: project(), images: [img1, img2], annotations: [...annotations].reverse() }, OPTIONS);
    expect(reversed).toEqual(report);
  });

  it('takes the shapes grouped by image (as the check worker keeps them) with the same result', () => {
    const grouped = new Map<ImageId, CheckAnnotation[]>();
    for (const a of [...annotations].reverse()) grouped.set(a.imageId, [...(grouped.get(a.imageId) ?? []), a]);
    expect(agreementReport({ project: project(), images: [img2, img1], annotations: grouped }, OPTIONS)).toEqual(report);
  });

  it('the summary the page receives: each image’s figures and findings, and shapes per class', () => {
    const summary = agreementSummary({ project: project(), images: [img2, img1], annotations }, OPTIONS);
    // Image 1: obj3 is a label mismatch, a4 missing from bob; image 2: b6 extra.
    expect(summary.images).toEqual([
      { imageId: img1.id, annotators: ['alice', 'bob'], meanF1: 4 / 7, disagreement: 1 - 4 / 7, counts: { missing: 1, extra: 0, labelMismatch: 1, lowOverlap: 0, attributeMismatch: 0 } },
      { imageId: img2.id, annotators: ['alice', 'bob'], meanF1: 2 / 3, disagreement: 1 - 2 / 3, counts: { missing: 0, extra: 1, labelMismatch: 0, lowOverlap: 0, attributeMismatch: 0 } },
    ]);
    // Cars: a1 b1 a2 b2 b3 a4; persons: a3 a5 b5 b6.
    expect(summary.shapesByClass).toEqual([
      { classId: CAR, shapes: 6 },
      { classId: PERSON, shapes: 4 },
    ]);
    const { images: _images, ...figures } = report;
    expect(summary).toMatchObject(figures);
    expect(summary).toEqual(summarizeAgreement(report));
    expect(agreementSummary({ project: project(), images: [img1, img2], annotations: [...annotations].reverse() }, OPTIONS)).toEqual(summary);
  });
});

describe('three annotators: clusters and votes', () => {
  const img = image(1);
  const s = (id: string, annotator: string, b: ReturnType<typeof box>, cls = CAR) => shape(img, b, { id, annotator, classId: cls });
  const annotations = [
    // objA: all agree; the mean box is (1/3, 1/3)–(31/3, 31/3), nearest to alice's.
    s('a-A', 'alice', box(0, 0, 10, 10)),
    s('b-A', 'bob', box(1, 0, 10, 10)),
    s('c-A', 'carol', box(0, 1, 10, 10)),
    // objB: car, car, person → car by majority.
    s('a-B', 'alice', box(30, 0, 10, 10)),
    s('b-B', 'bob', box(30, 0, 10, 10)),
    s('c-B', 'carol', box(30, 0, 10, 10), PERSON),
    // objC: carol missed it.
    s('a-C', 'alice', box(60, 0, 10, 10), PERSON),
    s('b-C', 'bob', box(60, 0, 10, 10), PERSON),
    // objD: only carol.
    s('c-D', 'carol', box(90, 50, 10, 10)),
    // objE: three different classes.
    s('a-E', 'alice', box(0, 50, 10, 10)),
    s('b-E', 'bob', box(0, 50, 10, 10), PERSON),
    s('c-E', 'carol', box(0, 50, 10, 10), classId('bike')),
  ];
  const p = project(['car', 'person', 'bike']);

  it('clusters one shape per annotator, votes with a majority quorum and picks the member nearest the mean', () => {
    const report = agreementReport({ project: p, images: [img], annotations }, OPTIONS);
    const clusters = report.images[0]!.clusters;
    const byFirst = new Map<string, (typeof clusters)[number]>(clusters.map((c) => [c.members[0]!.id, c]));
    expect(clusters).toHaveLength(5);
    expect(byFirst.get('a-A')).toMatchObject({ status: 'agreed', classId: CAR, missing: [], consensus: 'a-A' as AnnotationId });
    expect(byFirst.get('a-A')!.members.map((m) => m.annotator)).toEqual(['alice', 'bob', 'carol']);
    expect(byFirst.get('a-B')).toMatchObject({ status: 'majority', classId: CAR, votes: [{ classId: CAR, count: 2 }, { classId: PERSON, count: 1 }] });
    expect(byFirst.get('a-C')).toMatchObject({ status: 'majority', classId: PERSON, missing: ['carol'] });
    expect(byFirst.get('c-D')).toMatchObject({ status: 'failed', classId: null, missing: ['alice', 'bob'] });
    expect(byFirst.get('a-E')).toMatchObject({ status: 'failed', classId: null });
    expect(report.failedVotes).toBe(2);
    expect(report.minorityMissing).toBe(1);
    expect(report.pairs.map((x) => x.annotators)).toEqual([
      ['alice', 'bob'],
      ['alice', 'carol'],
      ['bob', 'carol'],
    ]);
  });

  it('a quorum of 3 fails the 2-of-3 votes', () => {
    const clusters = agreementReport({ project: p, images: [img], annotations }, { ...OPTIONS, quorum: 3 }).images[0]!.clusters;
    expect(clusters.map((c) => c.status).sort()).toEqual(['agreed', 'failed', 'failed', 'failed', 'failed']);
  });

  it('complete linkage: a chain A–B–C with IoU(A, C) below τ is not one object', () => {
    // IoU(A,B) = IoU(B,C) = 7/13 ≥ 0.5; IoU(A,C) = 4/16 < 0.5.
    const chain = [s('a', 'alice', box(0, 0, 10, 10)), s('b', 'bob', box(3, 0, 10, 10)), s('c', 'carol', box(6, 0, 10, 10))];
    const run = (anns: typeof chain) => agreementReport({ project: p, images: [img], annotations: anns }, OPTIONS).images[0]!.clusters;
    const clusters = run(chain);
    expect(clusters.map((c) => c.members.map((m) => m.id))).toEqual([['a', 'b'], ['c']]);
    expect(run([...chain].reverse())).toEqual(clusters);
  });

  it('alpha counts "did not annotate" as a value', () => {
    const report = agreementReport({ project: p, images: [img], annotations }, OPTIONS);
    // Units: A (car,car,car), B (car,car,person), C (person,person,∅), D (∅,∅,car), E (car,person,bike).
    const expected = nominalAlpha([
      ['car', 'car', 'car'],
      ['car', 'car', 'person'],
      ['person', 'person', NOT_ANNOTATED],
      [NOT_ANNOTATED, NOT_ANNOTATED, 'car'],
      ['car', 'person', 'bike'],
    ]);
    expect(report.alpha.overall.alpha).toBeCloseTo(expected.alpha!, 12);
  });
});
