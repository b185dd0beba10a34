import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goldenDataset, GOLDEN_OPTIONS } from '../test-support/datasets';
import { mulberry32 } from '../core/prng';
import { cvat } from './cvat';
import { compareDatasets } from './shared/compare';
import { prepareExport } from './shared/prepare';
import { decodeText, encodeText } from './shared/text';
import type { Dataset, DatasetAnnotation, DatasetClass, DatasetImage, ParseInput, ParseResult } from './types';
import { expectSoundParse, mutate } from '../test-support/formatChecks';
import { HEAVY_TEST_MS } from '../test-support/heavy';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '__golden__', 'cvat');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

const files = (entries: Record<string, string>): Map<string, Uint8Array> => new Map(Object.entries(entries).map(([k, v]) => [k, encodeText(v)]));
const parseXml = (xml: string, extra: Partial<ParseInput> = {}): ParseResult => cvat.parse({ files: files({ 'annotations.xml': xml }), images: [], ...extra });

function roundTrip(dataset: Dataset, withImages: boolean): string[] {
  const prepared = prepareExport(dataset, cvat.shapes).dataset;
  const out = cvat.serialize(prepared, GOLDEN_OPTIONS);
  const back = cvat.parse({
    files: out.files,
    images: withImages ? prepared.images.map((img, i) => ({ path: out.imagePaths[i]!, width: img.width, height: img.height })) : [],
  });
  const errors = back.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}: ${d.message}`);
  return [...errors, ...compareDatasets(prepared, back.dataset, out.imageRefs, cvat.precision)];
}

/** Two lines: <values> holds a line break, as CVAT writes it (so an <image> after doc()'s meta starts on line 6). */
const LABELS = '<meta><task><labels><label><name>car</name><color>#FF0000</color><attributes><attribute><name>colour</name><input_type>select</input_type><values>red\nblue</values></attribute><attribute><name>parked</name><input_type>checkbox</input_type><values>false</values></attribute></attributes></label></labels></task></meta>';
const doc = (images: string, meta = LABELS): string => `<?xml version="1.0" encoding="utf-8"?>\n<annotations>\n<version>1.1</version>\n${meta}\n${images}\n</annotations>`;
const image = (inner: string, attrs = 'id="0" name="a.jpg" width="100" height="80"'): string => `<image ${attrs}>\n${inner}\n</image>`;

// ---------------------------------------------------------------------------------------------
// Random datasets

const NAME_PARTS = ['car', 'Straße', 'person, walking', 'a < b', 'R&D', '"quoted"', "it's", 'Ünïcødé', '日本語', 'знак', 'x>y', 'plain'];

function randomDataset(seed: number): Dataset {
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const classes: DatasetClass[] = [];
  const used = new Set<string>();
  const classCount = int(1, 5);
  while (classes.length < classCount) {
    const name = `${NAME_PARTS[int(0, NAME_PARTS.length - 1)]!} ${int(0, 99)}`;
    if (used.has(name.toLowerCase())) continue;
    used.add(name.toLowerCase());
    classes.push({ name, color: `#${int(0, 0xffffff).toString(16).padStart(6, '0')}` });
  }
  const splits = ['train', 'val', 'test', 'unassigned'] as const;
  const images: DatasetImage[] = [];
  const annotations: DatasetAnnotation[] = [];
  const imageCount = int(1, 6);
  for (let i = 0; i < imageCount; i++) {
    const width = int(8, 3000);
    const height = int(8, 3000);
    const fileName = `${NAME_PARTS[int(0, NAME_PARTS.length - 1)]!} ${int(0, 3)}.${['jpg', 'png'][int(0, 1)]!}`;
    images.push({ relativePath: `d${int(0, 2)}/${fileName}`, fileName, width, height, split: splits[int(0, 3)]! });
    const shapes = int(0, 6);
    for (let k = 0; k < shapes; k++) {
      const className = classes[int(0, classes.length - 1)]!.name;
      const x = rnd() * (width - 2);
      const y = rnd() * (height - 2);
      const w = 0.5 + rnd() * (width - x);
      const h = 0.5 + rnd() * (height - y);
      const attributes = { ...(rnd() < 0.3 ? { occluded: true } : {}), ...(rnd() < 0.2 ? { truncated: true } : {}), ...(rnd() < 0.2 ? { difficult: true } : {}) };
      if (rnd() < 0.5) {
        const n = int(3, 8);
        const points: number[] = [];
        // A star-free fan around the centre: always a simple polygon with area.
        for (let p = 0; p < n; p++) {
          const t = (2 * Math.PI * p) / n;
          points.push(x + (w / 2) * (1 + Math.cos(t)), y + (h / 2) * (1 + Math.sin(t)));
        }
        annotations.push({ image: i, className, attributes, shape: { kind: 'polygon', points } });
      } else {
        annotations.push({ image: i, className, attributes, shape: { kind: 'box', x, y, w, h } });
      }
    }
  }
  return { project: { name: `random <${seed}> & "co"` }, classes, images, annotations };
}

// ---------------------------------------------------------------------------------------------

describe('CVAT export', () => {
  it('matches the golden file byte for byte', () => {
    const out = cvat.serialize(prepareExport(goldenDataset(), cvat.shapes).dataset, GOLDEN_OPTIONS);
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
    expect(out.imagePaths).toEqual(['images/train/frame_001.jpg', 'images/train/frame_001_2.jpg', 'images/val/empty road.png', 'images/val/crossing.jpg']);
    expect(out.imageRefs).toEqual(['train/frame_001.jpg', 'train/frame_001_2.jpg', 'val/empty road.png', 'val/crossing.jpg']);
  });

  it('CVAT id = frame index in sorted order of name, and name = the relative path of the exported image', () => {
    const d: Dataset = {
      classes: [],
      images: [
        { relativePath: 'z.jpg', fileName: 'z.jpg', width: 10, height: 10, split: 'train' },
        { relativePath: 'b.jpg', fileName: 'b.jpg', width: 10, height: 10, split: 'val' },
        { relativePath: 'a.jpg', fileName: 'a.jpg', width: 10, height: 10, split: 'val' },
        { relativePath: 'q/A.jpg', fileName: 'A.jpg', width: 10, height: 10, split: 'train' },
      ],
      annotations: [],
    };
    const out = cvat.serialize(d, GOLDEN_OPTIONS);
    const xml = decodeText(out.files.get('annotations.xml')!);
    const written = [...xml.matchAll(/<image id="(\d+)" name="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(written).toEqual(['0 train/A.jpg', '1 train/z.jpg', '2 val/a.jpg', '3 val/b.jpg']);
    expect(out.imageRefs).toEqual(['train/z.jpg', 'val/b.jpg', 'val/a.jpg', 'train/A.jpg']);
    expect(out.imagePaths).toEqual(out.imageRefs.map((r) => `images/${r}`));
    const back = cvat.parse({ files: out.files, images: [] }).dataset.images;
    expect(back.map((i) => `${i.relativePath} ${i.fileName} ${i.split}`)).toEqual(['train/A.jpg A.jpg train', 'train/z.jpg z.jpg train', 'val/a.jpg a.jpg val', 'val/b.jpg b.jpg val']);
  });

  it('writes subset="default" for images without a split, read back as unassigned', () => {
    const d: Dataset = { classes: [], images: [{ relativePath: 'a.jpg', fileName: 'a.jpg', width: 5, height: 5, split: 'unassigned' }], annotations: [] };
    const out = cvat.serialize(d, GOLDEN_OPTIONS);
    expect(decodeText(out.files.get('annotations.xml')!)).toContain('<image id="0" name="default/a.jpg" subset="default" width="5" height="5">');
    expect(cvat.parse({ files: out.files, images: [] }).dataset.images[0]!.split).toBe('unassigned');
  });

  it('widens a box narrower than 0.01 px so it survives the 2 decimals', () => {
    const d: Dataset = {
      classes: [{ name: 'c' }],
      images: [{ relativePath: 'a.jpg', fileName: 'a.jpg', width: 50, height: 40, split: 'train' }],
      annotations: [{ image: 0, className: 'c', shape: { kind: 'box', x: 10.001, y: 39.996, w: 0.002, h: 0.004 }, attributes: {} }],
    };
    const out = cvat.serialize(d, GOLDEN_OPTIONS);
    expect(decodeText(out.files.get('annotations.xml')!)).toContain('xtl="10.00" ytl="39.99" xbr="10.01" ybr="40.00"');
    expect(out.notes).toHaveLength(1);
    expect(roundTrip(d, false)).toEqual([]);
  });
});

describe('CVAT round trip', () => {
  it('reads back the golden dataset within precision (with and without the images)', () => {
    expect(roundTrip(goldenDataset(), true)).toEqual([]);
    expect(roundTrip(goldenDataset(), false)).toEqual([]);
  });

  it('reads back random datasets (unicode, commas, quotes, <, & in names)', () => {
    for (let seed = 1; seed <= 60; seed++) expect(roundTrip(randomDataset(seed), seed % 2 === 0), `seed ${seed}`).toEqual([]);
  }, HEAVY_TEST_MS);

  it('keeps colours, flags and class attributes', () => {
    const d: Dataset = {
      classes: [
        { name: 'car', color: '#112233', attributes: [{ name: 'colour', type: 'select', options: ['red', 'blue'] }, { name: 'parked', type: 'boolean', options: [] }, { name: 'note', type: 'text', options: [] }] },
        { name: 'tree' },
      ],
      images: [{ relativePath: 'a.jpg', fileName: 'a.jpg', width: 100, height: 100, split: 'train' }],
      annotations: [
        { image: 0, className: 'car', shape: { kind: 'box', x: 1, y: 1, w: 5, h: 5 }, attributes: { occluded: true, truncated: true, custom: { colour: 'blue', parked: true, note: 'a "b" <c>\nd' } } },
        { image: 0, className: 'tree', shape: { kind: 'polygon', points: [1, 1, 9, 1, 5, 9] }, attributes: { difficult: true, custom: { tall: true, kind: 'oak' } } },
      ],
    };
    const back = cvat.parse({ files: cvat.serialize(d, GOLDEN_OPTIONS).files, images: [] });
    expect(back.diagnostics).toEqual([]);
    expect(back.dataset.classes).toEqual([
      { name: 'car', color: '#112233', attributes: d.classes[0]!.attributes },
      { name: 'tree', attributes: [{ name: 'tall', type: 'boolean', options: [] }, { name: 'kind', type: 'text', options: [] }] },
    ]);
    expect(back.dataset.annotations.map((a) => a.attributes)).toEqual(d.annotations.map((a) => a.attributes));
  });
});

describe('CVAT traps', () => {
  it('escapes names with < & " \' , and non-ASCII letters and reads them back', () => {
    const name = `Straße <&> "sign", it's 日本`;
    const d: Dataset = {
      project: { name: `Proj <&> "x"` },
      classes: [{ name }],
      images: [{ relativePath: 'ünï & <x> "q".jpg', fileName: 'ünï & <x> "q".jpg', width: 30, height: 30, split: 'val' }],
      annotations: [{ image: 0, className: name, shape: { kind: 'box', x: 1, y: 1, w: 10, h: 10 }, attributes: {} }],
    };
    const out = cvat.serialize(d, GOLDEN_OPTIONS);
    const xml = decodeText(out.files.get('annotations.xml')!);
    expect(xml).toContain('<name>Straße &lt;&amp;&gt; &quot;sign&quot;, it&apos;s 日本</name>');
    expect(xml).toContain('label="Straße &lt;&amp;&gt; &quot;sign&quot;, it&apos;s 日本"');
    expect(xml).toContain('name="val/ünï &amp; &lt;x&gt; &quot;q&quot;.jpg"');
    const back = cvat.parse({ files: out.files, images: [] }).dataset;
    expect(back.classes.map((c) => c.name)).toEqual([name]);
    expect(back.images[0]!.relativePath).toBe('val/ünï & <x> "q".jpg');
    expect(roundTrip(d, true)).toEqual([]);
  });

  it('round-trips a background image (zero shapes)', () => {
    const d: Dataset = { classes: [{ name: 'c' }], images: [{ relativePath: 'bg.png', fileName: 'bg.png', width: 64, height: 48, split: 'test' }], annotations: [] };
    const back = cvat.parse({ files: cvat.serialize(d, GOLDEN_OPTIONS).files, images: [] });
    expect(back.diagnostics).toEqual([]);
    expect(back.dataset.images).toEqual([{ relativePath: 'test/bg.png', fileName: 'bg.png', width: 64, height: 48, split: 'test', source: 'annotations.xml' }]);
    expect(back.dataset.annotations).toEqual([]);
    expect(back.dataset.classes).toEqual([{ name: 'c' }]);
  });

  it('coordinates are absolute pixels, no ±1', () => {
    const r = parseXml(doc(image('<box label="car" occluded="0" xtl="0" ytl="0" xbr="100" ybr="80" z_order="0"/>\n<polygon label="car" occluded="1" points="0,0;100,0;50.5,80" z_order="0"/>')));
    expect(r.diagnostics).toEqual([]);
    expect(r.dataset.annotations.map((a) => a.shape)).toEqual([
      { kind: 'box', x: 0, y: 0, w: 100, h: 80 },
      { kind: 'polygon', points: [0, 0, 100, 0, 50.5, 80] },
    ]);
    expect(r.dataset.annotations[1]!.attributes).toEqual({ occluded: true });
    expect(r.dataset.classes).toEqual([{ name: 'car', color: '#ff0000', attributes: [{ name: 'colour', type: 'select', options: ['red', 'blue'] }, { name: 'parked', type: 'boolean', options: [] }] }]);
  });

  it('invalid XML → an error naming the file and line, nothing thrown', () => {
    const r = parseXml('<annotations>\n<version>1.1</version>\n<image id="0" name="a.jpg">\n<box label="x" xtl="1" />\n</annotations>');
    expect(r.dataset.images).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'annotations.xml', line: 5, message: expect.stringContaining('not valid XML') })]);
  });

  it('an entity-expansion (billion laughs) file neither hangs nor expands', () => {
    const lol = ['<?xml version="1.0"?>', '<!DOCTYPE annotations [', '<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    lol.push(']>', '<annotations><version>1.1</version>', image('<box label="&lol9;" occluded="0" xtl="1" ytl="1" xbr="5" ybr="5"/>', 'id="0" name="&lol9;.jpg" width="10" height="10"'), '</annotations>');
    const started = Date.now();
    const r = parseXml(lol.join('\n'));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.dataset.classes).toEqual([{ name: '&lol9;' }]);
    expect(r.dataset.images[0]!.relativePath).toBe('&lol9;.jpg');
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(r.diagnostics.some((d) => d.message.includes('not expanded'))).toBe(true);
  });
});

describe('CVAT import variants', () => {
  it('skips points and polylines (not closed) with a warning, ignores tags, skips outside and RLE masks', () => {
    const r = parseXml(
      doc(
        image(
          [
            '<tag label="car" source="manual"/>',
            '<points label="car" occluded="0" points="1,1;2,2" z_order="0"/>',
            '<polyline label="car" occluded="0" points="1,1;2,2;3,1" z_order="0"/>',
            '<box label="car" occluded="0" outside="1" xtl="1" ytl="1" xbr="5" ybr="5"/>',
            '<mask label="car" source="manual" occluded="0" rle="1, 2, 3" left="0" top="0" width="3" height="2" z_order="0"/>',
            '<box label="car" occluded="0" xtl="1" ytl="1" xbr="5" ybr="5"/>',
          ].join('\n'),
        ),
      ),
    );
    expect(r.dataset.annotations).toHaveLength(1);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.line ?? ''} ${d.message}`)).toEqual([
      'warning 8 skipped <points> on a.jpg: not a closed shape',
      'warning 9 skipped <polyline> on a.jpg: not a closed shape',
      'info 10 skipped a <box> on a.jpg marked outside="1"',
      'warning 11 skipped a <mask> on a.jpg: RLE masks are not read',
      'info 6 a.jpg: 1 image-level <tag> ignored (Tally has no image tags)',
    ]);
  });

  it('collects class names from the shapes when <meta> declares none, in first-appearance order', () => {
    const r = parseXml(doc(image('<box label="dog" xtl="1" ytl="1" xbr="5" ybr="5"/><polygon label="cat" points="1,1;5,1;3,4"/><box label="Dog" xtl="1" ytl="1" xbr="5" ybr="5"/>'), ''));
    expect(r.dataset.classes).toEqual([{ name: 'dog' }, { name: 'cat' }]);
    expect(r.dataset.annotations.map((a) => a.className)).toEqual(['dog', 'cat', 'dog']);
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['info', 'warning']);
    const undeclared = parseXml(doc(image('<box label="bus" xtl="1" ytl="1" xbr="5" ybr="5"/>')));
    expect(undeclared.dataset.classes.map((c) => c.name)).toEqual(['car', 'bus']);
    expect(undeclared.diagnostics).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringContaining('not declared') })]);
  });

  it('reads labels from <meta><project> and the subset of each image; an unknown subset is unassigned', () => {
    const r = parseXml(
      doc(
        [image('', 'id="0" name="a.jpg" subset="Train" width="10" height="10"'), image('', 'id="1" name="b.jpg" subset="validation" width="10" height="10"'), image('', 'id="2" name="c.jpg" subset="holdout" width="10" height="10"'), image('', 'id="3" name="d.jpg" width="10" height="10"')].join('\n'),
        '<meta><project><labels><label><name>p</name></label></labels></project></meta>',
      ),
    );
    expect(r.dataset.classes).toEqual([{ name: 'p' }]);
    expect(r.dataset.images.map((i) => i.split)).toEqual(['train', 'val', 'unassigned', 'unassigned']);
  });

  it('reads a rotated box as a 4-corner polygon, with a warning', () => {
    const r = parseXml(doc(image('<box label="car" xtl="10" ytl="10" xbr="30" ybr="20" rotation="90"/>')));
    const s = r.dataset.annotations[0]!.shape;
    expect(s.kind).toBe('polygon');
    if (s.kind === 'polygon') expect(s.points.map((v) => Math.round(v * 1000) / 1000)).toEqual([25, 5, 25, 25, 15, 25, 15, 5]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', field: 'rotation' })]);
  });

  it('takes missing width and height from the image file, else the project', () => {
    const xml = doc(image('<box label="car" xtl="1" ytl="1" xbr="500" ybr="5"/>', 'id="0" name="train/a.jpg"'));
    const fromImage = parseXml(xml, { images: [{ path: 'images/train/a.jpg', width: 300, height: 200 }] });
    expect(fromImage.dataset.images[0]).toMatchObject({ relativePath: 'train/a.jpg', width: 300, height: 200 });
    expect(fromImage.dataset.annotations[0]!.shape).toEqual({ kind: 'box', x: 1, y: 1, w: 299, h: 4 });
    const fromProject = parseXml(xml, { sizeOf: (p) => (p === 'train/a.jpg' ? { width: 640, height: 480 } : undefined) });
    expect(fromProject.dataset.images[0]).toMatchObject({ width: 640, height: 480 });
    const unknown = parseXml(xml);
    expect(unknown.dataset.images[0]).toMatchObject({ width: 0, height: 0 });
    expect(unknown.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 6, field: 'image[0]', message: expect.stringContaining('unknown') })]);
  });

  it('says so when width or height is not a number (width="abc"), and takes the size from the image', () => {
    const xml = doc(image('<box label="car" xtl="1" ytl="1" xbr="50" ybr="5"/>', 'id="0" name="a.jpg" width="abc" height="200"'));
    const r = parseXml(xml, { sizeOf: (p) => (p === 'a.jpg' ? { width: 300, height: 200 } : undefined) });
    expect(r.dataset.images[0]).toMatchObject({ width: 300, height: 200 });
    expect(r.diagnostics).toEqual([
      { severity: 'warning', file: 'annotations.xml', line: 6, field: 'image[0].width', message: 'a.jpg: width "abc" and height "200" are not positive numbers; the size is taken from the image instead' },
    ]);
  });

  it('skips video tracks with a warning and tolerates a missing version', () => {
    const r = parseXml('<annotations><track id="0" label="car"><box frame="0" xtl="1" ytl="1" xbr="2" ybr="2"/></track></annotations>');
    expect(r.diagnostics.map((d) => d.severity).sort()).toEqual(['info', 'info', 'warning']);
  });
});

describe('CVAT malformed input', () => {
  it.each([
    ['a box without label', '<box xtl="1" ytl="1" xbr="5" ybr="5"/>', 'no label'],
    ['a box with a missing corner', '<box label="car" xtl="1" ytl="1" xbr="5"/>', 'ybr is missing or not a number'],
    ['a box with NaN', '<box label="car" xtl="NaN" ytl="1" xbr="5" ybr="5"/>', 'xtl is missing or not a number'],
    ['xbr < xtl', '<box label="car" xtl="9" ytl="1" xbr="5" ybr="5"/>', 'xbr 5 is less than xtl 9'],
    ['a polygon with bad points', '<polygon label="car" points="1,1;2;3,3"/>', 'points must look like'],
    ['a polygon with 2 points', '<polygon label="car" points="1,1;2,2"/>', 'at least 3 points'],
    ['a box outside the image', '<box label="car" xtl="200" ytl="1" xbr="300" ybr="5"/>', 'outside the 100×80 image'],
  ])('%s → an error naming the file and line', (_label, shape, message) => {
    const r = parseXml(doc(image(`<box label="car" xtl="1" ytl="1" xbr="5" ybr="5"/>\n${shape}`)));
    expect(r.dataset.annotations).toHaveLength(1);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'annotations.xml', line: 8, message: expect.stringContaining(message) })]);
  });

  it('an image without a name, a duplicate name, a wrong root, an empty file', () => {
    const r = cvat.parse({
      files: files({
        'a/annotations.xml': doc([image('', 'id="0" width="1" height="1"'), image(''), image('', 'id="1" name="a.jpg" width="100" height="80"')].join('\n')),
        'b/annotations.xml': '<annotation/>',
        'c/annotations.xml': '',
      }),
      images: [],
    });
    expect(r.dataset.images).toHaveLength(1);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.file} ${d.line ?? ''}`)).toEqual(['error a/annotations.xml 6', 'error a/annotations.xml 12', 'error b/annotations.xml 1', 'error c/annotations.xml 1']);
  });
});

describe('CVAT detect', () => {
  it('is sure of annotations.xml with <annotations> and a version, not of VOC', () => {
    const ours = cvat.serialize(prepareExport(goldenDataset(), cvat.shapes).dataset, GOLDEN_OPTIONS).files;
    expect(cvat.detect(ours)).toBeGreaterThanOrEqual(0.9);
    expect(cvat.detect(files({ 'Annotations/a.xml': '<annotation><filename>a.jpg</filename></annotation>' }))).toBe(0);
    expect(cvat.detect(files({ 'a.json': '{}' }))).toBe(0);
  });
});

/** Truncation, a byte flip (possibly breaking UTF-8), a deleted or a duplicated line. */

describe('CVAT fuzz', () => {
  const valid = decodeText(cvat.serialize(prepareExport(goldenDataset(), cvat.shapes).dataset, GOLDEN_OPTIONS).files.get('annotations.xml')!);
  const check = (r: ParseResult): void => expectSoundParse(r);


  it('never throws on random bytes or random XML-ish text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => check(cvat.parse({ files: new Map([['annotations.xml', bytes]]), images: [] }))),
      { numRuns: 100 },
    );
    const token = fc.constantFrom('<annotations>', '</annotations>', '<image name="a" width="9" height="9">', '</image>', '<box label="c" xtl="1" ytl="1" xbr="4" ybr="4"/>', '<polygon label="c" points="1,1;4,1;2,4"/>', '<box label="c" xtl="-5" ytl="NaN" xbr="1e9" ybr="4"/>', '&amp;', '&#0;', '&#x110000;', '<![CDATA[x]]>', '<!-- c -->', '"', '<', '>', ' ');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => check(cvat.parse({ files: new Map([['annotations.xml', encodeText(tokens.join(''))]]), images: [] }))),
      { numRuns: 100 },
    );
  });

  it('never throws on mutations of a valid export, and what it returns is sound', () => {
    fc.assert(
      fc.property(fc.constantFrom('truncate' as const, 'flip' as const, 'delete' as const, 'duplicate' as const), fc.nat(), fc.nat(), (how, at, value) => {
        check(cvat.parse({ files: new Map([['annotations.xml', mutate(valid, how, at, value)]]), images: [] }));
      }),
      { numRuns: 200 },
    );
  }, HEAVY_TEST_MS);
});
