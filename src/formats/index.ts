/** Every exchange format, in the order the Format select lists them (UI-CONTRACT.md). */
import { coco } from './coco';
import { csv } from './csv';
import { cvat } from './cvat';
import { labelme } from './labelme';
import { tally } from './tally';
import type { Format, FormatId } from './types';
import { voc } from './voc';
import { yolo, yoloSeg } from './yolo';

export const FORMATS: readonly Format[] = [coco, yolo, yoloSeg, voc, cvat, labelme, csv, tally];

export function formatById(id: FormatId): Format {
  const f = FORMATS.find((x) => x.id === id);
  if (!f) throw new Error(`unknown format ${id}`);
  return f;
}

/**
 * The format these files are in: the one whose detect() is most sure. YOLO segmentation and
 * YOLO share a layout, so between those two the rows decide (their detect() looks at them).
 */
export function detectFormat(files: ReadonlyMap<string, Uint8Array>): Format | null {
  let best: Format | null = null;
  let score = 0;
  for (const f of FORMATS) {
    const s = f.detect(files);
    if (s > score) [best, score] = [f, s];
  }
  return best;
}
