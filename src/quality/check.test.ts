import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ImageId, ImageRecord, LabelClass, Project, Shape } from '../core/model';
import { IMAGE_STATUSES, SPLITS } from '../core/model';
import { mulberry32 } from '../core/prng';
import { checkNow, recheck, runCheck, type CheckProgress } from './check';
import { DEFAULT_QUALITY_SETTINGS } from './settings';
import { box, classId, image, polygon, project, shape, snapshot } from './testFixtures';
import type { CheckAnnotation } from './types';
import { RULE_IDS, type CheckSnapshot, type ImageFeatures } from './types';

describe('runCheck', () => {
  const img = (n: number) => image(n, { status: 'new' });
  const snap = snapshot(project(), Array.from({ length: 10 }, (_, i) => img(i)), []);

  it('reports progress per chunk and returns the same report as checkNow', async () => {
    const progress: CheckProgress[] = [];
    let pauses = 0;
    const outcome = await runCheck(snap, DEFAULT_QUALITY_SETTINGS, {
      chunkSize: 4,
      onProgress: (p) => progress.push(p),
      pause: async () => {
        pauses++;
      },
    });
    expect(progress).toEqual([
      { phase: 'images', done: 4, total: 10 },
      { phase: 'images', done: 8, total: 10 },
      { phase: 'images', done: 10, total: 10 },
      { phase: 'project', done: 10, total: 10 },
    ]);
    expect(pauses).toBe(4);
    expect(outcome.status).toBe('done');
    if (outcome.status === 'done') expect(outcome.report).toEqual(checkNow(snap, DEFAULT_QUALITY_SETTINGS).report);
  });

  it('stops between chunks when cancelled', async () => {
    let chunks = 0;
    const outcome = await runCheck(snap, DEFAULT_QUALITY_SETTINGS, { chunkSize: 2, onProgress: () => chunks++, isCancelled: () => chunks >= 2 });
    expect(outcome).toEqual({ status: 'cancelled' });
    expect(chunks).toBe(2);
  });

  it('refuses invalid settings with a message naming the field', async () => {
    const outcome = await runCheck(snap, { ...DEFAULT_QUALITY_SETTINGS, matchIoU: 0 });
    expect(outcome.status).toBe('invalid-settings');
    if (outcome.status === 'invalid-settings') expect(outcome.message).toContain('matchIoU');
  });
});

describe('the report', () => {
  it('counts per rule and severity, and every key is unique', () => {
    const a = image(1);
    const shapes = [
      shape(a, box(10, 10, 40, 40), { annotator: 'ana' }),
      shape(a, box(10, 10, 40, 40), { annotator: 'ben', classId: classId('person') }), // label mismatch
      shape(a, box(60, 60, 10, 10), { annotator: 'ana' }), // missing from ben
      shape(a, box(95, 95, 10, 10), { annotator: 'ben', classId: classId('person') }), // out of image, missing from ana
    ];
    const { report } = checkNow(snapshot(project(['car', 'person', 'bike']), [a], shapes), DEFAULT_QUALITY_SETTINGS);
    const keys = report.issues.map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(report.summary.byRule['label-mismatch']).toBe(1);
    expect(report.summary.byRule['missing-shape']).toBe(2);
    expect(report.summary.byRule['out-of-image']).toBe(1);
    expect(report.summary.byRule['unused-class']).toBe(1);
    expect(Object.keys(report.summary.byRule)).toEqual([...RULE_IDS]);
    const { errors, warnings, infos } = report.summary;
    expect(errors + warnings + infos).toBe(report.issues.length);
    expect(report.summary).toMatchObject({ images: 1, annotations: 4 });
    const missing = report.issues.filter((i) => i.rule === 'missing-shape');
    expect(missing.map((i) => i.annotators)).toEqual([
      ['ana', 'ben'],
      ['ana', 'ben'],
    ]);
    expect(missing.map((i) => i.message)).toContain('ana drew a “car” that ben did not (no shape of ben overlaps it by IoU ≥ 0.5).');
  });

  it('the consensus layer is not compared with annotators', () => {
    const a = image(1);
    const shapes = [shape(a, box(10, 10, 40, 40), { annotator: 'ana' }), shape(a, box(60, 60, 20, 20), { annotator: 'Consensus' })];
    const { report } = checkNow(snapshot(project(), [a], shapes), DEFAULT_QUALITY_SETTINGS);
    expect(report.issues.filter((i) => i.rule === 'missing-shape')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Incremental = full

interface World {
  project: Project;
  images: ImageRecord[];
  annotations: CheckAnnotation[];
  features: Map<ImageId, ImageFeatures>;
}

const HASHES = ['00000000000000ff', '00000000000000fe', 'ffff0000ffff0000', '0f0f0f0f0f0f0f0f', 'a5a5a5a5a5a5a5a5'];

function randomShape(random: () => number, size: number): Shape {
  const x = Math.round(random() * (size + 10) - 5);
  const y = Math.round(random() * (size + 10) - 5);
  const w = Math.round(1 + random() * 30);
  const h = Math.round(1 + random() * 30);
  if (random() < 0.7) return box(x, y, random() < 0.05 ? 0 : w, h);
  if (random() < 0.1) return polygon(x, y, x + w, y + h, x + w, y, x, y + h); // a bow tie
  return polygon(x, y, x + w, y, x + w / 2, y + h / 2, x + w, y + h, x, y + h);
}

function randomWorld(random: () => number): World {
  const names = ['car', 'Cars', 'person', 'bicycle', 'bicylce'].filter(() => random() < 0.8);
  const p = project(names.length > 0 ? names : ['car']);
  const images = Array.from({ length: 4 + Math.floor(random() * 8) }, (_, n) => randomImage(random, n));
  const annotations: CheckAnnotation[] = [];
  for (const img of images) for (let k = Math.floor(random() * 6); k > 0; k--) annotations.push(randomAnnotation(random, p, img, annotations));
  const features = new Map<ImageId, ImageFeatures>();
  for (const img of images) if (random() < 0.4) features.set(img.id, randomFeatures(random));
  return { project: p, images, annotations, features };
}

function randomImage(random: () => number, n: number): ImageRecord {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  return image(n, {
    split: pick(SPLITS),
    status: pick(IMAGE_STATUSES),
    width: random() < 0.1 ? 400 : 100,
    height: random() < 0.1 ? 30 : 100,
    ...(random() < 0.5 ? { phash: pick(HASHES), phashMirrored: pick(HASHES) } : {}),
  });
}

function randomFeatures(random: () => number): ImageFeatures {
  return {
    ...(random() < 0.3 ? { pixelSha256: random() < 0.5 ? 'a'.repeat(64) : 'b'.repeat(64) } : {}),
    stats: { meanLuminance: random(), laplacianVariance: random() * 200, entropy: random() * 8 },
  };
}

let nextId = 0;
function randomAnnotation(random: () => number, p: Project, img: ImageRecord, existing: readonly CheckAnnotation[]): CheckAnnotation {
  const classes = p.classes;
  const cls = random() < 0.05 || classes.length === 0 ? classId('ghost') : classes[Math.floor(random() * classes.length)]!.id;
  const annotator = ['ana', 'ben', 'cy'][Math.floor(random() * 3)]!;
  // Often a copy (or near copy) of a shape already there: duplicates, stacked conflicts, matches.
  const same = existing.filter((a) => a.imageId === img.id);
  const base = same.length > 0 && random() < 0.5 ? same[Math.floor(random() * same.length)]!.shape : randomShape(random, img.width);
  const s = base.kind === 'box' && random() < 0.5 ? { ...base, x: base.x + Math.round(random() * 4 - 2) } : base;
  return shape(img, s, {
    id: `x${nextId++}`,
    annotator,
    classId: cls,
    createdAt: Math.floor(random() * 5),
    attributes: random() < 0.2 ? { occluded: true } : {},
  });
}

/** One random edit; returns the ids of the images it touched. */
function randomEdit(random: () => number, w: World): ImageId[] {
  const pickImage = (): ImageRecord | undefined => w.images[Math.floor(random() * w.images.length)];
  const op = Math.floor(random() * 12);
  const img = pickImage();
  if (!img) {
    const fresh = randomImage(random, 100 + nextId++);
    w.images.push(fresh);
    return [fresh.id];
  }
  const replaceImage = (after: ImageRecord) => (w.images = w.images.map((i) => (i.id === after.id ? after : i)));
  const onImage = w.annotations.filter((a) => a.imageId === img.id);
  switch (op) {
    case 0:
    case 1:
      w.annotations.push(randomAnnotation(random, w.project, img, w.annotations));
      return [img.id];
    case 2: {
      const a = onImage[Math.floor(random() * onImage.length)];
      if (a) w.annotations = w.annotations.filter((x) => x !== a);
      return [img.id];
    }
    case 3: {
      const a = onImage[Math.floor(random() * onImage.length)];
      if (a) w.annotations = w.annotations.map((x) => (x === a ? { ...a, shape: randomShape(random, img.width) } : x));
      return [img.id];
    }
    case 4: {
      const a = onImage[Math.floor(random() * onImage.length)];
      const cls = w.project.classes[Math.floor(random() * w.project.classes.length)];
      if (a && cls) w.annotations = w.annotations.map((x) => (x === a ? { ...a, classId: cls.id } : x));
      return [img.id];
    }
    case 5:
      replaceImage({ ...img, split: SPLITS[Math.floor(random() * SPLITS.length)]! });
      return [img.id];
    case 6:
      replaceImage({ ...img, status: IMAGE_STATUSES[Math.floor(random() * IMAGE_STATUSES.length)]! });
      return [img.id];
    case 7: {
      const fresh = randomImage(random, 100 + nextId++);
      w.images.push(fresh);
      return [fresh.id];
    }
    case 8:
      w.images = w.images.filter((i) => i !== img);
      w.annotations = w.annotations.filter((a) => a.imageId !== img.id);
      w.features.delete(img.id);
      return [img.id];
    case 9:
      replaceImage({ ...img, phash: HASHES[Math.floor(random() * HASHES.length)]! });
      return [img.id];
    case 10:
      w.features.set(img.id, randomFeatures(random));
      return [img.id];
    default: {
      // Class changes: rename, add or remove one (every image is then re-checked).
      const classes: LabelClass[] = [...w.project.classes];
      const k = Math.floor(random() * classes.length);
      if (random() < 0.4 && classes[k]) classes[k] = { ...classes[k], name: `${classes[k].name}s` };
      else if (random() < 0.5 || classes.length === 0) classes.push({ id: classId(`new${nextId++}`), name: `bicycle${nextId}`, color: '#000000', attributes: [] });
      else classes.splice(k, 1);
      w.project = { ...w.project, classes };
      return [];
    }
  }
}

const snap = (w: World): CheckSnapshot => ({ ...snapshot(w.project, w.images, w.annotations), features: new Map(w.features) });

describe('recheck', () => {
  it('equals a full check after random edit sequences', () => {
    const settings = { ...DEFAULT_QUALITY_SETTINGS, outlierMinInstances: 4 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 25 }), (seed, edits) => {
        const random = mulberry32(seed);
        const world = randomWorld(random);
        let state = checkNow(snap(world), settings).state;
        for (let e = 0; e < edits; e++) {
          const touched = randomEdit(random, world);
          const incremental = recheck(state, snap(world), touched);
          expect(incremental.report).toEqual(checkNow(snap(world), settings).report);
          state = incremental.state;
        }
      }),
      { numRuns: 60, seed: 20_241_202 },
    );
  }, 120_000);

  it('finds added and removed images even when not told', () => {
    const w = randomWorld(mulberry32(1));
    const state = checkNow(snap(w), DEFAULT_QUALITY_SETTINGS).state;
    w.images.push(image(77, { status: 'new' }));
    w.images.shift();
    expect(recheck(state, snap(w), []).report).toEqual(checkNow(snap(w), DEFAULT_QUALITY_SETTINGS).report);
  });
});
