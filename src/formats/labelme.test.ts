import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GOLDEN_OPTIONS, goldenDataset, randomDataset } from '../test-support/datasets';
import { mulberry32 } from '../core/prng';
import { labelme } from './labelme';
import { compareDatasets } from './shared/compare';
import { prepareExport } from './shared/prepare';
import { decodeText, encodeText } from './shared/text';
import type { Dataset, ParseInput, ParseResult, SourceImageInfo } from './types';
import { expectSoundParse, readTree } from '../test-support/formatChecks';
import { HEAVY_TEST_MS } from '../test-support/heavy';

const GOLDEN_DIR = fileURLToPath(new URL('./__golden__/labelme/', import.meta.url));


const prepared = (d: Dataset): Dataset => prepareExport(d, labelme.shapes).dataset;
const text = (s: string): Uint8Array => encodeText(s);
const input = (files: Record<string, string>, images: SourceImageInfo[] = []): ParseInput => ({
  files: new Map(Object.entries(files).map(([k, v]) => [k, text(v)])),
  images,
});
const doc = (shapes: unknown[], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ version: '5.2.1', flags: {}, shapes, imagePath: 'a.jpg', imageData: null, imageHeight: 100, imageWidth: 200, ...extra });
const rect = (points: unknown[][], extra: Record<string, unknown> = {}): Record<string, unknown> => ({ label: 'car', points, group_id: null, shape_type: 'rectangle', flags: {}, ...extra });

/** What every parse result must satisfy, whatever the input. */

function roundTrip(d: Dataset): { written: Dataset; back: ParseResult; refs: readonly string[] } {
  const written = prepared(d);
  const out = labelme.serialize(written, GOLDEN_OPTIONS);
  const back = labelme.parse({ files: out.files, images: [] });
  return { written, back, refs: out.imageRefs };
}

describe('LabelMe export', () => {
  it('writes the golden files byte for byte', () => {
    const out = labelme.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS);
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

  it('puts each image next to its JSON, names unique per split folder', () => {
    const out = labelme.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS);
    expect(out.imagePaths).toEqual(['train/frame_001.jpg', 'train/frame_001_2.jpg', 'val/empty road.png', 'val/crossing.jpg']);
    expect(out.imageRefs).toEqual(out.imagePaths);
    expect([...out.files.keys()]).toEqual(['train/frame_001.json', 'train/frame_001_2.json', 'val/empty road.json', 'val/crossing.json']);
    expect(out.notes).toEqual([expect.objectContaining({ kind: 'changed', image: 'night/frame_001.jpg' })]);
  });

  it('writes images without a split in default/, and same stems with different extensions apart', () => {
    const d: Dataset = {
      classes: [{ name: 'a' }],
      images: [
        { relativePath: 'x/a.jpg', fileName: 'a.jpg', width: 10, height: 10, split: 'unassigned' },
        { relativePath: 'x/a.png', fileName: 'a.png', width: 10, height: 10, split: 'unassigned' },
      ],
      annotations: [],
    };
    const out = labelme.serialize(prepared(d), GOLDEN_OPTIONS);
    expect(out.imagePaths).toEqual(['default/a.jpg', 'default/a_2.png']);
    expect([...out.files.keys()]).toEqual(['default/a.json', 'default/a_2.json']);
    const back = labelme.parse({ files: out.files, images: [] });
    expect(back.dataset.images.map((i) => i.split)).toEqual(['unassigned', 'unassigned']);
  });

  it('keeps the group id, flags and background images', () => {
    const d: Dataset = {
      classes: [{ name: 'a' }],
      images: [
        { relativePath: 'a.jpg', fileName: 'a.jpg', width: 50, height: 40, split: 'train' },
        { relativePath: 'b.jpg', fileName: 'b.jpg', width: 50, height: 40, split: 'train' },
      ],
      annotations: [{ image: 0, className: 'a', shape: { kind: 'box', x: 1, y: 2, w: 3, h: 4 }, attributes: { occluded: false, difficult: true, iscrowd: true }, groupId: 7 }],
    };
    const back = labelme.parse({ files: labelme.serialize(prepared(d), GOLDEN_OPTIONS).files, images: [] });
    expect(back.dataset.images).toHaveLength(2);
    expect(back.dataset.annotations).toEqual([{ image: 0, className: 'a', shape: { kind: 'box', x: 1, y: 2, w: 3, h: 4 }, attributes: { occluded: false, difficult: true }, groupId: 7 }]);
  });
});

describe('LabelMe round trip', () => {
  it('reads the golden export back as written', () => {
    const { written, back, refs } = roundTrip(goldenDataset());
    expect(compareDatasets(written, back.dataset, refs, labelme.precision)).toEqual([]);
    expect(back.diagnostics).toEqual([]);
    // Full precision: coordinates come back exactly (up to x + w − x).
    const a = back.dataset.annotations[0]!;
    expect(a.shape).toEqual({ kind: 'box', x: 10.25, y: 20.5, w: 100, h: 50.75 });
    expect(a.attributes).toEqual({ occluded: true });
  });

  it('round-trips random datasets (seeded)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { written, back, refs } = roundTrip(randomDataset(mulberry32(seed)));
      expect(compareDatasets(written, back.dataset, refs, labelme.precision), `seed ${seed}`).toEqual([]);
      expect(back.dataset.annotations.length).toBe(written.annotations.length);
      expectSoundParse(back);
    }
  }, HEAVY_TEST_MS);
});

describe('LabelMe traps', () => {
  it('names with <, &, ", commas and non-ASCII letters survive', () => {
    const { back } = roundTrip(goldenDataset());
    expect(back.dataset.classes.map((c) => c.name)).toEqual(['car', 'person, walking', 'Straße <&> "sign"']);
  });

  it('normalises rectangle corners given in any order', () => {
    for (const pts of [
      [[30, 40], [10, 20]],
      [[10, 40], [30, 20]],
      [[30, 20], [10, 40]],
    ]) {
      const r = labelme.parse(input({ 'a.json': doc([rect(pts)]) }));
      expect(r.dataset.annotations[0]!.shape).toEqual({ kind: 'box', x: 10, y: 20, w: 20, h: 20 });
      expect(r.diagnostics).toEqual([]);
    }
  });

  it('resolves imagePath with ../ against the JSON folder', () => {
    const r = labelme.parse(input({ 'train/annotations/x.json': doc([], { imagePath: '../images/x.jpg' }) }));
    expect(r.dataset.images[0]).toMatchObject({ relativePath: 'train/images/x.jpg', fileName: 'x.jpg', split: 'train' });
  });

  it('never climbs above the imported root, and reads Windows separators', () => {
    const r = labelme.parse(input({ 'x.json': doc([], { imagePath: '..\\..\\images\\x.jpg' }) }));
    expect(r.dataset.images[0]!.relativePath).toBe('images/x.jpg');
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', file: 'x.json', field: 'imagePath' })]);
  });

  it('keeps only the file name of an absolute imagePath', () => {
    const r = labelme.parse(input({ 'ann/x.json': doc([], { imagePath: 'C:\\Users\\me\\Pictures\\x.jpg' }) }));
    expect(r.dataset.images[0]!.relativePath).toBe('ann/x.jpg');
    expect(r.diagnostics[0]).toMatchObject({ severity: 'info', field: 'imagePath' });
  });

  it('skips circle, line, point and linestrip with a warning naming the type', () => {
    const shapes = ['circle', 'line', 'point', 'linestrip'].map((t) => ({ label: 'x', points: [[1, 1], [5, 5]], shape_type: t }));
    const r = labelme.parse(input({ 'a.json': doc([...shapes, rect([[1, 1], [5, 5]])]) }));
    expect(r.dataset.annotations).toHaveLength(1);
    expect(r.dataset.classes.map((c) => c.name)).toEqual(['car']);
    expect(r.diagnostics.map((d) => [d.severity, d.field, d.message.split(' ')[2]])).toEqual([
      ['warning', 'shapes[0].shape_type', 'circle'],
      ['warning', 'shapes[1].shape_type', 'line'],
      ['warning', 'shapes[2].shape_type', 'point'],
      ['warning', 'shapes[3].shape_type', 'linestrip'],
    ]);
  });

  it('reads shapes without shape_type as polygons (old LabelMe)', () => {
    const r = labelme.parse(input({ 'a.json': doc([{ label: 'p', points: [[1, 1], [9, 1], [5, 8]] }]) }));
    expect(r.dataset.annotations[0]!.shape).toEqual({ kind: 'polygon', points: [1, 1, 9, 1, 5, 8] });
  });

  it('refuses polygons with fewer than 3 points', () => {
    const r = labelme.parse(input({ 'a.json': doc([{ label: 'p', points: [[1, 1], [9, 1]], shape_type: 'polygon' }]) }));
    expect(r.dataset.annotations).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'a.json', field: 'shapes[0]' })]);
  });

  it("uses the image's own size when imageWidth/Height disagree, and clips to it", () => {
    const r = labelme.parse(input({ 'a.json': doc([rect([[10, 10], [150, 90]])]) }, [{ path: 'a.jpg', width: 100, height: 100 }]));
    expect(r.dataset.images[0]).toMatchObject({ width: 100, height: 100 });
    expect(r.dataset.annotations[0]!.shape).toEqual({ kind: 'box', x: 10, y: 10, w: 90, h: 80 });
    expect(r.diagnostics.map((d) => [d.severity, d.field])).toEqual([
      ['warning', 'imageWidth'],
      ['warning', 'shapes[0]'],
    ]);
  });

  it('ignores embedded imageData with an info', () => {
    const r = labelme.parse(input({ 'a.json': doc([], { imageData: 'iVBORw0KGgo=' }) }));
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', field: 'imageData' })]);
  });

  it('takes the size from sizeOf when the file has none, and says when nothing knows it', () => {
    const files = { 'a.json': doc([rect([[1, 1], [5, 5]])], { imageWidth: undefined, imageHeight: undefined }) };
    const known = labelme.parse({ ...input(files), sizeOf: (p) => (p === 'a.jpg' ? { width: 30, height: 20 } : undefined) });
    expect(known.dataset.images[0]).toMatchObject({ width: 30, height: 20 });
    const unknown = labelme.parse(input(files));
    expect(unknown.dataset.images[0]).toMatchObject({ width: 0, height: 0 });
    expect(unknown.dataset.annotations).toHaveLength(1);
    expect(unknown.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', file: 'a.json' })]);
  });

  it('joins labels that differ only in case into one class', () => {
    const r = labelme.parse(input({ 'a.json': doc([rect([[1, 1], [5, 5]], { label: 'Car' }), rect([[1, 1], [5, 5]], { label: 'car' })]) }));
    expect(r.dataset.classes).toEqual([{ name: 'Car' }]);
    expect(r.dataset.annotations.map((a) => a.className)).toEqual(['Car', 'Car']);
  });

  it('ignores other JSON files (manifest.json silently)', () => {
    const r = labelme.parse(input({ 'manifest.json': '{"format":"labelme"}', 'other.json': '{"a":1}', 'a.json': doc([]) }));
    expect(r.dataset.images).toHaveLength(1);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', file: 'other.json' })]);
  });

  it('detects LabelMe JSON files and nothing else', () => {
    expect(labelme.detect(input({ 'a.json': doc([]) }).files)).toBeGreaterThan(0.8);
    expect(labelme.detect(input({ 'coco.json': '{"images":[],"annotations":[]}' }).files)).toBe(0);
    expect(labelme.detect(input({ 'tally.json': '{"format":"tally"}' }).files)).toBe(0);
  });
});

describe('LabelMe malformed input', () => {
  it.each([
    ['invalid JSON', '{"shapes": [', 'error', 1],
    ['an empty file', '', 'error', undefined],
    ['a broken line', '{\n"shapes": [],\n"imagePath": "a.jpg",,\n}', 'error', 3],
  ])('%s: one diagnostic naming the file and line', (_what, content, severity, line) => {
    const r = labelme.parse(input({ 'x/a.json': content }));
    expect(r.dataset.images).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity, file: 'x/a.json' });
    expect(r.diagnostics[0]!.line).toBe(line);
  });

  it('names the field of wrong types', () => {
    const r = labelme.parse(
      input({
        'a.json': doc([
          rect([[1, 'x']]),
          rect([[1, 1], [5, 5]], { label: 7 }),
          rect([[1, 1], [5, 5]], { group_id: 'g' }),
          rect([[Number.NaN, 1], [5, 5]]),
          rect([[-10, -10], [5, 5]]),
          rect([[3, 3], [3, 9]]),
          'nope',
        ]),
        'b.json': JSON.stringify({ shapes: {}, imagePath: 'b.jpg' }),
        'c.json': JSON.stringify({ shapes: [], imagePath: 3 }),
        'd.json': JSON.stringify({ shapes: [], imagePath: 'd.jpg', imageWidth: -4, imageHeight: '5' }),
      }),
    );
    const got = r.diagnostics.map((d) => [d.file, d.severity, d.field]);
    expect(got).toEqual([
      ['a.json', 'error', 'shapes[0].points[0]'],
      ['a.json', 'error', 'shapes[1].label'],
      ['a.json', 'warning', 'shapes[2].group_id'],
      ['a.json', 'error', 'shapes[3].points[0]'], // NaN is written as null by JSON.stringify
      ['a.json', 'warning', 'shapes[4]'],
      ['a.json', 'error', 'shapes[5]'],
      ['a.json', 'error', 'shapes[6]'],
      ['b.json', 'error', 'shapes'],
      ['c.json', 'error', 'imagePath'],
      ['d.json', 'warning', 'imageWidth'],
      ['d.json', 'warning', undefined],
    ]);
    expect(r.dataset.annotations.map((a) => a.shape)).toEqual([{ kind: 'box', x: 1, y: 1, w: 4, h: 4 }, { kind: 'box', x: 0, y: 0, w: 5, h: 5 }]);
    expectSoundParse(r);
  });

  it('refuses a second JSON for the same image', () => {
    const r = labelme.parse(input({ 'a.json': doc([]), 'b.json': doc([]) }));
    expect(r.dataset.images).toHaveLength(1);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'b.json', field: 'imagePath' })]);
  });
});

describe('LabelMe fuzz', () => {
  const valid = labelme.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS).files.get('train/frame_001.json')!;

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectSoundParse(labelme.parse({ files: new Map([['a.json', bytes]]), images: [] }));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on mutations of a valid export', () => {
    const lines = decodeText(valid).split('\n');
    const mutation = fc.oneof(
      fc.nat(valid.length).map((n) => valid.slice(0, n)),
      fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
        const c = valid.slice();
        c[i] = b;
        return c;
      }),
      fc.nat(lines.length - 1).map((i) => text(lines.filter((_, k) => k !== i).join('\n'))),
      fc.nat(lines.length - 1).map((i) => text(lines.flatMap((l, k) => (k === i ? [l, l] : [l])).join('\n'))),
      fc.tuple(fc.nat(lines.length - 1), fc.constantFrom('-1', '1e308', '"x"', 'null', '[]', '{}', '-0.5')).map(([i, v]) =>
        text(lines.map((l, k) => (k === i ? l.replace(/-?\d+(\.\d+)?/, v) : l)).join('\n')),
      ),
    );
    fc.assert(
      fc.property(mutation, fc.boolean(), (bytes, withImage) => {
        const images = withImage ? [{ path: 'train/frame_001.jpg', width: 64, height: 48 }] : [];
        expectSoundParse(labelme.parse({ files: new Map([['train/frame_001.json', bytes]]), images }));
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

