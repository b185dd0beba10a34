import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../core/model';
import { GOLDEN_OPTIONS, goldenDataset } from '../test-support/datasets';
import { mulberry32 } from '../core/prng';
import { compareDatasets } from './shared/compare';
import { prepareExport } from './shared/prepare';
import { decodeText, encodeText } from './shared/text';
import { tally, TALLY_FILE } from './tally';
import type { Dataset, DatasetAnnotation, DatasetImage, ParseResult, SourceImageInfo } from './types';
import { expectSoundParse } from '../test-support/formatChecks';
import { HEAVY_TEST_MS } from '../test-support/heavy';

const GOLDEN_FILE = fileURLToPath(new URL('./__golden__/tally/tally.json', import.meta.url));

const prepared = (d: Dataset): Dataset => prepareExport(d, tally.shapes, true).dataset;
const parseJson = (doc: unknown, images: SourceImageInfo[] = []): ParseResult => tally.parse({ files: new Map([[TALLY_FILE, encodeText(JSON.stringify(doc))]]), images });
const pkg = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  format: 'tally',
  schemaVersion: 1,
  tallyVersion: '0.1.0',
  createdAt: '2026-01-02T03:04:05.000Z',
  project: { name: 'p' },
  classes: [{ name: 'car', color: '#112233', attributes: [] }],
  images: [{ fileName: 'a.jpg', relativePath: 'a.jpg', path: 'images/a.jpg', width: 100, height: 50, split: 'train' }],
  annotations: [{ image: 0, className: 'car', shape: { kind: 'box', x: 1, y: 2, w: 3, h: 4 }, attributes: {} }],
  reviewDecisions: [],
  ...over,
});


/** Everything a Dataset can hold, ids and all (what the app exports). */
function fullDataset(): Dataset {
  return {
    project: { name: 'Ünïcode <project> & "co", =1', settings: { ...DEFAULT_SETTINGS, iouThreshold: 0.65 } },
    classes: [
      { id: 'c1', name: 'car', color: '#e6194b', attributes: [{ name: 'colour', type: 'select', options: ['red', 'blue'] }, { name: 'parked', type: 'boolean', options: [] }] },
      { id: 'c2', name: '=SUM(A1)', color: '#000000', attributes: [] },
    ],
    images: [
      { id: 'i1', relativePath: 'x/a.jpg', fileName: 'a.jpg', width: 64, height: 48, split: 'unassigned', sha256: 'f'.repeat(64), status: 'needs_review' },
      { id: 'i2', relativePath: 'y/a.jpg', fileName: 'a.jpg', width: 10, height: 10, split: 'unassigned', sha256: 'e'.repeat(64), status: 'new' },
    ],
    annotations: [
      {
        id: 'a1',
        image: 0,
        className: 'car',
        shape: { kind: 'box', x: 0.1 + 0.2, y: 1 / 3, w: 10.000000001, h: 5 },
        attributes: { occluded: true, truncated: false, iscrowd: true, custom: { colour: 'red', parked: false, note: 'x, "y" <z>' } },
        annotator: 'Zoë',
        groupId: 3,
        createdAt: 1_700_000_000_000,
        updatedAt: 1_700_000_000_123,
      },
      { id: 'a2', image: 1, className: '=SUM(A1)', shape: { kind: 'polygon', points: [0, 0, 10, 0, 5, 9.999999] }, attributes: {}, annotator: '-bob', createdAt: 1, updatedAt: 2 },
    ],
  };
}

describe('Tally export', () => {
  it('writes the golden file byte for byte', () => {
    const out = tally.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS);
    expect([...out.files.keys()]).toEqual([TALLY_FILE]);
    const got = out.files.get(TALLY_FILE)!;
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(fileURLToPath(new URL('./__golden__/tally/', import.meta.url)), { recursive: true });
      writeFileSync(GOLDEN_FILE, got);
    }
    expect(existsSync(GOLDEN_FILE)).toBe(true);
    expect(decodeText(got)).toBe(readFileSync(GOLDEN_FILE, 'utf8'));
  });

  it('puts images at images/<relativePath>, unique, and refers to them by relativePath', () => {
    const out = tally.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS);
    expect(out.imagePaths).toEqual(['images/day/frame_001.jpg', 'images/night/frame_001.jpg', 'images/day/empty road.png', 'images/day/crossing.jpg']);
    expect(out.imageRefs).toEqual(goldenDataset().images.map((i) => i.relativePath));
    const clash: Dataset = {
      classes: [],
      images: [
        { relativePath: 'a/x.jpg', fileName: 'x.jpg', width: 1, height: 1, split: 'train' },
        { relativePath: 'a/X.jpg', fileName: 'X.jpg', width: 1, height: 1, split: 'train' },
        { relativePath: '../evil/y.jpg', fileName: 'y.jpg', width: 1, height: 1, split: 'train' },
      ],
      annotations: [],
    };
    const c = tally.serialize(clash, GOLDEN_OPTIONS);
    expect(c.imagePaths).toEqual(['images/a/x.jpg', 'images/a/X_2.jpg', 'images/y.jpg']);
    expect(c.notes).toEqual([expect.objectContaining({ kind: 'changed', image: 'a/X.jpg', message: expect.stringContaining('renamed in the zip to X_2.jpg') })]);
    expect(tally.parse({ files: c.files, images: [] }).dataset.images.map((i) => i.relativePath)).toEqual(['a/x.jpg', 'a/X.jpg', '../evil/y.jpg']);
  });
});

describe('Tally round trip', () => {
  it('reads the golden export back deep-equal', () => {
    const written = prepared(goldenDataset());
    const out = tally.serialize(written, GOLDEN_OPTIONS);
    const back = tally.parse({ files: out.files, images: [] });
    expect(back.diagnostics).toEqual([]);
    expect(back.dataset).toStrictEqual(written);
    expect(compareDatasets(written, back.dataset, out.imageRefs, tally.precision)).toEqual([]);
  });

  it('loses nothing: ids, annotators, custom attributes, group ids, times, status, unassigned splits, colours, settings', () => {
    const d = fullDataset();
    const written = prepared(d);
    expect(written).toStrictEqual(d); // nothing to clip, every split unassigned
    const back = tally.parse({ files: tally.serialize(written, GOLDEN_OPTIONS).files, images: [] });
    expect(back.diagnostics).toEqual([]);
    expect(back.dataset).toStrictEqual(d);
  });

  it('re-imports random datasets deep-equal (seeded)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const written = prepared(randomDataset(seed));
      const out = tally.serialize(written, GOLDEN_OPTIONS);
      const back = tally.parse({ files: out.files, images: [] });
      expect(back.dataset, `seed ${seed}`).toStrictEqual(written);
      expect(back.diagnostics).toEqual([]);
      expect(compareDatasets(written, back.dataset, out.imageRefs, tally.precision)).toEqual([]);
    }
  });

  it('two images with one relativePath (two imports of a.jpg) both come back, in order', () => {
    const d: Dataset = {
      classes: [{ name: 'a' }],
      images: [
        { relativePath: 'a.jpg', fileName: 'a.jpg', width: 2, height: 2, split: 'train', sha256: '1'.repeat(64) },
        { relativePath: 'a.jpg', fileName: 'a.jpg', width: 3, height: 3, split: 'train', sha256: '2'.repeat(64) },
      ],
      annotations: [{ image: 1, className: 'a', shape: { kind: 'box', x: 0, y: 0, w: 3, h: 3 }, attributes: {} }],
    };
    const out = tally.serialize(d, GOLDEN_OPTIONS);
    expect(out.imagePaths).toEqual(['images/a.jpg', 'images/a_2.jpg']);
    expect(tally.parse({ files: out.files, images: [] }).dataset).toStrictEqual(d);
  });

  it('keeps optional fields absent when the dataset has none', () => {
    const d: Dataset = { classes: [{ name: 'a' }], images: [{ relativePath: 'a.png', fileName: 'a.png', width: 2, height: 2, split: 'val' }], annotations: [] };
    const text = decodeText(tally.serialize(d, GOLDEN_OPTIONS).files.get(TALLY_FILE)!);
    expect(text).not.toContain('"project"');
    expect(tally.parse({ files: new Map([[TALLY_FILE, encodeText(text)]]), images: [] }).dataset).toStrictEqual(d);
  });
});

describe('Tally traps', () => {
  it('names with <, &, ", commas and non-ASCII letters survive', () => {
    const back = tally.parse({ files: tally.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS).files, images: [] });
    expect(back.dataset.project!.name).toBe('Streets <north> & "south"');
    expect(back.dataset.classes.map((c) => c.name)).toEqual(['car', 'person, walking', 'Straße <&> "sign"', 'bicycle']);
  });

  it('refuses a package made by a newer Tally', () => {
    const r = parseJson(pkg({ schemaVersion: 2, tallyVersion: '9.0.0' }));
    expect(r.dataset).toEqual({ classes: [], images: [], annotations: [] });
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: TALLY_FILE, field: 'schemaVersion' })]);
    expect(r.diagnostics[0]!.message).toContain('made by a newer Tally (Tally 9.0.0)');
  });

  it('refuses what is not a Tally package', () => {
    expect(parseJson(pkg({ format: 'coco' })).diagnostics).toEqual([expect.objectContaining({ severity: 'error', field: 'format' })]);
    expect(parseJson(pkg({ schemaVersion: '1' })).diagnostics).toEqual([expect.objectContaining({ severity: 'error', field: 'schemaVersion' })]);
    expect(parseJson(pkg({ images: {} })).diagnostics).toEqual([expect.objectContaining({ severity: 'error', field: 'images' })]);
    expect(parseJson([]).diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: TALLY_FILE })]);
    expect(tally.parse({ files: new Map(), images: [] }).diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: TALLY_FILE })]);
  });

  it("uses the image file's size and SHA-256 when the archive holds it", () => {
    const r = parseJson(pkg({ images: [{ fileName: 'a.jpg', relativePath: 'a.jpg', path: 'images/a.jpg', sha256: 'A'.repeat(64), width: 100, height: 50, split: 'train' }] }), [
      { path: 'images/a.jpg', width: 2, height: 3, sha256: 'b'.repeat(64) },
    ]);
    expect(r.dataset.images[0]).toMatchObject({ width: 2, height: 3, sha256: 'b'.repeat(64) });
    expect(r.dataset.annotations[0]!.shape).toEqual({ kind: 'box', x: 1, y: 2, w: 1, h: 1 });
    expect(r.diagnostics.map((d) => [d.severity, d.field])).toEqual([
      ['warning', 'images[0].sha256'],
      ['warning', 'images[0].width'],
      ['warning', 'annotations[0].shape'],
    ]);
  });

  it('reads a package zipped inside a folder, and ignores a second tally.json', () => {
    const files = new Map([
      ['export/tally.json', encodeText(JSON.stringify(pkg()))],
      ['export/old/tally.json', encodeText('{}')],
    ]);
    const r = tally.parse({ files, images: [{ path: 'export/images/a.jpg', width: 100, height: 50 }] });
    expect(r.dataset.images).toHaveLength(1);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', file: 'export/old/tally.json' })]);
    expect(tally.detect(files)).toBe(1);
  });

  it('detects tally.json only', () => {
    expect(tally.detect(new Map([['tally.json', encodeText(JSON.stringify(pkg()))]]))).toBe(1);
    expect(tally.detect(new Map([['a.json', encodeText(JSON.stringify(pkg()))]]))).toBe(0);
  });
});

describe('Tally strict validation', () => {
  it('names the field of every wrong type', () => {
    const r = parseJson(
      pkg({
        project: { name: 'p', settings: { iouThreshold: 2, splitRatios: { train: 1, val: 0, test: 0 }, maxImageMegapixels: 1 } },
        classes: [
          { id: 'c', name: 'car', color: 'red', attributes: [{ name: 'a', type: 'number', options: [] }] },
          { id: 'c', name: 'bus' },
          { name: 'CAR' },
          { name: '' },
        ],
        images: [
          { id: 'i', fileName: 'a.jpg', relativePath: 'a.jpg', width: 10, height: 10, split: 'default', status: 'finished', sha256: 'xyz' },
          { id: 'i', fileName: 'b.jpg', relativePath: 'b.jpg', width: -1, height: 10, split: 'val' },
          'c.jpg',
        ],
        annotations: [
          { id: 'a', image: 0, className: 'car', shape: { kind: 'box', x: 1, y: 1, w: 2, h: 2 }, attributes: { occluded: 'yes', custom: { n: 3 }, colour: 'red' }, annotator: 7, groupId: 1.5, createdAt: 'now' },
          { id: 'a', image: 0, className: 'Car', shape: { kind: 'polygon', points: [1, 1, 5, 1, 3, 4] }, attributes: {} },
          { image: 5, className: 'car', shape: { kind: 'box', x: 1, y: 1, w: 2, h: 2 }, attributes: {} },
          { image: 2, className: 'car', shape: { kind: 'box', x: 1, y: 1, w: 2, h: 2 }, attributes: {} },
          { image: '0', className: 'car', shape: { kind: 'box', x: 1, y: 1, w: 2, h: 2 }, attributes: {} },
          { image: 0, className: 'truck', shape: { kind: 'box', x: 1, y: 1, w: 2, h: 2 }, attributes: {} },
          { image: 0, className: 'car', shape: { kind: 'circle', r: 2 }, attributes: {} },
          { image: 0, className: 'car', shape: { kind: 'box', x: 1, y: '1', w: 2, h: 2 }, attributes: {} },
          { image: 0, className: 'car', shape: { kind: 'box', x: 1, y: 1, w: 0, h: 2 }, attributes: {} },
          { image: 0, className: 'car', shape: { kind: 'polygon', points: [1, 1, 2, 2] }, attributes: {} },
          { image: 0, className: 'car', shape: { kind: 'polygon', points: [1, 1, 2, null, 3, 3] }, attributes: {} },
        ],
        reviewDecisions: [{ any: 1 }],
        extra: true,
      }),
    );
    expect(r.diagnostics.map((d) => [d.severity, d.field])).toEqual([
      ['info', undefined],
      ['warning', 'project.settings'],
      ['warning', 'classes[0].color'],
      ['warning', 'classes[0].attributes[0]'],
      ['warning', 'classes[1].id'],
      ['error', 'classes[2].name'],
      ['error', 'classes[3]'],
      ['warning', 'images[0].sha256'],
      ['warning', 'images[0].split'],
      ['warning', 'images[0].status'],
      ['warning', 'images[1].id'],
      ['warning', 'images[1].width'],
      ['error', 'images[2]'],
      ['warning', 'annotations[0].annotator'],
      ['warning', 'annotations[0].groupId'],
      ['warning', 'annotations[0].createdAt'],
      ['warning', 'annotations[0].attributes.occluded'],
      ['warning', 'annotations[0].attributes.custom.n'],
      ['warning', 'annotations[0].attributes.colour'],
      ['warning', 'annotations[1].className'],
      ['warning', 'annotations[1].id'],
      ['error', 'annotations[2].image'],
      ['error', 'annotations[3].image'],
      ['error', 'annotations[4].image'],
      ['error', 'annotations[5].className'],
      ['error', 'annotations[6].shape'],
      ['error', 'annotations[7].shape.y'],
      ['error', 'annotations[8].shape'],
      ['error', 'annotations[9].shape'],
      ['error', 'annotations[10].shape.points'],
      ['info', 'reviewDecisions'],
    ]);
    expect(r.diagnostics.every((d) => d.file === TALLY_FILE)).toBe(true);
    expect(r.dataset.project).toEqual({ name: 'p' });
    expect(r.dataset.classes).toEqual([
      { id: 'c', name: 'car', attributes: [] },
      { name: 'bus' },
    ]);
    expect(r.dataset.images).toEqual([
      { id: 'i', relativePath: 'a.jpg', fileName: 'a.jpg', width: 10, height: 10, split: 'unassigned' },
      { relativePath: 'b.jpg', fileName: 'b.jpg', width: 0, height: 0, split: 'val' },
    ]);
    expect(r.dataset.annotations).toEqual([
      { id: 'a', image: 0, className: 'car', shape: { kind: 'box', x: 1, y: 1, w: 2, h: 2 }, attributes: { custom: {} } },
      { image: 0, className: 'car', shape: { kind: 'polygon', points: [1, 1, 5, 1, 3, 4] }, attributes: {} },
    ]);
    expectSoundParse(r);
  });

  it.each([
    ['invalid JSON', '{"format": "tally",\n"schemaVersion": 1,\n"classes": [}', 3],
    ['an empty file', '', undefined],
    ['truncated JSON', '{"format": "tally",\n"schemaVersion": 1', 2],
  ])('%s: one error naming the file and line', (_what, content, line) => {
    const r = tally.parse({ files: new Map([[TALLY_FILE, encodeText(content)]]), images: [] });
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: TALLY_FILE })]);
    expect(r.diagnostics[0]!.line).toBe(line);
  });
});

describe('Tally fuzz', () => {
  const valid = tally.serialize(prepared(fullDataset()), GOLDEN_OPTIONS).files.get(TALLY_FILE)!;

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectSoundParse(tally.parse({ files: new Map([[TALLY_FILE, bytes]]), images: [] }));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on random JSON values in any field', () => {
    const base = JSON.parse(decodeText(valid)) as Record<string, unknown>;
    const paths = [['project'], ['classes', 0], ['classes', 0, 'attributes'], ['images', 0], ['images', 0, 'width'], ['annotations', 0], ['annotations', 0, 'shape'], ['annotations', 1, 'shape', 'points'], ['annotations', 0, 'attributes'], ['annotations', 0, 'image']];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const doc = structuredClone(base);
        let at: Record<string | number, unknown> = doc;
        for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
        at[path[path.length - 1]!] = value;
        expectSoundParse(parseJson(doc));
      }),
      { numRuns: 300 },
    );
  }, HEAVY_TEST_MS);

  it('never throws on mutations of a valid export', () => {
    const lines = decodeText(valid).split('\n');
    const mutation = fc.oneof(
      fc.nat(valid.length).map((n) => valid.slice(0, n)),
      fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
        const c = valid.slice();
        c[i] = b;
        return c;
      }),
      fc.nat(lines.length - 1).map((i) => encodeText(lines.filter((_, k) => k !== i).join('\n'))),
      fc.nat(lines.length - 1).map((i) => encodeText(lines.flatMap((l, k) => (k === i ? [l, l] : [l])).join('\n'))),
      fc.tuple(fc.nat(lines.length - 1), fc.constantFrom('-1', '1e308', '"x"', 'null', '[]', '{}', '-0.5', '2')).map(([i, v]) =>
        encodeText(lines.map((l, k) => (k === i ? l.replace(/-?\d+(\.\d+)?/, v) : l)).join('\n')),
      ),
    );
    fc.assert(
      fc.property(mutation, (bytes) => {
        expectSoundParse(tally.parse({ files: new Map([[TALLY_FILE, bytes]]), images: [] }));
      }),
      { numRuns: 300 },
    );
  }, HEAVY_TEST_MS);
});

// ---------------------------------------------------------------------------------------------

const NAME_PARTS = ['car', 'Straße', 'a,b', '"q"', '<tag>', 'x & y', '日本', 'émile', '-x', '=sum', '\u{1F697}'];

function randomDataset(seed: number): Dataset {
  const rnd = mulberry32(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const classes = [...new Set(Array.from({ length: 1 + int(5) }, () => `${pick(NAME_PARTS)}${pick(NAME_PARTS)}`))].map((name, i) => ({
    id: `c${i}`,
    name: `${name}${i}`,
    color: `#${hex(6)}`,
    attributes: rnd() < 0.5 ? [] : [{ name: 'kind', type: 'select' as const, options: ['a', 'b'] }],
  }));
  const images: DatasetImage[] = Array.from({ length: 1 + int(6) }, (_, i) => {
    const fileName = `${pick(['img', 'Bild', 'photo,1', 'é'])}${int(3)}.${pick(['jpg', 'png'])}`;
    return {
      id: `i${i}`,
      // Unique: compareDatasets finds images by relativePath (see 'two images with one relativePath').
      relativePath: `${pick(['a', 'b'])}${i}/${fileName}`,
      fileName,
      width: 1 + int(2000),
      height: 1 + int(2000),
      split: pick(['train', 'val', 'test', 'unassigned'] as const),
      sha256: hex(64),
      status: pick(['new', 'in_progress', 'done', 'needs_review'] as const),
    };
  });
  const annotations: DatasetAnnotation[] = [];
  images.forEach((img, i) => {
    for (let k = int(6); k > 0; k--) {
      const base = { id: `a${annotations.length}`, image: i, className: pick(classes).name, annotator: pick(['ana', 'Zoë', '-x']), createdAt: int(1e12), updatedAt: int(1e12) };
      const attributes = rnd() < 0.5 ? {} : { difficult: rnd() < 0.5, custom: { kind: pick(['a', 'b']), free: 'x, "y"' } };
      const x = rnd() * img.width * 1.1 - img.width * 0.05;
      const y = rnd() * img.height * 1.1 - img.height * 0.05;
      if (rnd() < 0.5) {
        annotations.push({ ...base, attributes, shape: { kind: 'box', x, y, w: 0.5 + rnd() * img.width * 0.5, h: 0.5 + rnd() * img.height * 0.5 } });
      } else {
        const n = 3 + int(6);
        const r = 1 + rnd() * Math.min(img.width, img.height) * 0.3;
        const points = Array.from({ length: n }, (_, p) => [x + r * Math.cos((2 * Math.PI * p) / n), y + r * Math.sin((2 * Math.PI * p) / n)]).flat();
        annotations.push({ ...base, attributes, ...(rnd() < 0.3 ? { groupId: int(5) } : {}), shape: { kind: 'polygon', points } });
      }
    }
  });
  return { project: { name: `${pick(NAME_PARTS)} project`, settings: DEFAULT_SETTINGS }, classes, images, annotations };
}
