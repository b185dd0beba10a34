import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goldenDataset, GOLDEN_OPTIONS } from '../test-support/datasets';
import { mulberry32 } from '../core/prng';
import { compareDatasets } from './shared/compare';
import { prepareExport } from './shared/prepare';
import { decodeText, encodeText } from './shared/text';
import type { Dataset, DatasetAnnotation, DatasetClass, DatasetImage, ParseInput, ParseResult } from './types';
import { devkitSpan, voc } from './voc';
import { expectSoundParse, mutate } from '../test-support/formatChecks';
import { HEAVY_TEST_MS } from '../test-support/heavy';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '__golden__', 'voc');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

const files = (entries: Record<string, string>): Map<string, Uint8Array> => new Map(Object.entries(entries).map(([k, v]) => [k, encodeText(v)]));
const parseFiles = (entries: Record<string, string>, extra: Partial<ParseInput> = {}): ParseResult => voc.parse({ files: files(entries), images: [], ...extra });

function roundTrip(dataset: Dataset, withImages: boolean): string[] {
  const prepared = prepareExport(dataset, voc.shapes).dataset;
  const out = voc.serialize(prepared, GOLDEN_OPTIONS);
  const back = voc.parse({
    files: out.files,
    images: withImages ? prepared.images.map((img, i) => ({ path: out.imagePaths[i]!, width: img.width, height: img.height })) : [],
  });
  const errors = back.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}: ${d.message}`);
  return [...errors, ...compareDatasets(prepared, back.dataset, out.imageRefs, voc.precision)];
}

/** One VOC file; `objects` are inner XML of <object> elements. */
function vocXml(opts: { filename?: string; size?: string; objects?: string[] } = {}): string {
  return [
    '<annotation>',
    opts.filename === undefined ? '<filename>a.jpg</filename>' : opts.filename,
    opts.size ?? '<size><width>100</width><height>80</height><depth>3</depth></size>',
    ...(opts.objects ?? []).map((o) => `<object>${o}</object>`),
    '</annotation>',
  ].join('\n');
}
const obj = (name: string, xmin: number | string, ymin: number | string, xmax: number | string, ymax: number | string, extra = ''): string =>
  `<name>${name}</name>${extra}<bndbox><xmin>${xmin}</xmin><ymin>${ymin}</ymin><xmax>${xmax}</xmax><ymax>${ymax}</ymax></bndbox>`;

// ---------------------------------------------------------------------------------------------
// Random datasets

const NAME_PARTS = ['car', 'Straße', 'person, walking', 'a < b', 'R&D', '"quoted"', "it's", 'Ünïcødé', '日本語', 'знак', 'x>y', 'plain'];

function randomDataset(seed: number, withPolygons: boolean): Dataset {
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const classCount = int(1, 5);
  const classes: DatasetClass[] = [];
  const used = new Set<string>();
  while (classes.length < classCount) {
    const name = `${NAME_PARTS[int(0, NAME_PARTS.length - 1)]!} ${int(0, 99)}`;
    if (used.has(name.toLowerCase())) continue;
    used.add(name.toLowerCase());
    classes.push({ name });
  }
  const splits = ['train', 'val', 'test'] as const;
  const images: DatasetImage[] = [];
  const annotations: DatasetAnnotation[] = [];
  const imageCount = int(1, 6);
  for (let i = 0; i < imageCount; i++) {
    const width = int(8, 2000);
    const height = int(8, 2000);
    const fileName = `${NAME_PARTS[int(0, NAME_PARTS.length - 1)]!.replace(/[<>"]/g, '_')} ${int(0, 3)}.${['jpg', 'png', 'webp'][int(0, 2)]!}`;
    images.push({ relativePath: `f${int(0, 2)}/${fileName}`, fileName, width, height, split: splits[int(0, 2)]! });
    const shapes = int(0, 6);
    for (let k = 0; k < shapes; k++) {
      const className = classes[int(0, classes.length - 1)]!.name;
      const x = rnd() * (width - 2);
      const y = rnd() * (height - 2);
      const w = 1.5 + rnd() * (width - x);
      const h = 1.5 + rnd() * (height - y);
      const attributes = { ...(rnd() < 0.3 ? { occluded: true } : {}), ...(rnd() < 0.2 ? { truncated: true } : {}), ...(rnd() < 0.2 ? { difficult: true } : {}) };
      if (withPolygons && rnd() < 0.5) {
        annotations.push({ image: i, className, attributes, shape: { kind: 'polygon', points: [x, y, x + w, y + h * 0.3, x + w * 0.4, y + h] } });
      } else {
        annotations.push({ image: i, className, attributes, shape: { kind: 'box', x, y, w, h } });
      }
    }
  }
  return { project: { name: 'random' }, classes, images, annotations };
}

// ---------------------------------------------------------------------------------------------

describe('Pascal VOC export', () => {
  it('matches the golden files byte for byte', () => {
    const out = voc.serialize(prepareExport(goldenDataset(), voc.shapes).dataset, GOLDEN_OPTIONS);
    if (process.env.UPDATE_GOLDEN) {
      for (const [path, bytes] of out.files) {
        mkdirSync(dirname(join(GOLDEN_DIR, path)), { recursive: true });
        writeFileSync(join(GOLDEN_DIR, path), bytes);
      }
    }
    expect(existsSync(GOLDEN_DIR)).toBe(true);
    const golden = listFiles(GOLDEN_DIR).map((p) => relative(GOLDEN_DIR, p).split('\\').join('/')).sort();
    expect([...out.files.keys()].sort()).toEqual(golden);
    for (const path of golden) expect(decodeText(out.files.get(path)!), path).toBe(readFileSync(join(GOLDEN_DIR, path), 'utf8'));
    expect(out.imagePaths).toEqual(['JPEGImages/frame_001.jpg', 'JPEGImages/frame_001_2.jpg', 'JPEGImages/empty road.png', 'JPEGImages/crossing.jpg']);
    expect(out.imageRefs).toEqual(out.imagePaths);
  });

  it('names every annotation file after a stem unique across the whole export, keeping the image extension', () => {
    const d: Dataset = {
      classes: [{ name: 'c' }],
      images: [
        { relativePath: 'x/a.jpg', fileName: 'a.jpg', width: 10, height: 10, split: 'train' },
        { relativePath: 'y/a.png', fileName: 'a.png', width: 10, height: 10, split: 'val' },
        { relativePath: 'y/A.jpg', fileName: 'A.jpg', width: 10, height: 10, split: 'test' },
      ],
      annotations: [],
    };
    const out = voc.serialize(d, GOLDEN_OPTIONS);
    expect(out.imagePaths).toEqual(['JPEGImages/a.jpg', 'JPEGImages/a_2.png', 'JPEGImages/A_3.jpg']);
    expect([...out.files.keys()].filter((k) => k !== 'labelmap.txt').sort()).toEqual(['Annotations/A_3.xml', 'Annotations/a.xml', 'Annotations/a_2.xml', 'ImageSets/Main/test.txt', 'ImageSets/Main/train.txt', 'ImageSets/Main/val.txt']);
    expect(out.notes.filter((n) => n.kind === 'changed')).toHaveLength(2);
    expect(decodeText(out.files.get('Annotations/a_2.xml')!)).toContain('<filename>a_2.png</filename>');
    expect(decodeText(out.files.get('ImageSets/Main/val.txt')!)).toBe('a_2\n');
  });

  it('writes default.txt for images without a split, read back as unassigned', () => {
    const d: Dataset = { classes: [], images: [{ relativePath: 'a.jpg', fileName: 'a.jpg', width: 5, height: 5, split: 'unassigned' }], annotations: [] };
    const out = voc.serialize(d, GOLDEN_OPTIONS);
    expect(decodeText(out.files.get('ImageSets/Main/default.txt')!)).toBe('a\n');
    expect(voc.parse({ files: out.files, images: [] }).dataset.images[0]!.split).toBe('unassigned');
  });
});

describe('Pascal VOC round trip', () => {
  it('reads back the golden dataset within precision (with and without the images)', () => {
    expect(roundTrip(goldenDataset(), true)).toEqual([]);
    expect(roundTrip(goldenDataset(), false)).toEqual([]);
  });

  it('reads back random datasets (unicode, commas, quotes, <, & in names)', () => {
    for (let seed = 1; seed <= 60; seed++) expect(roundTrip(randomDataset(seed, true), seed % 2 === 0), `seed ${seed}`).toEqual([]);
  }, HEAVY_TEST_MS);

  it('keeps the flags truncated, difficult, occluded', () => {
    const prepared = prepareExport(goldenDataset(), voc.shapes).dataset;
    const back = voc.parse({ files: voc.serialize(prepared, GOLDEN_OPTIONS).files, images: [] }).dataset;
    const flags = (d: Dataset): string[] => d.annotations.map((a) => `${d.images[a.image]!.fileName}:${a.className}:${a.attributes.occluded ? 'o' : ''}${a.attributes.truncated ? 't' : ''}${a.attributes.difficult ? 'd' : ''}`).sort();
    const renamed = { ...prepared, images: prepared.images.map((img, i) => (i === 1 ? { ...img, fileName: 'frame_001_2.jpg' } : img)) };
    expect(flags(back)).toEqual(flags(renamed));
  });
});

describe('Pascal VOC traps', () => {
  it('VOC 1- vs 0-based corners: export is strict devkit, 1-based inclusive', () => {
    expect(devkitSpan(0, 640, 640)).toEqual({ min: 1, max: 640, widened: false });
    expect(devkitSpan(10.25, 110.25, 640)).toEqual({ min: 11, max: 110, widened: false });
    expect(devkitSpan(9.5, 10.49, 640)).toEqual({ min: 10, max: 10, widened: true });
    // A box thinner than a pixel becomes the 1-pixel box under its centre, never xmax < xmin.
    expect(devkitSpan(10.6, 10.9, 640)).toEqual({ min: 11, max: 11, widened: true });
    expect(devkitSpan(639.7, 640, 640)).toEqual({ min: 640, max: 640, widened: true });
    expect(devkitSpan(0, 0.3, 640)).toEqual({ min: 1, max: 1, widened: true });
    const d: Dataset = {
      classes: [{ name: 'c' }],
      images: [{ relativePath: 'a.jpg', fileName: 'a.jpg', width: 50, height: 40, split: 'unassigned' }],
      annotations: [{ image: 0, className: 'c', shape: { kind: 'box', x: 10.6, y: 0, w: 0.3, h: 40 }, attributes: {} }],
    };
    const out = voc.serialize(d, GOLDEN_OPTIONS);
    const xml = decodeText(out.files.get('Annotations/a.xml')!);
    expect(xml).toContain('<xmin>11</xmin>');
    expect(xml).toContain('<xmax>11</xmax>');
    expect(xml).toContain('<ymin>1</ymin>');
    expect(xml).toContain('<ymax>40</ymax>');
    expect(out.notes).toEqual([expect.objectContaining({ kind: 'changed', image: 'a.jpg', message: expect.stringContaining('1 px wide') })]);
    expect(roundTrip(d, false)).toEqual([]);
  });

  it('VOC 1- vs 0-based corners: import subtracts 1 from xmin and ymin by default', () => {
    const r = parseFiles({ 'Annotations/a.xml': vocXml({ objects: [obj('car', 11, 21, 50, 60)] }) });
    expect(r.diagnostics).toEqual([]);
    expect(r.dataset.annotations[0]!.shape).toEqual({ kind: 'box', x: 10, y: 20, w: 40, h: 40 });
    // The whole image, 1..W / 1..H, is exactly [0, W] × [0, H].
    const full = parseFiles({ 'Annotations/a.xml': vocXml({ objects: [obj('car', 1, 1, 100, 80)] }) });
    expect(full.dataset.annotations[0]!.shape).toEqual({ kind: 'box', x: 0, y: 0, w: 100, h: 80 });
  });

  it('VOC 1- vs 0-based corners: a file with an xmin or ymin of 0 is read unshifted, and says so', () => {
    const r = parseFiles({
      'Annotations/a.xml': vocXml({ objects: [obj('car', 10, 20, 50, 60), obj('car', 0, 5, 30, 40)] }),
      'Annotations/b.xml': vocXml({ filename: '<filename>b.jpg</filename>', objects: [obj('car', 10, 20, 50, 60)] }),
    });
    expect(r.dataset.annotations.map((a) => a.shape)).toEqual([
      { kind: 'box', x: 10, y: 20, w: 40, h: 40 },
      { kind: 'box', x: 0, y: 5, w: 30, h: 35 },
      { kind: 'box', x: 9, y: 19, w: 41, h: 41 },
    ]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', file: 'Annotations/a.xml', message: expect.stringContaining('0-based') })]);
  });

  it('escapes names with < & " \' , and non-ASCII letters and reads them back', () => {
    const name = `Straße <&> "sign", it's 日本`;
    const d: Dataset = {
      classes: [{ name }],
      images: [{ relativePath: 'ünï & <x>.jpg', fileName: 'ünï & <x>.jpg', width: 30, height: 30, split: 'train' }],
      annotations: [{ image: 0, className: name, shape: { kind: 'box', x: 1, y: 1, w: 10, h: 10 }, attributes: {} }],
    };
    const out = voc.serialize(d, GOLDEN_OPTIONS);
    const xml = decodeText(out.files.get('Annotations/ünï & <x>.xml')!);
    expect(xml).toContain('<name>Straße &lt;&amp;&gt; &quot;sign&quot;, it&apos;s 日本</name>');
    expect(xml).toContain('<filename>ünï &amp; &lt;x&gt;.jpg</filename>');
    const back = voc.parse({ files: out.files, images: [] }).dataset;
    expect(back.classes).toEqual([{ name }]);
    expect(back.images[0]!.relativePath).toBe('JPEGImages/ünï & <x>.jpg');
    expect(roundTrip(d, true)).toEqual([]);
  });

  it('reads numeric character references and leaves a &&amp;lt; as written', () => {
    const r = parseFiles({ 'Annotations/a.xml': vocXml({ objects: [obj('caf&#233; &#x263A; &amp;lt;', 2, 2, 5, 5)] }) });
    expect(r.dataset.classes).toEqual([{ name: 'café ☺ &lt;' }]);
  });

  it('round-trips a background image (zero objects)', () => {
    const d: Dataset = { classes: [{ name: 'c' }], images: [{ relativePath: 'bg.png', fileName: 'bg.png', width: 64, height: 48, split: 'val' }], annotations: [] };
    const out = voc.serialize(d, GOLDEN_OPTIONS);
    expect(decodeText(out.files.get('Annotations/bg.xml')!)).not.toContain('<object>');
    const back = voc.parse({ files: out.files, images: [] });
    expect(back.diagnostics).toEqual([]);
    expect(back.dataset.images).toEqual([{ relativePath: 'JPEGImages/bg.png', fileName: 'bg.png', width: 64, height: 48, split: 'val', source: 'Annotations/bg.xml' }]);
    expect(back.dataset.annotations).toEqual([]);
  });

  it('invalid XML → an error naming the file and line, nothing thrown', () => {
    const r = parseFiles({ 'Annotations/a.xml': '<annotation>\n<object>\n<name>x</name>\n</annotation>' });
    expect(r.dataset.images).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'Annotations/a.xml', line: expect.any(Number) as number, message: expect.stringContaining('not valid XML') })]);
    expect(r.diagnostics[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('an entity-expansion (billion laughs) file neither hangs nor expands', () => {
    const lol = ['<?xml version="1.0"?>', '<!DOCTYPE annotation [', '<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i - 1 || ''};`.repeat(10)}">`.replace('&lol0;', '&lol;'));
    lol.push(']>', vocXml({ objects: [obj('&lol9;', 2, 2, 5, 5)] }));
    const started = Date.now();
    const r = parseFiles({ 'Annotations/a.xml': lol.join('\n') });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.dataset.classes).toEqual([{ name: '&lol9;' }]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringContaining('not expanded') })]);
  });

  it('a file declaring an external entity is refused, nothing fetched', () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE annotation [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${vocXml({ objects: [obj('&xxe;', 2, 2, 5, 5)] })}`;
    const r = parseFiles({ 'Annotations/a.xml': xml });
    expect(r.dataset.images).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'Annotations/a.xml', message: expect.stringContaining('declares an external entity') })]);
  });
});

describe('Pascal VOC import variants', () => {
  it('takes a missing <size> from the image in the source, else from the project, else reports it', () => {
    const xml = vocXml({ size: '', objects: [obj('car', 2, 2, 500, 5)] });
    const fromImage = parseFiles({ 'Annotations/a.xml': xml }, { images: [{ path: 'JPEGImages/a.jpg', width: 300, height: 200 }] });
    expect(fromImage.dataset.images[0]).toMatchObject({ relativePath: 'JPEGImages/a.jpg', width: 300, height: 200 });
    expect(fromImage.dataset.annotations[0]!.shape).toEqual({ kind: 'box', x: 1, y: 1, w: 299, h: 4 });
    expect(fromImage.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('cut at its edge') })]);
    const fromProject = parseFiles({ 'Annotations/a.xml': xml }, { sizeOf: (p) => (p === 'JPEGImages/a.jpg' ? { width: 640, height: 480 } : undefined) });
    expect(fromProject.dataset.images[0]).toMatchObject({ width: 640, height: 480 });
    const unknown = parseFiles({ 'Annotations/a.xml': xml });
    expect(unknown.dataset.images[0]).toMatchObject({ width: 0, height: 0 });
    expect(unknown.dataset.annotations).toHaveLength(1);
    expect(unknown.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', file: 'Annotations/a.xml', field: 'size', message: expect.stringContaining('unknown') })]);
  });

  it('tolerates an empty <difficult/>, float coordinates, any element order, a single object', () => {
    const xml = `<annotation><object><bndbox><ymax>40.7</ymax><xmin>10.5</xmin><xmax>30.2</xmax><ymin>5.5</ymin></bndbox><difficult/><name>car</name><truncated>1</truncated></object><size><height>80</height><width>100</width></size><filename>a.jpg</filename></annotation>`;
    const r = parseFiles({ 'Annotations/a.xml': xml });
    expect(r.diagnostics).toEqual([]);
    expect(r.dataset.images[0]).toMatchObject({ width: 100, height: 80 });
    const a = r.dataset.annotations[0]!;
    expect(a.attributes).toEqual({ truncated: true });
    expect(a.shape.kind).toBe('box');
    if (a.shape.kind === 'box') {
      expect(a.shape.x).toBeCloseTo(9.5);
      expect(a.shape.y).toBeCloseTo(4.5);
      expect(a.shape.w).toBeCloseTo(20.7);
      expect(a.shape.h).toBeCloseTo(36.2);
    }
  });

  it('keeps objects in file order with classes in first-appearance order', () => {
    const r = parseFiles({
      'Annotations/a.xml': vocXml({ objects: [obj('dog', 2, 2, 5, 5), obj('cat', 2, 2, 6, 6), obj('dog', 3, 3, 7, 7)] }),
      'Annotations/b.xml': vocXml({ filename: '<filename>b.jpg</filename>', objects: [obj('bird', 2, 2, 5, 5), obj('Cat', 2, 2, 5, 5)] }),
    });
    expect(r.dataset.classes.map((c) => c.name)).toEqual(['dog', 'cat', 'bird']);
    expect(r.dataset.annotations.map((a) => a.className)).toEqual(['dog', 'cat', 'dog', 'bird', 'cat']);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', file: 'Annotations/b.xml', message: expect.stringContaining('"Cat" read as "cat"') })]);
  });

  it('reads CVAT-flavoured <attributes> and LabelImg files next to their images', () => {
    const xml = vocXml({ objects: [obj('car', 2, 2, 5, 5, '<attributes><attribute><name>occluded</name><value>true</value></attribute><attribute><name>colour</name><value>red</value></attribute></attributes>')] });
    const r = parseFiles({ 'shots/a.xml': xml }, { images: [{ path: 'shots/a.jpg', width: 100, height: 80 }] });
    expect(r.dataset.images[0]!.relativePath).toBe('shots/a.jpg');
    expect(r.dataset.annotations[0]!.attributes).toEqual({ occluded: true, custom: { colour: 'red' } });
  });

  it('takes splits from ImageSets/Main (comments and blank lines allowed); an image in none is unassigned', () => {
    const r = parseFiles({
      'VOC2007/Annotations/a.xml': vocXml({ filename: '<filename>a.jpg</filename>' }),
      'VOC2007/Annotations/b.xml': vocXml({ filename: '<filename>b.jpg</filename>' }),
      'VOC2007/Annotations/c.xml': vocXml({ filename: '<filename>c.jpg</filename>' }),
      'VOC2007/Annotations/d.xml': vocXml({ filename: '<filename>d.jpg</filename>' }),
      'VOC2007/ImageSets/Main/train.txt': '# training\r\na\r\n\r\n',
      'VOC2007/ImageSets/Main/val.txt': '\n  b  \n',
      'VOC2007/ImageSets/Main/test.txt': 'c\nzz\n',
      'VOC2007/ImageSets/Main/trainval.txt': 'a\nb\n',
      'VOC2007/ImageSets/Main/car_train.txt': 'a  1\n',
    });
    expect(r.dataset.images.map((i) => `${i.relativePath}:${i.split}`)).toEqual(['VOC2007/JPEGImages/a.jpg:train', 'VOC2007/JPEGImages/b.jpg:val', 'VOC2007/JPEGImages/c.jpg:test', 'VOC2007/JPEGImages/d.jpg:unassigned']);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', file: 'VOC2007/ImageSets/Main/test.txt', message: expect.stringContaining('zz') })]);
  });

  it('ignores manifest.json and XML that is not VOC outside an Annotations folder', () => {
    const r = parseFiles({ 'manifest.json': '{}', 'other.xml': '<config/>', 'Annotations/a.xml': vocXml() });
    expect(r.dataset.images).toHaveLength(1);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', file: 'other.xml' })]);
  });
});

describe('Pascal VOC labelmap.txt (CVAT, Datumaro)', () => {
  it('writes every class with its colour after background, as CVAT does', () => {
    const out = voc.serialize(prepareExport(goldenDataset(), voc.shapes).dataset, GOLDEN_OPTIONS);
    expect(decodeText(out.files.get('labelmap.txt')!).split('\n')).toEqual([
      '# label:color_rgb:parts:actions',
      'background:0,0,0::',
      'car:230,25,75::',
      'person, walking:60,180,75::',
      'Straße <&> "sign":67,99,216::',
      'bicycle:245,130,49::',
      '',
    ]);
  });

  it('reads it back: classes in its order with its colours, unused ones declared too; background is no class', () => {
    const back = voc.parse({ files: voc.serialize(prepareExport(goldenDataset(), voc.shapes).dataset, GOLDEN_OPTIONS).files, images: [] });
    expect(back.dataset.classes).toEqual([
      { name: 'car', color: '#e6194b' },
      { name: 'person, walking', color: '#3cb44b' },
      { name: 'Straße <&> "sign"', color: '#4363d8' },
      { name: 'bicycle', color: '#f58231' },
    ]);
    expect(back.diagnostics).toEqual([]);
  });

  it("reads CVAT's labelmap.txt, with parts and actions noted and a bad colour said", () => {
    const r = parseFiles({
      'labelmap.txt': '# label:color_rgb:parts:actions\nbackground:0,0,0::\nperson:192,128,128:head,hand:jumping\ntram:300,0,0::\nbus:::\n',
      'Annotations/a.xml': vocXml({ objects: [obj('bus', 2, 2, 10, 10), obj('person', 5, 5, 20, 20)] }),
    });
    expect(r.dataset.classes).toEqual([{ name: 'person', color: '#c08080' }, { name: 'tram' }, { name: 'bus' }]);
    expect(r.dataset.annotations.map((a) => a.className)).toEqual(['bus', 'person']);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.file}${d.line ? `:${d.line}` : ''} ${d.message}`)).toEqual([
      'warning labelmap.txt:4 the colour "300,0,0" of "tram" is not r,g,b (0–255 each); the class gets a colour of its own',
      'info labelmap.txt 1 label lists parts or actions: they are not read',
    ]);
  });

  it('leaves labelmap.txt out, and says why, when a class name holds a colon', () => {
    const d: Dataset = { classes: [{ name: 'a:b' }], images: [{ relativePath: 'x.jpg', fileName: 'x.jpg', width: 10, height: 10, split: 'train' }], annotations: [] };
    const out = voc.serialize(d, GOLDEN_OPTIONS);
    expect(out.files.has('labelmap.txt')).toBe(false);
    expect(out.notes).toEqual([expect.objectContaining({ kind: 'changed', message: expect.stringMatching(/^labelmap\.txt not written: the class "a:b" holds a colon/) })]);
  });
});

describe('Pascal VOC object attributes', () => {
  it('takes the first of each flag, the <attributes> group before an object\'s own <attribute>s, and reads flags and true/false as before', () => {
    const own = (name: string, value: string) => `<attribute><name>${name}</name><value>${value}</value></attribute>`;
    const r = parseFiles({
      'Annotations/a.xml': vocXml({
        objects: [
          obj('a', 2, 2, 5, 5, '<truncated>0</truncated><truncated>1</truncated><difficult> Yes </difficult><occluded>TRUE</occluded>'),
          obj('b', 2, 2, 5, 5, `${own('mine', 'x')}<attributes>${own('g', 'false')}${own('occluded', '1')}</attributes>`),
          obj('c', 2, 2, 5, 5, `${own('mine', 'TRUE')}${own('', 'skipped')}<occluded>0</occluded>`),
          obj('d', 2, 2, 5, 5, '<truncated></truncated><difficult/>'),
        ],
      }),
    });
    expect(r.dataset.annotations.map((a) => a.attributes)).toEqual([{ difficult: true, occluded: true }, { occluded: true, custom: { g: false } }, { custom: { mine: true } }, {}]);
  });
});

describe('Pascal VOC parts', () => {
  it('says, per object, that <part> boxes are not read', () => {
    const part = (name: string) => `<part><name>${name}</name><bndbox><xmin>3</xmin><ymin>3</ymin><xmax>6</xmax><ymax>6</ymax></bndbox></part>`;
    const r = parseFiles({ 'Annotations/a.xml': vocXml({ objects: [obj('person', 2, 2, 30, 40, part('head') + part('hand')), obj('dog', 2, 2, 5, 5)] }) });
    expect(r.dataset.annotations).toHaveLength(2);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', file: 'Annotations/a.xml', field: 'object[0]', message: 'object 1 (person) has 2 <part> boxes (head, hand): parts are not read, only the object\'s own box' })]);
  });
});

describe('Pascal VOC malformed input', () => {
  it.each([
    ['a missing bndbox', '<name>car</name>', 'object[0].bndbox', 'no <bndbox>'],
    ['xmax < xmin', obj('car', 20, 2, 10, 5), 'object[0].bndbox', 'xmax 10 is less than xmin 20'],
    ['ymax < ymin', obj('car', 2, 20, 10, 5), 'object[0].bndbox', 'ymax 5 is less than ymin 20'],
    ['NaN coordinates', obj('car', 'NaN', 2, 10, 5), 'object[0].bndbox', '<xmin> is missing or not a number'],
    ['a missing coordinate', '<name>car</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>3</xmax></bndbox>', 'object[0].bndbox', '<ymax> is missing'],
    ['text coordinates', obj('car', 'ten', 2, 10, 5), 'object[0].bndbox', 'not a number'],
    ['a missing name', '<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>3</xmax><ymax>3</ymax></bndbox>', 'object[0].name', 'no <name>'],
  ])('%s → an error naming the file and the object', (_label, object, field, message) => {
    const r = parseFiles({ 'Annotations/a.xml': vocXml({ objects: [obj('ok', 2, 2, 5, 5), object].reverse() }) });
    expect(r.dataset.annotations).toHaveLength(1);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'Annotations/a.xml', field, line: 4, message: expect.stringContaining(message) })]);
    expect(r.diagnostics[0]!.message).toContain('object 1');
  });

  it('a zero-width box in a 0-based file is skipped with an error', () => {
    const r = parseFiles({ 'Annotations/a.xml': vocXml({ objects: [obj('car', 0, 2, 0, 5)] }) });
    expect(r.dataset.annotations).toEqual([]);
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['info', 'error']);
  });

  it('an empty file, a wrong root element, a file that is not text', () => {
    const r = parseFiles({ 'Annotations/a.xml': '', 'Annotations/b.xml': '<annotations><image/></annotations>', 'Annotations/c.xml': '\u0000\u0001\u00ff' });
    expect(r.dataset.images).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.file}`)).toEqual(['error Annotations/a.xml', 'error Annotations/b.xml', 'error Annotations/c.xml']);
  });

  it('two files for the same image: the second is skipped', () => {
    const r = parseFiles({ 'Annotations/a.xml': vocXml(), 'Annotations/a2.xml': vocXml() });
    expect(r.dataset.images).toHaveLength(1);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'Annotations/a2.xml', message: expect.stringContaining('already annotates') })]);
  });

  it('a missing <filename> falls back to the image with the file stem', () => {
    const r = parseFiles({ 'Annotations/a.xml': vocXml({ filename: '' }) }, { images: [{ path: 'JPEGImages/a.png', width: 100, height: 80 }] });
    expect(r.dataset.images[0]!.relativePath).toBe('JPEGImages/a.png');
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', field: 'filename' })]);
  });
});

describe('Pascal VOC detect', () => {
  it('is sure of Annotations/*.xml with <annotation>, not of CVAT or other XML', () => {
    const ours = voc.serialize(prepareExport(goldenDataset(), voc.shapes).dataset, GOLDEN_OPTIONS).files;
    expect(voc.detect(ours)).toBeGreaterThanOrEqual(0.9);
    expect(voc.detect(files({ 'x/a.xml': vocXml({ objects: [obj('c', 1, 1, 2, 2)] }) }))).toBeGreaterThanOrEqual(0.7);
    expect(voc.detect(files({ 'annotations.xml': '<annotations><version>1.1</version></annotations>' }))).toBe(0);
    expect(voc.detect(files({ 'a.json': '{}', 'b.txt': '0 0.5 0.5 0.1 0.1' }))).toBe(0);
  });
});

/** Truncation, a byte flip (possibly breaking UTF-8), a deleted or a duplicated line. */

describe('Pascal VOC fuzz', () => {
  const valid = voc.serialize(prepareExport(goldenDataset(), voc.shapes).dataset, GOLDEN_OPTIONS).files;
  const check = (r: ParseResult): void => expectSoundParse(r);


  it('never throws on random bytes or random XML-ish text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => check(voc.parse({ files: new Map([['Annotations/x.xml', bytes]]), images: [] }))),
      { numRuns: 100 },
    );
    const token = fc.constantFrom('<annotation>', '</annotation>', '<object>', '</object>', '<name>c</name>', '<bndbox>', '</bndbox>', '<xmin>0</xmin>', '<ymin>-3</ymin>', '<xmax>1e9</xmax>', '<ymax>NaN</ymax>', '<xmax>7.5</xmax>', '<ymax>9</ymax>', '<size><width>10</width><height>8</height></size>', '<difficult/>', '&amp;', '&#0;', '<![CDATA[x]]>', '<!-- c -->', '<', '>', ' ');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => check(voc.parse({ files: new Map([['Annotations/x.xml', encodeText(tokens.join(''))]]), images: [] }))),
      { numRuns: 100 },
    );
  });

  it('never throws on mutations of a valid export, and what it returns is sound', () => {
    const texts = [...valid].map(([p, b]) => [p, decodeText(b)] as const);
    fc.assert(
      fc.property(
        fc.nat({ max: texts.length - 1 }),
        fc.constantFrom('truncate' as const, 'flip' as const, 'delete' as const, 'duplicate' as const),
        fc.nat(),
        fc.nat(),
        (which, how, at, value) => {
          const [path, text] = texts[which]!;
          const input = new Map(valid);
          input.set(path, mutate(text, how, at, value));
          check(voc.parse({ files: input, images: [] }));
        },
      ),
      { numRuns: 200 },
    );
  }, HEAVY_TEST_MS);
});
