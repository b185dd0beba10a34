import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/prng';
import type { Split } from '../core/model';
import { decodeText, encodeText } from './shared/text';
import type { Dataset, DatasetAnnotation, ParseInput, SourceImageInfo } from './types';
import { parseVoc, voc } from './voc';
import { plainVoc } from './vocPlain';

const written = (dataset: Dataset): Map<string, Uint8Array> => voc.serialize(dataset, { includeImages: false, tallyVersion: 'test', createdAt: '2026-01-01T00:00:00Z' }).files;

describe('plainVoc', () => {
  const dataset: Dataset = {
    classes: [{ name: 'car' }, { name: 'traffic light' }],
    images: [{ relativePath: 'a/b.jpg', fileName: 'b.jpg', width: 640, height: 480, split: 'train' }],
    annotations: [
      { image: 0, className: 'car', shape: { kind: 'box', x: 10, y: 20, w: 30, h: 40 }, attributes: { truncated: true } },
      { image: 0, className: 'traffic light', shape: { kind: 'box', x: 0, y: 0, w: 640, h: 480 }, attributes: { difficult: true, occluded: true } },
    ],
  };
  const bytes = written(dataset).get('Annotations/b.xml')!;
  const text = decodeText(bytes);

  it('reads a file as Tally writes it: each value as written, each object with the line of its start tag', () => {
    expect(plainVoc(bytes)).toEqual({
      filename: 'b.jpg',
      width: '640',
      height: '480',
      objects: [
        { name: 'car', truncated: true, difficult: false, occluded: false, xmin: 11, ymin: 21, xmax: 40, ymax: 60, line: 11 },
        { name: 'traffic light', truncated: false, difficult: true, occluded: true, xmin: 1, ymin: 1, xmax: 640, ymax: 480, line: 24 },
      ],
    });
    expect(text.split('\n')[10]).toBe('\t<object>');
    expect(text.split('\n')[23]).toBe('\t<object>');
  });

  it('gives up on anything else', () => {
    const variants = [
      text.replaceAll('\n', '\r\n'),
      text.replace('<name>car</name>', '<name>car &amp; bus</name>'),
      text.replace('<name>car</name>', '<name> car</name>'),
      text.replace('<name>car</name>', '<name></name>'),
      text.replace('<filename>b.jpg</filename>', '<filename>b\u0001.jpg</filename>'),
      text.replace('<xmin>11</xmin>', '<xmin>11.5</xmin>'),
      text.replace('<xmin>11</xmin>', '<xmin>1234567890</xmin>'),
      text.replace('<xmin>11</xmin>', '<xmin></xmin>'),
      text.replace('<truncated>1</truncated>', '<truncated>yes</truncated>'),
      text.replace('<pose>Unspecified</pose>', '<pose>Left</pose>'),
      text.replace('\t\t</bndbox>\n\t</object>', '\t\t</bndbox>\n\t\t<part><name>head</name></part>\n\t</object>'),
      text.replace('</annotation>\n', '</annotation>'),
      text.replace('</annotation>\n', '</annotation>\n<!-- -->'),
      text.replace('encoding="UTF-8"', "encoding='UTF-8'"),
      `\uFEFF${text}`,
    ];
    for (const v of variants) expect(plainVoc(encodeText(v)), v).toBeNull();
    // A byte that is not UTF-8, in a name: decoded as decodeText decodes the file (U+FFFD), then read.
    const invalid = encodeText(text.replace('<name>car</name>', '<name>car\u00ff</name>'));
    const at = invalid.indexOf(0xc3);
    invalid[at] = 0xff;
    invalid.copyWithin(at + 1, at + 2);
    expect(plainVoc(invalid.subarray(0, invalid.length - 1))?.objects[0]?.name).toBe('car\ufffd');
  });
});

/**
 * A random VOC file set: Tally's own files for a random dataset (most of it: the short path's
 * case), with random edits to some of them and random image inputs, so that many files leave the
 * short path somewhere and for each reason it checks.
 */
function randomInput(seed: number): ParseInput {
  const r = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const classNames = ['car', 'Car', 'person', 'a & b', ' padded', 'ünïcode', 'x<y'];
  const sizes = [
    [640, 480],
    [100, 100],
    [1, 1],
  ] as const;
  const images = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, i) => {
    const [width, height] = pick(sizes);
    return { relativePath: `img${pick([i, i, i, 0])}${pick(['.jpg', '.jpg', '.png', ' x.jpg', '&.jpg'])}`, fileName: '', width, height, split: pick<Split>(['train', 'val', 'test', 'unassigned']) };
  });
  const box = (width: number, height: number): DatasetAnnotation['shape'] => {
    if (r() < 0.2) {
      const w = 1 + Math.floor(r() * 20);
      return { kind: 'box', x: width - w + pick([0, 0.4, 1, 3]), y: pick([0, 0.2, 5]), w, h: 1 + Math.floor(r() * 20) };
    }
    return { kind: 'box', x: Math.round(r() * width * 10) / 10, y: Math.round(r() * height * 10) / 10, w: pick([0.2, 1, 5.5, 40]), h: pick([0.3, 1, 7, 30]) };
  };
  const annotations: DatasetAnnotation[] = [];
  images.forEach((img, i) => {
    for (let k = Math.floor(r() * 6); k > 0; k--) {
      annotations.push({ image: i, className: pick(classNames), shape: box(img.width, img.height), attributes: r() < 0.3 ? { truncated: r() < 0.5, difficult: r() < 0.5, occluded: r() < 0.5 } : {} });
    }
  });
  const dataset: Dataset = { classes: [...new Set(annotations.map((a) => a.className))].map((name) => ({ name })), images: images.map((img) => ({ ...img, fileName: img.relativePath })), annotations };
  const files = new Map<string, Uint8Array>();
  for (const [path, bytes] of written(dataset)) {
    if (!path.endsWith('.xml') || r() < 0.7) {
      files.set(path, bytes);
      continue;
    }
    // An edit that the short path must give up on, or read as the tree does.
    const text = decodeText(bytes);
    const edit = pick<(t: string) => string>([
      (t) => t.replace(/<xmin>\d+<\/xmin>/, '<xmin>0</xmin>'),
      (t) => t.replace(/<xmax>\d+<\/xmax>/, '<xmax>2</xmax>'),
      (t) => t.replace(/<ymax>\d+<\/ymax>/, '<ymax>100000</ymax>'),
      (t) => t.replace(/<width>\d+<\/width>/, '<width>0</width>'),
      (t) => t.replace(/<width>\d+<\/width>/, '<width>12.6</width>'),
      (t) => t.replace(/<height>\d+<\/height>/, '<height>99</height>'),
      (t) => t.replace(/<filename>/, '<filename>sub/'),
      (t) => t.replace(/<filename>/, '<filename>sub\\'),
      (t) => t.replace(/<filename>[^<]*<\/filename>/, '<filename>img0.jpg</filename>'),
      (t) => t.replace(/<name>[^<]*<\/name>/, '<name>CAR</name>'),
      (t) => t.replace(/<truncated>0/, '<truncated>1'),
      (t) => t.replaceAll('\n', '\r\n'),
      (t) => t.replace('<pose>', '<part><name>hand</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></part>\n\t\t<pose>'),
    ]);
    files.set(r() < 0.1 ? path.replace('Annotations/', 'Annotations/deeper/') : path, encodeText(edit(text)));
  }
  const given: SourceImageInfo[] = r() < 0.5 ? [] : images.filter(() => r() < 0.7).map((img, i) => ({ path: `JPEGImages/${img.relativePath}`, width: img.width + (r() < 0.2 ? 1 : 0), height: img.height, ...(i === 0 ? { sha256: 'f'.repeat(64) } : {}) }));
  return { files, images: given, sizeOf: (path) => (r() < 0.5 ? { width: 640, height: 480 } : path.endsWith('.png') ? { width: 100, height: 100 } : undefined) };
}

describe('parseVoc: the short path for files in Tally’s layout', () => {
  it('reads 1,500 random file sets exactly as the general path does (dataset and diagnostics)', () => {
    let shortPath = 0;
    let shapes = 0;
    for (let seed = 1; seed <= 1_500; seed++) {
      const input = randomInput(seed);
      // sizeOf draws from a generator of its own: the same answers for both readings.
      const answers = new Map<string, ReturnType<NonNullable<ParseInput['sizeOf']>>>();
      const sizeOf = (path: string) => {
        if (!answers.has(path)) answers.set(path, input.sizeOf!(path));
        return answers.get(path);
      };
      const a = parseVoc({ ...input, sizeOf }, true);
      const b = parseVoc({ ...input, sizeOf }, false);
      expect(a.diagnostics, `seed ${seed}`).toEqual(b.diagnostics);
      expect(a.dataset, `seed ${seed}`).toEqual(b.dataset);
      shapes += a.dataset.annotations.length;
      for (const [path, bytes] of input.files) if (path.endsWith('.xml') && plainVoc(bytes)) shortPath++;
    }
    // Both kinds of file are there, and they hold shapes.
    expect(shortPath).toBeGreaterThan(1_000);
    expect(shapes).toBeGreaterThan(3_000);
  }, 60_000);
});
