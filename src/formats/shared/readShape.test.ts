import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipShape } from '../../core/clip';
import type { Shape } from '../../core/model';
import type { Diagnostic, Size } from '../types';
import { diagnostic, isBoxWellInside, readShape, type Where } from './readShape';

const SIZE = { width: 100, height: 80 };
const WHERE: Where = { file: 'labels/a.txt', line: 3 };

/** 'unknown' stands for an undefined size (a default parameter would swallow undefined). */
function read(shape: Shape, size: Size | 'unknown' = SIZE, where: Where = WHERE): { shape: Shape | null; out: Diagnostic[] } {
  const out: Diagnostic[] = [];
  return { shape: readShape(shape, size === 'unknown' ? undefined : size, where, out), out };
}

const box = (x: number, y: number, w: number, h: number): Shape => ({ kind: 'box', x, y, w, h });
const poly = (...points: number[]): Shape => ({ kind: 'polygon', points });

describe('readShape', () => {
  it('returns a shape inside the image as it is, without diagnostics', () => {
    const s = box(10, 10, 20, 20);
    const { shape, out } = read(s);
    expect(shape).toBe(s);
    expect(out).toEqual([]);
    const p = poly(0, 0, 100, 0, 50, 80);
    expect(read(p).shape).toBe(p);
  });

  it('skips a shape with NaN or infinite coordinates, as an error', () => {
    for (const s of [box(NaN, 0, 10, 10), box(0, 0, Infinity, 10), poly(0, 0, 10, NaN, 5, 5)]) {
      const { shape, out } = read(s);
      expect(shape).toBeNull();
      expect(out).toHaveLength(1);
      expect(out[0]).toMatchObject({ severity: 'error', file: 'labels/a.txt', line: 3 });
      expect(out[0]!.message).toContain('not all numbers');
    }
  });

  it('skips a box without positive width and height', () => {
    for (const s of [box(10, 10, 0, 10), box(10, 10, 10, 0), box(10, 10, -5, 10)]) {
      const { shape, out } = read(s);
      expect(shape).toBeNull();
      expect(out).toHaveLength(1);
      expect(out[0]!.severity).toBe('error');
      expect(out[0]!.message).toContain('positive width and height');
    }
  });

  it('skips a polygon with fewer than 3 points', () => {
    const { shape, out } = read(poly(0, 0, 10, 10));
    expect(shape).toBeNull();
    expect(out).toHaveLength(1);
    expect(out[0]!.severity).toBe('error');
    expect(out[0]!.message).toContain('at least 3 points');
    expect(out[0]!.message).toContain('it has 2');
  });

  it('skips a polygon with an odd number of coordinates, without talking of half points', () => {
    const { shape, out } = read(poly(0, 0, 10, 0, 10, 10, 5));
    expect(shape).toBeNull();
    expect(out).toHaveLength(1);
    expect(out[0]!.severity).toBe('error');
    expect(out[0]!.message).not.toMatch(/\d\.5/);
    expect(out[0]!.message).toContain('7');
  });

  it('skips a shape wholly outside a known image, as an error naming the size', () => {
    for (const s of [box(200, 10, 10, 10), poly(-50, -50, -10, -50, -30, -10)]) {
      const { shape, out } = read(s);
      expect(shape).toBeNull();
      expect(out).toHaveLength(1);
      expect(out[0]!.severity).toBe('error');
      expect(out[0]!.message).toContain('outside the 100×80 image');
    }
  });

  it('skips a polygon without area', () => {
    const { shape, out } = read(poly(0, 0, 10, 10, 20, 20));
    expect(shape).toBeNull();
    expect(out[0]!.severity).toBe('error');
  });

  it('clips a shape partly outside and warns', () => {
    const { shape, out } = read(box(90, -10, 20, 30));
    expect(shape).toEqual(box(90, 0, 10, 20));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ severity: 'warning', file: 'labels/a.txt', line: 3 });
    expect(out[0]!.message).toContain('100×80');
    expect(out[0]!.message).toContain('cut at its edge');

    const p = read(poly(-10, 10, 50, 10, 50, 50, -10, 50));
    expect(p.shape).toEqual(expect.objectContaining({ kind: 'polygon' }));
    expect(p.out.map((d) => d.severity)).toEqual(['warning']);
  });

  it('with an unknown size cuts only negative coordinates at 0, with a warning', () => {
    const { shape, out } = read(box(-10, -5, 30, 25), 'unknown');
    expect(shape).toEqual(box(0, 0, 20, 20));
    expect(out).toHaveLength(1);
    expect(out[0]!.severity).toBe('warning');
    expect(out[0]!.message).toContain('negative coordinates');
    expect(out[0]!.message).toContain('cut at 0');
  });

  it('with an unknown size keeps large coordinates', () => {
    const s = box(5000, 5000, 10000, 10000);
    const { shape, out } = read(s, 'unknown');
    expect(shape).toBe(s);
    expect(out).toEqual([]);
  });

  it('treats a zero size as unknown', () => {
    const s = box(500, 500, 10, 10);
    expect(read(s, { width: 0, height: 0 }).shape).toBe(s);
    expect(read(box(-1, 0, 10, 10), { width: 0, height: 80 }).out[0]!.message).toContain('negative coordinates');
  });

  it('with an unknown size skips a shape wholly at negative coordinates, as having no area', () => {
    const { shape, out } = read(box(-20, -20, 10, 10), 'unknown');
    expect(shape).toBeNull();
    expect(out[0]!.severity).toBe('error');
    expect(out[0]!.message).toContain('no area');
  });

  it('carries the file, line and field of where the shape came from', () => {
    const { out } = read(box(NaN, 0, 1, 1), SIZE, { file: 'annotations/instances_train.json', field: 'annotations[3].bbox' });
    expect(out[0]).toEqual({
      severity: 'error',
      file: 'annotations/instances_train.json',
      field: 'annotations[3].bbox',
      message: expect.any(String),
    });
    expect('line' in out[0]!).toBe(false);
  });

  it('appends to the diagnostics already collected', () => {
    const out: Diagnostic[] = [diagnostic('info', { file: 'x' }, 'earlier')];
    readShape(box(NaN, 0, 1, 1), SIZE, WHERE, out);
    expect(out).toHaveLength(2);
    expect(out[0]!.message).toBe('earlier');
  });
});

describe('diagnostic', () => {
  it('includes line and field only when given', () => {
    expect(diagnostic('warning', { file: 'a.xml' }, 'm')).toEqual({ severity: 'warning', file: 'a.xml', message: 'm' });
    expect(diagnostic('error', { file: 'a.xml', line: 0, field: 'size' }, 'm')).toEqual({ severity: 'error', file: 'a.xml', line: 0, field: 'size', message: 'm' });
  });
});

describe('readShape: the shortcut for boxes well inside', () => {
  /** Coordinates near the edges and the float limits, where clipping and float arithmetic decide. */
  const coord = fc.oneof(
    fc.double({ noNaN: false }),
    fc.constantFrom(0, -0, -1e-10, 1e-10, 5e-324, 1e-300, 100, 80, 100 + 1e-10, 80 - 1e-12, 1e16, Infinity, -Infinity, NaN),
    fc.integer({ min: -5, max: 105 }),
  );
  it('agrees with clipShape on 5,000 generated boxes (explicit sizes: 100×80, 1×1, 1e9×3): taken as they are only where clipShape says inside', () => {
    fc.assert(
      fc.property(coord, coord, coord, coord, fc.constantFrom({ width: 100, height: 80 }, { width: 1, height: 1 }, { width: 1e9, height: 3 }), (x, y, w, h, size) => {
        const b = box(x, y, w, h);
        if (isBoxWellInside(x, y, w, h, size.width, size.height)) {
          const clipped = clipShape(b, size.width, size.height);
          expect(clipped.kind).toBe('inside');
          expect(clipped.kind !== 'empty' && clipped.shape).toBe(b);
        }
        // readShape's verdict is the one of its checks: the same shape (or null) and the same diagnostics as without the shortcut.
        const out: Diagnostic[] = [];
        const got = readShape(b, size, WHERE, out);
        const clipped = Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(w) && Number.isFinite(h) && w > 0 && h > 0 ? clipShape(b, size.width, size.height) : { kind: 'empty' as const };
        if (clipped.kind === 'empty') expect(got).toBeNull();
        else {
          expect(got).toEqual(clipped.shape);
          expect(out.length).toBe(clipped.kind === 'clipped' ? 1 : 0);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('takes a box inside as it is, without diagnostics; not one on the edge of float precision', () => {
    expect(isBoxWellInside(10, 10, 20, 20, 100, 80)).toBe(true);
    expect(isBoxWellInside(0, 0, 100, 80, 100, 80)).toBe(true);
    expect(isBoxWellInside(1e16, 0, 1, 1, 2e16, 80)).toBe(false);
    expect(isBoxWellInside(90, 0, 20, 1, 100, 80)).toBe(false);
    expect(isBoxWellInside(NaN, 0, 1, 1, 100, 80)).toBe(false);
    expect(isBoxWellInside(-0.5, 0, 1, 1, 100, 80)).toBe(false);
  });
});
