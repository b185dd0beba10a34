import { describe, expect, it } from 'vitest';
import type { Shape } from '../core/model';
import { mulberry32 } from '../core/prng';
import { intersectionArea, overlappingPairs, overlappingPairsBetween, prepareShape, shapeIoU } from './iou';
import { clippedIntersectionArea, convexClipArea, distinctRing, isConvex, selfIntersection, simpleIntersectionArea, toLibraryRing } from './polygon';

const poly = (...points: number[]): Shape => ({ kind: 'polygon', points });
const box = (x: number, y: number, w: number, h: number): Shape => ({ kind: 'box', x, y, w, h });

/** An L: [0,10]×[0,4] ∪ [0,4]×[0,10]; area 100 − 36 = 64. Concave, so pairs of Ls take the clipping library. */
const L = poly(0, 0, 10, 0, 10, 4, 4, 4, 4, 10, 0, 10);

describe('polygon IoU against hand-computed areas', () => {
  it('overlapping concave polygons (library path)', () => {
    // The same L moved by (2, 2). Row by row: y∈[2,4]: x∈[2,10] → 8·2 = 16; y∈[4,6]: x∈[2,4] → 2·2 = 4;
    // y∈[6,10]: x∈[2,4] → 2·4 = 8. Intersection 28; union 64 + 64 − 28 = 100; IoU 0.28.
    const moved = poly(2, 2, 12, 2, 12, 6, 6, 6, 6, 12, 2, 12);
    expect(prepareShape(moved).convex).toBe(false);
    expect(shapeIoU(L, moved)).toBeCloseTo(0.28, 12);
  });

  it('overlapping concave and convex (clip path)', () => {
    // Square [2,8]²: 36, minus the part in the L's notch [4,8]² (16) → 20. Union 64 + 36 − 20 = 80.
    expect(shapeIoU(L, poly(2, 2, 8, 2, 8, 8, 2, 8))).toBeCloseTo(0.25, 12);
    expect(shapeIoU(L, box(2, 2, 6, 6))).toBeCloseTo(0.25, 12);
  });

  it('nested polygons', () => {
    // A 2×2 square with a notch (3,1)-(2,2)-(3,3) cut away: 4 − 1 = 3, wholly inside the L: IoU 3 / 64.
    const notched = poly(1, 1, 3, 1, 2, 2, 3, 3, 1, 3);
    expect(shapeIoU(L, notched)).toBeCloseTo(3 / 64, 12);
    expect(shapeIoU(notched, L)).toBeCloseTo(3 / 64, 12);
    // A triangle inside: 2 / 64.
    expect(shapeIoU(L, poly(1, 1, 3, 1, 1, 3))).toBeCloseTo(2 / 64, 12);
  });

  it('disjoint polygons, also when their bounds overlap', () => {
    expect(shapeIoU(L, poly(20, 20, 30, 20, 30, 30))).toBe(0);
    // Concave, sitting in the L's notch: bounds overlap, shapes do not.
    const inNotch = poly(6, 6, 9, 6, 7, 7, 6, 9);
    expect(prepareShape(inNotch).area).toBeCloseTo(3, 12);
    expect(shapeIoU(L, inNotch)).toBe(0);
  });

  it('polygons sharing vertices and edges', () => {
    // A shorter L sharing four vertices and two edges, inside the L: [0,10]×[0,4] + [0,4]×[4,8] = 56; IoU 56 / 64.
    const shortL = poly(0, 0, 10, 0, 10, 4, 4, 4, 4, 8, 0, 8);
    expect(shapeIoU(L, shortL)).toBeCloseTo(56 / 64, 12);
    // Identical polygons (every vertex shared), and in another vertex order.
    expect(shapeIoU(L, L)).toBeCloseTo(1, 12);
    expect(shapeIoU(L, poly(0, 10, 4, 10, 4, 4, 10, 4, 10, 0, 0, 0))).toBeCloseTo(1, 12);
    // Half of a square cut along its diagonal, sharing three corners: 8 / 16.
    expect(shapeIoU(box(0, 0, 4, 4), poly(0, 0, 4, 0, 4, 4))).toBeCloseTo(0.5, 12);
    // Two triangles touching at one vertex only: 0.
    expect(shapeIoU(poly(0, 0, 4, 0, 0, 4), poly(4, 0, 8, 0, 8, 4))).toBe(0);
  });

  it('boxes in closed form, and a box equals its own polygon', () => {
    // [0,10]² and [5,15]²: 25 / (100 + 100 − 25).
    expect(shapeIoU(box(0, 0, 10, 10), box(5, 5, 10, 10))).toBeCloseTo(25 / 175, 12);
    expect(shapeIoU(box(0, 0, 10, 10), poly(5, 5, 15, 5, 15, 15, 5, 15))).toBeCloseTo(25 / 175, 12);
    expect(shapeIoU(box(0, 0, 10, 10), box(10, 0, 5, 5))).toBe(0);
  });

  it('a self-crossing polygon counts the area it covers', () => {
    // A bow tie (0,0)-(4,4)-(4,0)-(0,4): two triangles of area 4 each; the shoelace sum would say 0.
    const bowTie = poly(0, 0, 4, 4, 4, 0, 0, 4);
    expect(prepareShape(bowTie).area).toBeCloseTo(8, 9);
    // Against the square [0,4]²: 8 / 16.
    expect(shapeIoU(bowTie, box(0, 0, 4, 4))).toBeCloseTo(0.5, 9);
  });

  it('unusable shapes overlap nothing', () => {
    expect(shapeIoU(box(0, 0, 0, 10), box(0, 0, 10, 10))).toBe(0);
    expect(shapeIoU(box(0, 0, Number.NaN, 10), box(0, 0, 10, 10))).toBe(0);
    expect(shapeIoU(poly(0, 0, 5, 5, 10, 10), box(0, 0, 10, 10))).toBe(0);
  });

  it('the clip path and the clipping library agree on random simple polygons against convex ones', () => {
    const random = mulberry32(42);
    for (let n = 0; n < 200; n++) {
      const subject = starPolygon(random, 20 + random() * 10, 20 + random() * 10, 3 + Math.floor(random() * 9));
      const clip = convexPolygon(random, 20 + random() * 10, 20 + random() * 10);
      const fast = convexClipArea(subject, clip);
      const exact = clippedIntersectionArea(toLibraryRing(subject), toLibraryRing(clip));
      expect(exact).not.toBeNull();
      expect(fast).toBeCloseTo(exact!, 6);
      // And through the prepared route, whichever path it takes.
      expect(intersectionArea(prepareShape(poly(...subject)), prepareShape(poly(...clip)))).toBeCloseTo(exact!, 6);
    }
  });
});

describe('simpleIntersectionArea (the boundary integral) against the clipping library', () => {
  const library = (a: readonly number[], b: readonly number[]): number => clippedIntersectionArea(toLibraryRing(a), toLibraryRing(b))!;

  it('agrees on random concave polygons', () => {
    const random = mulberry32(5);
    for (let n = 0; n < 300; n++) {
      const a = starPolygon(random, 20 + random() * 10, 20 + random() * 10, 3 + Math.floor(random() * 12));
      const b = starPolygon(random, 20 + random() * 10, 20 + random() * 10, 3 + Math.floor(random() * 12));
      if (selfIntersection(distinctRing(a)) || selfIntersection(distinctRing(b))) continue;
      expect(simpleIntersectionArea(distinctRing(a), distinctRing(b))).toBeCloseTo(library(a, b), 6);
    }
  });

  it('agrees on grid polygons that share vertices and run along each other’s edges', () => {
    const random = mulberry32(11);
    let compared = 0;
    for (let n = 0; n < 2000 && compared < 300; n++) {
      const grid = (): number[] => starPolygon(random, 6, 6, 4 + Math.floor(random() * 6)).map((v) => Math.round(v / 3) * 3);
      const a = distinctRing(grid());
      const b = distinctRing(grid());
      if (a.length < 6 || b.length < 6 || selfIntersection(a) || selfIntersection(b)) continue;
      compared++;
      expect(simpleIntersectionArea(a, b)).toBeCloseTo(library(a, b), 9);
      expect(simpleIntersectionArea(a, a)).toBeCloseTo(library(a, a), 9);
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('does not depend on winding or on which polygon comes first', () => {
    const a = [0, 0, 10, 0, 10, 4, 4, 4, 4, 10, 0, 10];
    const b = [2, 2, 12, 2, 12, 6, 6, 6, 6, 12, 2, 12];
    const reversed = (r: number[]): number[] => r.flatMap((_, i) => (i % 2 === 0 ? [r[r.length - 2 - i]!, r[r.length - 1 - i]!] : []));
    expect(simpleIntersectionArea(a, b)).toBeCloseTo(28, 12);
    expect(simpleIntersectionArea(reversed(a), b)).toBeCloseTo(28, 12);
    expect(simpleIntersectionArea(b, reversed(a))).toBeCloseTo(28, 12);
  });
});

/** A star-shaped (so simple) polygon around (cx, cy): random radii at increasing angles. */
function starPolygon(random: () => number, cx: number, cy: number, n: number): number[] {
  const pts: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * (i + random() * 0.8)) / n;
    const r = 3 + random() * 12;
    pts.push(Math.round((cx + r * Math.cos(a)) * 100) / 100, Math.round((cy + r * Math.sin(a)) * 100) / 100);
  }
  return pts;
}

/** A convex polygon: points on a circle (or ellipse) at increasing angles. */
function convexPolygon(random: () => number, cx: number, cy: number): number[] {
  const n = 3 + Math.floor(random() * 6);
  const rx = 4 + random() * 10;
  const ry = 4 + random() * 10;
  const angles = Array.from({ length: n }, () => random() * 2 * Math.PI).sort((a, b) => a - b);
  return angles.flatMap((a) => [cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
}

describe('polygon facts', () => {
  it('distinct vertices drop repeats and the closing vertex', () => {
    expect(distinctRing([0, 0, 0, 0, 5, 0, 5, 5, 0, 0])).toEqual([0, 0, 5, 0, 5, 5]);
  });

  it('finds crossing and touching non-adjacent edges, and spikes', () => {
    expect(selfIntersection([0, 0, 4, 4, 4, 0, 0, 4])).not.toBeNull(); // bow tie
    expect(selfIntersection([0, 0, 4, 0, 4, 4, 0, 4])).toBeNull(); // square
    expect(selfIntersection(distinctRing(L.kind === 'polygon' ? L.points : []))).toBeNull();
    // A vertex touching a non-adjacent edge (a pinch).
    expect(selfIntersection([0, 0, 4, 0, 2, 4, 2, 0.0, 1, 2])).not.toBeNull();
    // A spike: out along an edge and back.
    expect(selfIntersection([0, 0, 6, 0, 3, 0, 3, 3])).not.toBeNull();
  });

  it('tells convex from concave and from a pentagram', () => {
    expect(isConvex([0, 0, 4, 0, 4, 4, 0, 4])).toBe(true);
    expect(isConvex([0, 0, 4, 0, 4, 4, 2, 2, 0, 4])).toBe(false);
    const star: number[] = [];
    for (let i = 0; i < 5; i++) star.push(Math.cos((4 * Math.PI * i) / 5), Math.sin((4 * Math.PI * i) / 5));
    expect(isConvex(star)).toBe(false);
  });
});

describe('bounds sweeps', () => {
  it('visit exactly the pairs whose bounds overlap with positive area', () => {
    const random = mulberry32(9);
    const shapes = Array.from({ length: 60 }, () => prepareShape(box(random() * 100, random() * 100, 1 + random() * 20, 1 + random() * 20)));
    const overlaps = (i: number, j: number): boolean => {
      const a = shapes[i]!;
      const b = shapes[j]!;
      return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
    };
    const found: string[] = [];
    overlappingPairs(shapes, (i, j) => found.push(`${i},${j}`));
    const expected: string[] = [];
    for (let i = 0; i < shapes.length; i++) for (let j = i + 1; j < shapes.length; j++) if (overlaps(i, j)) expected.push(`${i},${j}`);
    expect(found.sort()).toEqual(expected.sort());

    const a = shapes.slice(0, 25);
    const b = shapes.slice(25);
    const between: string[] = [];
    overlappingPairsBetween(a, b, (i, j) => between.push(`${i},${j + 25}`));
    expect(between.sort()).toEqual(expected.filter((p) => Number(p.split(',')[0]) < 25 && Number(p.split(',')[1]) >= 25).sort());
  });
});
