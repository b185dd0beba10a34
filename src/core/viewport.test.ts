import { describe, expect, it } from 'vitest';
import { mulberry32 } from './prng';
import { fitViewport, focusViewport, imagePoint, MAX_SCALE, MIN_SCALE, panBy, screenPoint, toImage, toScreen, zoomAt, type Viewport } from './viewport';

/** |a - b| within a relative tolerance: round trips through a scale lose a few ulps, not digits. */
function expectNear(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

/** A scale spread evenly on a log axis across the whole zoom range, as wheel zooming produces. */
function randomScale(rand: () => number): number {
  return MIN_SCALE * (MAX_SCALE / MIN_SCALE) ** rand();
}

const between = (rand: () => number, lo: number, hi: number): number => lo + (hi - lo) * rand();

describe('imagePoint / screenPoint', () => {
  it('carry their coordinates', () => {
    expect(imagePoint(1, 2)).toEqual({ x: 1, y: 2 });
    expect(screenPoint(-3, 4.5)).toEqual({ x: -3, y: 4.5 });
  });
});

describe('toImage / toScreen', () => {
  it('apply screen = image * scale + offset', () => {
    const v: Viewport = { scale: 2, x: 10, y: 20 };
    expect(toScreen(v, imagePoint(5, 5))).toEqual({ x: 20, y: 30 });
    expect(toImage(v, screenPoint(20, 30))).toEqual({ x: 5, y: 5 });
    expect(toImage(v, screenPoint(10, 20))).toEqual({ x: 0, y: 0 });
  });

  it('are inverses of each other (seeded random cases)', () => {
    const rand = mulberry32(1);
    for (let k = 0; k < 1000; k++) {
      const v: Viewport = { scale: randomScale(rand), x: between(rand, -5000, 5000), y: between(rand, -5000, 5000) };
      const ip = imagePoint(between(rand, -10000, 10000), between(rand, -10000, 10000));
      const back = toImage(v, toScreen(v, ip));
      expectNear(back.x, ip.x);
      expectNear(back.y, ip.y);
      const sp = screenPoint(between(rand, -3000, 3000), between(rand, -3000, 3000));
      const again = toScreen(v, toImage(v, sp));
      expectNear(again.x, sp.x);
      expectNear(again.y, sp.y);
    }
  });
});

describe('fitViewport', () => {
  const centreOnScreen = (v: Viewport, w: number, h: number) => toScreen(v, imagePoint(w / 2, h / 2));

  it('fits a landscape image by its width and centres it', () => {
    const v = fitViewport(2000, 1000, 800, 600);
    expect(v.scale).toBeCloseTo(768 / 2000, 12);
    expect(v.x).toBeCloseTo(16, 9);
    expect(v.y).toBeCloseTo((600 - 1000 * v.scale) / 2, 9);
    const c = centreOnScreen(v, 2000, 1000);
    expect(c.x).toBeCloseTo(400, 9);
    expect(c.y).toBeCloseTo(300, 9);
    // The image's far corner lands inside the margin.
    const far = toScreen(v, imagePoint(2000, 1000));
    expect(far.x).toBeCloseTo(800 - 16, 9);
    expect(far.y).toBeLessThanOrEqual(600 - 16);
  });

  it('fits a portrait image by its height and centres it', () => {
    const v = fitViewport(1000, 2000, 800, 600);
    expect(v.scale).toBeCloseTo(568 / 2000, 12);
    expect(v.y).toBeCloseTo(16, 9);
    expect(v.x).toBeCloseTo((800 - 1000 * v.scale) / 2, 9);
    const c = centreOnScreen(v, 1000, 2000);
    expect(c.x).toBeCloseTo(400, 9);
    expect(c.y).toBeCloseTo(300, 9);
  });

  it('honours a custom margin', () => {
    const v = fitViewport(100, 100, 300, 200, 0);
    expect(v).toEqual({ scale: 2, x: 50, y: 0 });
  });

  it('never goes below MIN_SCALE, and still centres', () => {
    const v = fitViewport(100000, 100000, 200, 200);
    expect(v.scale).toBe(MIN_SCALE);
    const c = centreOnScreen(v, 100000, 100000);
    expect(c.x).toBeCloseTo(100, 9);
    expect(c.y).toBeCloseTo(100, 9);
  });

  it('never goes above MAX_SCALE (a tiny image stays zoomable)', () => {
    const v = fitViewport(2, 2, 800, 600);
    expect(v.scale).toBe(MAX_SCALE);
    const c = centreOnScreen(v, 2, 2);
    expect(c.x).toBeCloseTo(400, 9);
    expect(c.y).toBeCloseTo(300, 9);
  });

  it('gives finite numbers for degenerate sizes', () => {
    for (const v of [fitViewport(0, 0, 800, 600), fitViewport(100, 100, 10, 10), fitViewport(100, 100, 0, 0)]) {
      expect(Number.isFinite(v.scale) && Number.isFinite(v.x) && Number.isFinite(v.y)).toBe(true);
      expect(v.scale).toBeGreaterThanOrEqual(MIN_SCALE);
    }
  });
});

describe('zoomAt', () => {
  it('keeps the image point under the cursor fixed (seeded random cases)', () => {
    const rand = mulberry32(2);
    for (let k = 0; k < 500; k++) {
      const v: Viewport = { scale: randomScale(rand), x: between(rand, -2000, 2000), y: between(rand, -2000, 2000) };
      const at = screenPoint(between(rand, 0, 1600), between(rand, 0, 1000));
      const factor = 2 ** between(rand, -3, 3);
      const before = toImage(v, at);
      const z = zoomAt(v, at, factor);
      expect(z.scale).toBeGreaterThanOrEqual(MIN_SCALE);
      expect(z.scale).toBeLessThanOrEqual(MAX_SCALE);
      const after = toImage(z, at);
      expectNear(after.x, before.x, 1e-8);
      expectNear(after.y, before.y, 1e-8);
    }
  });

  it('multiplies the scale by the factor', () => {
    const z = zoomAt({ scale: 1, x: 0, y: 0 }, screenPoint(100, 50), 2);
    expect(z).toEqual({ scale: 2, x: -100, y: -50 });
  });

  it('clamps at MAX_SCALE and MIN_SCALE, still keeping the point fixed', () => {
    const v: Viewport = { scale: 1, x: 30, y: 40 };
    const at = screenPoint(200, 100);
    const before = toImage(v, at);
    const inZ = zoomAt(v, at, 1e6);
    expect(inZ.scale).toBe(MAX_SCALE);
    expectNear(toImage(inZ, at).x, before.x);
    expectNear(toImage(inZ, at).y, before.y);
    const outZ = zoomAt(v, at, 1e-6);
    expect(outZ.scale).toBe(MIN_SCALE);
    expectNear(toImage(outZ, at).x, before.x);
    expectNear(toImage(outZ, at).y, before.y);
  });

  it('changes nothing at a limit or for a bad factor', () => {
    const top: Viewport = { scale: MAX_SCALE, x: 1, y: 2 };
    expect(zoomAt(top, screenPoint(5, 5), 2)).toEqual(top);
    const bottom: Viewport = { scale: MIN_SCALE, x: 1, y: 2 };
    expect(zoomAt(bottom, screenPoint(5, 5), 0.5)).toEqual(bottom);
    const v: Viewport = { scale: 1, x: 0, y: 0 };
    for (const f of [0, -2, Number.NaN, Infinity]) expect(zoomAt(v, screenPoint(5, 5), f)).toEqual(v);
  });
});

describe('panBy', () => {
  it('moves the offset by screen px and keeps the scale', () => {
    expect(panBy({ scale: 3, x: 10, y: 20 }, -5, 7)).toEqual({ scale: 3, x: 5, y: 27 });
  });
});

describe('focusViewport', () => {
  it('centres the region and lets it fill half the view, by the tighter axis', () => {
    const v = focusViewport({ x: 100, y: 200, w: 50, h: 20 }, 800, 600, 0.5);
    expect(v.scale).toBe(8); // 400/50 = 8, 300/20 = 15, capped at 8
    expect(toScreen(v, imagePoint(125, 210))).toEqual({ x: 400, y: 300 });
    const wide = focusViewport({ x: 0, y: 0, w: 400, h: 100 }, 800, 600, 0.5);
    expect(wide.scale).toBe(1); // 400/400
  });

  it('never zooms out past the whole-image fit, and copes with a zero-size region', () => {
    expect(focusViewport({ x: 0, y: 0, w: 5000, h: 5000 }, 800, 600, 0.2).scale).toBe(0.2);
    const dot = focusViewport({ x: 10, y: 10, w: 0, h: 0 }, 800, 600, 1);
    expect(dot.scale).toBe(8);
    expect(toScreen(dot, imagePoint(10, 10))).toEqual({ x: 400, y: 300 });
  });
});
