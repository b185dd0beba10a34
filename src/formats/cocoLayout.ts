/**
 * Where COCO files and images sit, shared by the writer and the reader so that the paths the
 * writer promises (imageRefs) are the paths the reader gives back.
 *
 * Tally's layout (FORMATS.md): `annotations/instances_<split>.json`, images at
 * `images/<split>/<file_name>`, file_name being the image's name made unique within its split.
 *
 * An image's relativePath on import is its `file_name` (normalised: '/'-separated, no `.`/`..`,
 * an absolute path keeps only its file name). One exception keeps images apart: a file_name
 * listed in more than one instances file (train and val both holding `frame_001.jpg`) is
 * prefixed with the images folder of its file, `images/<part>/` for `…/annotations/x_<part>.json`
 * or a JSON at the root, otherwise the JSON's own folder (Roboflow: `train/_annotations.coco.json`
 * next to its images).
 */
import type { Split } from '../core/model';
import { splitFromName, type SplitName } from './shared/splits';
import { baseName, dirName } from './shared/text';

export const annotationFilePath = (split: SplitName): string => `annotations/instances_${split}.json`;
export const imageFolder = (split: SplitName): string => `images/${split}`;

export const joinPath = (...parts: readonly string[]): string => parts.filter((p) => p !== '').join('/');

/** What the path of an instances file says about its images. */
export interface JsonLayout {
  /** The split its images are in: from `x_<split>.json` (`train2017` counts as train), else its folder's name. */
  readonly split: Split;
  /** The folder its images are conventionally in (see the module comment). */
  readonly imageFolder: string;
  /** Other folders worth looking in for the image files (real COCO: `train2017/` beside `annotations/`). */
  readonly otherFolders: readonly string[];
}

export function layoutOf(jsonPath: string): JsonLayout {
  const dir = dirName(jsonPath);
  const stem = baseName(jsonPath).replace(/\.json$/i, '');
  const underscore = stem.lastIndexOf('_');
  const part = underscore >= 0 ? stem.slice(underscore + 1) : stem;
  const inAnnotations = baseName(dir).toLowerCase() === 'annotations';
  const root = inAnnotations ? dirName(dir) : dir;
  let split = splitFromName(part.replace(/\d+$/, ''));
  if (split === 'unassigned' && !inAnnotations && dir !== '') split = splitFromName(baseName(dir));
  const conventional = inAnnotations || dir === '' ? joinPath(root, 'images', part) : dir;
  const otherFolders = [joinPath(root, 'images'), joinPath(root, part), dir, root].filter((f, i, all) => f !== conventional && all.indexOf(f) === i);
  return { split, imageFolder: conventional, otherFolders };
}
