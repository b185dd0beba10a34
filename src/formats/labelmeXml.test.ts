import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/prng';
import { GOLDEN_OPTIONS, goldenDataset, randomDataset } from '../test-support/datasets';
import { expectGoldenFiles, expectSoundParse, mutate, type Mutation } from '../test-support/formatChecks';
import { detectFormat } from './index';
import { labelmeXml } from './labelmeXml';
import { compareDatasets } from './shared/compare';
import { prepareExport } from './shared/prepare';
import { decodeText, encodeText } from './shared/text';
import type { Dataset, ParseInput, ParseResult, SourceImageInfo } from './types';
import { voc } from './voc';

const GOLDEN_DIR = fileURLToPath(new URL('./__golden__/labelme-xml/', import.meta.url));
const prepared = (d: Dataset): Dataset => prepareExport(d, labelmeXml.shapes).dataset;
const input = (files: Record<string, string>, images: SourceImageInfo[] = [], sizeOf?: ParseInput['sizeOf']): ParseInput => ({
  files: new Map(Object.entries(files).map(([k, v]) => [k, encodeText(v)])),
  images,
  ...(sizeOf ? { sizeOf } : {}),
});
const summary = (r: ParseResult): string[] => r.diagnostics.map((d) => `${d.severity} ${d.file}${d.line ? `:${d.line}` : ''}${d.field ? ` (${d.field})` : ''} ${d.message}`);

function roundTrip(d: Dataset, withImages = false): { written: Dataset; back: ParseResult; problems: string[] } {
  const written = prepared(d);
  const out = labelmeXml.serialize(written, GOLDEN_OPTIONS);
  const images = withImages ? written.images.map((img, i) => ({ path: out.imagePaths[i]!, width: img.width, height: img.height })) : [];
  const back = labelmeXml.parse({ files: out.files, images });
  return { written, back, problems: compareDatasets(written, back.dataset, out.imageRefs, labelmeXml.precision) };
}

/** LabelMe 3.0 as MIT LabelMe (and CVAT) write it: seven outlined objects, no <bndbox>. */
const MIT = `<annotation><filename>street.jpg</filename><folder>users/ana/street</folder>
<source><sourceImage>The MIT-CSAIL database</sourceImage><sourceAnnotation>LabelMe Webtool</sourceAnnotation></source>
<imagesize><nrows>300</nrows><ncols>400</ncols></imagesize>
${Array.from({ length: 7 }, (_, k) => `<object><name>${k === 6 ? 'tree' : 'car'}</name><deleted>${k === 5 ? 1 : 0}</deleted><verified>0</verified><occluded>${k === 1 ? 'yes' : 'no'}</occluded><date>01-Jan-2010</date><id>${k}</id><parts><hasparts></hasparts><ispartof>${k === 2 ? 0 : ''}</ispartof></parts>${k === 0 ? '<type>bounding_box</type>' : ''}<polygon><username>ana</username><pt><x>${10 + k}</x><y>20</y></pt><pt><x>60</x><y>20</y></pt><pt><x>60</x><y>70</y></pt><pt><x>${10 + k}</x><y>70</y></pt></polygon><attributes>${k === 3 ? 'colour=red, parked, truncated=true' : ''}</attributes></object>`).join('\n')}
</annotation>`;

describe('LabelMe 3.0 XML export', () => {
  it('writes the golden files byte for byte', () => {
    expectGoldenFiles(GOLDEN_DIR, labelmeXml.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS).files);
  });

  it('puts each XML beside its image in its split folder, names unique per folder by stem', () => {
    const out = labelmeXml.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS);
    expect(out.imagePaths).toEqual(['train/frame_001.jpg', 'train/frame_001_2.jpg', 'val/empty road.png', 'val/crossing.jpg']);
    expect([...out.files.keys()]).toEqual(['train/frame_001.xml', 'train/frame_001_2.xml', 'val/empty road.xml', 'val/crossing.xml']);
  });

  it('writes a box as a bounding_box outline of its 4 corners, clockwise from the top-left', () => {
    const xml = decodeText(labelmeXml.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS).files.get('train/frame_001.xml')!);
    expect(xml).toContain('<type>bounding_box</type>\n\t\t<polygon>\n\t\t\t<pt><x>10.25</x><y>20.5</y></pt>\n\t\t\t<pt><x>110.25</x><y>20.5</y></pt>\n\t\t\t<pt><x>110.25</x><y>71.25</y></pt>\n\t\t\t<pt><x>10.25</x><y>71.25</y></pt>');
    expect(xml).toContain('<imagesize>\n\t\t<nrows>480</nrows>\n\t\t<ncols>640</ncols>');
  });
});

describe('LabelMe 3.0 XML round trip', () => {
  it('reads the golden export back as written, with and without the images', () => {
    for (const withImages of [false, true]) {
      const { back, problems } = roundTrip(goldenDataset(), withImages);
      expect(problems).toEqual([]);
      expect(back.diagnostics).toEqual([]);
      expect(back.dataset.annotations[0]!.attributes).toEqual({ occluded: true });
      expect(back.dataset.annotations[2]!.attributes).toEqual({ truncated: true });
    }
  });

  it('round-trips random datasets (seeded): boxes stay boxes, polygons polygons', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { written, back, problems } = roundTrip(randomDataset(mulberry32(seed)));
      expect(problems, `seed ${seed}`).toEqual([]);
      expect(back.dataset.annotations.map((a) => a.shape.kind)).toEqual(written.annotations.map((a) => a.shape.kind));
      expectSoundParse(back);
    }
  });

  it('keeps custom attributes (a comma or = in a value written as a space, and said)', () => {
    const d: Dataset = {
      classes: [{ name: 'car' }],
      images: [{ relativePath: 'a.jpg', fileName: 'a.jpg', width: 50, height: 40, split: 'train' }],
      annotations: [{ image: 0, className: 'car', shape: { kind: 'box', x: 1, y: 2, w: 3, h: 4 }, attributes: { difficult: false, custom: { colour: 'red', parked: true, note: 'a=b, c' } } }],
    };
    const out = labelmeXml.serialize(prepared(d), GOLDEN_OPTIONS);
    expect(out.notes).toEqual([expect.objectContaining({ kind: 'changed', message: expect.stringMatching(/^1 shape had an attribute name or value with a comma/) })]);
    const back = labelmeXml.parse({ files: out.files, images: [] });
    expect(back.dataset.annotations[0]!.attributes).toEqual({ difficult: false, custom: { colour: 'red', parked: true, note: 'a b  c' } });
  });
});

describe('LabelMe 3.0 XML traps', () => {
  it('reads the MIT layout: seven outlined objects (no <bndbox>) — not Pascal VOC', () => {
    const files = input({ 'street.xml': MIT }).files;
    expect(detectFormat(files)?.id).toBe('labelme-xml');
    expect(voc.detect(files)).toBe(0);
    const r = labelmeXml.parse(input({ 'street.xml': MIT }));
    expect(r.dataset.images).toEqual([{ relativePath: 'street.jpg', fileName: 'street.jpg', width: 400, height: 300, split: 'unassigned', source: 'street.xml' }]);
    expect(r.dataset.annotations.map((a) => `${a.className} ${a.shape.kind}`)).toEqual(['car box', 'car polygon', 'car polygon', 'car polygon', 'car polygon', 'tree polygon']);
    expect(r.dataset.annotations[0]!.shape).toEqual({ kind: 'box', x: 10, y: 20, w: 50, h: 50 });
    expect(r.dataset.annotations[1]!.attributes).toEqual({ occluded: true });
    expect(r.dataset.annotations[3]!.attributes).toEqual({ truncated: true, custom: { colour: 'red', parked: true } });
    expect(summary(r)).toEqual([
      'info street.xml:9 (object[5]) skipped object 6 (car): it is marked deleted',
      'info street.xml 1 object is part of another or has parts (<parts>): the relation is not kept, each object is read on its own',
    ]);
  });

  it('takes the image in the XML\'s own folder, the split from it, and the size from the image when <imagesize> is missing', () => {
    const xml = MIT.replace(/<imagesize>.*<\/imagesize>/, '');
    const r = labelmeXml.parse(input({ 'val/street.xml': xml }, [{ path: 'val/street.jpg', width: 640, height: 480, sha256: 'ab'.repeat(32) }]));
    expect(r.dataset.images).toEqual([{ relativePath: 'val/street.jpg', fileName: 'street.jpg', width: 640, height: 480, split: 'val', source: 'val/street.xml', sha256: 'ab'.repeat(32) }]);
    const unknown = labelmeXml.parse(input({ 'street.xml': xml }));
    expect(summary(unknown)[0]).toBe('warning street.xml (imagesize) the size of street.jpg is unknown (no <imagesize>, no image file): shapes are not checked against it');
  });

  it('says when the stated size differs from the image, and clips shapes reaching outside', () => {
    const r = labelmeXml.parse(input({ 'street.xml': MIT.replace('<ncols>400</ncols>', '<ncols>40</ncols>') }, [{ path: 'street.jpg', width: 400, height: 300 }]));
    expect(summary(r)).toContain('warning street.xml (imagesize) the file says 40×300, the image is 400×300; coordinates are read against the file\'s size');
    expect(summary(r).some((s) => s.includes('reached outside the 40×300 image and was cut at its edge'))).toBe(true);
  });

  it('skips masks and outlines of fewer than 3 points, each said with its line', () => {
    const xml = '<annotation><filename>a.jpg</filename><imagesize><nrows>10</nrows><ncols>10</ncols></imagesize>\n<object><name>m</name><segm><mask>abc</mask></segm></object>\n<object><name>l</name><polygon><pt><x>1</x><y>1</y></pt><pt><x>2</x><y>2</y></pt></polygon></object>\n<object><polygon><pt><x>1</x><y>1</y></pt></polygon></object></annotation>';
    expect(summary(labelmeXml.parse(input({ 'a.xml': xml })))).toEqual([
      'warning a.xml:2 (object[0]) skipped object 1 (m): it is a mask (<segm>), which Tally does not read',
      'error a.xml:3 (object[1]) skipped object 2 (l): its <polygon> has 2 points, not the 3 an outline needs',
      'error a.xml:4 (object[2].name) skipped object 3: it has no <name>',
    ]);
  });

  it('reads XML entities and non-ASCII names; invalid XML is an error with its line', () => {
    const { back } = roundTrip(goldenDataset());
    expect(back.dataset.classes.map((c) => c.name)).toEqual(['car', 'person, walking', 'Straße <&> "sign"']);
    const bad = labelmeXml.parse(input({ 'a.xml': '<annotation>\n<object><name>x</name>\n</annotation>' }));
    expect(bad.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'a.xml', line: 3 })]);
  });

  it('is not taken for VOC, nor VOC for it', () => {
    const vocFiles = voc.serialize(prepareExport(goldenDataset(), voc.shapes).dataset, GOLDEN_OPTIONS).files;
    expect(labelmeXml.detect(vocFiles)).toBe(0);
    expect(detectFormat(vocFiles)?.id).toBe('voc');
  });
});

describe('LabelMe 3.0 XML fuzz', () => {
  const valid = decodeText(labelmeXml.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS).files.get('train/frame_001.xml')!);

  it('never throws on random bytes or XML-ish text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 300 }).map((s) => encodeText(`<annotation>${s}`))), (bytes) => {
        expectSoundParse(labelmeXml.parse({ files: new Map([['a.xml', bytes]]), images: [] }));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on mutations of a valid export, and what it returns is sound', () => {
    fc.assert(
      fc.property(fc.constantFrom<Mutation>('truncate', 'flip', 'delete', 'duplicate'), fc.nat(), fc.nat(255), fc.boolean(), (how, at, value, withImage) => {
        const images = withImage ? [{ path: 'train/frame_001.jpg', width: 640, height: 480 }] : [];
        expectSoundParse(labelmeXml.parse({ files: new Map([['train/frame_001.xml', mutate(valid, how, at, value)]]), images }));
      }),
      { numRuns: 300 },
    );
  });
});
