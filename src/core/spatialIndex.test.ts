import { describe, expect, it } from 'vitest';
import { mulberry32 } from './prng';
import { rectContainsRect, rectsIntersect, shapeArea, shapeBounds, shapeHit, type Rect } from './geometry';
import type { AnnotationId, Shape } from './model';
import { SpatialIndex, type Indexed } from './spatialIndex';
import { HEAVY_TEST_MS } from '../test-support/heavy';

interface Item extends Indexed {
  readonly n: number;
}

const item = (n: number, shape: Shape): Item => ({ id: `a${n}` as AnnotationId, n, shape });
const box = (n: number, x: number, y: number, w: number, h: number): Item => item(n, { kind: 'box', x, y, w, h });
const ids = (items: readonly Item[]): string[] => items.map((i) => i.id);

const W = 1000;
const H = 800;

/**
 * Boxes and star-shaped (often concave) polygons of many sizes, some sticking out of the image,
 * a few image-sized, and some exact duplicates so that area ties occur.
 */
function randomItems(seed: number, count: number, width = W, height = H): Item[] {
  const rand = mulberry32(seed);
  const items: Item[] = [];
  for (let n = 0; n < count; n++) {
    const prev = items[Math.floor(rand() * items.length)];
    if (prev && rand() < 0.03) {
      items.push(item(n, prev.shape));
      continue;
    }
    const big = rand() < 0.02;
    const size = big ? 200 + rand() * Math.max(width, height) : 3 + rand() * 80;
    const cx = -20 + rand() * (width + 40);
    const cy = -20 + rand() * (height + 40);
    if (rand() < 0.5) {
      const w = size * (0.3 + rand());
      const h = size * (0.3 + rand());
      items.push(box(n, cx - w / 2, cy - h / 2, w, h));
    } else {
      const k = 3 + Math.floor(rand() * 6);
      const points: number[] = [];
      for (let v = 0; v < k; v++) {
        const a = (2 * Math.PI * (v + rand() * 0.8)) / k;
        const r = (size / 2) * (0.3 + 0.7 * rand());
        points.push(cx + r * Math.cos(a), cy + r * Math.sin(a));
      }
      items.push(item(n, { kind: 'polygon', points }));
    }
  }
  return items;
}

function bruteHitAll(items: readonly Item[], p: { x: number; y: number }, tol: number): Item[] {
  return items
    .map((it, i) => ({ it, i, area: shapeArea(it.shape) }))
    .filter(({ it }) => shapeHit(it.shape, p, tol))
    .sort((a, b) => a.area - b.area || b.i - a.i)
    .map(({ it }) => it);
}

function bruteInRect(items: readonly Item[], r: Rect, mode: 'intersect' | 'contain'): Item[] {
  return items.filter((it) => {
    const b = shapeBounds(it.shape);
    return mode === 'contain' ? rectContainsRect(r, b) : rectsIntersect(r, b);
  });
}

/** Query points: uniform ones (mostly in empty space or big shapes) and ones just off random outlines. */
function queryPoints(items: readonly Item[], seed: number, count: number): { x: number; y: number; tol: number }[] {
  const rand = mulberry32(seed);
  const out: { x: number; y: number; tol: number }[] = [];
  for (let k = 0; k < count; k++) {
    const tol = rand() < 0.2 ? 0 : rand() * 6;
    const target = items[Math.floor(rand() * items.length)];
    if (target && rand() < 0.6) {
      const b = shapeBounds(target.shape);
      // On or near the bounds' edge, where tolerance decides.
      const onX = rand() < 0.5;
      const x = onX ? b.x + (rand() < 0.5 ? 0 : b.w) + (rand() - 0.5) * 12 : b.x + rand() * b.w;
      const y = onX ? b.y + rand() * b.h : b.y + (rand() < 0.5 ? 0 : b.h) + (rand() - 0.5) * 12;
      out.push({ x, y, tol });
    } else {
      out.push({ x: -40 + rand() * (W + 80), y: -40 + rand() * (H + 80), tol });
    }
  }
  return out;
}

describe('SpatialIndex against brute force', () => {
  const items = randomItems(42, 2000);
  const index = new SpatialIndex(items, W, H);

  it('indexes every item', () => {
    expect(index.size).toBe(2000);
  });

  it('hitAll matches brute force, in topmost-first order', () => {
    let nonEmpty = 0;
    for (const q of queryPoints(items, 7, 2000)) {
      const expected = bruteHitAll(items, q, q.tol);
      const got = index.hitAll(q, q.tol);
      expect(ids(got)).toEqual(ids(expected));
      if (expected.length > 0) nonEmpty++;
    }
    // The queries must exercise hits, not only misses.
    expect(nonEmpty).toBeGreaterThan(700);
  }, HEAVY_TEST_MS);

  it('hit is the first of hitAll', () => {
    for (const q of queryPoints(items, 8, 2000)) {
      expect(index.hit(q, q.tol)).toBe(bruteHitAll(items, q, q.tol)[0] ?? null);
    }
  }, HEAVY_TEST_MS);

  it('inRect matches brute force in both modes, in input order, each once', () => {
    const rand = mulberry32(9);
    for (let k = 0; k < 300; k++) {
      const x = -50 + rand() * (W + 100);
      const y = -50 + rand() * (H + 100);
      const r: Rect = { x, y, w: rand() < 0.1 ? 0 : rand() * 400, h: rand() < 0.1 ? 0 : rand() * 300 };
      for (const mode of ['intersect', 'contain'] as const) {
        const got = index.inRect(r, mode);
        expect(ids(got)).toEqual(ids(bruteInRect(items, r, mode)));
        expect(new Set(got).size).toBe(got.length);
      }
    }
  }, HEAVY_TEST_MS);

  it('inRect over the whole plane returns every item in input order', () => {
    const all = index.inRect({ x: -1e6, y: -1e6, w: 2e6, h: 2e6 });
    expect(all).toEqual(items);
    expect(index.inRect({ x: -1e6, y: -1e6, w: 2e6, h: 2e6 }, 'contain')).toEqual(items);
  });

  it('stays correct for other image sizes, including degenerate ones', () => {
    for (const [w, h] of [
      [50, 5000],
      [10, 10],
      [0, 0],
      [Number.NaN, 100],
    ] as const) {
      const small = randomItems(5, 300, Number.isFinite(w) && w > 0 ? w : 100, h > 0 ? h : 100);
      const idx = new SpatialIndex(small, w, h);
      for (const q of queryPoints(small, 11, 200)) {
        expect(ids(idx.hitAll(q, q.tol))).toEqual(ids(bruteHitAll(small, q, q.tol)));
      }
      const r: Rect = { x: 10, y: 10, w: 30, h: 60 };
      expect(ids(idx.inRect(r))).toEqual(ids(bruteInRect(small, r, 'intersect')));
    }
  });
});

describe('SpatialIndex hit order', () => {
  it('puts the smallest of nested boxes on top, whatever the input order', () => {
    const outer = box(0, 0, 0, 100, 100);
    const middle = box(1, 25, 25, 50, 50);
    const inner = box(2, 45, 45, 10, 10);
    for (const order of [
      [outer, middle, inner],
      [inner, middle, outer],
      [middle, inner, outer],
    ]) {
      const index = new SpatialIndex(order, 200, 200);
      expect(index.hit({ x: 50, y: 50 }, 0)).toBe(inner);
      expect(index.hitAll({ x: 50, y: 50 }, 0)).toEqual([inner, middle, outer]);
      expect(index.hit({ x: 30, y: 30 }, 0)).toBe(middle);
      expect(index.hitAll({ x: 10, y: 10 }, 0)).toEqual([outer]);
    }
  });

  it('breaks area ties by putting the later item on top', () => {
    const a = box(0, 10, 10, 20, 20);
    const b = box(1, 15, 15, 20, 20);
    const c = box(2, 10, 10, 20, 20);
    const index = new SpatialIndex([a, b, c], 100, 100);
    expect(index.hitAll({ x: 20, y: 20 }, 0)).toEqual([c, b, a]);
    expect(index.hit({ x: 20, y: 20 }, 0)).toBe(c);
  });

  it('returns items by reference', () => {
    const a = box(0, 10, 10, 20, 20);
    expect(new SpatialIndex([a], 100, 100).hit({ x: 15, y: 15 }, 0)).toBe(a);
  });
});

describe('SpatialIndex tolerance', () => {
  const b = box(0, 100, 100, 50, 50);
  const tri = item(1, { kind: 'polygon', points: [300, 100, 400, 100, 300, 200] });
  const index = new SpatialIndex([b, tri], 500, 500);

  it('hits near a box edge within the tolerance (inclusive) and not beyond', () => {
    expect(index.hit({ x: 98, y: 120 }, 2)).toBe(b);
    expect(index.hit({ x: 98, y: 120 }, 1.9)).toBeNull();
    expect(index.hit({ x: 125, y: 153 }, 3)).toBe(b);
    expect(index.hit({ x: 125, y: 153 }, 2.9)).toBeNull();
    expect(index.hit({ x: 150, y: 150 }, 0)).toBe(b);
  });

  it('measures true distance at a box corner', () => {
    expect(index.hit({ x: 153, y: 154 }, 5)).toBe(b);
    expect(index.hit({ x: 153, y: 154 }, 4.9)).toBeNull();
  });

  it('hits near a polygon edge within the tolerance, including the diagonal', () => {
    // Hypotenuse x + y = 500; (355, 155) is 10/√2 ≈ 7.07 outside it.
    expect(index.hit({ x: 355, y: 155 }, 7.1)).toBe(tri);
    expect(index.hit({ x: 355, y: 155 }, 7)).toBeNull();
    expect(index.hit({ x: 350, y: 97 }, 3)).toBe(tri);
    expect(index.hit({ x: 350, y: 97 }, 2.9)).toBeNull();
  });

  it('treats a negative tolerance as 0', () => {
    expect(index.hit({ x: 125, y: 125 }, -5)).toBe(b);
    expect(index.hit({ x: 98, y: 120 }, -5)).toBeNull();
  });
});

describe('SpatialIndex.inRect', () => {
  const a = box(0, 10, 10, 20, 20); // [10, 30]²
  const b = box(1, 50, 50, 10, 10); // [50, 60]²
  const c = item(2, { kind: 'polygon', points: [70, 10, 90, 10, 80, 40] }); // bounds [70, 90] × [10, 40]
  const index = new SpatialIndex([a, b, c], 100, 100);

  it("'intersect' (the default) takes anything whose bounds meet the rect, touching included", () => {
    expect(index.inRect({ x: 25, y: 25, w: 30, h: 30 })).toEqual([a, b]);
    expect(index.inRect({ x: 30, y: 30, w: 20, h: 20 })).toEqual([a, b]);
    expect(index.inRect({ x: 31, y: 31, w: 18, h: 18 })).toEqual([]);
    expect(index.inRect({ x: 0, y: 35, w: 100, h: 1 }, 'intersect')).toEqual([c]);
  });

  it("'contain' takes only bounds wholly inside the rect, shared edges included", () => {
    expect(index.inRect({ x: 25, y: 25, w: 40, h: 40 }, 'contain')).toEqual([b]);
    expect(index.inRect({ x: 10, y: 10, w: 20, h: 20 }, 'contain')).toEqual([a]);
    expect(index.inRect({ x: 0, y: 0, w: 100, h: 100 }, 'contain')).toEqual([a, b, c]);
    expect(index.inRect({ x: 0, y: 0, w: 85, h: 100 }, 'contain')).toEqual([a, b]);
  });

  it('a zero-size rect acts as a point', () => {
    expect(index.inRect({ x: 55, y: 55, w: 0, h: 0 })).toEqual([b]);
    expect(index.inRect({ x: 55, y: 55, w: 0, h: 0 }, 'contain')).toEqual([]);
  });
});

describe('SpatialIndex edge cases', () => {
  it('answers nothing when empty', () => {
    const index = new SpatialIndex<Item>([], 640, 480);
    expect(index.size).toBe(0);
    expect(index.hit({ x: 10, y: 10 }, 5)).toBeNull();
    expect(index.hitAll({ x: 10, y: 10 }, 5)).toEqual([]);
    expect(index.inRect({ x: 0, y: 0, w: 640, h: 480 })).toEqual([]);
    expect(index.inRect({ x: 0, y: 0, w: 640, h: 480 }, 'contain')).toEqual([]);
  });

  it('finds shapes partly or wholly outside the image', () => {
    const left = box(0, -30, 100, 20, 20);
    const right = item(1, { kind: 'polygon', points: [630, 10, 700, 10, 700, 60] });
    const index = new SpatialIndex([left, right], 640, 480);
    expect(index.hit({ x: -20, y: 110 }, 0)).toBe(left);
    expect(index.hit({ x: 690, y: 20 }, 0)).toBe(right);
    expect(index.hit({ x: 5000, y: 20 }, 0)).toBeNull();
    expect(index.inRect({ x: -100, y: 0, w: 90, h: 480 }, 'contain')).toEqual([left]);
  });

  it('finds image-sized shapes alongside small ones', () => {
    const items = [box(0, 0, 0, 4000, 3000), box(1, 10, 10, 5, 5), box(2, -10, -10, 4020, 3020)];
    const index = new SpatialIndex(items, 4000, 3000);
    expect(index.hitAll({ x: 12, y: 12 }, 0)).toEqual([items[1], items[0], items[2]]);
    expect(index.hitAll({ x: 3999, y: 2999 }, 0)).toEqual([items[0], items[2]]);
    expect(index.inRect({ x: 100, y: 100, w: 10, h: 10 })).toEqual([items[0], items[2]]);
  });

  it('ignores shapes with non-finite coordinates instead of failing', () => {
    const bad = box(0, Number.NaN, 0, 10, 10);
    const good = box(1, 0, 0, 10, 10);
    const index = new SpatialIndex([bad, good], 100, 100);
    expect(index.size).toBe(2);
    expect(index.hitAll({ x: 5, y: 5 }, 0)).toEqual([good]);
    expect(index.inRect({ x: 0, y: 0, w: 100, h: 100 })).toEqual([good]);
  });
});

describe('SpatialIndex at scale', () => {
  it('builds over 5,000 boxes and answers 1,000 hits', () => {
    const rand = mulberry32(2024);
    const items: Item[] = [];
    for (let n = 0; n < 5000; n++) {
      const w = 4 + rand() * 60;
      const h = 4 + rand() * 60;
      items.push(box(n, rand() * (4000 - w), rand() * (3000 - h), w, h));
    }
    const index = new SpatialIndex(items, 4000, 3000);
    expect(index.size).toBe(5000);
    let hits = 0;
    for (let k = 0; k < 1000; k++) {
      const target = items[Math.floor(rand() * items.length)]!;
      const s = target.shape;
      if (s.kind !== 'box') throw new Error('only boxes here');
      const found = index.hit({ x: s.x + s.w / 2, y: s.y + s.h / 2 }, 2);
      // Something is always hit at a box's centre, and nothing larger than the box itself.
      expect(found).not.toBeNull();
      expect(shapeArea(found!.shape)).toBeLessThanOrEqual(shapeArea(s));
      hits++;
    }
    expect(hits).toBe(1000);
  });
});
