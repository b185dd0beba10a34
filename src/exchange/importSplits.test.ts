/**
 * Import annotations: the splits a file gives its images (every layout that has them), and CVAT
 * project dumps that repeat image names across subsets — parsed by the real parsers, planned and
 * built as Import would.
 */
import { describe, expect, it } from 'vitest';
import { updatesOf } from '../core/change';
import type { ImageRecord, Split } from '../core/model';
import { formatById } from '../formats';
import { encodeText } from '../formats/shared/text';
import type { FormatId, ParseInput, SourceImageInfo } from '../formats/types';
import { makeImage, makeProject } from '../test-support/fixtures';
import { buildImportChange, planImport, type SplitChoice } from './importPlan';

const project = makeProject();
/** A project image of the size the files below give (100×50). */
const image = (n: number, overrides: Partial<ImageRecord>): ImageRecord => makeImage(n, { width: 100, height: 50, ...overrides });
const files = (f: Record<string, string>): Map<string, Uint8Array> => new Map(Object.entries(f).map(([k, v]) => [k, encodeText(v)]));

function parse(format: FormatId, f: Record<string, string>, images: SourceImageInfo[] = [], sizeOf?: ParseInput['sizeOf']) {
  const fmt = formatById(format);
  const input: ParseInput = { files: files(f), images, ...(sizeOf ? { sizeOf } : {}) };
  expect(fmt.detect(input.files)).toBeGreaterThan(0.5);
  return { formatLabel: fmt.label, source: 'export.zip', ...fmt.parse(input) };
}

/** The split each parsed image has, by file name. */
const splitsOf = (p: ReturnType<typeof parse>): Record<string, Split> => Object.fromEntries(p.dataset.images.map((i) => [i.fileName, i.split]));

/** The project images' splits after Import with `choice`. */
function splitsAfter(p: ReturnType<typeof parse>, images: ImageRecord[], choice: SplitChoice): Record<string, Split> {
  const plan = planImport(project, images, [], [], p, 'ana');
  const built = buildImportChange(plan, project, [], [], 'ana', 1, { splits: choice });
  if (!built.ok) throw new Error(built.message);
  const after = new Map(images.map((i) => [i.id, i]));
  for (const u of updatesOf(built.value, 'images')) if (u.after) after.set(u.after.id, u.after);
  return Object.fromEntries([...after.values()].map((i) => [i.fileName, i.split]));
}

const coco = (images: { id: number; file_name: string }[]) =>
  JSON.stringify({ images: images.map((i) => ({ ...i, width: 100, height: 50 })), categories: [{ id: 1, name: 'car' }], annotations: images.map((i) => ({ id: i.id, image_id: i.id, category_id: 1, bbox: [1, 1, 5, 5], area: 25, iscrowd: 0 })) });

describe('splits read on import, from every layout', () => {
  it('COCO: instances_<split>.json (train2017 is train), and a Roboflow folder (valid/_annotations.coco.json)', () => {
    expect(splitsOf(parse('coco', { 'annotations/instances_train2017.json': coco([{ id: 1, file_name: 'a.jpg' }]), 'annotations/instances_val.json': coco([{ id: 2, file_name: 'b.jpg' }]), 'annotations/instances_test.json': coco([{ id: 3, file_name: 'c.jpg' }]) }))).toEqual({ 'a.jpg': 'train', 'b.jpg': 'val', 'c.jpg': 'test' });
    expect(splitsOf(parse('coco', { 'valid/_annotations.coco.json': coco([{ id: 1, file_name: 'a.jpg' }]), 'train/_annotations.coco.json': coco([{ id: 2, file_name: 'b.jpg' }]) }))).toEqual({ 'a.jpg': 'val', 'b.jpg': 'train' });
  });

  it('YOLO: data.yaml folders, data.yaml lists of files, train.txt lists, and the Roboflow layout', () => {
    const size = () => ({ width: 100, height: 50 });
    expect(splitsOf(parse('yolo', { 'data.yaml': 'train: images/train\nval: images/val\ntest: images/test\nnames: [car]\n', 'labels/train/a.txt': '0 0.5 0.5 0.2 0.2\n', 'labels/val/b.txt': '0 0.5 0.5 0.2 0.2\n', 'labels/test/c.txt': '' }, [], size))).toEqual({ a: 'train', b: 'val', c: 'test' });
    expect(splitsOf(parse('yolo', { 'data.yaml': 'train: [images/a.jpg]\nval: [images/b.jpg]\nnames: [car]\n', 'labels/a.txt': '0 0.5 0.5 0.2 0.2\n', 'labels/b.txt': '0 0.5 0.5 0.2 0.2\n' }, [], size))).toEqual({ 'a.jpg': 'train', 'b.jpg': 'val' });
    expect(splitsOf(parse('yolo', { 'obj.data': 'train = train.txt\nvalid = valid.txt\nnames = obj.names\n', 'obj.names': 'car\n', 'train.txt': 'obj_train_data/a.jpg\n', 'valid.txt': 'obj_train_data/b.jpg\n', 'obj_train_data/a.txt': '0 0.5 0.5 0.2 0.2\n', 'obj_train_data/b.txt': '0 0.5 0.5 0.2 0.2\n' }, [], size))).toEqual({ 'a.jpg': 'train', 'b.jpg': 'val' });
    expect(splitsOf(parse('yolo', { 'data.yaml': 'train: ../train/images\nval: ../valid/images\nnames: [car]\n', 'train/labels/a.txt': '0 0.5 0.5 0.2 0.2\n', 'valid/labels/b.txt': '0 0.5 0.5 0.2 0.2\n', 'test/labels/c.txt': '0 0.5 0.5 0.2 0.2\n' }, [], size))).toEqual({ a: 'train', b: 'val', c: 'test' });
  });

  it('Pascal VOC: ImageSets/Main/<split>.txt', () => {
    const xml = (name: string) => `<annotation><filename>${name}.jpg</filename><size><width>100</width><height>50</height></size><object><name>car</name><bndbox><xmin>2</xmin><ymin>2</ymin><xmax>9</xmax><ymax>9</ymax></bndbox></object></annotation>`;
    expect(splitsOf(parse('voc', { 'Annotations/a.xml': xml('a'), 'Annotations/b.xml': xml('b'), 'Annotations/c.xml': xml('c'), 'ImageSets/Main/train.txt': 'a\n', 'ImageSets/Main/val.txt': 'b\n' }))).toEqual({ 'a.jpg': 'train', 'b.jpg': 'val', 'c.jpg': 'unassigned' });
  });

  it('CVAT: the subset attribute', () => {
    const xml = '<annotations><version>1.1</version><image id="0" name="a.jpg" subset="Train" width="100" height="50"/><image id="1" name="b.jpg" subset="validation" width="100" height="50"/><image id="2" name="c.jpg" subset="default" width="100" height="50"/></annotations>';
    expect(splitsOf(parse('cvat', { 'annotations.xml': xml }))).toEqual({ 'a.jpg': 'train', 'b.jpg': 'val', 'c.jpg': 'unassigned' });
  });

  it('LabelMe and CSV: split folders and the split column; the Tally package: its split field', () => {
    const lm = (image: string) => JSON.stringify({ version: '5.2.1', flags: {}, shapes: [], imagePath: image, imageData: null, imageHeight: 50, imageWidth: 100 });
    expect(splitsOf(parse('labelme', { 'train/a.json': lm('a.jpg'), 'val/b.json': lm('b.jpg') }))).toEqual({ 'a.jpg': 'train', 'b.jpg': 'val' });
    expect(splitsOf(parse('csv', { 'annotations.csv': 'image,width,height,class,kind,x,y,w,h,points,annotator,split\na.jpg,100,50,car,box,1,1,5,5,,,test\nval/b.jpg,100,50,car,box,1,1,5,5,,,\n' }))).toEqual({ 'a.jpg': 'test', 'b.jpg': 'val' });
    const tally = JSON.stringify({ format: 'tally', schemaVersion: 1, classes: [{ name: 'car' }], images: [{ fileName: 'a.jpg', relativePath: 'a.jpg', path: 'images/a.jpg', width: 100, height: 50, split: 'val' }], annotations: [] });
    expect(splitsOf(parse('tally', { 'tally.json': tally }))).toEqual({ 'a.jpg': 'val' });
  });
});

describe('splits applied on import', () => {
  const images = [
    image(1, { fileName: 'a.jpg', relativePath: 'a.jpg' }),
    image(2, { fileName: 'b.jpg', relativePath: 'b.jpg', split: 'test' }),
    image(3, { fileName: 'c.jpg', relativePath: 'c.jpg', split: 'val' }),
    image(4, { fileName: 'd.jpg', relativePath: 'd.jpg' }),
  ];
  const read = () =>
    parse('coco', {
      'annotations/instances_train.json': coco([{ id: 1, file_name: 'a.jpg' }, { id: 2, file_name: 'b.jpg' }]),
      'annotations/instances_val.json': coco([{ id: 3, file_name: 'c.jpg' }]),
    });

  it('plans: images without a split get the file\'s; different splits are conflicts; equal ones counted', () => {
    const plan = planImport(project, images, [], [], read(), 'ana');
    expect(plan.splits.assign.map((s) => [s.target.fileName, s.split])).toEqual([['a.jpg', 'train']]);
    expect(plan.splits.conflicts.map((s) => [s.target.fileName, s.target.split, s.split])).toEqual([['b.jpg', 'test', 'train']]);
    expect(plan.splits.same).toBe(1);
  });

  it('applies them as the user chose: none, images without a split only (conflicts keep the project\'s), or all', () => {
    const before = { 'a.jpg': 'unassigned', 'b.jpg': 'test', 'c.jpg': 'val', 'd.jpg': 'unassigned' };
    expect(splitsAfter(read(), images, 'none')).toEqual(before);
    expect(splitsAfter(read(), images, 'unassigned')).toEqual({ ...before, 'a.jpg': 'train' });
    expect(splitsAfter(read(), images, 'all')).toEqual({ ...before, 'a.jpg': 'train', 'b.jpg': 'train' });
  });

  it('a file without splits changes none', () => {
    const p = parse('coco', { 'labels.json': coco([{ id: 1, file_name: 'a.jpg' }]) });
    expect(planImport(project, images, [], [], p, 'ana').splits).toEqual({ assign: [], conflicts: [], same: 0 });
  });
});

describe('CVAT project dumps: the same name in several subsets', () => {
  const dump = [
    '<annotations><version>1.1</version><meta><project><labels><label><name>car</name></label></labels></project></meta>',
    '<image id="0" name="img0.jpg" subset="train" width="100" height="50"><box label="car" occluded="0" xtl="1" ytl="1" xbr="11" ybr="11"/></image>',
    '<image id="1" name="img1.jpg" subset="train" width="100" height="50"><box label="car" occluded="0" xtl="2" ytl="2" xbr="12" ybr="12"/></image>',
    '<image id="0" name="img0.jpg" subset="test" width="100" height="50"><box label="car" occluded="0" xtl="3" ytl="3" xbr="13" ybr="13"/><box label="car" occluded="0" xtl="4" ytl="4" xbr="14" ybr="14"/></image>',
    '</annotations>',
  ].join('\n');
  /** The project as made from the dump's images (Import images on the zip keeps their folders). */
  const images = [
    image(1, { fileName: 'img0.jpg', relativePath: 'images/train/img0.jpg' }),
    image(2, { fileName: 'img1.jpg', relativePath: 'images/train/img1.jpg' }),
    image(3, { fileName: 'img0.jpg', relativePath: 'images/test/img0.jpg' }),
  ];

  function shapesPerImage(p: ReturnType<typeof parse>): Record<string, number[]> {
    const plan = planImport(project, images, [], [], p, 'ana');
    expect(plan.unmatched).toEqual([]);
    const built = buildImportChange(plan, project, [], [], 'ana', 1, { splits: 'unassigned' });
    if (!built.ok) throw new Error(built.message);
    const out: Record<string, number[]> = {};
    for (const u of updatesOf(built.value, 'annotations')) {
      const a = u.after!;
      const path = images.find((i) => i.id === a.imageId)!.relativePath;
      (out[path] ??= []).push(a.shape.kind === 'box' ? a.shape.x : -1);
    }
    const splits = Object.fromEntries(updatesOf(built.value, 'images').map((u) => [u.after!.relativePath, u.after!.split]));
    expect(splits).toEqual({ 'images/train/img0.jpg': 'train', 'images/train/img1.jpg': 'train', 'images/test/img0.jpg': 'test' });
    return out;
  }

  it('reads every image (identity = subset + name), and imports every shape onto the right image by path', () => {
    const p = parse('cvat', { 'annotations.xml': dump });
    expect(p.dataset.images.map((i) => `${i.relativePath}|${i.split}`)).toEqual(['train/img0.jpg|train', 'img1.jpg|train', 'test/img0.jpg|test']);
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(shapesPerImage(p)).toEqual({ 'images/train/img0.jpg': [1], 'images/train/img1.jpg': [2], 'images/test/img0.jpg': [3, 4] });
  });

  it('with the images in the archive (images/<subset>/<name>), matches by their SHA-256', () => {
    const inZip = images.map((i) => ({ path: i.relativePath, width: 100, height: 50, sha256: i.sha256 }));
    const p = parse('cvat', { 'annotations.xml': dump }, inZip);
    expect(p.dataset.images.map((i) => i.sha256)).toEqual(images.map((i) => i.sha256));
    const plan = planImport(project, images.map((i) => ({ ...i, relativePath: `renamed/${i.id}.jpg` })), [], [], p, 'ana');
    expect(plan.matched.map((m) => [m.index, m.target.id, m.by])).toEqual([
      [0, 'img-1', 'sha256'],
      [1, 'img-2', 'sha256'],
      [2, 'img-3', 'sha256'],
    ]);
  });

  it('the same name twice in one subset is still refused, naming the file and line', () => {
    const twice = dump.replace('name="img1.jpg" subset="train"', 'name="img0.jpg" subset="train"');
    const p = parse('cvat', { 'annotations.xml': twice });
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ file: 'annotations.xml', line: 3, message: 'skipped: another <image> (line 2) is already called img0.jpg in subset train' })]);
  });
});
