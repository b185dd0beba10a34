/** How images are grouped into split folders and files in an export. */
import type { Split } from '../../core/model';
import type { DatasetImage } from '../types';

/** The folder / file suffix of a split in an export: `train`, `val`, `test`, or `default` for images without one. */
export type SplitName = Exclude<Split, 'unassigned'> | 'default';

export const splitName = (split: Split): SplitName => (split === 'unassigned' ? 'default' : split);

/** Reads a folder or file-name part back as a split (`default` and anything unknown: unassigned). Also accepts `valid`/`validation` (Roboflow) for val. */
export function splitFromName(name: string): Split {
  const n = name.toLowerCase();
  if (n === 'train') return 'train';
  if (n === 'val' || n === 'valid' || n === 'validation') return 'val';
  if (n === 'test') return 'test';
  return 'unassigned';
}

/** The split of an image path: its first folder named like a split (LabelMe, LabelMe 3.0, Create ML: `val/a.jpg`), else unassigned. */
export function splitOfPath(path: string): Split {
  const segments = path.split('/');
  for (let i = 0; i < segments.length - 1; i++) {
    const s = splitFromName(segments[i]!);
    if (s !== 'unassigned') return s;
  }
  return 'unassigned';
}

/** The split names present in these images, in the order train, val, test, default. */
export function splitsPresent(images: readonly DatasetImage[]): SplitName[] {
  const seen = new Set(images.map((i) => splitName(i.split)));
  return (['train', 'val', 'test', 'default'] as const).filter((s) => seen.has(s));
}
