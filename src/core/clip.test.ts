import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipShape, type ClipOutcome } from './clip';
import { polygonArea, shapeArea } from './geometry';
import type { BoxShape, PolygonShape, Shape } from './model';
import { HEAVY_TEST_MS } from '../test-support/heavy';

const W = 100;
const H = 80;

const box = (x: number, y: number, w: number, h: number): BoxShape => ({ kind: 'box', x, y, w, h });
const poly = (...points: number[]): PolygonShape => ({ kind: 'polygon', points });

function clippedShape(o: ClipOutcome): Shape {
  if (o.kind === 'empty') throw new Error('expected a shape, got empty');
  return o.shape;
}

function vertices(s: Shape): [number, number][] {
  if (s.kind === 'box') return [[s.x, s.y], [s.x + s.w, s.y], [s.x + s.w, s.y + s.h], [s.x, s.y + s.h]];
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < s.points.length; i += 2) out.push([s.points[i]!, s.points[i + 1]!]);
  return out;
}

/** Vertices as a sorted list of "x,y", to compare outlines regardless of start vertex. */
const vertexSet = (s: Shape): string[] => vertices(s).map(([x, y]) => `${x},${y}`).sort();

function expectWithin(s: Shape, width: number, height: number): void {
  for (const [x, y] of vertices(s)) {
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(width);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(y).toBeLessThanOrEqual(height);
  }
}

describe('clipShape: boxes', () => {
  it('returns a box inside the image unchanged (same object)', () => {
    const b = box(10, 20, 30, 40);
    const o = clipShape(b, W, H);
    expect(o.kind).toBe('inside');
    expect(clippedShape(o)).toBe(b);
  });

  it('counts a box covering exactly the whole image as inside', () => {
    const b = box(0, 0, W, H);
    expect(clipShape(b, W, H)).toEqual({ kind: 'inside', shape: b });
  });

  it('cuts a box reaching past the left and top edges', () => {
    const o = clipShape(box(-10, -5, 30, 25), W, H);
    expect(o).toEqual({ kind: 'clipped', shape: box(0, 0, 20, 20) });
  });

  it('cuts a box reaching past the right and bottom edges exactly at width and height', () => {
    const o = clipShape(box(90, 70, 30, 25), W, H);
    expect(o.kind).toBe('clipped');
    const s = clippedShape(o) as BoxShape;
    expect(s.x + s.w).toBe(W);
    expect(s.y + s.h).toBe(H);
    expect(s).toEqual(box(90, 70, 10, 10));
  });

  it('cuts a box larger than the image down to the image', () => {
    expect(clipShape(box(-50, -50, 500, 500), W, H)).toEqual({ kind: 'clipped', shape: box(0, 0, W, H) });
  });

  it('keeps the other properties of the shape object', () => {
    const b = { ...box(-10, 0, 20, 10), extra: 1 } as BoxShape;
    expect(clippedShape(clipShape(b, W, H))).toMatchObject({ extra: 1 });
  });

  it('empties a box wholly outside', () => {
    expect(clipShape(box(200, 10, 10, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(-50, -50, 10, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(10, H + 1, 10, 10), W, H)).toEqual({ kind: 'empty' });
  });

  it('empties a box that only touches the border from outside', () => {
    expect(clipShape(box(-10, 10, 10, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(W, 10, 10, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(10, -10, 10, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(10, H, 10, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(-10, -10, 10, 10), W, H)).toEqual({ kind: 'empty' });
  });

  it('counts a box touching the border from inside as inside', () => {
    expect(clipShape(box(0, 0, 10, 10), W, H).kind).toBe('inside');
    expect(clipShape(box(W - 10, H - 10, 10, 10), W, H).kind).toBe('inside');
  });

  it('treats float noise within 1e-9 of the border as on it', () => {
    const b = box(-1e-12, 0, W + 1e-12, H);
    expect(clipShape(b, W, H).kind).toBe('inside');
  });

  it('empties a box with a coordinate that is not finite', () => {
    expect(clipShape(box(NaN, 0, 10, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(0, NaN, 10, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(0, 0, NaN, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(0, 0, 10, Infinity), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(-Infinity, 0, 10, 10), W, H)).toEqual({ kind: 'empty' });
  });

  it('empties a box with zero or negative size', () => {
    expect(clipShape(box(10, 10, 0, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(10, 10, 10, 0), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(box(10, 10, -5, 10), W, H)).toEqual({ kind: 'empty' });
  });
});

describe('clipShape: polygons', () => {
  it('returns a polygon inside the image unchanged (same object), area preserved', () => {
    const p = poly(10, 10, 50, 10, 30, 40);
    const o = clipShape(p, W, H);
    expect(o.kind).toBe('inside');
    expect(clippedShape(o)).toBe(p);
    expect(polygonArea((clippedShape(o) as PolygonShape).points)).toBe(polygonArea(p.points));
  });

  it('counts a polygon with vertices exactly on the border as inside', () => {
    const p = poly(0, 0, W, 0, W, H, 0, H);
    expect(clipShape(p, W, H)).toEqual({ kind: 'inside', shape: p });
  });

  it('cuts a polygon crossing one edge exactly at the edge', () => {
    const o = clipShape(poly(-10, 10, 50, 10, 50, 50, -10, 50), W, H);
    expect(o.kind).toBe('clipped');
    const s = clippedShape(o) as PolygonShape;
    expect(vertexSet(s)).toEqual(vertexSet(poly(0, 10, 50, 10, 50, 50, 0, 50)));
    expect(polygonArea(s.points)).toBe(50 * 40);
  });

  it('cuts a slanted edge at the border with the interpolated coordinate', () => {
    // Triangle poking out of the right edge: the edges cross x = 100 at y = 20 and y = 60.
    const s = clippedShape(clipShape(poly(80, 0, 120, 40, 80, 80), W, H)) as PolygonShape;
    expect(vertexSet(s)).toEqual(vertexSet(poly(80, 0, 100, 20, 100, 60, 80, 80)));
    expect(polygonArea(s.points)).toBeCloseTo(1600 - 400, 9);
    expectWithin(s, W, H);
  });

  it('cuts a polygon crossing a corner', () => {
    const s = clippedShape(clipShape(poly(-10, -10, 20, -10, 20, 20, -10, 20), W, H)) as PolygonShape;
    expect(vertexSet(s)).toEqual(vertexSet(poly(0, 0, 20, 0, 20, 20, 0, 20)));
    expect(polygonArea(s.points)).toBe(400);
  });

  it('cuts a polygon crossing the bottom-right corner exactly at width and height', () => {
    const s = clippedShape(clipShape(poly(90, 70, 130, 70, 130, 110, 90, 110), W, H)) as PolygonShape;
    expect(vertexSet(s)).toEqual(vertexSet(poly(90, 70, W, 70, W, H, 90, H)));
  });

  it('gives the image rectangle for a polygon that contains the whole image', () => {
    const s = clippedShape(clipShape(poly(-1000, -1000, 1000, -1000, 0, 1000), W, H)) as PolygonShape;
    expect(vertexSet(s)).toEqual(vertexSet(poly(0, 0, W, 0, W, H, 0, H)));
    expect(polygonArea(s.points)).toBe(W * H);
  });

  it('empties a polygon wholly outside', () => {
    expect(clipShape(poly(200, 10, 250, 10, 220, 50), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(poly(-50, -50, -10, -50, -30, -10), W, H)).toEqual({ kind: 'empty' });
  });

  it('empties a polygon outside whose bounding box overlaps the image', () => {
    // Hypotenuse x + y = −5 passes by the top-left corner.
    expect(clipShape(poly(-10, 5, 5, -10, -10, -10), W, H)).toEqual({ kind: 'empty' });
  });

  it('empties a polygon that only touches the border from outside', () => {
    expect(clipShape(poly(-10, 10, 0, 10, 0, 30, -10, 30), W, H)).toEqual({ kind: 'empty' });
  });

  it('cuts a concave polygon crossing an edge twice (U with both arms out of the top)', () => {
    // 40×60 outline with a 20×40 notch from the top: area 2400 − 800; 2 × 10×10 of the arms is outside.
    const u = poly(10, -10, 20, -10, 20, 30, 40, 30, 40, -10, 50, -10, 50, 50, 10, 50);
    expect(polygonArea(u.points)).toBe(1600);
    const s = clippedShape(clipShape(u, W, H)) as PolygonShape;
    expect(s.points).toEqual([10, 0, 20, 0, 20, 30, 40, 30, 40, 0, 50, 0, 50, 50, 10, 50].slice(0));
    expect(polygonArea(s.points)).toBe(1400);
  });

  it('cuts a concave polygon into two parts joined only along the border, with the right area', () => {
    // Upside-down U: the bridge is above the image, only the two 10×40 legs remain.
    const n = poly(10, -30, 50, -30, 50, 40, 40, 40, 40, -10, 20, -10, 20, 40, 10, 40);
    const s = clippedShape(clipShape(n, W, H)) as PolygonShape;
    expectWithin(s, W, H);
    expect(polygonArea(s.points)).toBe(800);
    // The join runs along y = 0.
    for (const [, y] of vertices(s)) expect(y === 0 || y === 40).toBe(true);
  });

  it('empties a degenerate (collinear) polygon inside the image', () => {
    expect(clipShape(poly(0, 0, 10, 10, 20, 20), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(poly(5, 5, 5, 5, 5, 5), W, H)).toEqual({ kind: 'empty' });
  });

  it('empties a degenerate (collinear) polygon partly outside', () => {
    expect(clipShape(poly(-10, -10, 10, 10, 20, 20), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(poly(-10, 5, 50, 5, 200, 5), W, H)).toEqual({ kind: 'empty' });
  });

  it('empties a polygon that collapses onto the border after clipping', () => {
    // Only the vertex (0, 20) is inside, the rest is left of the image.
    expect(clipShape(poly(-10, 10, 0, 20, -10, 30), W, H)).toEqual({ kind: 'empty' });
  });

  it('removes repeated vertices created by clipping', () => {
    const s = clippedShape(clipShape(poly(-10, 0, 50, 0, 50, 50), W, H)) as PolygonShape;
    const v = vertices(s);
    for (let i = 0; i < v.length; i++) {
      const [a, b] = [v[i]!, v[(i + 1) % v.length]!];
      expect(a[0] === b[0] && a[1] === b[1]).toBe(false);
    }
  });

  it('empties polygons with too few points, an odd count or non-finite coordinates', () => {
    expect(clipShape(poly(0, 0, 10, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(poly(0, 0, 10, 0, 10, 10, 5), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(poly(0, 0, 10, NaN, 10, 10), W, H)).toEqual({ kind: 'empty' });
    expect(clipShape(poly(0, 0, Infinity, 0, 10, 10), W, H)).toEqual({ kind: 'empty' });
  });

  it('does not mutate the input', () => {
    const p = poly(-10, -10, 50, -10, 50, 50);
    const before = [...p.points];
    clipShape(p, W, H);
    expect(p.points).toEqual(before);
    const b = box(-10, -10, 50, 50);
    clipShape(b, W, H);
    expect(b).toEqual(box(-10, -10, 50, 50));
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const sizeArb = fc.record({ width: fc.integer({ min: 1, max: 2000 }), height: fc.integer({ min: 1, max: 2000 }) });

/**
 * A star-shaped (hence simple) polygon around a centre near the image: distinct angles on a 15°
 * grid (so no two rays are nearly the same and float noise cannot fold the outline), random radii,
 * and no gap of 180° or more between consecutive rays (else the centre is outside and the
 * outline can cross itself).
 */
const simplePolygonArb = (width: number, height: number): fc.Arbitrary<PolygonShape> =>
  fc
    .record({
      cx: fc.double({ min: -0.5 * width, max: 1.5 * width, noNaN: true }),
      cy: fc.double({ min: -0.5 * height, max: 1.5 * height, noNaN: true }),
      rays: fc.uniqueArray(fc.record({ step: fc.integer({ min: 0, max: 23 }), r: fc.double({ min: 1, max: 2 * Math.max(width, height), noNaN: true }) }), {
        minLength: 3,
        maxLength: 12,
        selector: (ray) => ray.step,
      }),
    })
    .filter(({ rays }) => {
      const steps = rays.map((r) => r.step).sort((a, b) => a - b);
      return steps.every((st, i) => (i + 1 < steps.length ? steps[i + 1]! : steps[0]! + 24) - st < 12);
    })
    .map(({ cx, cy, rays }) => {
      const sorted = [...rays].sort((a, b) => a.step - b.step);
      return poly(...sorted.flatMap(({ step, r }) => [cx + r * Math.cos((step * Math.PI) / 12), cy + r * Math.sin((step * Math.PI) / 12)]));
    });

const boxArb = (width: number, height: number): fc.Arbitrary<BoxShape> =>
  fc
    .record({
      x: fc.double({ min: -width, max: 2 * width, noNaN: true }),
      y: fc.double({ min: -height, max: 2 * height, noNaN: true }),
      w: fc.double({ min: 1e-3, max: 2 * width, noNaN: true }),
      h: fc.double({ min: 1e-3, max: 2 * height, noNaN: true }),
    })
    .map(({ x, y, w, h }) => box(x, y, w, h));

const withImage = <S extends Shape>(shapeOf: (w: number, h: number) => fc.Arbitrary<S>): fc.Arbitrary<{ width: number; height: number; shape: S }> =>
  sizeArb.chain(({ width, height }) => shapeOf(width, height).map((shape) => ({ width, height, shape })));

function checkClip(width: number, height: number, shape: Shape): void {
  const o = clipShape(shape, width, height);
  if (o.kind === 'empty') return;
  if (o.kind === 'inside') {
    expect(o.shape).toBe(shape);
    return;
  }
  expectWithin(o.shape, width, height);
  // Shoelace sums of coordinates ~10³ carry rounding noise ~10⁻¹⁰ px²: allow that much.
  expect(shapeArea(o.shape)).toBeLessThanOrEqual(shapeArea(shape) * (1 + 1e-9) + 1e-9 * width * height);
  expect(shapeArea(o.shape)).toBeGreaterThan(0);
}

describe('clipShape: properties', () => {
  it('clips random simple polygons into the image, never growing their area', () => {
    fc.assert(
      fc.property(withImage(simplePolygonArb), ({ width, height, shape }) => checkClip(width, height, shape)),
      { seed: 20240611, numRuns: 2000 },
    );
  }, HEAVY_TEST_MS);

  it('clips random boxes into the image, never growing their area', () => {
    fc.assert(
      fc.property(withImage(boxArb), ({ width, height, shape }) => checkClip(width, height, shape)),
      { seed: 424242, numRuns: 2000 },
    );
  }, HEAVY_TEST_MS);

  it('returns shapes wholly inside unchanged', () => {
    const inside = sizeArb.chain(({ width, height }) =>
      fc
        .array(fc.tuple(fc.double({ min: 0, max: width, noNaN: true }), fc.double({ min: 0, max: height, noNaN: true })), { minLength: 3, maxLength: 10 })
        .map((pts) => ({ width, height, shape: poly(...pts.flat()) })),
    );
    fc.assert(
      fc.property(inside, ({ width, height, shape }) => {
        const o = clipShape(shape, width, height);
        if (polygonArea(shape.points) > 0) expect(o).toEqual({ kind: 'inside', shape });
        if (o.kind !== 'empty') expect(o.shape).toBe(shape);
      }),
      { seed: 7, numRuns: 1000 },
    );
    const insideBox = sizeArb.chain(({ width, height }) =>
      fc
        .record({ a: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }), c: fc.double({ min: 0, max: 1, noNaN: true }), d: fc.double({ min: 0, max: 1, noNaN: true }) })
        .filter(({ a, b, c, d }) => a !== b && c !== d)
        .map(({ a, b, c, d }) => {
          const x = Math.min(a, b) * width;
          const y = Math.min(c, d) * height;
          return { width, height, shape: box(x, y, Math.max(a, b) * width - x, Math.max(c, d) * height - y) };
        }),
    );
    fc.assert(
      fc.property(insideBox, ({ width, height, shape }) => {
        fc.pre(shape.w > 0 && shape.h > 0 && shape.x + shape.w <= width && shape.y + shape.h <= height);
        expect(clipShape(shape, width, height)).toEqual({ kind: 'inside', shape });
      }),
      { seed: 8, numRuns: 1000 },
    );
  }, HEAVY_TEST_MS);

  it('gives a box and its 4-corner polygon the same clipped area', () => {
    fc.assert(
      fc.property(withImage(boxArb), ({ width, height, shape: b }) => {
        const asPoly = poly(b.x, b.y, b.x + b.w, b.y, b.x + b.w, b.y + b.h, b.x, b.y + b.h);
        const ob = clipShape(b, width, height);
        const op = clipShape(asPoly, width, height);
        if (ob.kind === 'empty' || op.kind === 'empty') {
          // Either both vanish, or what is left is float-noise thin.
          const left = ob.kind === 'empty' ? (op.kind === 'empty' ? 0 : shapeArea(op.shape)) : shapeArea(ob.shape);
          expect(left).toBeLessThan(1e-6);
          return;
        }
        expect(shapeArea(op.shape)).toBeCloseTo(shapeArea(ob.shape), 6);
      }),
      { seed: 99, numRuns: 1000 },
    );
  });
});
