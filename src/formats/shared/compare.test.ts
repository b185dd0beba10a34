import { describe, expect, it } from 'vitest';
import type { Shape, Split } from '../../core/model';
import type { Dataset, DatasetAnnotation, DatasetImage, Size } from '../types';
import { compareDatasets } from './compare';

const image = (path: string, split: Split = 'train', width = 100, height = 80): DatasetImage => ({
  relativePath: path,
  fileName: path.slice(path.lastIndexOf('/') + 1),
  width,
  height,
  split,
});
const ann = (imageIndex: number, className: string, shape: Shape): DatasetAnnotation => ({ image: imageIndex, className, shape, attributes: {} });
const box = (x: number, y: number, w: number, h: number): Shape => ({ kind: 'box', x, y, w, h });
const poly = (...points: number[]): Shape => ({ kind: 'polygon', points });

const classes = [{ name: 'car' }, { name: 'person' }];
const dataset = (images: DatasetImage[], annotations: DatasetAnnotation[], cls = classes): Dataset => ({ classes: cls, images, annotations });

const exact = (): number => 0;
const half = (): number => 0.5;

function sample(): Dataset {
  return dataset(
    [image('a.jpg'), image('b.jpg', 'val')],
    [ann(0, 'car', box(1, 2, 3, 4)), ann(0, 'car', box(10, 10, 5, 5)), ann(0, 'person', poly(0, 0, 10, 0, 5, 5)), ann(1, 'car', box(0, 0, 100, 80))],
  );
}

describe('compareDatasets', () => {
  it('finds nothing wrong when the two agree', () => {
    expect(compareDatasets(sample(), sample(), ['a.jpg', 'b.jpg'], exact)).toEqual([]);
  });

  it('matches images through imageRefs, not the written relativePath', () => {
    const expected = sample();
    const actual: Dataset = { ...sample(), images: [image('images/train/a.jpg'), image('images/val/b.jpg', 'val')] };
    expect(compareDatasets(expected, actual, ['images/train/a.jpg', 'images/val/b.jpg'], exact)).toEqual([]);
  });

  it('falls back to relativePath when there is no imageRef for an image', () => {
    expect(compareDatasets(sample(), sample(), [], exact)).toEqual([]);
  });

  it('matches images whatever their order in the read-back dataset', () => {
    const s = sample();
    const actual: Dataset = {
      ...s,
      images: [s.images[1]!, s.images[0]!],
      annotations: s.annotations.map((a) => ({ ...a, image: 1 - a.image })),
    };
    expect(compareDatasets(s, actual, ['a.jpg', 'b.jpg'], exact)).toEqual([]);
  });

  it('reports an image missing from the read-back dataset, naming the path looked for', () => {
    const actual: Dataset = { ...sample(), images: [image('a.jpg')], annotations: sample().annotations.filter((a) => a.image === 0) };
    const problems = compareDatasets(sample(), actual, ['a.jpg', 'labels/b.txt'], exact);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('b.jpg');
    expect(problems[0]).toContain('not found');
    expect(problems[0]).toContain('labels/b.txt');
  });

  it('reports a shape count that differs for one class', () => {
    const s = sample();
    const actual: Dataset = { ...s, annotations: s.annotations.filter((_, i) => i !== 1) };
    const problems = compareDatasets(s, actual, ['a.jpg', 'b.jpg'], exact);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('a.jpg');
    expect(problems[0]).toContain('2 box(es) of class "car" written, 1 read back');
  });

  it('reports shapes read back that were not written', () => {
    const s = sample();
    const actual: Dataset = { ...s, annotations: [...s.annotations, ann(1, 'person', box(1, 1, 1, 1))] };
    const problems = compareDatasets(s, actual, ['a.jpg', 'b.jpg'], exact);
    expect(problems).toEqual([expect.stringContaining('0 box(es) of class "person" written, 1 read back')]);
  });

  it('tells boxes and polygons apart (a box read back as a polygon is a mismatch)', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', box(0, 0, 10, 10))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', poly(0, 0, 10, 0, 10, 10, 0, 10))]);
    const problems = compareDatasets(e, a, ['a.jpg'], exact);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('1 box(es) of class "car" written, 0 read back');
    expect(problems.join('\n')).toContain('0 polygon(es) of class "car" written, 1 read back');
  });

  it('reports coordinates off by more than the precision', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', box(10, 10, 20, 20))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', box(10.6, 10, 20, 20))]);
    const problems = compareDatasets(e, a, ['a.jpg'], half);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('box 1 of class "car"');
    expect(problems[0]).toContain('0.600 px off');
    expect(problems[0]).toContain('allowed 0.500');
  });

  it('compares box corners, so a size error shows at the far corner', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', box(10, 10, 20, 20))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', box(10, 10, 21, 20))]);
    expect(compareDatasets(e, a, ['a.jpg'], half)).toEqual([expect.stringContaining('1.000 px off')]);
  });

  it('accepts coordinates within the precision (and exactly at it)', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', box(10, 10, 20, 20)), ann(0, 'person', poly(0, 0, 10, 0, 5, 5))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', box(10.5, 9.6, 19.8, 20.4)), ann(0, 'person', poly(0.5, 0, 10, 0.3, 5, 4.5))]);
    expect(compareDatasets(e, a, ['a.jpg'], half)).toEqual([]);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toHaveLength(2);
  });

  it('asks for the precision with the expected image size', () => {
    const sizes: Size[] = [];
    const e = dataset([image('a.jpg', 'train', 640, 480)], [ann(0, 'car', box(1, 1, 1, 1))]);
    compareDatasets(e, e, ['a.jpg'], (s) => {
      sizes.push({ width: s.width, height: s.height });
      return 0;
    });
    expect(sizes).toEqual([{ width: 640, height: 480 }]);
  });

  it('reports a polygon read back with a different number of points', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', poly(0, 0, 10, 0, 5, 5))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', poly(0, 0, 10, 0, 10, 5, 5, 5))]);
    expect(compareDatasets(e, a, ['a.jpg'], half)).toEqual([expect.stringContaining('with a different number of points')]);
  });

  it('compares same-class shapes in order', () => {
    const e = dataset([image('a.jpg')], [ann(0, 'car', box(0, 0, 10, 10)), ann(0, 'car', box(50, 50, 10, 10))]);
    const a = dataset([image('a.jpg')], [ann(0, 'car', box(50, 50, 10, 10)), ann(0, 'car', box(0, 0, 10, 10))]);
    const problems = compareDatasets(e, a, ['a.jpg'], half);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('box 1');
    expect(problems[1]).toContain('box 2');
  });

  it('reports a split mismatch', () => {
    const e = dataset([image('a.jpg', 'val')], []);
    const a = dataset([image('a.jpg', 'train')], []);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toEqual(['a.jpg: read back in split train, written in val']);
  });

  it('does not report the split when the expected image is unassigned', () => {
    const e = dataset([image('a.jpg', 'unassigned')], []);
    expect(compareDatasets(e, dataset([image('a.jpg', 'train')], []), ['a.jpg'], exact)).toEqual([]);
    expect(compareDatasets(e, dataset([image('a.jpg', 'unassigned')], []), ['a.jpg'], exact)).toEqual([]);
  });

  it('reports a size mismatch', () => {
    const e = dataset([image('a.jpg', 'train', 100, 80)], []);
    const a = dataset([image('a.jpg', 'train', 100, 81)], []);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toEqual(['a.jpg: read back as 100×81, written as 100×80']);
  });

  it('does not report the size when the read-back image has none (width 0)', () => {
    const e = dataset([image('a.jpg', 'train', 100, 80)], []);
    const a = dataset([image('a.jpg', 'train', 0, 0)], []);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toEqual([]);
  });

  it('reports a class read back that was not written', () => {
    const e = dataset([image('a.jpg')], [], [{ name: 'car' }]);
    const a = dataset([image('a.jpg')], [], [{ name: 'car' }, { name: 'bus' }]);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toEqual(['class "bus" was read back but not written']);
  });

  it('does not report a class written but not read back when it has no shapes', () => {
    const e = dataset([image('a.jpg')], [], [{ name: 'car' }, { name: 'bus' }]);
    const a = dataset([image('a.jpg')], [], [{ name: 'car' }]);
    expect(compareDatasets(e, a, ['a.jpg'], exact)).toEqual([]);
  });

  it('caps the list at 20 problems and says how many more there were', () => {
    const images = Array.from({ length: 25 }, (_, i) => image(`img${i}.jpg`, 'val'));
    const e = dataset(images, []);
    const a = dataset(
      images.map((img) => ({ ...img, split: 'test' as const })),
      [],
    );
    const problems = compareDatasets(e, a, images.map((i) => i.relativePath), exact);
    expect(problems).toHaveLength(21);
    expect(problems.slice(0, 20).every((p) => p.includes('read back in split test'))).toBe(true);
    expect(problems[20]).toBe('…and 5 more');
  });

  it('does not add the "more" line at exactly 20 problems', () => {
    const images = Array.from({ length: 20 }, (_, i) => image(`img${i}.jpg`, 'val'));
    const a = dataset(
      images.map((img) => ({ ...img, split: 'test' as const })),
      [],
    );
    const problems = compareDatasets(dataset(images, []), a, images.map((i) => i.relativePath), exact);
    expect(problems).toHaveLength(20);
    expect(problems.some((p) => p.startsWith('…and'))).toBe(false);
  });
});
