import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/prng';
import { GOLDEN_OPTIONS, goldenDataset, randomDataset } from '../test-support/datasets';
import { expectGoldenFiles, expectSoundParse, mutate, type Mutation } from '../test-support/formatChecks';
import { createml } from './createml';
import { detectFormat } from './index';
import { compareDatasets } from './shared/compare';
import { prepareExport } from './shared/prepare';
import { decodeText, encodeText } from './shared/text';
import type { Dataset, ParseInput, ParseResult, SourceImageInfo } from './types';

const GOLDEN_DIR = fileURLToPath(new URL('./__golden__/createml/', import.meta.url));
const prepared = (d: Dataset): Dataset => prepareExport(d, createml.shapes).dataset;
const input = (files: Record<string, string>, images: SourceImageInfo[] = [], sizeOf?: ParseInput['sizeOf']): ParseInput => ({
  files: new Map(Object.entries(files).map(([k, v]) => [k, encodeText(v)])),
  images,
  ...(sizeOf ? { sizeOf } : {}),
});
const summary = (r: ParseResult): string[] => r.diagnostics.map((d) => `${d.severity} ${d.file}${d.field ? ` (${d.field})` : ''} ${d.message}`);

function roundTrip(d: Dataset, withImages: boolean): { written: Dataset; back: ParseResult; problems: string[] } {
  const written = prepared(d);
  const out = createml.serialize(written, GOLDEN_OPTIONS);
  const images = withImages ? written.images.map((img, i) => ({ path: out.imagePaths[i]!, width: img.width, height: img.height })) : [];
  // Without the images, the project gives the sizes (Create ML files hold none).
  const sizes = new Map(written.images.map((img, i) => [out.imagePaths[i]!, img]));
  const back = createml.parse({ files: out.files, images, sizeOf: (p) => sizes.get(p) });
  return { written, back, problems: compareDatasets(written, back.dataset, out.imageRefs, createml.precision) };
}

describe('Create ML export', () => {
  it('writes the golden files byte for byte', () => {
    expectGoldenFiles(GOLDEN_DIR, createml.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS).files);
  });

  it('writes one _annotations.createml.json per split, images beside it, background images with an empty list', () => {
    const out = createml.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS);
    expect([...out.files.keys()]).toEqual(['train/_annotations.createml.json', 'val/_annotations.createml.json']);
    expect(out.imagePaths).toEqual(['train/frame_001.jpg', 'train/frame_001_2.jpg', 'val/empty road.png', 'val/crossing.jpg']);
    const val = JSON.parse(decodeText(out.files.get('val/_annotations.createml.json')!)) as { image: string; annotations: unknown[] }[];
    expect(val.map((e) => [e.image, e.annotations.length])).toEqual([['empty road.png', 0], ['crossing.jpg', 3]]);
  });

  it('trap: coordinates are the box centre and size, in pixels', () => {
    const train = JSON.parse(decodeText(createml.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS).files.get('train/_annotations.createml.json')!)) as { annotations: { label: string; coordinates: Record<string, number> }[] }[];
    // The box at x 10.25, y 20.5, 100 × 50.75.
    expect(train[0]!.annotations[0]).toEqual({ label: 'car', coordinates: { x: 60.25, y: 45.875, width: 100, height: 50.75 } });
  });

  it('writes polygons as their bounding boxes, and says so when given unprepared input', () => {
    const d = goldenDataset();
    const out = createml.serialize(d, GOLDEN_OPTIONS);
    expect(out.notes.some((n) => n.message === '2 polygons written as bounding boxes (Create ML holds boxes only)')).toBe(true);
  });
});

describe('Create ML round trip', () => {
  it('reads the golden export back as written, with the images or the project giving the sizes', () => {
    for (const withImages of [false, true]) {
      const { back, problems } = roundTrip(goldenDataset(), withImages);
      expect(problems).toEqual([]);
      expect(back.diagnostics).toEqual([]);
      expect(back.dataset.images.map((i) => i.split)).toEqual(['train', 'train', 'val', 'val']);
    }
  });

  it('round-trips random datasets (seeded)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { back, problems } = roundTrip(randomDataset(mulberry32(seed)), seed % 2 === 0);
      expect(problems, `seed ${seed}`).toEqual([]);
      expectSoundParse(back);
    }
  });
});

describe('Create ML import', () => {
  const roboflow = JSON.stringify([
    { image: 'a_jpg.rf.1.jpg', annotations: [{ label: 'dog', coordinates: { x: 50, y: 40, width: 20, height: 10 } }] },
    { image: 'b.jpg', annotations: [{ label: 'Dog', coordinates: { x: 5, y: 5, width: 20, height: 20 } }, { label: 'cat', coordinates: { x: 1, y: 1, width: 0, height: 5 } }] },
    { image: 'b.jpg', annotations: [] },
    { annotations: [] },
    { image: 'c.jpg', annotations: [{ coordinates: { x: 1, y: 1, width: 1, height: 1 } }, { label: 'cat', coordinates: { x: '1' } }] },
  ]);

  it('reads Roboflow\'s layout: the image beside the JSON, the split from its folder, centre coordinates; problems skipped and said', () => {
    const r = createml.parse(input({ 'valid/_annotations.createml.json': roboflow }, [{ path: 'valid/a_jpg.rf.1.jpg', width: 100, height: 80, sha256: 'cd'.repeat(32) }], (p) => (p === 'valid/b.jpg' ? { width: 30, height: 30 } : undefined)));
    expect(r.dataset.images.map((i) => `${i.relativePath}|${i.split}|${i.width}x${i.height}|${i.sha256 ?? ''}`)).toEqual(['valid/a_jpg.rf.1.jpg|val|100x80|' + 'cd'.repeat(32), 'valid/b.jpg|val|30x30|', 'valid/c.jpg|val|0x0|']);
    expect(r.dataset.annotations.map((a) => [a.className, a.shape])).toEqual([
      ['dog', { kind: 'box', x: 40, y: 35, w: 20, h: 10 }],
      ['dog', { kind: 'box', x: 0, y: 0, w: 15, h: 15 }],
    ]);
    expect(summary(r)).toEqual([
      'warning valid/_annotations.createml.json ([1].annotations[0].coordinates) a box reached outside the 30×30 image and was cut at its edge',
      'info valid/_annotations.createml.json ([1].annotations[0].label) label "Dog" read as class "dog" (the same name in another spelling)',
      'error valid/_annotations.createml.json ([1].annotations[1].coordinates) skipped a box of size 0 × 5: a box needs a positive width and height',
      'error valid/_annotations.createml.json ([2].image) skipped: valid/b.jpg is already listed (valid/_annotations.createml.json [1])',
      'error valid/_annotations.createml.json ([3].image) skipped an entry: it has no "image"',
      'warning valid/_annotations.createml.json ([4]) the size of valid/c.jpg is unknown (Create ML files hold none, and there is no image file): shapes are not checked against it',
      'error valid/_annotations.createml.json ([4].annotations[0].label) skipped a box: it has no label',
      'error valid/_annotations.createml.json ([4].annotations[1].coordinates) skipped a box of "cat": coordinates must be numbers {x, y, width, height}',
    ]);
  });

  it('is detected by its structure only; other JSON lists are not Create ML', () => {
    expect(detectFormat(input({ 'x.json': roboflow }).files)?.id).toBe('createml');
    expect(createml.detect(input({ 'x.json': JSON.stringify([{ file: 'a.jpg', boxes: [] }]) }).files)).toBe(0);
    expect(createml.detect(input({ 'x.json': JSON.stringify({ images: [], annotations: [] }) }).files)).toBe(0);
    const notList = createml.parse(input({ 'x.json': '{"image": "a.jpg", "annotations": []}' }));
    expect(summary(notList)).toEqual(['info x.json skipped: not a Create ML file (a list of {"image", "annotations"})']);
  });
});

describe('Create ML fuzz', () => {
  const valid = decodeText(createml.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS).files.get('val/_annotations.createml.json')!);

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectSoundParse(createml.parse({ files: new Map([['a.json', bytes]]), images: [] }));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on mutations of a valid export, and what it returns is sound', () => {
    fc.assert(
      fc.property(fc.constantFrom<Mutation>('truncate', 'flip', 'delete', 'duplicate'), fc.nat(), fc.nat(255), fc.boolean(), (how, at, value, withImage) => {
        const images = withImage ? [{ path: 'val/crossing.jpg', width: 1024, height: 768 }] : [];
        expectSoundParse(createml.parse({ files: new Map([['val/_annotations.createml.json', mutate(valid, how, at, value)]]), images }));
      }),
      { numRuns: 300 },
    );
  });
});
