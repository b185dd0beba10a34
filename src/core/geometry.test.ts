import { describe, expect, it } from 'vitest';
import { mulberry32 } from './prng';
import {
  boundsOf,
  boxIoU,
  clampDelta,
  clampPoint,
  clampRect,
  distanceToSegment,
  edgeAt,
  handleAt,
  handlePoint,
  HANDLES,
  insertVertex,
  moveVertex,
  pointInPolygon,
  polygonArea,
  rectContainsRect,
  rectFromCorners,
  rectsIntersect,
  removeVertex,
  resizeBox,
  roundCoord,
  roundShape,
  shapeArea,
  shapeBounds,
  shapeHit,
  translateShape,
  vertexAt,
  type Handle,
  type Rect,
} from './geometry';
import { imagePoint } from './viewport';
import type { BoxShape, PolygonShape } from './model';
import { HEAVY_TEST_MS } from '../test-support/heavy';

const between = (rand: () => number, lo: number, hi: number): number => lo + (hi - lo) * rand();

// A concave "U": two arms (x ∈ [0,10] and [20,30]) joined along the top (y ∈ [0,10]).
const U = [0, 0, 30, 0, 30, 30, 20, 30, 20, 10, 10, 10, 10, 30, 0, 30];
const SQUARE = [0, 0, 10, 0, 10, 10, 0, 10];

describe('rectFromCorners', () => {
  it.each([
    ['down-right', { x: 10, y: 20 }, { x: 30, y: 50 }],
    ['up-left', { x: 30, y: 50 }, { x: 10, y: 20 }],
    ['down-left', { x: 30, y: 20 }, { x: 10, y: 50 }],
    ['up-right', { x: 10, y: 50 }, { x: 30, y: 20 }],
  ])('normalises a %s drag', (_name, a, b) => {
    expect(rectFromCorners(a, b)).toEqual({ x: 10, y: 20, w: 20, h: 30 });
  });

  it('gives a zero-size rect for a click', () => {
    expect(rectFromCorners({ x: 4, y: 5 }, { x: 4, y: 5 })).toEqual({ x: 4, y: 5, w: 0, h: 0 });
  });
});

describe('clampPoint / clampRect', () => {
  it('clamps points into the image', () => {
    expect(clampPoint(imagePoint(-5, 50), 100, 80)).toEqual({ x: 0, y: 50 });
    expect(clampPoint(imagePoint(150, 90), 100, 80)).toEqual({ x: 100, y: 80 });
    expect(clampPoint(imagePoint(100, 0), 100, 80)).toEqual({ x: 100, y: 0 });
  });

  it('keeps the part of a rect inside the image', () => {
    expect(clampRect({ x: 10, y: 10, w: 20, h: 20 }, 100, 80)).toEqual({ x: 10, y: 10, w: 20, h: 20 });
    expect(clampRect({ x: -10, y: 70, w: 30, h: 20 }, 100, 80)).toEqual({ x: 0, y: 70, w: 20, h: 10 });
    expect(clampRect({ x: -10, y: -10, w: 200, h: 200 }, 100, 80)).toEqual({ x: 0, y: 0, w: 100, h: 80 });
  });

  it('gives zero size for a rect wholly outside', () => {
    expect(clampRect({ x: 120, y: 10, w: 20, h: 20 }, 100, 80)).toEqual({ x: 100, y: 10, w: 0, h: 20 });
    expect(clampRect({ x: -50, y: -50, w: 10, h: 10 }, 100, 80)).toEqual({ x: 0, y: 0, w: 0, h: 0 });
  });
});

describe('shapeBounds', () => {
  it('is the box itself', () => {
    expect(shapeBounds({ kind: 'box', x: 1, y: 2, w: 3, h: 4 })).toEqual({ x: 1, y: 2, w: 3, h: 4 });
  });

  it("is a polygon's bounding box", () => {
    expect(shapeBounds({ kind: 'polygon', points: [5, 1, 9, 7, -2, 4] })).toEqual({ x: -2, y: 1, w: 11, h: 6 });
    expect(shapeBounds({ kind: 'polygon', points: U })).toEqual({ x: 0, y: 0, w: 30, h: 30 });
  });
});

describe('boundsOf', () => {
  it('spans every shape, boxes and polygons', () => {
    expect(boundsOf([{ kind: 'box', x: 10, y: 20, w: 5, h: 5 }, { kind: 'polygon', points: [0, 30, 4, 40, 2, 50] }])).toEqual({ x: 0, y: 20, w: 15, h: 30 });
    expect(boundsOf([])).toEqual({ x: 0, y: 0, w: 0, h: 0 });
  });
});

describe('rect predicates', () => {
  const a: Rect = { x: 0, y: 0, w: 10, h: 10 };

  it('rectsIntersect counts touching edges and corners', () => {
    expect(rectsIntersect(a, { x: 5, y: 5, w: 10, h: 10 })).toBe(true);
    expect(rectsIntersect(a, { x: 10, y: 0, w: 5, h: 5 })).toBe(true);
    expect(rectsIntersect(a, { x: 10, y: 10, w: 5, h: 5 })).toBe(true);
    expect(rectsIntersect(a, { x: 2, y: 2, w: 1, h: 1 })).toBe(true);
    expect(rectsIntersect(a, { x: 10.01, y: 0, w: 5, h: 5 })).toBe(false);
    expect(rectsIntersect(a, { x: 0, y: -5, w: 5, h: 4.99 })).toBe(false);
  });

  it('rectContainsRect includes shared edges', () => {
    expect(rectContainsRect(a, a)).toBe(true);
    expect(rectContainsRect(a, { x: 0, y: 5, w: 10, h: 5 })).toBe(true);
    expect(rectContainsRect(a, { x: 1, y: 1, w: 10, h: 1 })).toBe(false);
    expect(rectContainsRect({ x: 1, y: 1, w: 1, h: 1 }, a)).toBe(false);
  });
});

describe('clampDelta', () => {
  const b: Rect = { x: 10, y: 20, w: 30, h: 40 };

  it('passes a delta that keeps the bounds inside', () => {
    expect(clampDelta(b, 5, -5, 100, 100)).toEqual({ dx: 5, dy: -5 });
  });

  it('stops at each of the four edges', () => {
    expect(clampDelta(b, -50, 0, 100, 100)).toEqual({ dx: -10, dy: 0 });
    expect(clampDelta(b, 500, 0, 100, 100)).toEqual({ dx: 60, dy: 0 });
    expect(clampDelta(b, 0, -50, 100, 100)).toEqual({ dx: 0, dy: -20 });
    expect(clampDelta(b, 0, 500, 100, 100)).toEqual({ dx: 0, dy: 40 });
    expect(clampDelta(b, -500, 500, 100, 100)).toEqual({ dx: -10, dy: 40 });
  });

  it('gives 0 on an axis where the bounds are bigger than the image', () => {
    expect(clampDelta({ x: -10, y: 0, w: 120, h: 10 }, 5, 5, 100, 100)).toEqual({ dx: 0, dy: 5 });
    expect(clampDelta({ x: 5, y: 0, w: 120, h: 10 }, -3, 0, 100, 100)).toEqual({ dx: 0, dy: 0 });
    expect(clampDelta({ x: 0, y: -1, w: 10, h: 101 }, 5, -5, 100, 100)).toEqual({ dx: 5, dy: 0 });
  });

  it('lets bounds exactly as big as the image stay put', () => {
    expect(clampDelta({ x: 0, y: 0, w: 100, h: 100 }, 5, -5, 100, 100)).toEqual({ dx: 0, dy: 0 });
  });

  it('lets bounds already outside move back in, but not further out, and never returns -0', () => {
    const out: Rect = { x: -5, y: 10, w: 20, h: 20 };
    expect(clampDelta(out, 3, 0, 100, 100)).toEqual({ dx: 3, dy: 0 });
    const stuck = clampDelta(out, -3, 0, 100, 100);
    expect(Object.is(stuck.dx, 0)).toBe(true);
    const atEdge = clampDelta({ x: 0, y: 0, w: 10, h: 10 }, -4, -4, 100, 100);
    expect(Object.is(atEdge.dx, 0) && Object.is(atEdge.dy, 0)).toBe(true);
  });
});

describe('translateShape', () => {
  it('moves a box and keeps its size', () => {
    const box: BoxShape = { kind: 'box', x: 1, y: 2, w: 3, h: 4 };
    expect(translateShape(box, 10, -1)).toEqual({ kind: 'box', x: 11, y: 1, w: 3, h: 4 });
    expect(box).toEqual({ kind: 'box', x: 1, y: 2, w: 3, h: 4 });
  });

  it('moves every polygon vertex without touching the input', () => {
    const poly: PolygonShape = { kind: 'polygon', points: [0, 0, 10, 0, 5, 5] };
    const moved: PolygonShape = translateShape(poly, 2, 3);
    expect(moved).toEqual({ kind: 'polygon', points: [2, 3, 12, 3, 7, 8] });
    expect(poly.points).toEqual([0, 0, 10, 0, 5, 5]);
  });
});

describe('handles', () => {
  const box: Rect = { x: 10, y: 20, w: 40, h: 60 };

  it('lists the eight handles clockwise from the top-left', () => {
    expect(HANDLES).toEqual(['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w']);
  });

  it.each<[Handle, number, number]>([
    ['nw', 10, 20],
    ['n', 30, 20],
    ['ne', 50, 20],
    ['e', 50, 50],
    ['se', 50, 80],
    ['s', 30, 80],
    ['sw', 10, 80],
    ['w', 10, 50],
  ])('handlePoint %s is (%d, %d)', (h, x, y) => {
    expect(handlePoint(box, h)).toEqual({ x, y });
  });

  it('handleAt finds each handle at its own point', () => {
    for (const h of HANDLES) expect(handleAt(box, handlePoint(box, h), 1)).toBe(h);
  });

  it('handleAt is inclusive of the tolerance and null beyond it', () => {
    expect(handleAt(box, imagePoint(10, 17), 3)).toBe('nw');
    expect(handleAt(box, imagePoint(10, 17), 2.99)).toBeNull();
    expect(handleAt(box, imagePoint(30, 50), 5)).toBeNull();
  });

  it('handleAt prefers the nearest handle', () => {
    const small: Rect = { x: 0, y: 0, w: 4, h: 4 };
    expect(handleAt(small, imagePoint(1.5, 0), 3)).toBe('n');
    expect(handleAt(small, imagePoint(0.5, 0), 3)).toBe('nw');
    expect(handleAt(small, imagePoint(4, 2.5), 3)).toBe('e');
  });

  it('handleAt lets a corner win an exact tie with an edge handle', () => {
    const sq: Rect = { x: 0, y: 0, w: 10, h: 10 };
    expect(handleAt(sq, imagePoint(2.5, 0), 3)).toBe('nw');
    expect(handleAt(sq, imagePoint(7.5, 0), 3)).toBe('ne');
    expect(handleAt(sq, imagePoint(10, 7.5), 3)).toBe('se');
    expect(handleAt(sq, imagePoint(0, 2.5), 3)).toBe('nw');
    // A zero-width box stacks nw, n and ne on one point: the first corner wins.
    expect(handleAt({ x: 5, y: 5, w: 0, h: 10 }, imagePoint(5, 5), 1)).toBe('nw');
  });
});

describe('resizeBox', () => {
  const box: Rect = { x: 10, y: 20, w: 30, h: 40 }; // right 40, bottom 60
  const W = 100;
  const H = 100;
  const resize = (h: Handle, x: number, y: number, min = 5, b: Rect = box, w = W, hh = H) =>
    resizeBox(b, h, imagePoint(x, y), w, hh, min);

  it.each<[Handle, number, number, Rect]>([
    ['nw', 5, 10, { x: 5, y: 10, w: 35, h: 50 }],
    ['n', 999, 0, { x: 10, y: 0, w: 30, h: 60 }],
    ['ne', 60, 10, { x: 10, y: 10, w: 50, h: 50 }],
    ['e', 70, -999, { x: 10, y: 20, w: 60, h: 40 }],
    ['se', 50, 70, { x: 10, y: 20, w: 40, h: 50 }],
    ['s', -999, 90, { x: 10, y: 20, w: 30, h: 70 }],
    ['sw', 0, 80, { x: 0, y: 20, w: 40, h: 60 }],
    ['w', 0, 50, { x: 0, y: 20, w: 40, h: 40 }],
  ])('%s moves only its own side(s)', (h, x, y, expected) => {
    expect(resize(h, x, y)).toEqual(expected);
  });

  it.each<[Handle, number, number, Rect]>([
    ['nw', 60, 90, { x: 40, y: 60, w: 20, h: 30 }],
    ['n', 0, 80, { x: 10, y: 60, w: 30, h: 20 }],
    ['ne', 0, 90, { x: 0, y: 60, w: 10, h: 30 }],
    ['e', 0, 0, { x: 0, y: 20, w: 10, h: 40 }],
    ['se', 5, 5, { x: 5, y: 5, w: 5, h: 15 }],
    ['s', 0, 0, { x: 10, y: 0, w: 30, h: 20 }],
    ['sw', 70, 0, { x: 40, y: 0, w: 30, h: 20 }],
    ['w', 90, 0, { x: 40, y: 20, w: 50, h: 40 }],
  ])('%s flips when dragged past the opposite side', (h, x, y, expected) => {
    expect(resize(h, x, y)).toEqual(expected);
  });

  it('clamps the dragged point into the image first', () => {
    expect(resize('se', 150, -20)).toEqual({ x: 10, y: 0, w: 90, h: 20 });
    expect(resize('nw', -50, -50)).toEqual({ x: 0, y: 0, w: 40, h: 60 });
  });

  it('grows to minSize away from the fixed side', () => {
    expect(resize('e', 12, 0)).toEqual({ x: 10, y: 20, w: 5, h: 40 });
    expect(resize('w', 39, 0)).toEqual({ x: 35, y: 20, w: 5, h: 40 });
    expect(resize('s', 0, 21)).toEqual({ x: 10, y: 20, w: 30, h: 5 });
    expect(resize('n', 0, 59)).toEqual({ x: 10, y: 55, w: 30, h: 5 });
    expect(resize('se', 11, 21)).toEqual({ x: 10, y: 20, w: 5, h: 5 });
    expect(resize('nw', 39, 59)).toEqual({ x: 35, y: 55, w: 5, h: 5 });
  });

  it('grows on the side the handle came from when dropped on the fixed side', () => {
    expect(resize('e', 10, 0)).toEqual({ x: 10, y: 20, w: 5, h: 40 });
    expect(resize('w', 40, 0)).toEqual({ x: 35, y: 20, w: 5, h: 40 });
  });

  it('grows on the side it flipped to', () => {
    expect(resize('e', 9, 0)).toEqual({ x: 5, y: 20, w: 5, h: 40 });
    expect(resize('n', 0, 61)).toEqual({ x: 10, y: 60, w: 30, h: 5 });
  });

  it('grows towards the other side when minSize would leave the image, at each edge', () => {
    // Right edge: fixed left at 97, no room for [97, 102].
    expect(resize('e', 98, 0, 5, { x: 97, y: 20, w: 2, h: 40 })).toEqual({ x: 92, y: 20, w: 5, h: 40 });
    // Left edge: fixed right at 3, no room for [-2, 3].
    expect(resize('w', 2.5, 0, 5, { x: 1, y: 20, w: 2, h: 40 })).toEqual({ x: 3, y: 20, w: 5, h: 40 });
    // Top edge: fixed bottom at 3.
    expect(resize('n', 0, 2, 5, { x: 10, y: 1, w: 30, h: 2 })).toEqual({ x: 10, y: 3, w: 30, h: 5 });
    // Bottom edge: fixed top at 97.
    expect(resize('s', 0, 98, 5, { x: 10, y: 97, w: 30, h: 2 })).toEqual({ x: 10, y: 92, w: 30, h: 5 });
    // A corner at the bottom-right: both axes turn round.
    expect(resize('se', 99, 99, 5, { x: 97, y: 97, w: 1, h: 1 })).toEqual({ x: 92, y: 92, w: 5, h: 5 });
  });

  it('gives way on the fixed side when neither side has room', () => {
    // 8 px wide image, minSize 5, fixed edge at 4: both [4, 9] and [-1, 4] leave the image.
    expect(resize('e', 4.5, 0, 5, { x: 4, y: 0, w: 1, h: 8 }, 8, 8)).toEqual({ x: 3, y: 0, w: 5, h: 8 });
    expect(resize('w', 3.5, 0, 5, { x: 3, y: 0, w: 1, h: 8 }, 8, 8)).toEqual({ x: 0, y: 0, w: 5, h: 8 });
    // minSize bigger than the image: the whole axis.
    expect(resize('e', 2, 0, 5, { x: 1, y: 0, w: 1, h: 3 }, 3, 3)).toEqual({ x: 0, y: 0, w: 3, h: 3 });
  });

  it('allows zero size with minSize 0', () => {
    expect(resize('e', 10, 0, 0)).toEqual({ x: 10, y: 20, w: 0, h: 40 });
  });

  it('keeps its invariants for every handle (seeded random cases)', () => {
    const rand = mulberry32(3);
    for (let k = 0; k < 2000; k++) {
      const w = between(rand, 20, 400);
      const h = between(rand, 20, 400);
      const min = between(rand, 0, 10);
      const x0 = between(rand, 0, w - min);
      const y0 = between(rand, 0, h - min);
      const b: Rect = { x: x0, y: y0, w: between(rand, min, w - x0), h: between(rand, min, h - y0) };
      const handle = HANDLES[Math.floor(rand() * HANDLES.length)]!;
      const p = imagePoint(between(rand, -50, w + 50), between(rand, -50, h + 50));
      const r = resizeBox(b, handle, p, w, h, min);
      expect(r.w).toBeGreaterThanOrEqual(0);
      expect(r.h).toBeGreaterThanOrEqual(0);
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.w).toBeLessThanOrEqual(w + 1e-9);
      expect(r.y + r.h).toBeLessThanOrEqual(h + 1e-9);
      const movesX = handle.includes('e') || handle.includes('w');
      const movesY = handle.includes('n') || handle.includes('s');
      if (movesX) expect(r.w).toBeGreaterThanOrEqual(min - 1e-9);
      else expect([r.x, r.w]).toEqual([b.x, b.w]);
      if (movesY) expect(r.h).toBeGreaterThanOrEqual(min - 1e-9);
      else expect([r.y, r.h]).toEqual([b.y, b.h]);
      // The opposite side stays fixed whenever the drag itself spans at least minSize.
      const q = clampPoint(p, w, h);
      const onEdge = (v: number, a: number, size: number) => Math.abs(v - a) < 1e-9 || Math.abs(v - (a + size)) < 1e-9;
      if (movesX) {
        const fixed = handle.includes('e') ? b.x : b.x + b.w;
        if (Math.abs(q.x - fixed) >= min) expect(onEdge(fixed, r.x, r.w)).toBe(true);
      }
      if (movesY) {
        const fixed = handle.includes('s') ? b.y : b.y + b.h;
        if (Math.abs(q.y - fixed) >= min) expect(onEdge(fixed, r.y, r.h)).toBe(true);
      }
    }
  }, HEAVY_TEST_MS);
});

describe('pointInPolygon', () => {
  it('handles a concave polygon', () => {
    expect(pointInPolygon(U, { x: 5, y: 20 })).toBe(true); // left arm
    expect(pointInPolygon(U, { x: 25, y: 20 })).toBe(true); // right arm
    expect(pointInPolygon(U, { x: 15, y: 5 })).toBe(true); // bridge
    expect(pointInPolygon(U, { x: 15, y: 20 })).toBe(false); // the notch
    expect(pointInPolygon(U, { x: 35, y: 5 })).toBe(false);
    expect(pointInPolygon(U, { x: -1, y: 20 })).toBe(false);
  });

  it('counts a ray through vertices and along a horizontal edge correctly', () => {
    // y = 10 runs along the notch's top edge and through its two corners.
    expect(pointInPolygon(U, { x: 5, y: 10 })).toBe(true);
    expect(pointInPolygon(U, { x: 25, y: 10 })).toBe(true);
    expect(pointInPolygon(U, { x: -5, y: 10 })).toBe(false);
    expect(pointInPolygon(U, { x: 35, y: 10 })).toBe(false);
    // A diamond: the ray from the left through its side vertices.
    const diamond = [5, 0, 10, 5, 5, 10, 0, 5];
    expect(pointInPolygon(diamond, { x: 5, y: 5 })).toBe(true);
    expect(pointInPolygon(diamond, { x: -1, y: 5 })).toBe(false);
    expect(pointInPolygon(diamond, { x: 11, y: 5 })).toBe(false);
  });

  it('uses the even-odd rule for a self-intersecting star', () => {
    const star: number[] = [];
    for (let k = 0; k < 5; k++) {
      const a = -Math.PI / 2 + (k * 4 * Math.PI) / 5;
      star.push(100 * Math.cos(a), 100 * Math.sin(a));
    }
    expect(pointInPolygon(star, { x: 0, y: 0 })).toBe(false); // the pentagon in the middle is wound twice
    expect(pointInPolygon(star, { x: 0, y: -80 })).toBe(true); // inside the top point
  });

  it('is false for fewer than 3 vertices', () => {
    expect(pointInPolygon([0, 0, 10, 10], { x: 5, y: 5 })).toBe(false);
  });
});

describe('distanceToSegment', () => {
  const a = { x: 0, y: 0 };
  const b = { x: 10, y: 0 };
  it('measures perpendicular distance within the segment', () => {
    expect(distanceToSegment({ x: 5, y: 3 }, a, b)).toBe(3);
  });
  it('measures to the nearer end beyond the segment', () => {
    expect(distanceToSegment({ x: -3, y: 4 }, a, b)).toBe(5);
    expect(distanceToSegment({ x: 13, y: -4 }, a, b)).toBe(5);
  });
  it('measures to the point for a degenerate segment', () => {
    expect(distanceToSegment({ x: 3, y: 4 }, a, a)).toBe(5);
  });
});

describe('vertexAt', () => {
  it('finds a vertex within tolerance (inclusive)', () => {
    expect(vertexAt(SQUARE, { x: 9.5, y: 0.2 }, 1)).toBe(1);
    expect(vertexAt(SQUARE, { x: 0, y: 13 }, 3)).toBe(3);
    expect(vertexAt(SQUARE, { x: 0, y: 13 }, 2.99)).toBe(-1);
    expect(vertexAt(SQUARE, { x: 5, y: 5 }, 1)).toBe(-1);
  });

  it('prefers the nearest vertex, then the lowest index', () => {
    const tri = [0, 0, 1, 0, 0, 10];
    expect(vertexAt(tri, { x: 0.6, y: 0 }, 1)).toBe(1);
    expect(vertexAt(tri, { x: 0.4, y: 0 }, 1)).toBe(0);
    expect(vertexAt(tri, { x: 0.5, y: 0 }, 1)).toBe(0);
  });
});

describe('edgeAt', () => {
  it('finds the nearest edge and the nearest point on it', () => {
    expect(edgeAt(SQUARE, { x: 5, y: -1 }, 1)).toEqual({ index: 0, point: { x: 5, y: 0 }, distance: 1 });
    expect(edgeAt(SQUARE, { x: 10.5, y: 4 }, 1)).toEqual({ index: 1, point: { x: 10, y: 4 }, distance: 0.5 });
  });

  it('includes the closing edge from the last vertex to the first', () => {
    expect(edgeAt(SQUARE, { x: -1, y: 5 }, 2)).toEqual({ index: 3, point: { x: 0, y: 5 }, distance: 1 });
  });

  it('respects the tolerance', () => {
    expect(edgeAt(SQUARE, { x: 5, y: -1 }, 0.99)).toBeNull();
    expect(edgeAt(SQUARE, { x: 5, y: 5 }, 4)).toBeNull();
  });

  it('gives ties to the lower index, with the point clamped to the edge', () => {
    const hit = edgeAt(SQUARE, { x: 11, y: 11 }, 2);
    expect(hit?.index).toBe(1);
    expect(hit?.point).toEqual({ x: 10, y: 10 });
    expect(hit?.distance).toBeCloseTo(Math.SQRT2, 12);
    expect(edgeAt(SQUARE, { x: 5, y: 5 }, 5)?.index).toBe(0);
  });

  it('works inside a concave polygon', () => {
    expect(edgeAt(U, { x: 15, y: 11 }, 2)).toEqual({ index: 4, point: { x: 15, y: 10 }, distance: 1 });
  });
});

describe('insertVertex / removeVertex / moveVertex', () => {
  const tri = [0, 0, 10, 0, 10, 10];

  it('insertVertex puts the new vertex at afterIndex + 1', () => {
    const out = insertVertex(tri, 0, { x: 5, y: -1 });
    expect(out).toEqual([0, 0, 5, -1, 10, 0, 10, 10]);
    expect(vertexAt(out, { x: 5, y: -1 }, 0)).toBe(1);
    expect(insertVertex(tri, 1, { x: 11, y: 5 })).toEqual([0, 0, 10, 0, 11, 5, 10, 10]);
  });

  it('insertVertex after the last vertex lands on the closing edge', () => {
    expect(insertVertex(tri, 2, { x: 4, y: 6 })).toEqual([0, 0, 10, 0, 10, 10, 4, 6]);
  });

  it('removeVertex drops one vertex', () => {
    expect(removeVertex(SQUARE, 0)).toEqual([10, 0, 10, 10, 0, 10]);
    expect(removeVertex(SQUARE, 1)).toEqual([0, 0, 10, 10, 0, 10]);
    expect(removeVertex(SQUARE, 3)).toEqual([0, 0, 10, 0, 10, 10]);
  });

  it('moveVertex replaces one vertex', () => {
    expect(moveVertex(SQUARE, 2, { x: 12, y: 13 })).toEqual([0, 0, 10, 0, 12, 13, 0, 10]);
  });

  it('never mutates the input', () => {
    const pts = [...SQUARE];
    insertVertex(pts, 1, { x: 1, y: 1 });
    removeVertex(pts, 1);
    moveVertex(pts, 1, { x: 1, y: 1 });
    expect(pts).toEqual(SQUARE);
  });

  it('throws RangeError for an index that is not a vertex', () => {
    expect(() => insertVertex(tri, 3, { x: 0, y: 0 })).toThrow(RangeError);
    expect(() => insertVertex(tri, -1, { x: 0, y: 0 })).toThrow(RangeError);
    expect(() => removeVertex(SQUARE, 4)).toThrow(RangeError);
    expect(() => moveVertex(SQUARE, 1.5, { x: 0, y: 0 })).toThrow(RangeError);
  });
});

describe('areas', () => {
  it('polygonArea is the absolute shoelace area for either winding', () => {
    expect(polygonArea(SQUARE)).toBe(100);
    expect(polygonArea([0, 0, 4, 0, 0, 3])).toBe(6);
    expect(polygonArea([0, 0, 0, 3, 4, 0])).toBe(6);
    expect(polygonArea(U)).toBe(30 * 30 - 10 * 20);
  });

  it('is 0 for degenerate polygons', () => {
    expect(polygonArea([0, 0, 5, 5, 10, 10])).toBe(0);
    expect(polygonArea([0, 0, 5, 5])).toBe(0);
    expect(polygonArea([])).toBe(0);
  });

  it('shapeArea covers both kinds', () => {
    expect(shapeArea({ kind: 'box', x: 3, y: 4, w: 30, h: 40 })).toBe(1200);
    expect(shapeArea({ kind: 'polygon', points: U })).toBe(700);
  });
});

describe('shapeHit', () => {
  const box: BoxShape = { kind: 'box', x: 0, y: 0, w: 10, h: 10 };
  const u: PolygonShape = { kind: 'polygon', points: U };

  it('hits inside a box and on its edges', () => {
    expect(shapeHit(box, { x: 5, y: 5 }, 0)).toBe(true);
    expect(shapeHit(box, { x: 10, y: 0 }, 0)).toBe(true);
    expect(shapeHit(box, { x: 10.1, y: 5 }, 0)).toBe(false);
  });

  it('hits within the tolerance of a box edge, with rounded corners', () => {
    expect(shapeHit(box, { x: -1, y: 5 }, 1)).toBe(true);
    expect(shapeHit(box, { x: -1, y: 5 }, 0.5)).toBe(false);
    expect(shapeHit(box, { x: 11, y: 11 }, 1.5)).toBe(true); // √2 from the corner
    expect(shapeHit(box, { x: 11, y: 11 }, 1.2)).toBe(false);
  });

  it('hits inside a concave polygon, not in its notch unless near an edge', () => {
    expect(shapeHit(u, { x: 5, y: 20 }, 0)).toBe(true);
    expect(shapeHit(u, { x: 15, y: 20 }, 2)).toBe(false);
    expect(shapeHit(u, { x: 11, y: 20 }, 1)).toBe(true);
    expect(shapeHit(u, { x: 15, y: 12 }, 2)).toBe(true);
    expect(shapeHit(u, { x: 15, y: 12 }, 1.9)).toBe(false);
    expect(shapeHit(u, { x: 31, y: 31 }, 1.5)).toBe(true);
  });
});

describe('boxIoU', () => {
  const a: Rect = { x: 0, y: 0, w: 10, h: 10 };
  it('is 1 for identical boxes', () => {
    expect(boxIoU(a, a)).toBe(1);
  });
  it('is 0 for disjoint or merely touching boxes', () => {
    expect(boxIoU(a, { x: 20, y: 20, w: 5, h: 5 })).toBe(0);
    expect(boxIoU(a, { x: 10, y: 0, w: 10, h: 10 })).toBe(0);
  });
  it('is 0.5 when one box is half of the other', () => {
    expect(boxIoU(a, { x: 0, y: 0, w: 10, h: 5 })).toBe(0.5);
  });
  it('is 1/3 for two equal boxes overlapping by half', () => {
    expect(boxIoU(a, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(1 / 3, 12);
  });
  it('is symmetric', () => {
    const b: Rect = { x: 3, y: -2, w: 9, h: 7 };
    expect(boxIoU(a, b)).toBe(boxIoU(b, a));
  });
  it('is 0 with a zero-area box', () => {
    expect(boxIoU(a, { x: 5, y: 5, w: 0, h: 0 })).toBe(0);
    expect(boxIoU({ x: 0, y: 0, w: 0, h: 0 }, { x: 0, y: 0, w: 0, h: 0 })).toBe(0);
  });
});

describe('roundCoord / roundShape', () => {
  it('rounds to 1/100 px', () => {
    expect(roundCoord(1.234)).toBe(1.23);
    expect(roundCoord(1.236)).toBe(1.24);
    expect(roundCoord(-1.236)).toBe(-1.24);
    expect(roundCoord(7)).toBe(7);
  });

  it('removes -0', () => {
    expect(Object.is(roundCoord(-0), 0)).toBe(true);
    expect(Object.is(roundCoord(-0.004), 0)).toBe(true);
  });

  it('rounds a box and removes -0', () => {
    const r = roundShape({ kind: 'box', x: -0.001, y: -0.004, w: 10.004, h: 5.555 } as BoxShape);
    expect(r).toEqual({ kind: 'box', x: 0, y: 0, w: 10, h: 5.55 });
    expect(Object.is(r.x, 0) && Object.is(r.y, 0)).toBe(true);
  });

  it('keeps a box edge on the image border', () => {
    const r = roundShape({ kind: 'box', x: 0.335, y: 0, w: 99.665, h: 10 } as BoxShape);
    expect(r.x + r.w).toBe(100);
  });

  it('never rounds a box to zero size', () => {
    const r = roundShape({ kind: 'box', x: 5, y: 5, w: 0.001, h: 0.004 } as BoxShape);
    expect(r.w).toBe(0.01);
    expect(r.h).toBe(0.01);
  });

  it('rounds every polygon coordinate and removes -0', () => {
    const poly: PolygonShape = { kind: 'polygon', points: [-0.001, 1.234, 10.005001, -0.0049, 5, 7.999] };
    const r = roundShape(poly);
    expect(r).toEqual({ kind: 'polygon', points: [0, 1.23, 10.01, 0, 5, 8] });
    expect(r.points.every((v) => !Object.is(v, -0))).toBe(true);
    expect(poly.points[0]).toBe(-0.001);
  });
});
