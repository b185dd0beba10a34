/** Unique file names inside an export folder. */
import type { ExportNote } from '../types';
import { extensionOf, stemOf } from './text';

/**
 * For each image, a file name unique within its group (case-insensitively, and by stem when
 * `byStem`: YOLO and VOC name their label files after the image's stem, so `a.jpg` and `a.png`
 * would share `a.txt`). A clash keeps the first name and gives later ones `stem_2.ext`, `stem_3.ext`…,
 * each reported as a change.
 */
export function uniqueNames(
  images: readonly { readonly fileName: string; readonly relativePath: string }[],
  groupOf: (index: number) => string,
  byStem: boolean,
): { names: string[]; notes: ExportNote[] } {
  const taken = new Set<string>();
  const names: string[] = [];
  const notes: ExportNote[] = [];
  const keyOf = (group: string, name: string): string => `${group}\u0000${(byStem ? stemOf(name) : name).toLowerCase()}`;
  images.forEach((img, i) => {
    const group = groupOf(i);
    let name = img.fileName;
    if (taken.has(keyOf(group, name))) {
      const stem = stemOf(name);
      const ext = extensionOf(name) === '' ? '' : img.fileName.slice(img.fileName.lastIndexOf('.'));
      let n = 2;
      while (taken.has(keyOf(group, `${stem}_${n}${ext}`))) n++;
      name = `${stem}_${n}${ext}`;
      notes.push({ kind: 'changed', image: img.relativePath, message: `renamed to ${name}: another image in the same folder is already called ${img.fileName}` });
    }
    taken.add(keyOf(group, name));
    names.push(name);
  });
  return { names, notes };
}
