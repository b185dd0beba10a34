import { describe, expect, it } from 'vitest';
import { ExactFirstPathIndex, PathIndex } from './pathIndex';

function index(...paths: string[]): PathIndex<string> {
  const ix = new PathIndex<string>();
  for (const p of paths) ix.add(p, p);
  return ix;
}

describe('PathIndex', () => {
  it('finds a value by its exact path', () => {
    const ix = index('drive/a.jpg', 'other/b.jpg');
    expect(ix.find('drive/a.jpg')).toEqual({ kind: 'found', value: 'drive/a.jpg', by: 'path' });
    expect(ix.get('other/b.jpg')).toBe('other/b.jpg');
  });

  it('prefers the exact path even when the base name is shared', () => {
    const ix = index('x/a.jpg', 'y/a.jpg');
    expect(ix.find('y/a.jpg')).toEqual({ kind: 'found', value: 'y/a.jpg', by: 'path' });
  });

  it('finds by the trailing folders and name two paths share, only when one image has them', () => {
    const ix = index('images/train/img0.jpg', 'images/test/img0.jpg', 'x/y.jpg');
    expect(ix.find('train/img0.jpg')).toEqual({ kind: 'found', value: 'images/train/img0.jpg', by: 'path' });
    expect(ix.find('dump/images/test/img0.jpg')).toEqual({ kind: 'found', value: 'images/test/img0.jpg', by: 'path' });
    // A stored path that is the query's tail.
    expect(ix.find('export/x/y.jpg')).toEqual({ kind: 'found', value: 'x/y.jpg', by: 'path' });
    // Folders that tell nothing apart fall back to the name, which is ambiguous here.
    expect(ix.find('val/img0.jpg')).toEqual({ kind: 'ambiguous', by: 'name', count: 2 });
    const twice = index('a/train/img0.jpg', 'b/train/img0.jpg');
    expect(twice.find('train/img0.jpg')).toEqual({ kind: 'ambiguous', by: 'name', count: 2 });
  });

  it('finds by base name when the folders differ', () => {
    const ix = index('drive/a.jpg');
    expect(ix.find('images/train/a.jpg')).toEqual({ kind: 'found', value: 'drive/a.jpg', by: 'name' });
    expect(ix.find('a.jpg')).toEqual({ kind: 'found', value: 'drive/a.jpg', by: 'name' });
  });

  it('finds by base name ignoring case', () => {
    const ix = index('drive/Frame_01.JPG');
    expect(ix.find('frame_01.jpg')).toEqual({ kind: 'found', value: 'drive/Frame_01.JPG', by: 'name' });
  });

  it('finds by stem when the extension differs (a label file named after its image)', () => {
    const ix = index('drive/a.jpg');
    expect(ix.find('labels/train/a.txt')).toEqual({ kind: 'found', value: 'drive/a.jpg', by: 'stem' });
    expect(ix.find('a')).toEqual({ kind: 'found', value: 'drive/a.jpg', by: 'stem' });
  });

  it('finds by stem ignoring case', () => {
    const ix = index('drive/IMG_7.jpeg');
    expect(ix.find('Annotations/img_7.xml')).toEqual({ kind: 'found', value: 'drive/IMG_7.jpeg', by: 'stem' });
  });

  it('compares the exact path case-sensitively, then falls back to the name', () => {
    const ix = index('Drive/a.jpg');
    expect(ix.find('drive/a.jpg')).toEqual({ kind: 'found', value: 'Drive/a.jpg', by: 'name' });
  });

  it('keeps dots inside the stem (a.b.jpg has stem a.b)', () => {
    const ix = index('x/a.b.jpg', 'x/a.png');
    expect(ix.find('a.b.txt')).toEqual({ kind: 'found', value: 'x/a.b.jpg', by: 'stem' });
    expect(ix.find('a.txt')).toEqual({ kind: 'found', value: 'x/a.png', by: 'stem' });
  });

  it('reports nothing found', () => {
    const ix = index('drive/a.jpg');
    expect(ix.find('b.jpg')).toEqual({ kind: 'none' });
    expect(ix.get('b.jpg')).toBeUndefined();
    expect(new PathIndex<string>().find('a.jpg')).toEqual({ kind: 'none' });
  });

  it('reports an ambiguous base name with the number of candidates', () => {
    const ix = index('x/a.jpg', 'y/a.jpg', 'z/A.JPG');
    expect(ix.find('a.jpg')).toEqual({ kind: 'ambiguous', by: 'name', count: 3 });
    expect(ix.get('w/a.jpg')).toBeUndefined();
  });

  it('reports an ambiguous stem with the number of candidates', () => {
    const ix = index('x/a.jpg', 'x/a.png');
    expect(ix.find('a.txt')).toEqual({ kind: 'ambiguous', by: 'stem', count: 2 });
  });

  it('does not let an ambiguous stem hide a unique base name', () => {
    const ix = index('x/a.jpg', 'x/a.png');
    expect(ix.find('other/a.png')).toEqual({ kind: 'found', value: 'x/a.png', by: 'name' });
  });

  it('does not treat the same value added twice as ambiguous', () => {
    const ix = new PathIndex<string>();
    ix.add('images/a.jpg', 'A');
    ix.add('a.jpg', 'A');
    ix.add('images/a.jpg', 'A');
    expect(ix.find('images/a.jpg')).toEqual({ kind: 'found', value: 'A', by: 'path' });
    expect(ix.find('other/a.jpg')).toEqual({ kind: 'found', value: 'A', by: 'name' });
    expect(ix.find('a.txt')).toEqual({ kind: 'found', value: 'A', by: 'stem' });
  });

  it('counts distinct values, not additions, when reporting ambiguity', () => {
    const ix = new PathIndex<string>();
    ix.add('x/a.jpg', 'A');
    ix.add('y/a.jpg', 'A');
    ix.add('z/a.jpg', 'B');
    expect(ix.find('a.jpg')).toEqual({ kind: 'ambiguous', by: 'name', count: 2 });
    expect(ix.find('a.txt')).toEqual({ kind: 'ambiguous', by: 'stem', count: 2 });
  });

  it('treats the same path given to two values as no exact match', () => {
    const ix = new PathIndex<string>();
    ix.add('x/a.jpg', 'A');
    ix.add('x/a.jpg', 'B');
    expect(ix.find('x/a.jpg')).toEqual({ kind: 'ambiguous', by: 'name', count: 2 });
  });
});

describe('PathIndex with extension-less paths', () => {
  it('takes a whole name without an image extension as a stem (a YOLO label whose image is not in the archive)', () => {
    const index = new PathIndex<string>();
    index.add('photos/a.b.jpg', 'dotted');
    index.add('photos/a.png', 'plain');
    expect(index.find('images/train/a.b')).toEqual({ kind: 'found', value: 'dotted', by: 'stem' });
    expect(index.find('images/train/a')).toEqual({ kind: 'found', value: 'plain', by: 'stem' });
  });
});

describe('ExactFirstPathIndex', () => {
  it('answers what a PathIndex of the same additions answers (1,000 random indexes and queries)', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const segs = ['a', 'b', 'images', 'train', 'A', 'x.y'];
    const names = ['1.jpg', '1.png', '2.jpg', 'A.JPG', 'c', 'c.d.jpg'];
    const path = (): string => [...Array.from({ length: rand(3) }, () => segs[rand(segs.length)]!), names[rand(names.length)]!].join('/');
    for (let round = 0; round < 1000; round++) {
      const reference = new PathIndex<number>();
      const tested = new ExactFirstPathIndex<number>();
      const ops = 1 + rand(8);
      for (let k = 0; k < ops; k++) {
        const p = path();
        // Values repeat now and then: the same value under two paths is not ambiguous.
        const v = rand(4);
        reference.add(p, v);
        tested.add(p, v);
        // Lookups in between (the full index, once built, must follow later additions too).
        const q = path();
        expect(tested.get(q)).toBe(reference.get(q));
      }
      for (let k = 0; k < 6; k++) {
        const q = path();
        expect(tested.get(q)).toBe(reference.get(q));
      }
    }
  });
});
