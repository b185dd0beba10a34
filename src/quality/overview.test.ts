import { describe, expect, it } from 'vitest';
import { aspectBin, HEATMAP_SIZE, OBJECTS_CAP, overview, sizeBin } from './overview';
import { DEFAULT_QUALITY_SETTINGS, validateQualitySettings } from './settings';
import { box, classId, image, polygon, project, shape, snapshot } from './testFixtures';

describe('overview', () => {
  const train = image(1, { split: 'train', status: 'done' }); // 100 × 100
  const val = image(2, { split: 'val', status: 'new', width: 400, height: 100 });
  const shapes = [
    shape(train, box(0, 0, 20, 20)), // 400 px²: small; aspect 1; centre (10, 10) → cell (1, 1)
    shape(train, box(50, 50, 40, 40)), // 1600 px²: medium; centre (70, 70) → cell (7, 7)
    shape(train, polygon(0, 0, 100, 0, 100, 100), { annotator: 'ben' }), // 5000 px²: medium
    shape(val, box(0, 0, 400, 100), { classId: classId('person') }), // 40,000 px²: large; aspect 4
    shape(val, box(1, 1, 5, 5), { classId: classId('ghost') }),
  ];
  const o = overview(snapshot(project(), [train, val], shapes));
  const car = o.perClass.find((c) => c.classId === classId('car'))!;
  const person = o.perClass.find((c) => c.classId === classId('person'))!;

  it('counts instances per class and split, images per status and split', () => {
    expect(car.splits.train.instances).toBe(3);
    expect(car.splits.val.instances).toBe(0);
    expect(person.splits.val.instances).toBe(1);
    expect(o.unknownClassShapes).toBe(1);
    expect(o.imagesByStatus).toEqual({ new: 1, in_progress: 0, done: 1, needs_review: 0 });
    expect(o.imagesBySplit).toEqual({ train: 1, val: 1, test: 0, unassigned: 0 });
  });

  it('COCO size bins, aspect bins, objects per image and the centre heatmap', () => {
    expect(car.splits.train.sizeBins).toEqual([1, 2, 0]);
    expect(person.splits.val.sizeBins).toEqual([0, 0, 1]);
    expect(car.splits.train.aspectBins[aspectBin(1)]).toBe(3);
    expect(person.splits.val.aspectBins[aspectBin(4)]).toBe(1);
    expect(o.objectsPerImage.train[3]).toBe(1);
    expect(o.objectsPerImage.val[2]).toBe(1);
    expect(o.objectsPerImage.train).toHaveLength(OBJECTS_CAP + 1);
    const heat = car.splits.train.heatmap;
    expect(heat).toHaveLength(HEATMAP_SIZE * HEATMAP_SIZE);
    expect(heat[1 * HEATMAP_SIZE + 1]).toBe(1);
    expect(heat[7 * HEATMAP_SIZE + 7]).toBe(1);
    expect(o.imageAspectBins[aspectBin(1)]).toBe(1);
    expect(o.imageAspectBins[aspectBin(4)]).toBe(1);
  });

  it('one layer only, when asked', () => {
    const ben = overview(snapshot(project(), [train, val], shapes), { layer: 'ben' });
    expect(ben.perClass.find((c) => c.classId === classId('car'))!.splits.train.instances).toBe(1);
  });

  it('bins at their edges', () => {
    expect([sizeBin(32 * 32 - 1), sizeBin(32 * 32), sizeBin(96 * 96 - 1), sizeBin(96 * 96)]).toEqual([0, 1, 1, 2]);
    expect([aspectBin(0.1), aspectBin(0.8), aspectBin(1.249), aspectBin(1.25), aspectBin(10)]).toEqual([0, 4, 4, 5, 8]);
  });
});

describe('validateQualitySettings', () => {
  it('accepts the defaults and names the field that is wrong', () => {
    expect(validateQualitySettings(DEFAULT_QUALITY_SETTINGS)).toEqual({ ok: true, value: DEFAULT_QUALITY_SETTINGS });
    const bad = validateQualitySettings({ ...DEFAULT_QUALITY_SETTINGS, nearDuplicateDistance: 11 });
    expect(bad).toEqual({ ok: false, message: 'Quality setting “nearDuplicateDistance” must be a whole number of bits from 0 to 10 (got 11).' });
    expect(validateQualitySettings({ ...DEFAULT_QUALITY_SETTINGS, tinyBoxMinSide: Number.NaN }).ok).toBe(false);
    expect(validateQualitySettings({ ...DEFAULT_QUALITY_SETTINGS, matchIoU: 0.9 })).toEqual({
      ok: false,
      message: 'The low-overlap IoU (τ_low) must not be below the match IoU (τ).',
    });
    expect(validateQualitySettings({ ...DEFAULT_QUALITY_SETTINGS, darkLuminance: 0.96 }).ok).toBe(false);
  });
});
