import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { GOLDEN_OPTIONS, goldenDataset } from '../test-support/datasets';
import { mulberry32 } from '../core/prng';
import { csv, CSV_FILE, readTextCell, textCell } from './csv';
import { compareDatasets } from './shared/compare';
import { prepareExport } from './shared/prepare';
import { decodeText, encodeText } from './shared/text';
import type { Dataset, DatasetAnnotation, DatasetImage, ParseInput, ParseResult, SourceImageInfo } from './types';
import { expectSoundParse } from '../test-support/formatChecks';
import { HEAVY_TEST_MS } from '../test-support/heavy';

const GOLDEN_FILE = fileURLToPath(new URL('./__golden__/csv/annotations.csv', import.meta.url));
const HEADER = 'image,width,height,class,kind,x,y,w,h,points,annotator,split';

const prepared = (d: Dataset): Dataset => prepareExport(d, csv.shapes).dataset;
const input = (files: Record<string, string>, images: SourceImageInfo[] = []): ParseInput => ({
  files: new Map(Object.entries(files).map(([k, v]) => [k, encodeText(v)])),
  images,
});
const parseText = (content: string, images: SourceImageInfo[] = []): ParseResult => csv.parse(input({ 'annotations.csv': content }, images));
const table = (...rows: string[]): string => [HEADER, ...rows].join('\n');


function roundTrip(d: Dataset): { written: Dataset; back: ParseResult; refs: readonly string[] } {
  const written = prepared(d);
  const out = csv.serialize(written, GOLDEN_OPTIONS);
  return { written, back: csv.parse({ files: out.files, images: [] }), refs: out.imageRefs };
}

describe('CSV export', () => {
  it('writes the golden file byte for byte', () => {
    const out = csv.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS);
    expect([...out.files.keys()]).toEqual([CSV_FILE]);
    const got = out.files.get(CSV_FILE)!;
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(fileURLToPath(new URL('./__golden__/csv/', import.meta.url)), { recursive: true });
      writeFileSync(GOLDEN_FILE, got);
    }
    expect(existsSync(GOLDEN_FILE)).toBe(true);
    expect(Buffer.from(got).equals(readFileSync(GOLDEN_FILE))).toBe(true);
  });

  it('starts with a UTF-8 BOM and ends lines with CRLF', () => {
    const bytes = csv.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS).files.get(CSV_FILE)!;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = decodeText(bytes);
    expect(text.startsWith(`${HEADER}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('puts images under images/<split>/ with names unique per folder, and names them so in the image column', () => {
    const out = csv.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS);
    expect(out.imageRefs).toEqual(['train/frame_001.jpg', 'train/frame_001_2.jpg', 'val/empty road.png', 'val/crossing.jpg']);
    expect(out.imagePaths).toEqual(out.imageRefs.map((r) => `images/${r}`));
    expect(out.notes).toEqual([expect.objectContaining({ kind: 'changed', image: 'night/frame_001.jpg' })]);
  });

  it('writes box corners within 0.005 px and never a zero-size box', () => {
    const d: Dataset = {
      classes: [{ name: 'a' }],
      images: [{ relativePath: 'a.jpg', fileName: 'a.jpg', width: 100, height: 100, split: 'unassigned' }],
      annotations: [
        { image: 0, className: 'a', shape: { kind: 'box', x: 1.004, y: 2.996, w: 3.333, h: 0.004 }, attributes: {} },
        { image: 0, className: 'a', shape: { kind: 'box', x: 99.998, y: 0, w: 0.002, h: 5 }, attributes: {} },
      ],
    };
    const text = decodeText(csv.serialize(prepared(d), GOLDEN_OPTIONS).files.get(CSV_FILE)!);
    expect(text.split('\r\n').slice(1, 3)).toEqual(['default/a.jpg,100,100,a,box,1,3,3.34,0.01,,,default', 'default/a.jpg,100,100,a,box,99.99,0,0.01,5,,,default']);
    const { written, back, refs } = roundTrip(d);
    expect(compareDatasets(written, back.dataset, refs, csv.precision)).toEqual([]);
  });
});

describe('CSV round trip', () => {
  it('reads the golden export back as written', () => {
    const { written, back, refs } = roundTrip(goldenDataset());
    expect(compareDatasets(written, back.dataset, refs, csv.precision)).toEqual([]);
    expect(back.diagnostics).toEqual([]);
    expect(back.dataset.images.map((i) => [i.relativePath, i.width, i.height, i.split])).toEqual([
      ['train/frame_001.jpg', 640, 480, 'train'],
      ['train/frame_001_2.jpg', 320, 240, 'train'],
      ['val/empty road.png', 800, 600, 'val'],
      ['val/crossing.jpg', 1024, 768, 'val'],
    ]);
    expect(back.dataset.annotations.every((a) => a.annotator === 'ana')).toBe(true);
  });

  it('round-trips random datasets (seeded)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { written, back, refs } = roundTrip(randomDataset(seed));
      expect(compareDatasets(written, back.dataset, refs, csv.precision), `seed ${seed}`).toEqual([]);
      expect(back.dataset.annotations.map((a) => a.annotator)).toEqual(written.annotations.map((a) => a.annotator));
      expect(back.diagnostics, `seed ${seed}`).toEqual([]);
      expectSoundParse(back);
    }
  }, HEAVY_TEST_MS);
});

describe('CSV traps', () => {
  it('names with <, &, ", commas, line breaks and non-ASCII letters survive (RFC 4180 quoting)', () => {
    const { back } = roundTrip(goldenDataset());
    expect(back.dataset.classes.map((c) => c.name)).toEqual(['car', 'person, walking', 'Straße <&> "sign"']);
    expect(textCell('a "b", c')).toBe('"a ""b"", c"');
    expect(textCell('line\nbreak')).toBe('"line\nbreak"');
  });

  const FORMULAS = ['=SUM(A1:A2)', '+1', '-x', '@home', '\tTab', '\rCR', "'quoted", "'=x", '=HYPERLINK("http://x","y")'];

  it.each(FORMULAS)('escapes the formula cell %j and reads it back unchanged', (name) => {
    const cell = textCell(name);
    expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
    const [parsed] = Papa.parse<string[]>(`${cell}\n`).data[0]!;
    expect(readTextCell(parsed!)).toBe(name);
  });

  it('round-trips formula-like class, annotator and image names; numbers are never prefixed', () => {
    const d: Dataset = {
      classes: FORMULAS.map((name) => ({ name })),
      images: [{ relativePath: '=cmd|x.jpg', fileName: '=cmd|x.jpg', width: 50, height: 50, split: 'unassigned' }],
      annotations: FORMULAS.map((name, k) => ({ image: 0, className: name, shape: { kind: 'box', x: k, y: k, w: 5, h: 5 }, attributes: {}, annotator: name })),
    };
    const out = csv.serialize(prepared(d), GOLDEN_OPTIONS);
    const text = decodeText(out.files.get(CSV_FILE)!);
    const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data.slice(1);
    for (const row of rows) {
      for (const k of [3, 10]) expect(row[k]!.startsWith("'"), row[k]).toBe(true);
      for (const k of [1, 2, 5, 6, 7, 8]) expect(row[k]).toMatch(/^\d+(\.\d+)?$/);
    }
    const back = csv.parse({ files: out.files, images: [] });
    expect(back.dataset.annotations.map((a) => [a.className, a.annotator])).toEqual(FORMULAS.map((n) => [n, n]));
    expect(compareDatasets(prepared(d), back.dataset, out.imageRefs, csv.precision)).toEqual([]);
  });

  it('keeps a background image as one row with empty class and kind', () => {
    const text = decodeText(csv.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS).files.get(CSV_FILE)!);
    expect(text).toContain('\r\nval/empty road.png,800,600,,,,,,,,,val\r\n');
    const { back } = roundTrip(goldenDataset());
    expect(back.dataset.images[2]).toMatchObject({ relativePath: 'val/empty road.png', width: 800, height: 600 });
  });

  it('reads columns by name in any order and case, and ignores unknown ones', () => {
    const r = parseText(['KIND,Class,Image,h,w,y,x,note', 'box,car,a.jpg,4,3,2,1,hello'].join('\r\n'));
    expect(r.dataset.annotations).toEqual([{ image: 0, className: 'car', shape: { kind: 'box', x: 1, y: 2, w: 3, h: 4 }, attributes: {} }]);
    expect(r.diagnostics.map((d) => [d.severity, d.line])).toEqual([
      ['info', 1],
      ['warning', 2], // size unknown
    ]);
  });

  it('reads a polygon from points (x, y, w, h are only its bounds)', () => {
    const r = parseText(table('p.jpg,10,10,roof,polygon,0,0,0,0,1 1 9 1 5 8,,train'));
    expect(r.dataset.annotations[0]!.shape).toEqual({ kind: 'polygon', points: [1, 1, 9, 1, 5, 8] });
    expect(r.dataset.images[0]!.split).toBe('train');
  });

  it('accepts a semicolon-separated file with decimal commas (European Excel)', () => {
    const r = parseText(['image;width;height;class;kind;x;y;w;h', 'a.jpg;10;10;car;box;1,5;2;3;4'].join('\r\n'));
    expect(r.dataset.annotations[0]!.shape).toEqual({ kind: 'box', x: 1.5, y: 2, w: 3, h: 4 });
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', line: 1 })]);
  });

  it("uses the image's own size when the row disagrees", () => {
    const r = parseText(table('images/../a.jpg,10,10,car,box,1,1,50,50,,,'), [{ path: 'images/a.jpg', width: 20, height: 30, sha256: 'c'.repeat(64) }]);
    expect(r.dataset.images[0]).toMatchObject({ relativePath: 'a.jpg', width: 20, height: 30, sha256: 'c'.repeat(64) });
    expect(r.dataset.annotations[0]!.shape).toEqual({ kind: 'box', x: 1, y: 1, w: 19, h: 29 });
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['warning', 'warning']);
  });

  it('joins rows of one image and reports conflicting sizes and splits', () => {
    const r = parseText(table('a.jpg,10,10,car,box,1,1,2,2,,,train', 'a.jpg,12,10,car,box,1,1,2,2,,,val'));
    expect(r.dataset.images).toHaveLength(1);
    expect(r.dataset.annotations).toHaveLength(2);
    expect(r.diagnostics.map((d) => [d.severity, d.line])).toEqual([
      ['warning', 3],
      ['warning', 3],
    ]);
  });

  it('detects its own header', () => {
    expect(csv.detect(input({ 'annotations.csv': table() }).files)).toBeGreaterThan(0.8);
    expect(csv.detect(input({ 'x.txt': table() }).files)).toBe(0);
  });
});

describe('CSV malformed input', () => {
  it('names a missing required column', () => {
    const r = parseText('image,class,x,y,w,h\na.jpg,car,1,1,2,2');
    expect(r.dataset.images).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'annotations.csv', line: 1 })]);
    expect(r.diagnostics[0]!.message).toContain('"kind"');
  });

  it('reports a box column missing once, when a box row needs it', () => {
    const r = parseText('image,class,kind,points\na.jpg,car,box,\na.jpg,car,box,\na.jpg,roof,polygon,1 1 5 1 3 4');
    expect(r.dataset.annotations).toHaveLength(1);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ line: 1 })]);
    expect(r.diagnostics.find((d) => d.severity === 'error')!.message).toContain('"x", "y", "w", "h"');
  });

  it('reports bad numbers, unknown kinds and empty cells with their line (quoted line breaks counted)', () => {
    const r = parseText(
      table(
        '"multi\nline.jpg",10,10,car,box,1,1,2,2,,,', // line 2–3
        'a.jpg,10,10,car,box,1,abc,2,2,,,', // 4
        'a.jpg,10,10,car,circle,1,1,2,2,,,', // 5
        'a.jpg,10,10,,box,1,1,2,2,,,', // 6
        'a.jpg,10,10,car,,1,1,2,2,,,', // 7
        'a.jpg,10,10,car,polygon,,,,,1 1 2,,', // 8
        'a.jpg,10,10,car,polygon,,,,,1 1 2 x 3 3,,', // 9
        'a.jpg,10,10,car,box,1,1,2', // 10: too few cells
        ',10,10,car,box,1,1,2,2,,,', // 11
        'a.jpg,10,10,car,box,-5,1,2,2,,,', // 12: clipped to nothing
        'a.jpg,ten,10,car,box,1,1,2,2,,,', // 13: bad width on a known image
        'a.jpg,10,10,car,box,1,1,NaN,2,,,', // 14
        'a.jpg,10,10,car,box,1,1,0,2,,,', // 15
        'b.jpg,10,10,car,box,1,1,2,2,,,"unterminated', // 16
      ),
    );
    expect(r.diagnostics.map((d) => [d.severity, d.line])).toEqual([
      ['error', 4],
      ['error', 5],
      ['error', 6],
      ['error', 7],
      ['error', 8],
      ['error', 9],
      ['error', 10],
      ['error', 11],
      ['error', 12],
      ['error', 13],
      ['error', 14],
      ['error', 15],
      ['error', 16],
    ]);
    expect(r.diagnostics.every((d) => d.file === 'annotations.csv')).toBe(true);
    expect(r.dataset.annotations).toHaveLength(2); // line 2 and line 13 (its width is ignored)
    expectSoundParse(r);
  });

  it('refuses a 5,000,000-character class name and any huge cell, by file, line and column', () => {
    const header = 'image,width,height,class,kind,x,y,w,h\n';
    const r = parseText(`${header}a.jpg,10,10,${'c'.repeat(5_000_000)},box,1,1,2,2\na.jpg,10,10,${'d'.repeat(101)},box,1,1,2,2\na.jpg,10,10,car,box,1,1,2,2\n`);
    expect(r.dataset.annotations.map((a) => a.className)).toEqual(['car']);
    expect(r.dataset.classes).toEqual([{ name: 'car' }]);
    expect(r.diagnostics).toEqual([
      { severity: 'error', file: 'annotations.csv', line: 2, field: 'class', message: 'skipped the row: its class cell holds 5,000,000 characters (at most 100,000 are read)' },
      { severity: 'error', file: 'annotations.csv', line: 3, field: 'class', message: 'skipped a box: the class name is 101 characters long (a class name has at most 100)' },
    ]);
  });

  it('reports an empty file and a file with only a BOM', () => {
    expect(parseText('').diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'annotations.csv' })]);
    expect(parseText('\ufeff\r\n').diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'annotations.csv' })]);
  });
});

describe('CSV fuzz', () => {
  const valid = csv.serialize(prepared(goldenDataset()), GOLDEN_OPTIONS).files.get(CSV_FILE)!;

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectSoundParse(csv.parse({ files: new Map([['a.csv', bytes]]), images: [] }));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on random text after a valid header', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        expectSoundParse(parseText(`${HEADER}\n${s}`));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on mutations of a valid export', () => {
    const lines = decodeText(valid).split('\r\n');
    const mutation = fc.oneof(
      fc.nat(valid.length).map((n) => valid.slice(0, n)),
      fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
        const c = valid.slice();
        c[i] = b;
        return c;
      }),
      fc.nat(lines.length - 1).map((i) => encodeText(lines.filter((_, k) => k !== i).join('\r\n'))),
      fc.nat(lines.length - 1).map((i) => encodeText(lines.flatMap((l, k) => (k === i ? [l, l] : [l])).join('\r\n'))),
      fc.tuple(fc.nat(lines.length - 1), fc.constantFrom('-1', '1e308', 'x', '', '"', '-0.5', '99999')).map(([i, v]) =>
        encodeText(lines.map((l, k) => (k === i ? l.replace(/\d+(\.\d+)?/, v) : l)).join('\r\n')),
      ),
    );
    fc.assert(
      fc.property(mutation, fc.boolean(), (bytes, withImage) => {
        const images = withImage ? [{ path: 'images/train/frame_001.jpg', width: 64, height: 48 }] : [];
        expectSoundParse(csv.parse({ files: new Map([[CSV_FILE, bytes]]), images }));
      }),
      { numRuns: 300 },
    );
  }, HEAVY_TEST_MS);
});

// ---------------------------------------------------------------------------------------------

const NAME_PARTS = ['car', 'Straße', 'a,b', '"q"', '<tag>', 'x & y', '日本', 'émile', '-x', '=sum', '+1', '@h', 'line\nbreak', "'"];

function randomDataset(seed: number): Dataset {
  const rnd = mulberry32(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const classes = [...new Set(Array.from({ length: 1 + int(5) }, () => `${pick(NAME_PARTS)}${pick(NAME_PARTS)}`))].map((name, i) => ({ name: `${name}${i}` }));
  const images: DatasetImage[] = Array.from({ length: 1 + int(6) }, () => {
    const fileName = `${pick(['img', '=Bild', 'photo,1', 'é', '"q"'])}${int(3)}.${pick(['jpg', 'png'])}`;
    return { relativePath: `${pick(['a', 'b'])}/${fileName}`, fileName, width: 1 + int(2000), height: 1 + int(2000), split: pick(['train', 'val', 'test', 'unassigned'] as const) };
  });
  const annotations: DatasetAnnotation[] = [];
  images.forEach((img, i) => {
    for (let k = int(6); k > 0; k--) {
      const className = pick(classes).name;
      const annotator = pick(['ana', '-bob', '=x', 'Zoë, the 2nd']);
      const x = rnd() * img.width * 1.1 - img.width * 0.05;
      const y = rnd() * img.height * 1.1 - img.height * 0.05;
      if (rnd() < 0.5) {
        annotations.push({ image: i, className, annotator, shape: { kind: 'box', x, y, w: 0.5 + rnd() * img.width * 0.5, h: 0.5 + rnd() * img.height * 0.5 }, attributes: {} });
      } else {
        const n = 3 + int(6);
        const r = 1 + rnd() * Math.min(img.width, img.height) * 0.3;
        const points = Array.from({ length: n }, (_, p) => [x + r * Math.cos((2 * Math.PI * p) / n), y + r * Math.sin((2 * Math.PI * p) / n)]).flat();
        annotations.push({ image: i, className, annotator, shape: { kind: 'polygon', points }, attributes: {} });
      }
    }
  });
  return { classes, images, annotations };
}
