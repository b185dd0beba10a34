import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Shape, Split } from '../core/model';
import { GOLDEN_OPTIONS, goldenDataset } from '../test-support/datasets';
import { mulberry32 } from '../core/prng';
import { compareDatasets } from './shared/compare';
import { PathIndex } from './shared/pathIndex';
import { prepareExport } from './shared/prepare';
import { decodeText } from './shared/text';
import type { Dataset, DatasetAnnotation, DatasetClass, DatasetImage, Format, SerializeResult, Size } from './types';
import { yolo, yoloSeg } from './yolo';
import { encodeSpan } from './yolo/rows';
import { yamlString } from './yolo/write';
import { readTree } from '../test-support/formatChecks';
import { HEAVY_TEST_MS } from '../test-support/heavy';

const GOLDEN = (id: string): string => fileURLToPath(new URL(`./__golden__/${id}/`, import.meta.url));
const FORMATS = [yolo, yoloSeg] as const;
const NO_IMAGES = { ...GOLDEN_OPTIONS, includeImages: false };


const texts = (r: SerializeResult): Map<string, string> => new Map([...r.files].map(([k, v]) => [k, decodeText(v)]));

/** What the app's export verification does (exchange/exportArchive.ts verifyArchive), minus the zip. */
function verify(f: Format, d: Dataset, includeImages: boolean): { problems: string[]; written: Dataset; out: SerializeResult; errors: string[] } {
  const written = prepareExport(d, f.shapes).dataset;
  const out = f.serialize(written, { ...GOLDEN_OPTIONS, includeImages });
  const sizes = new PathIndex<Size>();
  written.images.forEach((img, i) => {
    sizes.add(out.imagePaths[i]!, img);
    if (out.imageRefs[i] !== out.imagePaths[i]) sizes.add(out.imageRefs[i]!, img);
  });
  const parsed = f.parse({
    files: out.files,
    images: includeImages ? written.images.map((img, i) => ({ path: out.imagePaths[i]!, width: img.width, height: img.height })) : [],
    sizeOf: (p) => {
      const m = sizes.find(p);
      return m.kind === 'found' ? m.value : undefined;
    },
  });
  const errors = parsed.diagnostics.filter((x) => x.severity !== 'info').map((x) => `${x.file}:${x.line ?? ''} ${x.message}`);
  return { problems: compareDatasets(written, parsed.dataset, out.imageRefs, f.precision), written, out, errors };
}

/** Every number of every label row, as whole millionths (exact), with the row's token count. */
function rowsOf(out: SerializeResult): { file: string; n: number; micro: number[]; raw: string[] }[] {
  const rows: { file: string; n: number; micro: number[]; raw: string[] }[] = [];
  for (const [file, text] of texts(out)) {
    if (!file.endsWith('.txt')) continue;
    for (const line of text.split('\n').filter((l) => l !== '')) {
      const [, ...vals] = line.split(' ');
      rows.push({ file, n: vals.length, micro: vals.map((v) => Math.round(Number(v) * 1e6)), raw: vals });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// A seeded random dataset: names with YAML and XML trouble, clashing stems, shapes reaching out.

const NAME_PARTS = ['car', 'Person', 'a: b', '# tag', "it's", 'say "hi"', 'x, y', 'Straße', '<&>', 'yes', 'null', '1', '- dash', '[br]', '{b}', '*star', '&anchor', '!tag', '%pct', '@at', '`tick', '|pipe', '>gt', '?q', '🚗 auto', 'été', '東京', 'back\\slash', 'tab\tless'.replace('\t', ' '), '0x1F', '1e3', '~'];

function randomDataset(seed: number): Dataset {
  const r = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const classes: DatasetClass[] = [];
  const keys = new Set<string>();
  for (let i = int(1, 6); i > 0; i--) {
    const name = r() < 0.5 ? pick(NAME_PARTS) : `${pick(NAME_PARTS)} ${pick(NAME_PARTS)}`;
    const key = name.normalize('NFKC').toLocaleLowerCase('en');
    if (keys.has(key)) continue;
    classes.push({ name });
    keys.add(key);
  }
  const noSplits = r() < 0.2;
  const images: DatasetImage[] = [];
  for (let i = int(1, 8); i > 0; i--) {
    const stem = pick(['a', 'A', 'img', 'b.c', 'frame_001', 'x y', 'ä']);
    const fileName = `${stem}${pick(['.jpg', '.png', '.JPG', ''])}`;
    const split: Split = noSplits ? 'unassigned' : pick(['train', 'train', 'val', 'test', 'unassigned'] as const);
    images.push({ relativePath: `${pick(['', 'd/', 'e/f/'])}${fileName}`, fileName, width: int(1, 5000), height: int(1, 5000), split });
  }
  const annotations: DatasetAnnotation[] = [];
  for (let i = int(0, 25); i > 0; i--) {
    const image = int(0, images.length - 1);
    const { width: W, height: H } = images[image]!;
    const className = pick(classes).name;
    let shape: Shape;
    if (r() < 0.5) {
      const x = (r() * 1.4 - 0.2) * W;
      const y = (r() * 1.4 - 0.2) * H;
      shape = { kind: 'box', x: Math.round(x * 100) / 100, y: Math.round(y * 100) / 100, w: Math.max(0.01, Math.round(r() * W * 50) / 100), h: Math.max(0.01, Math.round(r() * H * 50) / 100) };
    } else {
      const cx = (r() * 1.2 - 0.1) * W;
      const cy = (r() * 1.2 - 0.1) * H;
      const n = int(3, 9);
      const points: number[] = [];
      for (let k = 0; k < n; k++) {
        const a = (2 * Math.PI * k) / n;
        const rad = (0.2 + r()) * 0.2 * Math.min(W, H) + 1;
        points.push(Math.round((cx + rad * Math.cos(a)) * 100) / 100, Math.round((cy + rad * Math.sin(a)) * 100) / 100);
      }
      shape = { kind: 'polygon', points };
    }
    annotations.push({ image, className, shape, attributes: {} });
  }
  return { classes, images, annotations };
}

// ---------------------------------------------------------------------------------------------

describe.each(FORMATS)('$label export', (f) => {
  it('writes the golden files byte for byte', () => {
    const out = f.serialize(prepareExport(goldenDataset(), f.shapes).dataset, GOLDEN_OPTIONS);
    const got = texts(out);
    const dir = GOLDEN(f.id);
    if (process.env.UPDATE_GOLDEN) {
      for (const [k, v] of got) {
        mkdirSync(dirname(join(dir, k)), { recursive: true });
        writeFileSync(join(dir, k), v);
      }
    }
    const golden = readTree(dir);
    expect([...got.keys()].sort()).toEqual([...golden.keys()].sort());
    for (const [k, v] of got) expect(v, k).toBe(golden.get(k));
    // Both frame_001.jpg are in train: the second is renamed, its label file with it.
    expect(out.imagePaths).toEqual(['images/train/frame_001.jpg', 'images/train/frame_001_2.jpg', 'images/val/empty road.png', 'images/val/crossing.jpg']);
    expect(out.imageRefs).toEqual(out.imagePaths);
    expect(out.notes).toEqual([{ kind: 'changed', image: 'night/frame_001.jpg', message: 'renamed to frame_001_2.jpg: another image in the same folder is already called frame_001.jpg' }]);
  });

  it.each([true, false])('reads the golden dataset back as written (images included: %s)', (includeImages) => {
    const { problems, errors } = verify(f, goldenDataset(), includeImages);
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('without images, gives each image its folder and stem (the label file cannot say the extension)', () => {
    const out = f.serialize(prepareExport(goldenDataset(), f.shapes).dataset, NO_IMAGES);
    expect(out.imageRefs).toEqual(['images/train/frame_001', 'images/train/frame_001_2', 'images/val/empty road', 'images/val/crossing']);
    expect(out.imagePaths[1]).toBe('images/train/frame_001_2.jpg');
  });

  it('round-trips 200 seeded random datasets, with and without images', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const d = randomDataset(seed);
      for (const includeImages of [true, false]) {
        const { problems, errors } = verify(f, d, includeImages);
        expect(problems, `seed ${seed}`).toEqual([]);
        expect(errors, `seed ${seed}`).toEqual([]);
      }
    }
  }, HEAVY_TEST_MS);

  it('trap: values outside [0, 1] after clipping are never written (nor box corners cx ± w/2)', () => {
    const d: Dataset = {
      classes: [{ name: 'c' }],
      images: [
        { relativePath: 'a.jpg', fileName: 'a.jpg', width: 3, height: 7, split: 'train' },
        { relativePath: 'b.jpg', fileName: 'b.jpg', width: 4999, height: 1, split: 'val' },
      ],
      annotations: [
        { image: 0, className: 'c', shape: { kind: 'box', x: -5, y: -1e-12, w: 100, h: 7 + 2e-12 }, attributes: {} },
        { image: 0, className: 'c', shape: { kind: 'box', x: 0.1 / 3, y: 1, w: 2.9, h: 5.99999999 }, attributes: {} },
        { image: 0, className: 'c', shape: { kind: 'polygon', points: [-1, -1, 4, 0.5, 2.5, 9] }, attributes: {} },
        { image: 1, className: 'c', shape: { kind: 'box', x: 4998.9999, y: 0.9999999, w: 0.00005, h: 0.0000001 }, attributes: {} },
        { image: 1, className: 'c', shape: { kind: 'box', x: 1e-9, y: 0, w: 1e-9, h: 1 }, attributes: {} },
        { image: 1, className: 'c', shape: { kind: 'polygon', points: [0, 0, 4999.0000001, 0, 4999, 1.0000000001] }, attributes: {} },
      ],
    };
    for (const f2 of FORMATS) {
      for (const data of [prepareExport(d, f2.shapes).dataset, { ...d, annotations: d.annotations.filter((a) => a.shape.kind === 'box' && a.image === 1) }]) {
        const out = f2.serialize(data, GOLDEN_OPTIONS);
        const rows = rowsOf(out);
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          for (const v of row.raw) expect(Number(v) >= 0 && Number(v) <= 1, `${row.file}: ${row.raw.join(' ')}`).toBe(true);
          if (row.n === 4) {
            const [cx, cy, w, h] = row.micro as [number, number, number, number];
            for (const [c, s] of [[cx, w], [cy, h]] as const) {
              expect(2 * c - s).toBeGreaterThanOrEqual(0);
              expect(2 * c + s).toBeLessThanOrEqual(2e6);
              expect(s).toBeGreaterThan(0);
            }
          }
        }
      }
    }
    expect(verify(yolo, d, true).problems).toEqual([]);
    expect(verify(yoloSeg, d, false).problems).toEqual([]);
  });

  it('trap: mixed YOLO rows — the export never mixes boxes and polygons in a file', () => {
    const d = goldenDataset();
    for (const data of [prepareExport(d, f.shapes).dataset, d]) {
      const out = f.serialize(data, GOLDEN_OPTIONS);
      for (const row of rowsOf(out)) {
        if (f.shapes === 'boxes') expect(row.n).toBe(4);
        else expect(row.n >= 6 && row.n % 2 === 0).toBe(true);
      }
    }
    // Unprepared input (a box in a segmentation export, a polygon in a detection one) is converted, and said.
    const raw = f.serialize(d, GOLDEN_OPTIONS);
    expect(raw.notes.some((n) => n.message.includes('so that no label file mixes boxes and polygons'))).toBe(true);
  });

  it('trap: data.yaml has train and val — val points at train, with a note, when there is no val split; no path: key', () => {
    const d = goldenDataset();
    const trainOnly: Dataset = { ...d, images: d.images.map((i) => ({ ...i, split: 'train' })) };
    const out = f.serialize(prepareExport(trainOnly, f.shapes).dataset, GOLDEN_OPTIONS);
    const yaml = texts(out).get('data.yaml')!;
    expect(yaml.split('\n').slice(0, 3)).toEqual(['train: images/train', 'val: images/train', 'names:']);
    expect(yaml).not.toMatch(/^path:/m);
    expect(out.notes.some((n) => n.kind === 'changed' && n.message.startsWith('data.yaml: no image is in the val split, so val: points at images/train'))).toBe(true);
    expect(verify(f, trainOnly, true).problems).toEqual([]);

    const golden = texts(f.serialize(prepareExport(d, f.shapes).dataset, GOLDEN_OPTIONS)).get('data.yaml')!;
    expect(golden).toMatch(/^train: images\/train\nval: images\/val\n/);
    expect(golden).not.toMatch(/^path:/m);
    expect(golden).not.toMatch(/^test:/m);
  });

  it('trap: data.yaml has no integer nc: key (Datumaro, CVAT\'s importer, crashes on it; Ultralytics counts names)', () => {
    const yaml = texts(f.serialize(prepareExport(goldenDataset(), f.shapes).dataset, GOLDEN_OPTIONS)).get('data.yaml')!;
    expect(yaml).not.toMatch(/^nc:/m);
    const read = parseYaml(yaml) as Record<string, unknown>;
    expect(Object.keys(read)).toEqual(['train', 'val', 'names']);
    expect(Object.keys(read.names as object)).toHaveLength(4);
  });

  it('writes test: when a test split is present, and train: at another split when train is empty (noted)', () => {
    const d = goldenDataset();
    const valTest: Dataset = { ...d, images: d.images.map((i, k) => ({ ...i, split: k < 2 ? 'test' : 'val' })) };
    const out = f.serialize(prepareExport(valTest, f.shapes).dataset, GOLDEN_OPTIONS);
    expect(texts(out).get('data.yaml')!.split('\n').slice(0, 3)).toEqual(['train: images/val', 'val: images/val', 'test: images/test']);
    expect(out.notes.some((n) => n.message === 'data.yaml: no image is in the train split, so train: points at images/val')).toBe(true);
    expect(verify(f, valTest, true).problems).toEqual([]);
  });

  it('writes images without a split (when none has one) to train, and says so', () => {
    const d = goldenDataset();
    const none: Dataset = { ...d, images: d.images.map((i) => ({ ...i, split: 'unassigned' })) };
    const out = f.serialize(prepareExport(none, f.shapes).dataset, GOLDEN_OPTIONS);
    expect(out.imagePaths.every((p) => p.startsWith('images/train/'))).toBe(true);
    expect([...out.files.keys()].filter((k) => k !== 'data.yaml').every((k) => k.startsWith('labels/train/'))).toBe(true);
    expect(out.notes.some((n) => n.message === '4 images without a split written to the train folders (a YOLO dataset needs a train set)')).toBe(true);
    expect(verify(f, none, false).problems).toEqual([]);
  });

  it('trap: names with quotes, colons, commas, unicode, < and & survive a YAML round trip (YAML 1.2 and 1.1)', () => {
    const names = [...NAME_PARTS.filter((n) => n !== 'car'), 'on', 'Off', 'True', 'Nil', 'y', 'n', '.inf', '2001-12-14', '12:30', 'a #b', 'c:', ' lead', 'trail ', '"', "'", '\\', 'person, walking', 'Straße <&> "sign"', 'car'];
    const d: Dataset = { classes: names.map((name) => ({ name })), images: [], annotations: [] };
    const yaml = texts(f.serialize(d, GOLDEN_OPTIONS)).get('data.yaml')!;
    for (const version of ['1.2', '1.1'] as const) {
      const read = parseYaml(yaml, { version }) as { names: Record<string, unknown> };
      expect(Object.keys(read.names).map(Number)).toEqual(names.map((_, i) => i));
      expect(Object.values(read.names)).toEqual(names);
    }
    const back = f.parse({ files: f.serialize(d, GOLDEN_OPTIONS).files, images: [] });
    expect(back.dataset.classes.map((c) => c.name)).toEqual(names.map((n) => n.trim()));
    expect(yamlString('car')).toBe('car');
    expect(yamlString('traffic light')).toBe('traffic light');
    expect(yamlString('yes')).toBe('"yes"');
    expect(yamlString('a\u2028b\u0085')).toBe('"a\\u2028b\\u0085"');
  });

  it('trap: label file stems are unique per split (a.jpg and a.png), not across splits', () => {
    const img = (fileName: string, split: Split, dir = ''): DatasetImage => ({ relativePath: `${dir}${fileName}`, fileName, width: 10, height: 10, split });
    const d: Dataset = {
      classes: [{ name: 'c' }],
      images: [img('a.jpg', 'train'), img('a.png', 'train'), img('A.jpeg', 'train', 'x/'), img('a.jpg', 'val'), img('a_2.png', 'train')],
      annotations: [0, 1, 2, 3, 4].map((image) => ({ image, className: 'c', shape: { kind: 'box', x: image, y: 0, w: 1, h: 1 }, attributes: {} })),
    };
    const out = f.serialize(prepareExport(d, f.shapes).dataset, GOLDEN_OPTIONS);
    expect(out.imagePaths).toEqual(['images/train/a.jpg', 'images/train/a_2.png', 'images/train/A_3.jpeg', 'images/val/a.jpg', 'images/train/a_2_2.png']);
    expect([...out.files.keys()].sort()).toEqual(['data.yaml', 'labels/train/A_3.txt', 'labels/train/a.txt', 'labels/train/a_2.txt', 'labels/train/a_2_2.txt', 'labels/val/a.txt']);
    expect(out.notes.filter((n) => n.message.startsWith('renamed')).map((n) => n.image)).toEqual(['a.png', 'x/A.jpeg', 'a_2.png']);
    for (const includeImages of [true, false]) expect(verify(f, d, includeImages).problems).toEqual([]);
  });

  it('trap: a background image gets an empty label file', () => {
    const out = f.serialize(prepareExport(goldenDataset(), f.shapes).dataset, GOLDEN_OPTIONS);
    expect(out.files.get('labels/val/empty road.txt')).toEqual(new Uint8Array(0));
    const back = f.parse({ files: out.files, images: [], sizeOf: () => ({ width: 800, height: 600 }) });
    const i = back.dataset.images.findIndex((x) => x.relativePath === 'images/val/empty road');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(back.dataset.annotations.filter((a) => a.image === i)).toEqual([]);
  });

  it('writes class ids from 0 in class order, rows in dataset order, 6 decimals at most', () => {
    const out = f.serialize(prepareExport(goldenDataset(), f.shapes).dataset, GOLDEN_OPTIONS);
    const frame = texts(out).get('labels/train/frame_001.txt')!.split('\n');
    expect(frame.map((l) => l.split(' ')[0])).toEqual(['0', '1', '2', '']);
    for (const row of rowsOf(out)) for (const v of row.raw) expect(v).toMatch(/^(0|1|0\.\d{1,6})$/);
  });
});

describe('YOLO precision', () => {
  it('encodes a span with corners within 0.75 millionths (1.5 for a sub-millionth span on the border), inside [0, 1], size ≥ 1', () => {
    const r = mulberry32(7);
    const bad: string[] = [];
    const check = (lo: number, hi: number, side: number): number => {
      const [c, s] = encodeSpan(lo, hi, side);
      if (!(Number.isInteger(c) && Number.isInteger(s) && s >= 1 && 2 * c - s >= 0 && 2 * c + s <= 2e6)) bad.push(`${lo} ${hi} ${side} → ${c} ${s}`);
      return Math.max(Math.abs(c - s / 2 - (lo / side) * 1e6), Math.abs(c + s / 2 - (hi / side) * 1e6));
    };
    let worst = 0;
    for (let k = 0; k < 20000; k++) {
      const side = 1 + Math.floor(r() * 20000);
      const a = r() * side;
      const b = a + Math.max(side / 1e6, r() * (side - a));
      worst = Math.max(worst, check(a, Math.min(b, side), side));
      const e = r() * 3 * (side / 1e6);
      worst = Math.max(worst, check(0, Math.max(e, side / 1e6), side), check(side - Math.max(e, side / 1e6), side, side));
    }
    expect(worst).toBeLessThanOrEqual(0.75 + 1e-6);
    let tiny = 0;
    for (const [lo, hi] of [[0, 1e-9], [1 - 1e-9, 1], [0.5, 0.5 + 1e-12], [0.25e-6, 0.3e-6], [0.9999997, 0.9999998]] as const) tiny = Math.max(tiny, check(lo, hi, 1));
    expect(tiny).toBeLessThanOrEqual(1.5 + 1e-6);
    expect(bad).toEqual([]);
    expect(yolo.precision({ width: 1000, height: 500 })).toBeCloseTo(0.002, 12);
  });
});
