import { describe, expect, it } from 'vitest';
import type { Shape, Split } from '../../core/model';
import type { Dataset, DatasetAnnotation, DatasetImage } from '../types';
import { prepareExport } from './prepare';

const image = (name: string, split: Split = 'unassigned', width = 100, height = 80): DatasetImage => ({
  relativePath: `imgs/${name}`,
  fileName: name,
  width,
  height,
  split,
});

const ann = (imageIndex: number, className: string, shape: Shape): DatasetAnnotation => ({ image: imageIndex, className, shape, attributes: {} });

const BOX: Shape = { kind: 'box', x: 10, y: 10, w: 20, h: 20 };
const POLY: Shape = { kind: 'polygon', points: [10, 10, 50, 20, 30, 60] };

function dataset(images: DatasetImage[], annotations: DatasetAnnotation[] = []): Dataset {
  return { classes: [{ name: 'car' }, { name: 'person' }], images, annotations };
}

describe('prepareExport: splits', () => {
  it('leaves every image unassigned when none has a split, without a note', () => {
    const d = dataset([image('a.jpg'), image('b.jpg')]);
    const { dataset: out, notes } = prepareExport(d, 'both');
    expect(out.images.map((i) => i.split)).toEqual(['unassigned', 'unassigned']);
    expect(notes).toEqual([]);
  });

  it('leaves assigned splits alone when every image has one', () => {
    const d = dataset([image('a.jpg', 'train'), image('b.jpg', 'val'), image('c.jpg', 'test')]);
    const { dataset: out, notes } = prepareExport(d, 'both');
    expect(out.images.map((i) => i.split)).toEqual(['train', 'val', 'test']);
    expect(notes).toEqual([]);
  });

  it('sends unassigned images to train when others have a split, with one note', () => {
    const d = dataset([image('a.jpg', 'val'), image('b.jpg'), image('c.jpg'), image('d.jpg', 'test')]);
    const { dataset: out, notes } = prepareExport(d, 'both');
    expect(out.images.map((i) => i.split)).toEqual(['val', 'train', 'train', 'test']);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.kind).toBe('changed');
    expect(notes[0]!.message).toContain('2 images without a split');
    expect(notes[0]!.message).toContain('train');
  });

  it('words the note for a single image in the singular', () => {
    const { notes } = prepareExport(dataset([image('a.jpg', 'val'), image('b.jpg')]), 'both');
    expect(notes[0]!.message).toMatch(/^1 image without a split/);
  });
});

describe('prepareExport: clipping and dropping', () => {
  it('passes shapes inside the image through unchanged, without notes', () => {
    const a = ann(0, 'car', BOX);
    const { dataset: out, notes } = prepareExport(dataset([image('a.jpg')], [a]), 'both');
    expect(out.annotations).toEqual([a]);
    expect(out.annotations[0]).toBe(a);
    expect(notes).toEqual([]);
  });

  it('clips a box reaching outside and notes it with the image and class', () => {
    const d = dataset([image('a.jpg')], [ann(0, 'car', { kind: 'box', x: 90, y: -10, w: 20, h: 30 })]);
    const { dataset: out, notes } = prepareExport(d, 'both');
    expect(out.annotations[0]!.shape).toEqual({ kind: 'box', x: 90, y: 0, w: 10, h: 20 });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'clipped', image: 'imgs/a.jpg' });
    expect(notes[0]!.message).toContain('"car"');
    expect(notes[0]!.message).toContain('100×80');
  });

  it('clips a polygon reaching outside', () => {
    const d = dataset([image('a.jpg')], [ann(0, 'person', { kind: 'polygon', points: [-10, 10, 50, 10, 50, 50, -10, 50] })]);
    const { dataset: out, notes } = prepareExport(d, 'both');
    const s = out.annotations[0]!.shape;
    expect(s.kind).toBe('polygon');
    if (s.kind === 'polygon') expect(Math.min(...s.points.filter((_, i) => i % 2 === 0))).toBe(0);
    expect(notes.map((n) => n.kind)).toEqual(['clipped']);
  });

  it('drops a shape wholly outside its image with a note', () => {
    const d = dataset([image('a.jpg'), image('b.jpg')], [ann(0, 'car', BOX), ann(1, 'car', { kind: 'box', x: 200, y: 10, w: 5, h: 5 })]);
    const { dataset: out, notes } = prepareExport(d, 'both');
    expect(out.annotations).toHaveLength(1);
    expect(out.annotations[0]!.image).toBe(0);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'dropped', image: 'imgs/b.jpg' });
    expect(notes[0]!.message).toContain('nothing of it is inside');
  });

  it('drops a shape whose class is not in the dataset, with a note', () => {
    const d = dataset([image('a.jpg')], [ann(0, 'truck', BOX), ann(0, 'car', BOX)]);
    const { dataset: out, notes } = prepareExport(d, 'both');
    expect(out.annotations.map((a) => a.className)).toEqual(['car']);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'dropped', image: 'imgs/a.jpg' });
    expect(notes[0]!.message).toContain('"truck"');
  });

  it('matches class names exactly (a differently cased name is not in the dataset)', () => {
    const { dataset: out, notes } = prepareExport(dataset([image('a.jpg')], [ann(0, 'Car', BOX)]), 'both');
    expect(out.annotations).toEqual([]);
    expect(notes.map((n) => n.kind)).toEqual(['dropped']);
  });

  it('skips annotations pointing at no image', () => {
    const { dataset: out } = prepareExport(dataset([image('a.jpg')], [ann(5, 'car', BOX)]), 'both');
    expect(out.annotations).toEqual([]);
  });
});

describe('prepareExport: shape conversion', () => {
  it("converts polygons to their bounding boxes for 'boxes', with one note", () => {
    const d = dataset([image('a.jpg')], [ann(0, 'car', POLY), ann(0, 'car', BOX), ann(0, 'person', POLY)]);
    const { dataset: out, notes } = prepareExport(d, 'boxes');
    expect(out.annotations.map((a) => a.shape)).toEqual([
      { kind: 'box', x: 10, y: 10, w: 40, h: 50 },
      BOX,
      { kind: 'box', x: 10, y: 10, w: 40, h: 50 },
    ]);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.kind).toBe('changed');
    expect(notes[0]!.message).toContain('2 polygons written as bounding boxes');
  });

  it("converts boxes to 4-corner polygons for 'polygons', with one note", () => {
    const d = dataset([image('a.jpg')], [ann(0, 'car', BOX), ann(0, 'car', POLY)]);
    const { dataset: out, notes } = prepareExport(d, 'polygons');
    expect(out.annotations.map((a) => a.shape)).toEqual([{ kind: 'polygon', points: [10, 10, 30, 10, 30, 30, 10, 30] }, POLY]);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toContain('1 box written as 4-corner polygons');
  });

  it('converts after clipping (the bounding box of the clipped polygon)', () => {
    const d = dataset([image('a.jpg')], [ann(0, 'car', { kind: 'polygon', points: [-10, 10, 50, 10, 50, 50] })]);
    const { dataset: out, notes } = prepareExport(d, 'boxes');
    const s = out.annotations[0]!.shape;
    expect(s.kind).toBe('box');
    if (s.kind === 'box') {
      expect(s.x).toBe(0);
      expect(s.x + s.w).toBe(50);
      expect(s.y).toBe(10);
      expect(s.y + s.h).toBe(50);
    }
    expect(notes.map((n) => n.kind)).toEqual(['clipped', 'changed']);
  });

  it("keeps both kinds for 'both', without notes", () => {
    const anns = [ann(0, 'car', BOX), ann(0, 'person', POLY)];
    const { dataset: out, notes } = prepareExport(dataset([image('a.jpg')], anns), 'both');
    expect(out.annotations).toEqual(anns);
    expect(notes).toEqual([]);
  });

  it('keeps the other annotation fields when converting', () => {
    const a: DatasetAnnotation = { ...ann(0, 'car', POLY), annotator: 'ana', id: 'x1', attributes: { occluded: true } };
    const { dataset: out } = prepareExport(dataset([image('a.jpg')], [a]), 'boxes');
    expect(out.annotations[0]).toMatchObject({ annotator: 'ana', id: 'x1', attributes: { occluded: true }, className: 'car', image: 0 });
  });
});

describe('prepareExport: purity', () => {
  it('does not mutate its input', () => {
    const d = dataset(
      [image('a.jpg', 'val'), image('b.jpg')],
      [ann(0, 'car', { kind: 'box', x: -10, y: -10, w: 50, h: 50 }), ann(1, 'person', POLY), ann(1, 'truck', BOX)],
    );
    const snapshot = structuredClone(d);
    prepareExport(d, 'polygons');
    prepareExport(d, 'boxes');
    expect(d).toEqual(snapshot);
  });

  it('keeps classes and project as given', () => {
    const d: Dataset = { ...dataset([image('a.jpg')]), project: { name: 'P' } };
    const { dataset: out } = prepareExport(d, 'both');
    expect(out.classes).toBe(d.classes);
    expect(out.project).toEqual({ name: 'P' });
  });
});
