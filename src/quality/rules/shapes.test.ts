import { describe, expect, it } from 'vitest';
import { checkNow } from '../check';
import { DEFAULT_QUALITY_SETTINGS } from '../settings';
import { box, classId, image, polygon, project, shape, snapshot } from '../testFixtures';
import type { CheckAnnotation } from '../types';
import type { RuleId } from '../types';

const img = image(1); // 100 × 100

function issues(annotations: readonly CheckAnnotation[], rule: RuleId, settings = DEFAULT_QUALITY_SETTINGS) {
  return checkNow(snapshot(project(), [img], annotations), settings).report.issues.filter((i) => i.rule === rule);
}

describe('shape validity', () => {
  it('non-finite coordinates (error), and nothing else is measured of that shape', () => {
    const a = shape(img, box(Number.NaN, 0, 10, 10));
    const found = issues([a], 'non-finite');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', annotationIds: [a.id], key: `non-finite:${a.id}` });
    expect(issues([shape(img, polygon(0, 0, 10, 0, 10, Infinity))], 'non-finite')).toHaveLength(1);
    expect(issues([shape(img, polygon(0, 0, 10, 0, 10))], 'non-finite')).toHaveLength(1); // an x without a y
  });

  it('degenerate boxes (error) offer deletion', () => {
    const a = shape(img, box(10, 10, 0, 5));
    const [found] = issues([a], 'degenerate-box');
    expect(found).toMatchObject({ severity: 'error', measured: { width: 0, height: 5 } });
    expect(found!.fixes).toEqual([{ kind: 'delete-shapes', imageId: img.id, annotationIds: [a.id] }]);
    expect(issues([shape(img, box(10, 10, 4, -1))], 'degenerate-box')).toHaveLength(1);
  });

  it('tiny boxes: the smaller side below 2 px (warning); exactly 2 px is fine', () => {
    expect(issues([shape(img, box(10, 10, 1.5, 40))], 'tiny-box')[0]).toMatchObject({ severity: 'warning', measured: { minSide: 1.5 }, threshold: 2 });
    expect(issues([shape(img, box(10, 10, 2, 40))], 'tiny-box')).toEqual([]);
  });

  it('out of image: beyond the 0.5 px tolerance is a warning with a clip fix; wholly outside is an error with a delete fix', () => {
    expect(issues([shape(img, box(-0.5, 0, 10, 10))], 'out-of-image')).toEqual([]);
    const over = shape(img, box(95, 10, 10, 10)); // reaches 5 px past the right edge
    const [edge] = issues([over], 'out-of-image');
    expect(edge).toMatchObject({ severity: 'warning', measured: { outside: 5 }, threshold: 0.5 });
    expect(edge!.fixes).toEqual([{ kind: 'clip-shape', imageId: img.id, annotationId: over.id }]);
    const gone = shape(img, polygon(120, 10, 130, 10, 125, 20));
    const [outside] = issues([gone], 'out-of-image');
    expect(outside).toMatchObject({ severity: 'error' });
    expect(outside!.fixes).toEqual([{ kind: 'delete-shapes', imageId: img.id, annotationIds: [gone.id] }]);
  });

  it('bad polygons: fewer than 3 distinct vertices, or no area', () => {
    expect(issues([shape(img, polygon(10, 10, 20, 20, 20, 20, 10, 10))], 'bad-polygon')[0]).toMatchObject({ severity: 'error', measured: { distinctVertices: 2 } });
    expect(issues([shape(img, polygon(10, 10, 20, 20, 30, 30))], 'bad-polygon')).toHaveLength(1); // collinear
    expect(issues([shape(img, polygon(10, 10, 20, 10, 20, 20))], 'bad-polygon')).toEqual([]);
  });

  it('self-intersecting polygons name the crossing edges', () => {
    const [found] = issues([shape(img, polygon(10, 10, 50, 50, 50, 10, 10, 50))], 'self-intersecting-polygon');
    expect(found).toMatchObject({ severity: 'error', measured: { edgeA: 0, edgeB: 2 } });
    expect(issues([shape(img, polygon(10, 10, 50, 10, 50, 50, 10, 50))], 'self-intersecting-polygon')).toEqual([]);
  });

  it('unknown classes (error)', () => {
    const a = shape(img, box(10, 10, 20, 20), { classId: classId('ghost') });
    expect(issues([a], 'unknown-class')[0]).toMatchObject({ severity: 'error', annotationIds: [a.id] });
    expect(issues([shape(img, box(10, 10, 20, 20))], 'unknown-class')).toEqual([]);
  });
});

describe('overlaps within one layer', () => {
  it('groups same-class duplicates (IoU ≥ 0.95) and keeps the oldest', () => {
    const first = shape(img, box(10, 10, 40, 40), { id: 'z-first', createdAt: 1 });
    const copy = shape(img, box(10, 10, 40, 40), { id: 'a-copy', createdAt: 5 });
    // 40×40 vs 40×39.5 on the same corner: IoU 1580 / 1600 = 0.9875.
    const near = shape(img, box(10, 10, 40, 39.5), { id: 'm-near', createdAt: 3 });
    const [found] = issues([first, copy, near], 'duplicate-shape');
    expect(found!.annotationIds).toEqual(['a-copy', 'm-near', 'z-first']);
    expect(found!.measured.shapes).toBe(3);
    expect(found!.fixes).toEqual([{ kind: 'delete-shapes', imageId: img.id, annotationIds: ['a-copy', 'm-near'] }]);
  });

  it('does not call shapes of different annotators, or below 0.95, duplicates', () => {
    const a = shape(img, box(10, 10, 40, 40), { annotator: 'ana' });
    const b = shape(img, box(10, 10, 40, 40), { annotator: 'ben' });
    expect(issues([a, b], 'duplicate-shape')).toEqual([]);
    // 40×40 vs 40×37: IoU 0.925.
    expect(issues([a, shape(img, box(10, 10, 40, 37))], 'duplicate-shape')).toEqual([]);
  });

  it('stacked conflicts: same annotator, different classes, IoU ≥ 0.95 (error)', () => {
    const car = shape(img, box(10, 10, 40, 40));
    const person = shape(img, box(10, 10, 40, 40), { classId: classId('person') });
    const [found] = issues([car, person], 'stacked-conflict');
    expect(found).toMatchObject({ severity: 'error', measured: { iou: 1 }, threshold: 0.95, annotators: ['ana'] });
    expect(found!.classIds).toEqual([classId('car'), classId('person')]);
  });
});
