import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { polygonArea } from '../core/geometry';
import type { Shape, Split } from '../core/model';
import { classNameKey } from '../core/validate';
import { GOLDEN_OPTIONS, goldenDataset } from '../test-support/datasets';
import { mulberry32 } from '../core/prng';
import { coco } from './coco';
import { decodeRleCounts, rleBounds } from './cocoRle';
import { compareDatasets } from './shared/compare';
import { prepareExport } from './shared/prepare';
import { decodeText, encodeText } from './shared/text';
import type { Dataset, DatasetAnnotation, DatasetClass, DatasetImage, Diagnostic, ParseInput, ParseResult, SerializeOptions, SerializeResult, SourceImageInfo } from './types';
import { expectSoundParse, readTree } from '../test-support/formatChecks';
import { HEAVY_TEST_MS } from '../test-support/heavy';

/** COCO's parser never ends in an internal error. */
const COCO_SOUNDNESS = { forbidden: /internal error/ };

const GOLDEN_DIR = fileURLToPath(new URL('./__golden__/coco/', import.meta.url));


// ---------------------------------------------------------------------------------------------
// Helpers

interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: number[][];
  area: number;
  bbox: [number, number, number, number];
  iscrowd: number;
  attributes?: Record<string, unknown>;
}
interface CocoFile {
  info: Record<string, unknown>;
  licenses: unknown[];
  categories: { id: number; name: string; supercategory: string }[];
  images: { id: number; file_name: string; width: number; height: number }[];
  annotations: CocoAnnotation[];
}

const prepared = (d: Dataset): Dataset => prepareExport(d, coco.shapes).dataset;
const exportOf = (d: Dataset): SerializeResult => coco.serialize(prepared(d), GOLDEN_OPTIONS);
const written = (r: SerializeResult): Map<string, CocoFile> => new Map([...r.files].map(([k, v]) => [k, JSON.parse(decodeText(v)) as CocoFile]));
const input = (files: Record<string, unknown>, images: SourceImageInfo[] = [], sizeOf?: ParseInput['sizeOf']): ParseInput => ({
  files: new Map(Object.entries(files).map(([k, v]) => [k, encodeText(typeof v === 'string' ? v : JSON.stringify(v))])),
  images,
  ...(sizeOf ? { sizeOf } : {}),
});
const has = (r: ParseResult, severity: Diagnostic['severity'], field: string | RegExp, message: RegExp): boolean =>
  r.diagnostics.some((d) => d.severity === severity && (typeof field === 'string' ? d.field === field : field.test(d.field ?? '')) && message.test(d.message));

/** A COCO file from parts, with one 100×50 image (id 1) and one category `car` (id 1) unless given. */
function cocoDoc(parts: Partial<Record<'images' | 'categories' | 'annotations', unknown[]>> & Record<string, unknown> = {}): Record<string, unknown> {
  return {
    images: [{ id: 1, file_name: 'a.jpg', width: 100, height: 50 }],
    categories: [{ id: 1, name: 'car', supercategory: '' }],
    annotations: [],
    ...parts,
  };
}
const ann = (extra: Record<string, unknown>): Record<string, unknown> => ({ id: 1, image_id: 1, category_id: 1, bbox: [1, 2, 10, 20], area: 200, iscrowd: 0, segmentation: [], ...extra });

/** The pure helper: problems with any written bbox that is not a positive box inside its image. */
function bboxesOutsideImages(file: CocoFile): string[] {
  const sizes = new Map(file.images.map((i) => [i.id, i]));
  const problems: string[] = [];
  file.annotations.forEach((a, k) => {
    const img = sizes.get(a.image_id);
    const [x, y, w, h] = a.bbox;
    const eps = 1e-9;
    if (!img) problems.push(`annotations[${k}]: no image ${a.image_id}`);
    else if (!(w > 0 && h > 0 && x >= 0 && y >= 0 && x + w <= img.width + eps && y + h <= img.height + eps)) {
      problems.push(`annotations[${k}]: bbox [${a.bbox.join(', ')}] outside ${img.width}×${img.height}`);
    }
  });
  return problems;
}

/** What every parse result must satisfy, whatever the input. */

function roundTrip(d: Dataset, images: SourceImageInfo[] = [], options: Partial<SerializeOptions> = {}): { problems: string[]; back: ParseResult; out: SerializeResult; written: Dataset } {
  const w = prepared(d);
  const out = coco.serialize(w, { ...GOLDEN_OPTIONS, ...options });
  const back = coco.parse({ files: out.files, images });
  return { problems: compareDatasets(w, back.dataset, out.imageRefs, coco.precision, true), back, out, written: w };
}

const NAME_PARTS = ['car', 'Person', 'Straße', 'a, b', '"quoted"', '<tag>', 'R&D', 'café', '日本語', 'ø', 'Ωmega', '🙂', "it's", 'x\\y'];
const FILE_NAMES = ['img.jpg', 'IMG.jpg', 'x y.png', 'ü.jpg', 'f1.jpg', 'f2.jpg', 'a&b<c>.png', '"q".jpg'];
const SPLITS: readonly Split[] = ['train', 'val', 'test', 'unassigned'];

/** Seeded random datasets: boxes and polygons anywhere around random image sizes, awkward names. */
function randomDataset(seed: number): Dataset {
  const rnd = mulberry32(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T,>(a: readonly T[]): T => a[int(a.length)]!;
  const r2 = (v: number): number => Math.round(v * 100) / 100;
  const classes: DatasetClass[] = [];
  const keys = new Set<string>();
  const nClasses = 1 + int(6);
  while (classes.length < nClasses) {
    const name = int(3) === 0 ? `${pick(NAME_PARTS)} ${pick(NAME_PARTS)}` : pick(NAME_PARTS) + (int(2) ? String(int(9)) : '');
    if (keys.has(classNameKey(name))) continue;
    keys.add(classNameKey(name));
    classes.push({ name });
  }
  const allUnassigned = int(4) === 0;
  const images: DatasetImage[] = Array.from({ length: 1 + int(8) }, () => {
    const fileName = pick(FILE_NAMES);
    const tiny = int(6) === 0;
    return {
      relativePath: `${pick(['', 'a/', 'b/c/'])}${fileName}`,
      fileName,
      width: tiny ? 1 + int(3) : 1 + int(2000),
      height: tiny ? 1 + int(3) : 1 + int(1500),
      split: allUnassigned ? 'unassigned' : pick(SPLITS),
    };
  });
  const annotations: DatasetAnnotation[] = [];
  images.forEach((img, i) => {
    const n = int(7);
    for (let k = 0; k < n; k++) {
      const coord = (size: number): number => r2(-0.2 * size + rnd() * 1.4 * size);
      let shape: Shape;
      if (int(2) === 0) {
        shape = { kind: 'box', x: coord(img.width), y: coord(img.height), w: r2(0.01 + rnd() * img.width), h: r2(0.01 + rnd() * img.height) };
      } else {
        const pts: number[] = [];
        const m = 3 + int(5);
        for (let p = 0; p < m; p++) pts.push(coord(img.width), coord(img.height));
        shape = { kind: 'polygon', points: pts };
      }
      const attributes = int(3) === 0 ? { occluded: int(2) === 0, ...(int(2) ? { difficult: true } : {}) } : {};
      annotations.push({ image: i, className: pick(classes).name, shape, attributes });
    }
  });
  return { project: { name: pick(NAME_PARTS) }, classes, images, annotations };
}

// ---------------------------------------------------------------------------------------------
// Export

describe('COCO export', () => {
  it('writes the golden files byte for byte', () => {
    const out = exportOf(goldenDataset());
    const got = new Map([...out.files].map(([k, v]) => [k, decodeText(v)]));
    if (process.env.UPDATE_GOLDEN) {
      for (const [k, v] of got) {
        mkdirSync(dirname(join(GOLDEN_DIR, k)), { recursive: true });
        writeFileSync(join(GOLDEN_DIR, k), v);
      }
    }
    const golden = readTree(GOLDEN_DIR);
    expect([...got.keys()].sort()).toEqual([...golden.keys()].sort());
    for (const [k, v] of got) expect(v, k).toBe(golden.get(k));
  });

  it('puts images at images/<split>/<unique name> and refers to them by file_name', () => {
    const out = exportOf(goldenDataset());
    expect(out.imagePaths).toEqual(['images/train/frame_001.jpg', 'images/train/frame_001_2.jpg', 'images/val/empty road.png', 'images/val/crossing.jpg']);
    expect(out.imageRefs).toEqual(['frame_001.jpg', 'frame_001_2.jpg', 'empty road.png', 'crossing.jpg']);
    expect(out.notes).toEqual([expect.objectContaining({ kind: 'changed', image: 'night/frame_001.jpg', message: expect.stringMatching(/renamed to frame_001_2\.jpg/) })]);
    const files = written(out);
    expect(files.get('annotations/instances_train.json')!.images.map((i) => i.file_name)).toEqual(['frame_001.jpg', 'frame_001_2.jpg']);
  });

  it('writes unassigned images to instances_default.json and images/default/', () => {
    const d = goldenDataset();
    const out = exportOf({ ...d, images: d.images.map((i) => ({ ...i, split: 'unassigned' as const })) });
    expect([...out.files.keys()]).toEqual(['annotations/instances_default.json']);
    expect(out.imagePaths[2]).toBe('images/default/empty road.png');
    expect(written(out).get('annotations/instances_default.json')!.images).toHaveLength(4);
  });

  it('trap: annotation id 0 is never written — ids start at 1 and are unique across all split files', () => {
    const ids: number[] = [];
    for (const f of written(exportOf(goldenDataset())).values()) ids.push(...f.annotations.map((a) => a.id));
    expect(Math.min(...ids)).toBe(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(7);
  });

  it('trap: duplicate ids are never written (images and annotations, random datasets)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const imageIds: number[] = [];
      const annotationIds: number[] = [];
      for (const f of written(exportOf(randomDataset(seed))).values()) {
        imageIds.push(...f.images.map((i) => i.id));
        annotationIds.push(...f.annotations.map((a) => a.id));
      }
      expect(new Set(imageIds).size).toBe(imageIds.length);
      expect(new Set(annotationIds).size).toBe(annotationIds.length);
      expect([...imageIds, ...annotationIds].every((id) => Number.isInteger(id) && id >= 1)).toBe(true);
    }
  });

  it('trap: category id 0 is never written — every split file lists all classes as 1..K in class order, used or not', () => {
    const files = written(exportOf(goldenDataset()));
    expect(files.size).toBe(2);
    for (const f of files.values()) {
      expect(f.categories).toEqual([
        { id: 1, name: 'car', supercategory: '' },
        { id: 2, name: 'person, walking', supercategory: '' },
        { id: 3, name: 'Straße <&> "sign"', supercategory: '' },
        { id: 4, name: 'bicycle', supercategory: '' },
      ]);
    }
  });

  it('trap: the area of a polygon is its shoelace area, not its bbox area', () => {
    const val = written(exportOf(goldenDataset())).get('annotations/instances_val.json')!;
    const triangle = val.annotations.find((a) => a.segmentation.length > 0)!;
    expect(triangle.segmentation).toEqual([[700, 500, 760, 500, 760, 560]]);
    expect(triangle.bbox).toEqual([700, 500, 60, 60]);
    expect(triangle.area).toBe(1800);
    expect(triangle.area).not.toBe(60 * 60);
    for (let seed = 1; seed <= 20; seed++) {
      for (const f of written(exportOf(randomDataset(seed))).values()) {
        for (const a of f.annotations) {
          const expected = a.segmentation.length > 0 ? polygonArea(a.segmentation[0]!) : a.bbox[2] * a.bbox[3];
          expect(Math.abs(a.area - expected)).toBeLessThanOrEqual(0.005 + 1e-9);
        }
      }
    }
  });

  it('trap: zero-size boxes are never written (prepareExport drops them before serialize)', () => {
    const d: Dataset = {
      classes: [{ name: 'car' }],
      images: [{ relativePath: 'a.jpg', fileName: 'a.jpg', width: 100, height: 100, split: 'train' }],
      annotations: [
        { image: 0, className: 'car', shape: { kind: 'box', x: 10, y: 10, w: 0, h: 20 }, attributes: {} },
        { image: 0, className: 'car', shape: { kind: 'box', x: 10, y: 10, w: 20, h: 0 }, attributes: {} },
        { image: 0, className: 'car', shape: { kind: 'box', x: 100, y: 10, w: 20, h: 20 }, attributes: {} },
        { image: 0, className: 'car', shape: { kind: 'polygon', points: [0, 0, 50, 50, 100, 100] }, attributes: {} },
        { image: 0, className: 'car', shape: { kind: 'box', x: 99.996, y: 5, w: 0.003, h: 5 }, attributes: {} },
        { image: 0, className: 'car', shape: { kind: 'box', x: 1, y: 1, w: 5, h: 5 }, attributes: {} },
      ],
    };
    const p = prepareExport(d, coco.shapes);
    expect(p.notes.filter((n) => n.kind === 'dropped')).toHaveLength(4);
    const out = coco.serialize(p.dataset, GOLDEN_OPTIONS);
    const f = written(out).get('annotations/instances_train.json')!;
    expect(f.annotations.map((a) => a.bbox)).toEqual([
      [99.99, 5, 0.01, 5],
      [1, 1, 5, 5],
    ]);
    expect(f.annotations.every((a) => a.bbox[2] > 0 && a.bbox[3] > 0 && a.area > 0)).toBe(true);
    expect(bboxesOutsideImages(f)).toEqual([]);
  });

  it('trap: area and iscrowd are on every annotation (COCOeval raises KeyError without them)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      for (const f of written(exportOf(randomDataset(seed))).values()) {
        for (const a of f.annotations) {
          expect(typeof a.area).toBe('number');
          expect(a.iscrowd).toBe(0);
        }
      }
    }
  });

  it('writes boxes with segmentation [] and polygons as one [x1, y1, …] list with their tight bbox', () => {
    const train = written(exportOf(goldenDataset())).get('annotations/instances_train.json')!;
    expect(train.annotations[0]).toEqual({
      id: 1,
      image_id: 1,
      category_id: 1,
      segmentation: [],
      area: 5075,
      bbox: [10.25, 20.5, 100, 50.75],
      iscrowd: 0,
      attributes: { occluded: true },
    });
    expect(train.annotations[1]!.segmentation).toEqual([[200, 100, 260, 110, 240, 220, 190, 200]]);
    expect(train.annotations[1]!.bbox).toEqual([190, 100, 70, 120]);
  });

  it('trap: names with <, &, ", commas and non-ASCII letters survive (JSON escaping)', () => {
    const out = exportOf(goldenDataset());
    const raw = decodeText(out.files.get('annotations/instances_train.json')!);
    expect(raw).toContain('"name": "Straße <&> \\"sign\\""');
    expect(raw).toContain('"description": "Streets <north> & \\"south\\""');
    const back = coco.parse({ files: out.files, images: [] });
    expect(back.dataset.classes.map((c) => c.name)).toEqual(['car', 'person, walking', 'Straße <&> "sign"', 'bicycle']);
    expect(back.dataset.project?.name).toBe('Streets <north> & "south"');
    const odd: Dataset = {
      classes: [{ name: 'a\\b "c" <d> & é 日本 🙂' }],
      images: [{ relativePath: 'x/"q" <&>\\ü.jpg', fileName: '"q" <&>\\ü.jpg', width: 10, height: 10, split: 'val' }],
      annotations: [{ image: 0, className: 'a\\b "c" <d> & é 日本 🙂', shape: { kind: 'box', x: 1, y: 1, w: 2, h: 2 }, attributes: { custom: { 'note "1"': 'a<b>&"c"' } } }],
    };
    const rt = roundTrip(odd);
    expect(rt.problems).toEqual([]);
    expect(rt.back.dataset.images[0]!.fileName).toBe('"q" <&>_ü.jpg');
    expect(rt.out.notes).toEqual([expect.objectContaining({ kind: 'changed', message: expect.stringMatching(/backslash/) })]);
    expect(rt.back.dataset.annotations[0]!.attributes).toEqual({ custom: { 'note "1"': 'a<b>&"c"' } });
  });

  it('writes every number with at most 2 decimals', () => {
    for (let seed = 1; seed <= 10; seed++) {
      for (const bytes of exportOf(randomDataset(seed)).files.values()) {
        const numbers = decodeText(bytes)
          .replace(/"(?:[^"\\]|\\.)*"/g, '""')
          .match(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi);
        for (const n of numbers ?? []) expect(n).toMatch(/^\d+(?:\.\d{1,2})?$/);
      }
    }
  });

  it('every bbox in a written file lies inside its image (pure helper)', () => {
    expect(bboxesOutsideImages({ images: [{ id: 1, file_name: 'a', width: 10, height: 10 }], annotations: [{ image_id: 1, bbox: [5, 5, 6, 1] }] } as unknown as CocoFile)).toHaveLength(1);
    for (const f of written(exportOf(goldenDataset())).values()) expect(bboxesOutsideImages(f)).toEqual([]);
    for (let seed = 1; seed <= 40; seed++) {
      for (const [path, f] of written(exportOf(randomDataset(seed)))) expect(bboxesOutsideImages(f), `seed ${seed} ${path}`).toEqual([]);
    }
  });

  it('writes flags and custom attributes in an attributes object, iscrowd 1 for a crowd region', () => {
    const d: Dataset = {
      classes: [{ name: 'car' }],
      images: [{ relativePath: 'a.jpg', fileName: 'a.jpg', width: 100, height: 100, split: 'unassigned' }],
      annotations: [
        { image: 0, className: 'car', shape: { kind: 'box', x: 1, y: 1, w: 5, h: 5 }, attributes: { occluded: false, truncated: true, difficult: true, custom: { color: 'red', parked: true } } },
        { image: 0, className: 'car', shape: { kind: 'box', x: 1, y: 1, w: 5, h: 5 }, attributes: { iscrowd: true } },
      ],
    };
    const out = exportOf(d);
    const f = written(out).get('annotations/instances_default.json')!;
    expect(f.annotations[0]!.attributes).toEqual({ occluded: false, truncated: true, difficult: true, color: 'red', parked: true });
    expect(f.annotations[1]!.iscrowd).toBe(1);
    expect(f.annotations[1]!.attributes).toBeUndefined();
    const back = coco.parse({ files: out.files, images: [] });
    expect(back.dataset.annotations.map((a) => a.attributes)).toEqual(d.annotations.map((a) => a.attributes));
  });
});

// ---------------------------------------------------------------------------------------------
// Round trip

describe('COCO boxes for mask training (cocoBoxSegmentation)', () => {
  it('writes [] by default and the 4 corners, clockwise from the top-left, with "corners"', () => {
    const d = goldenDataset();
    const empty = written(exportOf(d)).get('annotations/instances_train.json')!.annotations[0]!;
    expect(empty.segmentation).toEqual([]);
    const corners = written(coco.serialize(prepared(d), { ...GOLDEN_OPTIONS, cocoBoxSegmentation: 'corners' })).get('annotations/instances_train.json')!.annotations[0]!;
    expect(corners.bbox).toEqual([10.25, 20.5, 100, 50.75]);
    expect(corners.segmentation).toEqual([[10.25, 20.5, 110.25, 20.5, 110.25, 71.25, 10.25, 71.25]]);
    expect(corners.area).toBeCloseTo(100 * 50.75, 6);
  });

  it('reads either back as boxes (the golden dataset and random ones), polygons staying polygons', () => {
    for (const options of [{}, { cocoBoxSegmentation: 'corners' as const }]) {
      const rt = roundTrip(goldenDataset(), [], options);
      expect(rt.problems).toEqual([]);
      expect(rt.back.dataset.annotations.map((a) => a.shape.kind)).toEqual(rt.written.annotations.map((a) => a.shape.kind));
      for (let seed = 1; seed <= 20; seed++) expect(roundTrip(randomDataset(seed), [], options).problems, `seed ${seed}`).toEqual([]);
    }
  });

  it('reads a segmentation on the bbox corners (any start, either direction) as a box, once noted per file; other polygons stay polygons', () => {
    const bbox = [10, 20, 30, 40];
    const r = coco.parse(
      input({
        'instances_default.json': cocoDoc({
          images: [{ id: 1, file_name: 'a.jpg', width: 100, height: 100 }],
          annotations: [
            ann({ id: 1, bbox, segmentation: [[10, 20, 40, 20, 40, 60, 10, 60]] }),
            ann({ id: 2, bbox, segmentation: [[40, 60, 40, 20, 10, 20, 10, 60]] }),
            ann({ id: 3, bbox, segmentation: [[10, 20, 40, 20, 40, 60, 11, 60]] }),
            ann({ id: 4, bbox, segmentation: [[10, 20, 40, 20, 40, 60, 10, 60], [0, 0, 5, 0, 5, 5]] }),
          ],
        }),
      }),
    );
    expect(r.dataset.annotations.map((a) => a.shape.kind)).toEqual(['box', 'box', 'polygon', 'polygon', 'polygon']);
    expect(r.dataset.annotations[0]!.shape).toEqual({ kind: 'box', x: 10, y: 20, w: 30, h: 40 });
    expect(r.diagnostics.filter((d) => /4 corners of its bbox/.test(d.message))).toEqual([
      expect.objectContaining({ severity: 'info', file: 'instances_default.json', field: 'annotations[0].segmentation', message: '2 annotations whose segmentation is the 4 corners of its bbox (a box written for mask training): read as boxes' }),
    ]);
  });
});

describe('COCO round trip', () => {
  it('reads the golden export back as written', () => {
    const rt = roundTrip(goldenDataset());
    expect(rt.problems).toEqual([]);
    expect(rt.back.diagnostics).toEqual([]);
    expect(rt.back.dataset.images.map((i) => [i.relativePath, i.split, i.width, i.height])).toEqual([
      ['frame_001.jpg', 'train', 640, 480],
      ['frame_001_2.jpg', 'train', 320, 240],
      ['empty road.png', 'val', 800, 600],
      ['crossing.jpg', 'val', 1024, 768],
    ]);
    expect(rt.back.dataset.annotations.map((a) => a.attributes)).toEqual(rt.written.annotations.map((a) => a.attributes));
  });

  it('reads the golden export back with the images in the archive (sizes and SHA-256 from them)', () => {
    const out = exportOf(goldenDataset());
    const images = out.imagePaths.map((path, i) => ({ path, width: goldenDataset().images[i]!.width, height: goldenDataset().images[i]!.height, sha256: String(i).repeat(64) }));
    const rt = roundTrip(goldenDataset(), images);
    expect(rt.problems).toEqual([]);
    expect(rt.back.dataset.images.map((i) => i.sha256)).toEqual(['0', '1', '2', '3'].map((c) => c.repeat(64)));
  });

  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('reads random dataset %i back as written', (seed) => {
    const rt = roundTrip(randomDataset(seed));
    expect(rt.problems).toEqual([]);
    expect(rt.back.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expectSoundParse(rt.back, COCO_SOUNDNESS);
  });

  it('keeps apart the same file name in two splits', () => {
    const d: Dataset = {
      classes: [{ name: 'car' }],
      images: [
        { relativePath: 'day/x.jpg', fileName: 'x.jpg', width: 100, height: 100, split: 'train' },
        { relativePath: 'night/x.jpg', fileName: 'x.jpg', width: 50, height: 50, split: 'val' },
        { relativePath: 'y.jpg', fileName: 'y.jpg', width: 50, height: 50, split: 'val' },
      ],
      annotations: [
        { image: 0, className: 'car', shape: { kind: 'box', x: 60, y: 60, w: 30, h: 30 }, attributes: {} },
        { image: 1, className: 'car', shape: { kind: 'box', x: 1, y: 1, w: 3, h: 3 }, attributes: {} },
      ],
    };
    const rt = roundTrip(d);
    expect(rt.out.imageRefs).toEqual(['images/train/x.jpg', 'images/val/x.jpg', 'y.jpg']);
    expect(rt.problems).toEqual([]);
    expect(rt.back.dataset.images.map((i) => i.relativePath)).toEqual(['images/train/x.jpg', 'images/val/x.jpg', 'y.jpg']);
    expect(has(rt.back, 'info', 'images[0].file_name', /more than one instances file/)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Import variants

describe('COCO import', () => {
  it('trap: annotation id 0 and duplicate ids are accepted, with one info', () => {
    const r = coco.parse(input({ 'instances_default.json': cocoDoc({ annotations: [ann({ id: 0 }), ann({ id: 5 }), ann({ id: 5 }), ann({ id: undefined })] }) }));
    expect(r.dataset.annotations).toHaveLength(4);
    expect(r.diagnostics).toEqual([{ severity: 'info', file: 'instances_default.json', field: 'annotations[0].id', message: expect.stringMatching(/^3 annotations with id 0, no id or an id used before/) }]);
  });

  it('maps category ids that are not 1..K by id; classes in category order, unused ones too', () => {
    const doc = cocoDoc({
      categories: [
        { id: 17, name: 'dog' },
        { id: 3, name: 'cat' },
        { id: 99, name: 'bird' },
      ],
      annotations: [ann({ category_id: 3 }), ann({ id: 2, category_id: 17 })],
    });
    const r = coco.parse(input({ 'annotations/instances_train.json': doc }));
    expect(r.dataset.classes.map((c) => c.name)).toEqual(['dog', 'cat', 'bird']);
    expect(r.dataset.annotations.map((a) => a.className)).toEqual(['cat', 'dog']);
    expect(r.diagnostics).toEqual([]);
  });

  it('trap: a _background_ category is no class and its annotations are skipped', () => {
    const doc = cocoDoc({
      categories: [
        { id: 0, name: '_background_' },
        { id: 1, name: 'car' },
      ],
      annotations: [ann({ category_id: 0 }), ann({ id: 2 })],
    });
    const r = coco.parse(input({ 'instances_default.json': doc }));
    expect(r.dataset.classes).toEqual([{ name: 'car' }]);
    expect(r.dataset.annotations).toHaveLength(1);
    expect(has(r, 'info', 'categories[0]', /background placeholder/)).toBe(true);
    expect(has(r, 'error', 'annotations[0].category_id', /background category/)).toBe(true);
  });

  it('trap: a real category with id 0 (0-based converters) is a class, with an info', () => {
    const doc = cocoDoc({ categories: [{ id: 0, name: 'person' }], annotations: [ann({ category_id: 0 })] });
    const r = coco.parse(input({ 'x.json': doc }));
    expect(r.dataset.classes).toEqual([{ name: 'person' }]);
    expect(r.dataset.annotations).toHaveLength(1);
    expect(has(r, 'info', 'categories[0].id', /id 0/)).toBe(true);
  });

  it('merges categories across split files and across spellings', () => {
    const r = coco.parse(
      input({
        'annotations/instances_train.json': cocoDoc({ categories: [{ id: 1, name: 'Car' }, { id: 2, name: 'bus' }] }),
        'annotations/instances_val.json': cocoDoc({ categories: [{ id: 1, name: 'car' }, { id: 2, name: 'tram' }], images: [{ id: 1, file_name: 'b.jpg', width: 10, height: 10 }] }),
      }),
    );
    expect(r.dataset.classes.map((c) => c.name)).toEqual(['Car', 'bus', 'tram']);
    expect(has(r, 'info', 'categories[0].name', /read as the class "Car"/)).toBe(true);
  });

  it('trap: an RLE crowd mask is reported and imported as its bbox with the iscrowd attribute', () => {
    const doc = cocoDoc({ annotations: [ann({ iscrowd: 1, segmentation: { counts: [5, 10, 20], size: [50, 100] }, bbox: [0, 5, 1, 10] })] });
    const r = coco.parse(input({ 'instances_default.json': doc }));
    expect(r.dataset.annotations).toEqual([{ image: 0, className: 'car', shape: { kind: 'box', x: 0, y: 5, w: 1, h: 10 }, attributes: { iscrowd: true } }]);
    expect(has(r, 'warning', 'annotations[0].segmentation', /RLE mask .*Tally holds no masks.*bbox/)).toBe(true);
  });

  it('an RLE mask without a usable bbox: the mask bounds (uncompressed and compressed counts); unreadable → error', () => {
    // 4 rows × 3 columns, column-major: rows 1–3 of columns 1 and 2; a run from row 3 of column 0 to row 0 of column 1.
    const counts = [5, 3, 1, 3];
    expect(rleBounds({ counts, size: [4, 3] })).toEqual({ kind: 'box', x: 1, y: 1, w: 2, h: 3 });
    expect(rleBounds({ counts: [3, 2, 7], size: [4, 3] })).toEqual({ kind: 'box', x: 0, y: 0, w: 2, h: 4 });
    expect(rleBounds({ counts: [4, 2, 6], size: [4, 3] })).toEqual({ kind: 'box', x: 1, y: 0, w: 1, h: 2 });
    expect(rleBounds({ counts: encodeCounts(counts), size: [4, 3] })).toEqual(rleBounds({ counts, size: [4, 3] }));
    expect(decodeRleCounts(encodeCounts([0, 1000, 3, 70000, 12, 5]))).toEqual([0, 1000, 3, 70000, 12, 5]);
    expect(rleBounds({ counts: [5, 30], size: [4, 3] })).toBeNull();
    expect(rleBounds({ counts: [12], size: [4, 3] })).toBeNull();
    expect(rleBounds({ counts: '\u0001', size: [4, 3] })).toBeNull();
    const r = coco.parse(
      input({
        'instances_default.json': cocoDoc({
          annotations: [
            ann({ iscrowd: 1, segmentation: { counts: encodeCounts([105, 3]), size: [50, 100] }, bbox: undefined }),
            ann({ id: 2, iscrowd: 1, segmentation: { counts: 'not rle ~~', size: [50, 100] }, bbox: 'x' }),
          ],
        }),
      }),
    );
    expect(r.dataset.annotations.map((a) => a.shape)).toEqual([{ kind: 'box', x: 2, y: 5, w: 1, h: 3 }]);
    expect(has(r, 'warning', 'annotations[0].segmentation', /mask's bounds/)).toBe(true);
    expect(has(r, 'error', 'annotations[1].segmentation', /skipped an RLE mask/)).toBe(true);
  });

  it('a polygon in several parts becomes several polygons, with a warning', () => {
    const parts = [
      [1, 1, 10, 1, 10, 10],
      [20, 20, 30, 20, 30, 30, 20, 30],
    ];
    const r = coco.parse(input({ 'instances_default.json': cocoDoc({ annotations: [ann({ segmentation: parts })] }) }));
    expect(r.dataset.annotations.map((a) => a.shape)).toEqual(parts.map((points) => ({ kind: 'polygon', points })));
    expect(has(r, 'warning', 'annotations[0].segmentation', /2 parts/)).toBe(true);
  });

  it('reads a polygon segmentation as a polygon, an empty one as the bbox, a flat list as one polygon', () => {
    const r = coco.parse(
      input({
        'instances_default.json': cocoDoc({
          annotations: [ann({ segmentation: [[1, 1, 10, 1, 10, 10]] }), ann({ id: 2, segmentation: [] }), ann({ id: 3, segmentation: undefined }), ann({ id: 4, segmentation: [1, 1, 5, 1, 5, 5] })],
        }),
      }),
    );
    expect(r.dataset.annotations.map((a) => a.shape.kind)).toEqual(['polygon', 'box', 'box', 'polygon']);
    expect(has(r, 'info', 'annotations[3].segmentation', /flat list/)).toBe(true);
  });

  it('falls back to the bbox when no polygon part is usable', () => {
    const r = coco.parse(input({ 'instances_default.json': cocoDoc({ annotations: [ann({ segmentation: [[1, 1, 2, 2]] })] }) }));
    expect(r.dataset.annotations.map((a) => a.shape)).toEqual([{ kind: 'box', x: 1, y: 2, w: 10, h: 20 }]);
    expect(has(r, 'error', 'annotations[0].segmentation[0]', /at least 3/)).toBe(true);
    expect(has(r, 'warning', 'annotations[0].segmentation', /bbox was imported/)).toBe(true);
  });

  it('trap: file_name with folders is imported (and absolute paths keep their name)', () => {
    const doc = cocoDoc({
      images: [
        { id: 1, file_name: 'day/cam 1/frame.jpg', width: 100, height: 50 },
        { id: 2, file_name: 'C:\\data\\night.jpg', width: 100, height: 50 },
        { id: 3, file_name: '../up.jpg', width: 100, height: 50 },
      ],
      annotations: [ann({})],
    });
    const r = coco.parse(input({ 'annotations/instances_default.json': doc }));
    expect(r.dataset.images.map((i) => [i.relativePath, i.fileName])).toEqual([
      ['day/cam 1/frame.jpg', 'frame.jpg'],
      ['night.jpg', 'night.jpg'],
      ['up.jpg', 'up.jpg'],
    ]);
    expect(r.dataset.annotations).toHaveLength(1);
    expect(has(r, 'info', 'images[1].file_name', /absolute/)).toBe(true);
    expect(has(r, 'info', 'images[2].file_name', /above/)).toBe(true);
  });

  it('accepts missing area and iscrowd', () => {
    const r = coco.parse(input({ 'instances_default.json': cocoDoc({ annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 2, 3, 4] }] }) }));
    expect(r.dataset.annotations).toHaveLength(1);
    expect(r.diagnostics).toEqual([]);
  });

  it('takes sizes from the file, else the image file in the source, else sizeOf; 0 and an info when unknown', () => {
    const doc = cocoDoc({
      images: [
        { id: 1, file_name: 'a.jpg', width: 100, height: 50 },
        { id: 2, file_name: 'b.jpg' },
        { id: 3, file_name: 'c.jpg', width: 0, height: 0 },
        { id: 4, file_name: 'd.jpg', width: null },
        { id: 5, file_name: 'e.jpg', width: 'wide', height: 10 },
      ],
    });
    const images = [
      { path: 'images/train/a.jpg', width: 90, height: 50 },
      { path: 'images/train/b.jpg', width: 30, height: 20, sha256: 'f'.repeat(64) },
    ];
    const sizeOf = (p: string): { width: number; height: number } | undefined => (p === 'c.jpg' ? { width: 7, height: 8 } : undefined);
    const r = coco.parse(input({ 'annotations/instances_train.json': doc }, images, sizeOf));
    expect(r.dataset.images.map((i) => [i.relativePath, i.width, i.height, i.split])).toEqual([
      ['a.jpg', 100, 50, 'train'],
      ['b.jpg', 30, 20, 'train'],
      ['c.jpg', 7, 8, 'train'],
      ['d.jpg', 0, 0, 'train'],
      ['e.jpg', 0, 0, 'train'],
    ]);
    expect(r.dataset.images[1]!.sha256).toBe('f'.repeat(64));
    expect(has(r, 'warning', 'images[0].width', /says the image is 100×50 but images\/train\/a\.jpg is 90×50/)).toBe(true);
    expect(has(r, 'info', 'images[3]', /size of d\.jpg is unknown/)).toBe(true);
    expect(has(r, 'warning', 'images[4].width', /not positive numbers/)).toBe(true);
  });

  it('finds image files in real COCO, CVAT and Roboflow layouts', () => {
    const one = cocoDoc({ images: [{ id: 1, file_name: 'x.jpg' }] });
    const cases: [string, string][] = [
      ['annotations/instances_val2017.json', 'val2017/x.jpg'],
      ['annotations/instances_default.json', 'images/x.jpg'],
      ['valid/_annotations.coco.json', 'valid/x.jpg'],
    ];
    for (const [json, image] of cases) {
      const r = coco.parse(input({ [json]: one }, [{ path: image, width: 11, height: 12 }]));
      expect(r.dataset.images.map((i) => [i.width, i.height]), json).toEqual([[11, 12]]);
    }
  });

  it('reads splits from instances_<split>.json, train2017 and Roboflow folders', () => {
    const files: Record<string, unknown> = {
      'annotations/instances_train2017.json': cocoDoc({ images: [{ id: 1, file_name: 'a.jpg', width: 1, height: 1 }] }),
      'annotations/instances_val.json': cocoDoc({ images: [{ id: 1, file_name: 'b.jpg', width: 1, height: 1 }] }),
      'test/_annotations.coco.json': cocoDoc({ images: [{ id: 1, file_name: 'c.jpg', width: 1, height: 1 }] }),
      'annotations/instances_default.json': cocoDoc({ images: [{ id: 1, file_name: 'd.jpg', width: 1, height: 1 }] }),
      'labels.json': cocoDoc({ images: [{ id: 1, file_name: 'e.jpg', width: 1, height: 1 }] }),
    };
    const r = coco.parse(input(files));
    expect(r.dataset.images.map((i) => [i.relativePath, i.split])).toEqual([
      ['a.jpg', 'train'],
      ['b.jpg', 'val'],
      ['c.jpg', 'test'],
      ['d.jpg', 'unassigned'],
      ['e.jpg', 'unassigned'],
    ]);
  });

  it('ignores other JSON files (info) and the export manifest (silently)', () => {
    const r = coco.parse(input({ 'manifest.json': { format: 'coco' }, 'labelme/a.json': { shapes: [], imagePath: 'a.jpg' }, 'instances_default.json': cocoDoc() }));
    expect(r.dataset.images).toHaveLength(1);
    expect(r.diagnostics).toEqual([{ severity: 'info', file: 'labelme/a.json', message: expect.stringMatching(/not a COCO instances file/) }]);
  });

  it('reads attributes the way CVAT writes them (a number kept like text), says what it ignores, and warns about rotated boxes', () => {
    const r = coco.parse(input({ 'instances_default.json': cocoDoc({ annotations: [ann({ attributes: { occluded: false, rotation: 30, color: 'red', z: 3, score: 0.25, nested: { a: 1 } } })] }) }));
    expect(r.dataset.annotations[0]!.attributes).toEqual({ occluded: false, custom: { color: 'red', z: '3', score: '0.25' } });
    expect(has(r, 'info', 'annotations[0].attributes.nested', /not text, a number or true\/false: ignored/)).toBe(true);
    expect(has(r, 'warning', 'annotations[0].attributes.rotation', /rotated by 30°/)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Malformed input

describe('COCO import of malformed files', () => {
  it('reports invalid JSON with its file and line', () => {
    const r = coco.parse(input({ 'annotations/instances_train.json': '{\n  "images": [\n    {"id": 1,}\n  ]\n}' }));
    expect(r.diagnostics[0]).toEqual({ severity: 'error', file: 'annotations/instances_train.json', line: 3, message: expect.stringMatching(/not valid JSON/) });
    expect(r.diagnostics.some((d) => /no COCO instances file found/.test(d.message))).toBe(true);
  });

  it('reports an empty file and an empty source', () => {
    expect(coco.parse(input({ 'instances_default.json': '' })).diagnostics[0]).toEqual({ severity: 'error', file: 'instances_default.json', message: expect.stringMatching(/empty/) });
    expect(coco.parse(input({})).diagnostics).toEqual([{ severity: 'error', file: '(no files)', message: expect.stringMatching(/no COCO instances file/) }]);
  });

  it('reports unknown category_id and image_id by field', () => {
    const r = coco.parse(input({ 'instances_default.json': cocoDoc({ annotations: [ann({ category_id: 7 }), ann({ id: 2, image_id: 9 }), ann({ id: 3, image_id: undefined })] }) }));
    expect(r.dataset.annotations).toEqual([]);
    expect(has(r, 'error', 'annotations[0].category_id', /no category has id 7/)).toBe(true);
    expect(has(r, 'error', 'annotations[1].image_id', /no image in this file has id 9/)).toBe(true);
    expect(has(r, 'error', 'annotations[2].image_id', /no image_id/)).toBe(true);
  });

  it('reports NaN, negative and non-array bboxes by field', () => {
    const bboxes: unknown[] = ['1,2,3,4', [1, 2, 3], [1, 'NaN', 3, 4], [1, null, 3, 4], [5, 5, -3, 4], [-5, -5, 10, 10], undefined];
    const r = coco.parse(input({ 'instances_default.json': cocoDoc({ annotations: bboxes.map((bbox, k) => ann({ id: k + 1, bbox })) }) }));
    expect(r.dataset.annotations.map((a) => a.shape)).toEqual([{ kind: 'box', x: 0, y: 0, w: 5, h: 5 }]);
    expect(has(r, 'error', 'annotations[0].bbox', /not a list \[x, y, width, height\]/)).toBe(true);
    expect(has(r, 'error', 'annotations[1].bbox', /not a list/)).toBe(true);
    expect(has(r, 'error', 'annotations[2].bbox', /not numbers/)).toBe(true);
    expect(has(r, 'error', 'annotations[3].bbox', /not numbers/)).toBe(true);
    expect(has(r, 'error', 'annotations[4].bbox', /positive width and height/)).toBe(true);
    expect(has(r, 'warning', 'annotations[5].bbox', /cut at its edge/)).toBe(true);
    expect(has(r, 'error', 'annotations[6].bbox', /no polygon and no bbox/)).toBe(true);
  });

  it('reports wrong types and missing lists', () => {
    const r1 = coco.parse(input({ 'a.json': { images: 'x', categories: [{ id: 1, name: 'car' }], annotations: [ann({})] } }));
    expect(has(r1, 'error', 'images', /not a list/)).toBe(true);
    expect(has(r1, 'error', 'annotations', /1 annotation skipped: the file has no usable "images" list/)).toBe(true);
    const r2 = coco.parse(input({ 'a.json': { images: [{ id: 1, file_name: 'a.jpg' }], annotations: [ann({})] } }));
    expect(has(r2, 'error', 'categories', /no "categories" list/)).toBe(true);
    expect(r2.dataset.images).toHaveLength(1);
    const r3 = coco.parse(
      input({
        'a.json': cocoDoc({
          images: [5, { id: 1 }, { file_name: 'x.jpg' }, { id: 2, file_name: 'b.jpg' }, { id: 2, file_name: 'c.jpg' }],
          categories: ['car', { name: 'x' }, { id: 1, name: '' }, { id: 1, name: 'dup' }, { id: 2, name: 'a\nb' }],
          annotations: [null, ann({ image_id: 2, segmentation: 'poly', category_id: 2 })],
        }),
      }),
    );
    expect(has(r3, 'error', 'images[0]', /not an object/)).toBe(true);
    expect(has(r3, 'error', 'images[1].file_name', /without a file_name/)).toBe(true);
    expect(has(r3, 'error', 'images[2].id', /without an id/)).toBe(true);
    expect(has(r3, 'error', 'images[4].id', /already has id 2/)).toBe(true);
    expect(has(r3, 'error', 'categories[0]', /not an object/)).toBe(true);
    expect(has(r3, 'error', 'categories[1].id', /without an id/)).toBe(true);
    expect(has(r3, 'warning', 'categories[2].name', /no name: read as "category 1"/)).toBe(true);
    expect(has(r3, 'error', 'categories[3].id', /already has id 1/)).toBe(true);
    expect(has(r3, 'warning', 'categories[4].name', /replaced by spaces/)).toBe(true);
    expect(has(r3, 'error', 'annotations[0]', /not an object/)).toBe(true);
    expect(has(r3, 'warning', 'annotations[1].segmentation', /neither a polygon list nor an RLE mask/)).toBe(true);
    expect(r3.dataset.classes.map((c) => c.name)).toEqual(['category 1', 'a b']);
    expect(r3.dataset.annotations).toEqual([{ image: 0, className: 'a b', shape: { kind: 'box', x: 1, y: 2, w: 10, h: 20 }, attributes: {} }]);
    expectSoundParse(r3, COCO_SOUNDNESS);
  });

  it('lists at most 200 problems per file, then counts the rest', () => {
    const annotations = Array.from({ length: 500 }, (_, k) => ann({ id: k + 1, category_id: 42 }));
    const r = coco.parse(input({ 'instances_default.json': cocoDoc({ annotations }) }));
    expect(r.diagnostics).toHaveLength(201);
    expect(r.diagnostics[200]).toEqual({ severity: 'error', file: 'instances_default.json', message: '300 more problems in this file not listed' });
  });
});

// ---------------------------------------------------------------------------------------------
// detect, precision

describe('COCO detect', () => {
  it('is sure of instances files, fairly sure of any JSON with images and categories, not of others', () => {
    const files = (path: string, v: unknown): Map<string, Uint8Array> => new Map([[path, encodeText(typeof v === 'string' ? v : JSON.stringify(v))]]);
    expect(coco.detect(exportOf(goldenDataset()).files)).toBe(1);
    expect(coco.detect(files('train/_annotations.coco.json', cocoDoc()))).toBe(1);
    expect(coco.detect(files('labels.json', cocoDoc()))).toBe(0.9);
    expect(coco.detect(files('a.json', { shapes: [], imagePath: 'a.jpg' }))).toBe(0);
    expect(coco.detect(files('tally.json', { images: [], annotations: [], categories: [] }))).toBe(0);
    expect(coco.detect(files('a.txt', '0 0.5 0.5 0.1 0.1'))).toBe(0);
    expect(coco.detect(new Map())).toBe(0);
    // categories after megabytes of annotations (COCO 2017's key order)
    const big = `{"images": [], "annotations": [${Array.from({ length: 20000 }, (_, i) => `{"id": ${i + 1}}`).join(',')}], "categories": []}`;
    expect(coco.detect(files('big.json', big))).toBe(0.9);
  });

  it('has a precision of 1/100 px', () => {
    expect(coco.precision({ width: 10000, height: 10 })).toBe(0.01);
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzz

describe('COCO import never throws', () => {
  const golden = decodeText(exportOf(goldenDataset()).files.get('annotations/instances_train.json')!);
  const parseOne = (bytes: Uint8Array, path = 'annotations/instances_train.json'): ParseResult => coco.parse({ files: new Map([[path, bytes]]), images: [], sizeOf: () => undefined });

  it('on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => expectSoundParse(parseOne(bytes), COCO_SOUNDNESS)),
      { numRuns: 200 },
    );
  });

  it('on mutations of a valid export (truncation, byte flips, deleted and duplicated lines)', () => {
    const lines = golden.split('\n');
    const mutation = fc.oneof(
      fc.nat({ max: golden.length }).map((n) => golden.slice(0, n)),
      fc.array(fc.tuple(fc.nat({ max: golden.length - 1 }), fc.integer({ min: 32, max: 126 })), { minLength: 1, maxLength: 8 }).map((flips) => {
        const chars = [...golden];
        for (const [i, c] of flips) if (i < chars.length) chars[i] = String.fromCharCode(c);
        return chars.join('');
      }),
      fc.nat({ max: lines.length - 1 }).map((i) => lines.filter((_, k) => k !== i).join('\n')),
      fc.nat({ max: lines.length - 1 }).map((i) => lines.flatMap((l, k) => (k === i ? [l, l] : [l])).join('\n')),
    );
    fc.assert(
      fc.property(mutation, (text) => expectSoundParse(parseOne(encodeText(text)), COCO_SOUNDNESS)),
      { numRuns: 200 },
    );
  });

  it('on structurally valid JSON with random values in every field', () => {
    const any = fc.jsonValue({ maxDepth: 2 });
    const num = fc.oneof(fc.double(), fc.integer({ min: -5, max: 120 }), any);
    const id = fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constantFrom('1', '2', ''), any);
    const segmentation = fc.oneof(
      fc.array(fc.array(num, { maxLength: 10 }), { maxLength: 3 }),
      fc.array(fc.integer({ min: -10, max: 200 }), { maxLength: 10 }),
      fc.record({ counts: fc.oneof(fc.string(), fc.array(fc.nat(60), { maxLength: 8 })), size: fc.array(fc.nat(12), { maxLength: 3 }) }),
      any,
    );
    const annotation = fc.record(
      { id, image_id: id, category_id: id, bbox: fc.oneof(fc.array(num, { maxLength: 5 }), any), segmentation, iscrowd: fc.oneof(fc.constantFrom(0, 1), any), attributes: any },
      { requiredKeys: [] },
    );
    const image = fc.record(
      { id, file_name: fc.oneof(fc.constantFrom('a.jpg', 'b/c.png', '../x.jpg', 'C:\\y.jpg', '', '/'), any), width: num, height: num },
      { requiredKeys: [] },
    );
    const category = fc.record({ id, name: fc.oneof(fc.constantFrom('car', 'Car', '_background_', '', ' x '), fc.string(), any) }, { requiredKeys: [] });
    const doc = fc.record(
      { images: fc.oneof(fc.array(image, { maxLength: 4 }), any), categories: fc.oneof(fc.array(category, { maxLength: 4 }), any), annotations: fc.oneof(fc.array(annotation, { maxLength: 8 }), any) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(doc, fc.constantFrom('instances_train.json', 'a/annotations/instances_val.json', 'x.json'), (d, path) => expectSoundParse(parseOne(encodeText(JSON.stringify(d)), path))),
      { numRuns: 200 },
    );
  }, HEAVY_TEST_MS);
});

/** pycocotools' rleToString (maskApi.c), to test the decoder against. */
function encodeCounts(counts: readonly number[]): string {
  let s = '';
  counts.forEach((c, i) => {
    let x = i > 2 ? c - counts[i - 2]! : c;
    let more = true;
    while (more) {
      let ch = x & 0x1f;
      x >>= 5;
      more = (ch & 0x10) !== 0 ? x !== -1 : x !== 0;
      if (more) ch |= 0x20;
      s += String.fromCharCode(ch + 48);
    }
  });
  return s;
}
