import { describe, expect, it } from 'vitest';
import { encodeText } from './shared/text';
import type { Diagnostic, ParseInput, ParseResult, SourceImageInfo } from './types';
import { yolo, yoloSeg } from './yolo';

const files = (f: Record<string, string | Uint8Array>): Map<string, Uint8Array> => new Map(Object.entries(f).map(([k, v]) => [k, typeof v === 'string' ? encodeText(v) : v]));
const img = (path: string, width = 100, height = 50): SourceImageInfo => ({ path, width, height });
const parse = (f: Record<string, string | Uint8Array>, images: SourceImageInfo[] = [], sizeOf?: ParseInput['sizeOf']): ParseResult =>
  yolo.parse({ files: files(f), images, ...(sizeOf ? { sizeOf } : {}) });
const summary = (r: ParseResult): string[] =>
  r.dataset.annotations.map((a) => {
    const i = r.dataset.images[a.image]!;
    const s = a.shape;
    const c = s.kind === 'box' ? [s.x, s.y, s.w, s.h] : s.points;
    return `${i.relativePath}|${i.split}|${a.className}|${s.kind}|${c.map((v) => Math.round(v * 1000) / 1000).join(',')}`;
  });
const images = (r: ParseResult): string[] => r.dataset.images.map((i) => `${i.relativePath}|${i.fileName}|${i.split}|${i.width}x${i.height}`);
const diag = (r: ParseResult, severity?: Diagnostic['severity']): string[] =>
  r.diagnostics.filter((d) => severity === undefined || d.severity === severity).map((d) => `${d.severity} ${d.file}${d.line ? `:${d.line}` : ''}${d.field ? ` (${d.field})` : ''} ${d.message}`);

describe('YOLO import: layouts', () => {
  it('reads the Ultralytics layout: data.yaml names as a map, labels beside images/<split>, images matched by stem', () => {
    const r = parse(
      {
        'data.yaml': 'path: ../datasets/x\ntrain: images/train\nval: images/val\nnames:\n  0: car\n  1: person\n',
        'labels/train/a.txt': '0 0.5 0.5 0.2 0.4\n1 0.1 0.1 0.3 0.1 0.3 0.3\n',
        'labels/val/b.txt': '1 0.25 0.5 0.5 1\n',
        'labels/train.cache': 'binary',
      },
      [img('images/train/a.jpg'), img('images/val/b.PNG', 200, 100), img('images/val/c.jpg')],
    );
    expect(images(r)).toEqual(['images/train/a.jpg|a.jpg|train|100x50', 'images/val/b.PNG|b.PNG|val|200x100', 'images/val/c.jpg|c.jpg|val|100x50']);
    expect(summary(r)).toEqual([
      'images/train/a.jpg|train|car|box|40,15,20,20',
      'images/train/a.jpg|train|person|polygon|10,5,30,5,30,15',
      'images/val/b.PNG|val|person|box|0,0,100,100',
    ]);
    expect(r.dataset.classes.map((c) => c.name)).toEqual(['car', 'person']);
    expect(diag(r)).toEqual(['warning labels/train/a.txt:2 mixes box rows (class cx cy w h) and polygon rows: each row was read as what it is, but Ultralytics reads every row of such a file as a polygon']);
  });

  it('accepts names as a list, train/val as lists, an absolute path: key, and split folders not called train/val (data.yaml says)', () => {
    const r = parse(
      {
        'ds/data.yaml': "path: /content/datasets/ds\ntrain: [images/tr2017]\nval: images/v2017\ntest: images/holdout\nnc: 2\nnames: ['a', 'b']\n",
        'ds/labels/tr2017/x.txt': '0 0.5 0.5 1 1',
        'ds/labels/v2017/y.txt': '1 0.5 0.5 1 1',
        'ds/labels/holdout/z.txt': '',
      },
      [img('ds/images/tr2017/x.jpg'), img('ds/images/v2017/y.jpg'), img('ds/images/holdout/z.jpg')],
    );
    expect(images(r).map((s) => s.split('|')[2])).toEqual(['test', 'train', 'val']);
    expect(summary(r)).toEqual(['ds/images/tr2017/x.jpg|train|a|box|0,0,100,50', 'ds/images/v2017/y.jpg|val|b|box|0,0,100,50']);
    expect(diag(r, 'error')).toEqual([]);
  });

  it('trap: data.yaml train: / val: as lists of image files are read as such, with or without the images', () => {
    const yaml = 'train: [images/a.jpg, images/b.jpg]\nval:\n  - images/c.jpg\nnames: [car]\n';
    const labels = { 'labels/a.txt': '0 0.5 0.5 1 1\n', 'labels/c.txt': '0 0.5 0.5 1 1\n' };
    const r = parse({ 'data.yaml': yaml, ...labels }, [img('images/a.jpg'), img('images/b.jpg'), img('images/c.jpg')]);
    expect(images(r).map((s) => s.split('|').slice(0, 3).join('|'))).toEqual(['images/a.jpg|a.jpg|train', 'images/b.jpg|b.jpg|train', 'images/c.jpg|c.jpg|val']);
    expect(diag(r)).toEqual([]);
    // Without the images (label files only): the listed paths are kept (b.jpg: listed, no labels, a background image).
    const bare = parse({ 'data.yaml': yaml, ...labels }, [], () => ({ width: 10, height: 10 }));
    expect(images(bare).map((s) => s.split('|').slice(0, 3).join('|'))).toEqual(['images/a.jpg|a.jpg|train', 'images/b.jpg|b.jpg|train', 'images/c.jpg|c.jpg|val']);
    expect(summary(bare)).toEqual(['images/a.jpg|train|car|box|0,0,10,10', 'images/c.jpg|val|car|box|0,0,10,10']);
    expect(diag(bare)).toEqual([]);
  });

  it('data.yaml without nc (as Tally writes it) reads the names', () => {
    const r = parse({ 'data.yaml': 'train: images/train\nval: images/val\nnames:\n  0: car\n  1: bus\n', 'labels/train/a.txt': '1 0.5 0.5 1 1\n' }, [img('images/train/a.jpg')]);
    expect(r.dataset.classes.map((c) => c.name)).toEqual(['car', 'bus']);
    expect(summary(r)).toEqual(['images/train/a.jpg|train|bus|box|0,0,100,50']);
    expect(diag(r)).toEqual(['info data.yaml (val) folder images/val is not in the import']);
  });

  it('trap: reads the Roboflow layout (<split>/images + <split>/labels, valid = val, train: ../train/images)', () => {
    const r = parse(
      {
        'data.yaml': "train: ../train/images\nval: ../valid/images\ntest: ../test/images\n\nnc: 2\nnames: ['cat', 'dog']\n",
        'README.roboflow.txt': 'Exported via roboflow.com',
        'train/labels/p1_jpg.rf.abc.txt': '0 0.5 0.5 0.5 0.5\n',
        'valid/labels/p2_jpg.rf.def.txt': '1 0.5 0.5 0.5 0.5\n',
        'test/labels/p3_jpg.rf.ghi.txt': '1 0.5 0.5 0.5 0.5 0.75\n',
      },
      [img('train/images/p1_jpg.rf.abc.jpg'), img('valid/images/p2_jpg.rf.def.jpg'), img('test/images/p3_jpg.rf.ghi.jpg')],
    );
    expect(images(r)).toEqual([
      'test/images/p3_jpg.rf.ghi.jpg|p3_jpg.rf.ghi.jpg|test|100x50',
      'train/images/p1_jpg.rf.abc.jpg|p1_jpg.rf.abc.jpg|train|100x50',
      'valid/images/p2_jpg.rf.def.jpg|p2_jpg.rf.def.jpg|val|100x50',
    ]);
    expect(summary(r)).toEqual(['train/images/p1_jpg.rf.abc.jpg|train|cat|box|25,12.5,50,25', 'valid/images/p2_jpg.rf.def.jpg|val|dog|box|25,12.5,50,25']);
    expect(diag(r)).toEqual(['error test/labels/p3_jpg.rf.ghi.txt:1 skipped a row with 5 numbers after the class id: a box has 4 (cx cy w h), a polygon an even number ≥ 6 (x1 y1 x2 y2 x3 y3 …)']);
  });

  it('trap: reads the Darknet "YOLO 1.1" layout (CVAT): obj.data, obj.names, train.txt, obj_train_data/ — with and without images', () => {
    const darknet = {
      'obj.data': 'classes = 2\ntrain = data/train.txt\nnames = data/obj.names\nbackup = backup/\n',
      'obj.names': 'car\nbus\n',
      'train.txt': 'data/obj_train_data/f1.jpg\ndata/obj_train_data/sub/f2.png\ndata/obj_train_data/f3.jpg\n',
      'obj_train_data/f1.txt': '1 0.5 0.5 0.5 0.5\n',
      'obj_train_data/sub/f2.txt': '0 0.5 0.5 1 1\n',
      'obj_valid_data/f4.txt': '0 0.5 0.5 1 1\n',
    };
    const withImages = parse(darknet, [img('obj_train_data/f1.jpg'), img('obj_train_data/sub/f2.png'), img('obj_valid_data/f4.jpg')]);
    expect(images(withImages)).toEqual([
      'obj_train_data/f1.jpg|f1.jpg|train|100x50',
      'obj_train_data/f3.jpg|f3.jpg|train|0x0',
      'obj_train_data/sub/f2.png|f2.png|train|100x50',
      'obj_valid_data/f4.jpg|f4.jpg|val|100x50',
    ]);
    expect(summary(withImages)).toEqual(['obj_train_data/f1.jpg|train|bus|box|25,12.5,50,25', 'obj_train_data/sub/f2.png|train|car|box|0,0,100,50', 'obj_valid_data/f4.jpg|val|car|box|0,0,100,50']);
    expect(withImages.dataset.classes.map((c) => c.name)).toEqual(['car', 'bus']);
    expect(diag(withImages)).toEqual(['info obj_train_data/f3.jpg the size of obj_train_data/f3.jpg is unknown (the image is not in the import and the project has none of that name)']);

    // Without the images: train.txt names them (with their extension), the project gives the sizes.
    const sizes = new Map([['obj_train_data/f1.jpg', { width: 10, height: 10 }], ['obj_valid_data/f4', { width: 20, height: 20 }]]);
    const bare = parse(darknet, [], (p) => sizes.get(p));
    expect(images(bare)).toEqual([
      'obj_train_data/f1.jpg|f1.jpg|train|10x10',
      'obj_train_data/f3.jpg|f3.jpg|train|0x0',
      'obj_train_data/sub/f2.png|f2.png|train|0x0',
      'obj_valid_data/f4|f4|val|20x20',
    ]);
    expect(summary(bare)).toEqual(['obj_train_data/f1.jpg|train|bus|box|2.5,2.5,5,5', 'obj_valid_data/f4|val|car|box|0,0,20,20']);
    expect(diag(bare, 'error')).toEqual([
      'error obj_train_data/sub/f2.txt skipped 1 shape: the size of obj_train_data/sub/f2.png is unknown (the image is not in the import and the project has none of that name), so the normalised coordinates cannot be read as pixels',
    ]);
  });

  it('reads a flat folder (LabelImg: a.jpg, a.txt, classes.txt) and takes images without a .txt there as background', () => {
    const r = parse({ 'shots/classes.txt': 'dog\r\ncat\r\n\r\n', 'shots/a.txt': '1 0.5 0.5 0.5 0.5\r\n', 'notes.txt': 'hello' }, [img('shots/a.jpg'), img('shots/b.jpg'), img('other/c.jpg')]);
    expect(images(r)).toEqual(['shots/a.jpg|a.jpg|unassigned|100x50', 'shots/b.jpg|b.jpg|unassigned|100x50']);
    expect(summary(r)).toEqual(['shots/a.jpg|unassigned|cat|box|25,12.5,50,25']);
    expect(diag(r)).toEqual(['info notes.txt not read: not in a labels folder and no image has its name']);
  });

  it('reads classes.txt inside the labels folder (LabelImg writes it there), never as a label file', () => {
    const r = parse({ 'labels/train/classes.txt': 'dog\ncat\n', 'labels/val/classes.txt': 'dog\ncat\n', 'labels/train/a.txt': '1 0.5 0.5 1 1\n' }, [img('images/train/a.jpg')]);
    expect(summary(r)).toEqual(['images/train/a.jpg|train|cat|box|0,0,100,50']);
    expect(diag(r)).toEqual([]);
  });

  it('without a class list names classes by their ids, with a warning', () => {
    const r = parse({ 'labels/train/a.txt': '2 0.5 0.5 1 1\n0 0.5 0.5 1 1\n' }, [img('images/train/a.jpg')]);
    expect(r.dataset.classes.map((c) => c.name)).toEqual(['0', '1', '2']);
    expect(summary(r).map((s) => s.split('|')[2])).toEqual(['2', '0']);
    expect(diag(r)).toEqual(['warning labels/train/a.txt no data.yaml, obj.names or classes.txt: the 3 classes are named by their ids 0–2']);
  });

  it('takes sizes from the project (sizeOf) when the images are not in the import, and names the image by folder and stem', () => {
    const asked: string[] = [];
    const r = parse({ 'data.yaml': 'names: [a]\n', 'labels/val/x.txt': '0 0.5 0.5 0.5 0.5\n' }, [], (p) => (asked.push(p), { width: 40, height: 20 }));
    expect(asked).toEqual(['images/val/x']);
    expect(images(r)).toEqual(['images/val/x|x|val|40x20']);
    expect(summary(r)).toEqual(['images/val/x|val|a|box|10,5,20,10']);
  });

  it('images in an images folder with no label file are background images; without any size they are reported, not dropped', () => {
    const r = parse({ 'data.yaml': 'train: images/train\nval: images/val\nnames: [a]\n' }, [img('images/train/bg.jpg'), img('images/val/bg2.jpg')]);
    expect(images(r)).toEqual(['images/train/bg.jpg|bg.jpg|train|100x50', 'images/val/bg2.jpg|bg2.jpg|val|100x50']);
    expect(r.dataset.annotations).toEqual([]);
    const unknown = parse({ 'data.yaml': 'names: [a]\n', 'labels/train/e.txt': '' });
    expect(images(unknown)).toEqual(['images/train/e|e|train|0x0']);
    expect(diag(unknown)).toEqual(['info labels/train/e.txt the size of images/train/e is unknown (the image is not in the import and the project has none of that name)']);
  });

  it('warns when two images share a label file (a.jpg and a.png) and gives its shapes to the first', () => {
    const r = parse({ 'data.yaml': 'names: [a]\n', 'labels/train/a.txt': '0 0.5 0.5 1 1\n' }, [img('images/train/a.png'), img('images/train/a.jpg')]);
    expect(summary(r)).toEqual(['images/train/a.jpg|train|a|box|0,0,100,50']);
    expect(images(r)).toHaveLength(2);
    expect(diag(r)).toEqual(['warning labels/train/a.txt labels 2 images with the same stem (a.jpg, a.png): its shapes were given to a.jpg only']);
  });

  it('reads one label file per image: another spelled differently only in case is reported, not merged', () => {
    const r = parse({ 'data.yaml': 'names: [a]\n', 'labels/train/a.txt': '0 0.5 0.5 1 1\n', 'labels/train/A.txt': '0 0.5 0.5 0.5 0.5\n' }, [img('images/train/a.jpg')]);
    expect(summary(r)).toEqual(['images/train/a.jpg|train|a|box|25,12.5,50,25']);
    expect(diag(r)).toEqual(['error labels/train/a.txt not read: labels/train/A.txt is already the label file of images/train/a.jpg (names differing only in case)']);
  });

  it('takes names from a file data.yaml points at (names: obj.names)', () => {
    const r = parse({ 'cfg/data.yaml': 'names: ../meta/obj.names\n', 'meta/obj.names': 'x\ny\n', 'labels/a.txt': '1 0.5 0.5 1 1\n' }, [img('images/a.jpg')]);
    expect(r.dataset.classes.map((c) => c.name)).toEqual(['x', 'y']);
    expect(summary(r)).toEqual(['images/a.jpg|unassigned|y|box|0,0,100,50']);
  });

  it('names from data.yaml: trims, names a missing or duplicate name by its id, and reports nc disagreeing', () => {
    const r = parse({ 'data.yaml': 'nc: 5\nnames:\n  0: car\n  2: " Car "\n  x: bad\n', 'labels/a.txt': '4 0.5 0.5 1 1\n' }, [img('images/a.jpg')]);
    expect(r.dataset.classes.map((c) => c.name)).toEqual(['car', '1', 'Car (2)', '3', '4']);
    expect(diag(r)).toEqual([
      'warning data.yaml (names.x) "x" is not a class id (0, 1, 2…): ignored',
      'warning data.yaml (nc) nc is 5 but names has 3 entries: 5 classes read',
      'warning data.yaml class 1 has no name: named "1"',
      'warning data.yaml class 2 is called "Car" like an earlier class: named "Car (2)"',
      'warning data.yaml class 3 has no name: named "3"',
      'warning data.yaml class 4 has no name: named "4"',
    ]);
  });

  it('reads the rows of both kinds in either format, blank lines, comments, CRLF and a BOM', () => {
    const text = '\uFEFF# a comment\r\n\r\n0 0.5 0.5 1 1\r\n   \r\n0 0 0 1 0 1 1\r\n';
    for (const f of [yolo, yoloSeg]) {
      const r = f.parse({ files: files({ 'data.yaml': 'names: [a]', 'labels/x.txt': text }), images: [img('images/x.jpg')] });
      expect(summary(r)).toEqual(['images/x.jpg|unassigned|a|box|0,0,100,50', 'images/x.jpg|unassigned|a|polygon|0,0,100,0,100,50']);
      expect(diag(r)).toEqual(['warning labels/x.txt:5 mixes box rows (class cx cy w h) and polygon rows: each row was read as what it is, but Ultralytics reads every row of such a file as a polygon']);
    }
  });
});

describe('YOLO import: problems are diagnostics with file and line', () => {
  const one = (rows: string, names = 'names: [a, b]\n'): ParseResult => parse({ 'data.yaml': names, 'labels/train/x.txt': rows }, [img('images/train/x.jpg', 200, 100)]);

  it('trap: mixed YOLO rows are read each as what it is, with a warning naming the first odd line', () => {
    const r = one('0 0.1 0.1 0.2 0.2 0.3 0.1\n1 0.5 0.5 0.2 0.2\n0 0.5 0.5 0.9 0.5 0.9 0.9\n');
    expect(summary(r).map((s) => s.split('|')[3])).toEqual(['polygon', 'box', 'polygon']);
    expect(diag(r)).toEqual(['warning labels/train/x.txt:2 mixes box rows (class cx cy w h) and polygon rows: each row was read as what it is, but Ultralytics reads every row of such a file as a polygon']);
  });

  it('clips values outside [0, 1] with a warning, skips what lies wholly outside', () => {
    const r = one('0 1.1 0.5 0.4 0.2\n0 -0.5 0.5 0.2 0.2\n1 -0.1 -0.1 0.5 0 0.5 0.5\n');
    expect(summary(r)).toEqual(['images/train/x.jpg|train|a|box|180,40,20,20', 'images/train/x.jpg|train|b|polygon|0,0,100,0,100,50']);
    expect(diag(r)).toEqual([
      'warning labels/train/x.txt:3 mixes box rows (class cx cy w h) and polygon rows: each row was read as what it is, but Ultralytics reads every row of such a file as a polygon',
      'warning labels/train/x.txt:1 a box reached outside the 200×100 image and was cut at its edge',
      'error labels/train/x.txt:2 skipped a box: it lies outside the 200×100 image',
      'warning labels/train/x.txt:3 a polygon reached outside the 200×100 image and was cut at its edge',
    ]);
  });

  it('reports NaN and words, bad class ids, out-of-range ids, wrong counts and zero sizes, each with its line', () => {
    const r = one(['0 nan 0.5 0.1 0.1', '0 0.5 0.5 abc 0.1', '1.5 0.5 0.5 0.1 0.1', '-1 0.5 0.5 0.1 0.1', 'car 0.5 0.5 0.1 0.1', '7 0.5 0.5 0.1 0.1', '0 0.5 0.5 0.1', '0 0.5 0.5 0 0.1', '0 0.1 0.1 0.2 0.2', '1.0 0.5 0.5 0.1 0.1', '0 1e-1 0.5 0.1 0.1', '0 Infinity 0.5 0.1 0.1'].join('\n'));
    expect(diag(r)).toEqual([
      'error labels/train/x.txt:1 skipped a row: "nan" is not a number',
      'error labels/train/x.txt:2 skipped a row: "abc" is not a number',
      'error labels/train/x.txt:3 skipped a row: its class id "1.5" is not a whole number ≥ 0',
      'error labels/train/x.txt:4 skipped a row: its class id "-1" is not a whole number ≥ 0',
      'error labels/train/x.txt:5 skipped a row: its class id "car" is not a whole number ≥ 0',
      'error labels/train/x.txt:7 skipped a row with 3 numbers after the class id: a box has 4 (cx cy w h), a polygon an even number ≥ 6 (x1 y1 x2 y2 x3 y3 …)',
      'error labels/train/x.txt:12 skipped a row: "Infinity" is not a number',
      'error labels/train/x.txt:6 skipped a box: class id 7 is not in data.yaml (ids 0–1)',
      'error labels/train/x.txt:8 skipped a box of size 0 × 10: a box needs a positive width and height',
    ]);
    expect(summary(r)).toEqual(['images/train/x.jpg|train|a|box|0,0,40,20', 'images/train/x.jpg|train|b|box|90,45,20,10', 'images/train/x.jpg|train|a|box|10,45,20,10']);
  });

  it('an empty label file is a background image; an empty data.yaml, invalid YAML or a YAML list is reported with its line', () => {
    expect(one('').dataset.images).toHaveLength(1);
    expect(diag(one(''))).toEqual([]);
    const bad = one('0 0.5 0.5 1 1', 'names: [a, b\ntrain: x\n');
    expect(diag(bad, 'error')[0]).toMatch(/^error data\.yaml:\d+ not valid YAML: /);
    expect(bad.dataset.classes.map((c) => c.name)).toEqual(['0']);
    expect(diag(one('0 0.5 0.5 1 1', '- a\n- b\n'), 'error')).toEqual(['error data.yaml not read: expected keys such as train, val and names']);
    expect(diag(one('0 0.5 0.5 1 1', ''), 'error')).toEqual(['error data.yaml not read: expected keys such as train, val and names']);
  });

  it('reports a folder data.yaml names that the import lacks, and a train.txt line naming nothing', () => {
    const r = parse({ 'data.yaml': 'train: images/train\nval: images/val\nnames: [a]\n', 'train.txt': 'nowhere/x.jpg\nnowhere/y.jpg\n', 'labels/train/a.txt': '' }, [img('images/train/a.jpg')]);
    expect(diag(r)).toEqual(['info data.yaml (val) folder images/val is not in the import', 'info train.txt:1 nowhere/x.jpg: no such image or folder in the import (further ones not listed)']);
  });
});

describe('YOLO detect', () => {
  const ultra = { 'data.yaml': 'names: [a]\n', 'labels/train/a.txt': '0 0.5 0.5 0.2 0.2\n', 'labels/train/b.txt': '' };
  const seg = { 'data.yaml': 'names: [a]\n', 'labels/train/a.txt': '0 0.1 0.1 0.2 0.1 0.2 0.2\n' };
  it('is sure of the Ultralytics, Roboflow and Darknet layouts, and tells boxes from polygons', () => {
    expect(yolo.detect(files(ultra))).toBeGreaterThanOrEqual(0.9);
    expect(yoloSeg.detect(files(ultra))).toBeLessThan(yolo.detect(files(ultra)));
    expect(yoloSeg.detect(files(seg))).toBeGreaterThanOrEqual(0.9);
    expect(yolo.detect(files(seg))).toBeLessThan(yoloSeg.detect(files(seg)));
    expect(yolo.detect(files({ 'obj.names': 'a\n', 'obj.data': 'classes = 1', 'obj_train_data/x.txt': '0 0.5 0.5 0.1 0.1\n' }))).toBeGreaterThanOrEqual(0.9);
    expect(yolo.detect(files({ 'train/labels/x.txt': '0 0.5 0.5 0.1 0.1\n' }))).toBeGreaterThanOrEqual(0.5);
    expect(yolo.detect(files({ 'classes.txt': 'a', 'x.txt': '0 0.5 0.5 0.1 0.1\n' }))).toBeGreaterThanOrEqual(0.5);
  });
  it('is not fooled by other files', () => {
    expect(yolo.detect(files({ 'notes.txt': 'hello world' }))).toBe(0);
    expect(yolo.detect(files({ 'annotations.json': '{"images": [], "annotations": []}' }))).toBe(0);
    expect(yolo.detect(files({ 'labels/readme.md': '# x' }))).toBe(0);
    expect(yolo.detect(files({ 'labels/a.txt': 'this is prose, not rows' }))).toBeLessThan(0.5);
  });
});
