import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AnnotationAttributes, AnnotationId, ClassId, Shape } from '../core/model';
import { mulberry32 } from '../core/prng';
import { accuracy, addMetrics, ConfusionCounter, EMPTY_METRICS, f1Score, matchShapes, meanIoU, UNMATCHED, type MatchInput } from './match';

const CAR = 'car' as ClassId;
const PERSON = 'person' as ClassId;
const OPTIONS = { iouThreshold: 0.5, lowOverlapThreshold: 0.8 };

function item(id: string, classId: ClassId, shape: Shape, attributes?: AnnotationAttributes): MatchInput {
  return { id: id as AnnotationId, classId, shape, ...(attributes ? { attributes } : {}) };
}
const box = (x: number, y: number, w: number, h: number): Shape => ({ kind: 'box', x, y, w, h });

describe('matchShapes', () => {
  it('is optimal where greedy highest-IoU-first is not', () => {
    // 1-D offsets of 10×10 boxes: IoU = (10 − d) / (10 + d).
    // a1–b1: d 2 → 0.667; a2–b1: d 1.5 → 0.739 (the best single pair); a2–b2: d 2.5 → 0.6;
    // a1–b2: d 6 → 0.25 (below τ). Greedy takes a2–b1 and strands a1 and b2 (1 match);
    // the optimum matches a1–b1 and a2–b2.
    const a = [item('a1', CAR, box(0, 0, 10, 10)), item('a2', CAR, box(3.5, 0, 10, 10))];
    const b = [item('b1', CAR, box(2, 0, 10, 10)), item('b2', CAR, box(6, 0, 10, 10))];
    const r = matchShapes(a, b, OPTIONS);
    expect(r.matches.map((m) => [m.a, m.b])).toEqual([
      ['a1', 'b1'],
      ['a2', 'b2'],
    ]);
    expect(r.missing).toEqual([]);
    expect(r.extra).toEqual([]);
  });

  it('reports label mismatches, missing and extra shapes, low overlap and attribute mismatches', () => {
    const a = [
      item('a-car', CAR, box(0, 0, 10, 10), { occluded: true }),
      item('a-person', PERSON, box(100, 100, 10, 20)),
      item('a-lonely', CAR, box(300, 300, 10, 10)),
      item('a-loose', CAR, box(500, 0, 10, 10)),
    ];
    const b = [
      item('b-car', CAR, box(0, 0, 10, 10)), // same box, occluded differs
      item('b-person-as-car', CAR, box(100, 100, 10, 20)), // same box, other class
      item('b-loose', CAR, box(502, 0, 10, 10)), // IoU 8/12 = 0.667 < τ_low
      item('b-extra', PERSON, box(700, 700, 5, 5)),
    ];
    const r = matchShapes(a, b, OPTIONS);
    expect(r.matches.map((m) => [m.a, m.b])).toEqual([
      ['a-car', 'b-car'],
      ['a-loose', 'b-loose'],
    ]);
    expect(r.labelMismatches).toEqual([{ a: 'a-person', b: 'b-person-as-car', classA: PERSON, classB: CAR, iou: 1 }]);
    expect(r.missing).toEqual(['a-lonely']);
    expect(r.extra).toEqual(['b-extra']);
    expect(r.lowOverlap.map((m) => m.a)).toEqual(['a-loose']);
    expect(r.lowOverlap[0]!.iou).toBeCloseTo(8 / 12, 12);
    expect(r.attributeMismatches).toEqual([{ pair: r.matches[0], fields: ['occluded'] }]);
    // |A| = |B| = 4, TP 2: F1 = 2·2 / 8 = 0.5; accuracy = 2 / (2 + 1 + 1 + 1) = 0.4;
    // mean IoU = (1 + 2/3) / 2 = 5/6.
    expect(f1Score(r.metrics)).toBe(0.5);
    expect(accuracy(r.metrics)).toBe(0.4);
    expect(meanIoU(r.metrics)).toBeCloseTo(5 / 6, 12);
  });

  it('prefers a same-class partner even when another class overlaps more', () => {
    const a = [item('a', CAR, box(0, 0, 10, 10))];
    const b = [item('b-person', PERSON, box(0, 0, 10, 10)), item('b-car', CAR, box(2, 0, 10, 10))];
    const r = matchShapes(a, b, OPTIONS);
    expect(r.matches.map((m) => m.b)).toEqual(['b-car']);
    expect(r.labelMismatches).toEqual([]);
    expect(r.extra).toEqual(['b-person']);
  });

  it('an empty pair of layers agrees perfectly', () => {
    const r = matchShapes([], [], OPTIONS);
    expect(f1Score(r.metrics)).toBe(1);
    expect(accuracy(r.metrics)).toBe(1);
    expect(meanIoU(r.metrics)).toBeNull();
    expect(addMetrics(EMPTY_METRICS, r.metrics)).toEqual(EMPTY_METRICS);
  });

  it('custom attributes and absent flags compare as documented', () => {
    const a = [item('a', CAR, box(0, 0, 10, 10), { truncated: false, custom: { colour: 'red', parked: true } })];
    const b = [item('b', CAR, box(0, 0, 10, 10), { custom: { colour: 'blue', parked: true } })];
    expect(matchShapes(a, b, OPTIONS).attributeMismatches[0]!.fields).toEqual(['custom.colour']);
  });

  it('does not depend on input order (shuffled inputs, same result)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const random = mulberry32(seed);
        // Crowded scenes with exact copies, so equally good assignments (ties) occur.
        const layer = (prefix: string, n: number): MatchInput[] =>
          Array.from({ length: n }, (_, i) => {
            const copy = random() < 0.3 && i > 0;
            const x = copy ? 0 : Math.round(random() * 40);
            const y = copy ? 0 : Math.round(random() * 40);
            return item(`${prefix}${Math.floor(random() * 1e9)}-${i}`, random() < 0.6 ? CAR : PERSON, box(x, y, 10 + Math.round(random() * 4), 10));
          });
        const a = layer('a', 1 + Math.floor(random() * 8));
        const b = layer('b', 1 + Math.floor(random() * 8));
        const expected = matchShapes(a, b, OPTIONS);
        for (let k = 0; k < 3; k++) {
          expect(matchShapes(shuffle(a, random), shuffle(b, random), OPTIONS)).toEqual(expected);
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  }, 60_000);
});

describe('ConfusionCounter', () => {
  it('puts matches, mismatches, missing and extra in their cells, unmatched last', () => {
    const a = [item('a1', CAR, box(0, 0, 10, 10)), item('a2', PERSON, box(50, 0, 10, 10)), item('a3', CAR, box(200, 0, 5, 5))];
    const b = [item('b1', CAR, box(0, 0, 10, 10)), item('b2', CAR, box(50, 0, 10, 10)), item('b3', PERSON, box(400, 0, 5, 5))];
    const r = matchShapes(a, b, OPTIONS);
    const classes = new Map([...a, ...b].map((s) => [s.id, s.classId]));
    const counter = new ConfusionCounter();
    counter.addResult(r, (id) => classes.get(id)!);
    expect(counter.matrix([CAR, PERSON])).toEqual({
      labels: [CAR, PERSON, UNMATCHED],
      counts: [
        [1, 0, 1], // car–car match; a3 (car) missing
        [1, 0, 0], // a2 person vs b2 car
        [0, 1, 0], // b3 (person) extra
      ],
    });
  });
});

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
