import { describe, expect, it } from 'vitest';
import { uniqueNames } from './names';

const img = (relativePath: string): { fileName: string; relativePath: string } => ({
  relativePath,
  fileName: relativePath.slice(relativePath.lastIndexOf('/') + 1),
});
const oneGroup = (): string => '';

describe('uniqueNames', () => {
  it('keeps names that do not clash, without notes', () => {
    const { names, notes } = uniqueNames([img('x/a.jpg'), img('y/b.jpg'), img('c.png')], oneGroup, false);
    expect(names).toEqual(['a.jpg', 'b.jpg', 'c.png']);
    expect(notes).toEqual([]);
  });

  it('renames a later image with the same name, keeping the first', () => {
    const { names, notes } = uniqueNames([img('x/a.jpg'), img('y/a.jpg'), img('z/a.jpg')], oneGroup, false);
    expect(names).toEqual(['a.jpg', 'a_2.jpg', 'a_3.jpg']);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatchObject({ kind: 'changed', image: 'y/a.jpg' });
    expect(notes[0]!.message).toContain('a_2.jpg');
    expect(notes[0]!.message).toContain('a.jpg');
    expect(notes[1]).toMatchObject({ kind: 'changed', image: 'z/a.jpg' });
    expect(notes[1]!.message).toContain('a_3.jpg');
  });

  it('treats names differing only in case as a clash, keeping the original spelling', () => {
    const { names, notes } = uniqueNames([img('x/Photo.JPG'), img('y/photo.jpg')], oneGroup, false);
    expect(names).toEqual(['Photo.JPG', 'photo_2.jpg']);
    expect(notes).toHaveLength(1);
  });

  it('keeps the extension as written when renaming', () => {
    const { names } = uniqueNames([img('x/a.JPG'), img('y/a.JPG')], oneGroup, false);
    expect(names).toEqual(['a.JPG', 'a_2.JPG']);
  });

  it('without byStem, a.jpg and a.png do not clash', () => {
    const { names, notes } = uniqueNames([img('a.jpg'), img('a.png')], oneGroup, false);
    expect(names).toEqual(['a.jpg', 'a.png']);
    expect(notes).toEqual([]);
  });

  it('with byStem, a.jpg and a.png clash (they would share a.txt)', () => {
    const { names, notes } = uniqueNames([img('x/a.jpg'), img('y/a.png'), img('z/A.bmp')], oneGroup, true);
    expect(names).toEqual(['a.jpg', 'a_2.png', 'A_3.bmp']);
    expect(notes.map((n) => n.image)).toEqual(['y/a.png', 'z/A.bmp']);
  });

  it('keeps groups independent', () => {
    const groups = ['train', 'val', 'train', 'val'];
    const { names, notes } = uniqueNames([img('x/a.jpg'), img('y/a.jpg'), img('z/a.jpg'), img('w/a.jpg')], (i) => groups[i]!, false);
    expect(names).toEqual(['a.jpg', 'a.jpg', 'a_2.jpg', 'a_2.jpg']);
    expect(notes).toHaveLength(2);
  });

  it('skips a suffix already taken by a name in the input', () => {
    const { names } = uniqueNames([img('x/a.jpg'), img('x/a_2.jpg'), img('y/a.jpg')], oneGroup, false);
    expect(names).toEqual(['a.jpg', 'a_2.jpg', 'a_3.jpg']);
  });

  it('never gives a later image a name a rename already took', () => {
    const { names } = uniqueNames([img('x/a.jpg'), img('y/a.jpg'), img('z/a_2.jpg')], oneGroup, false);
    expect(names).toEqual(['a.jpg', 'a_2.jpg', 'a_2_2.jpg']);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(3);
  });

  it('skips taken suffixes by stem too', () => {
    const { names } = uniqueNames([img('a.jpg'), img('a_2.png'), img('a.png')], oneGroup, true);
    expect(names).toEqual(['a.jpg', 'a_2.png', 'a_3.png']);
  });

  it('renames names without an extension and hidden files', () => {
    expect(uniqueNames([img('x/README'), img('y/readme')], oneGroup, false).names).toEqual(['README', 'readme_2']);
    expect(uniqueNames([img('x/.hidden'), img('y/.hidden')], oneGroup, true).names).toEqual(['.hidden', '.hidden_2']);
  });

  it('gives unique names for many clashes, case-insensitively and by stem', () => {
    const images = Array.from({ length: 30 }, (_, i) => img(`d${i}/${i % 2 === 0 ? 'IMG' : 'img'}.${i % 3 === 0 ? 'jpg' : 'png'}`));
    const { names, notes } = uniqueNames(images, oneGroup, true);
    const stems = names.map((n) => n.slice(0, n.lastIndexOf('.')).toLowerCase());
    expect(new Set(stems).size).toBe(30);
    expect(notes).toHaveLength(29);
  });
});
