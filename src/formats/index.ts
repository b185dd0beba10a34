/** Every exchange format, in the order the Format select lists them (UI-CONTRACT.md). */
import { coco } from './coco';
import { csv } from './csv';
import { cvat } from './cvat';
import { createml } from './createml';
import { labelme } from './labelme';
import { labelmeXml } from './labelmeXml';
import { tally } from './tally';
import type { Format, FormatId } from './types';
import { voc } from './voc';
import { yolo, yoloSeg } from './yolo';

export const FORMATS: readonly Format[] = [coco, yolo, yoloSeg, voc, cvat, labelme, labelmeXml, createml, csv, tally];

export function formatById(id: FormatId): Format {
  const f = FORMATS.find((x) => x.id === id);
  if (!f) throw new Error(`unknown format ${id}`);
  return f;
}

/** Below this, a format's detect() has not found its own structure: no format is named. */
const SURE_ENOUGH = 0.5;

/**
 * The format these files are in: the one whose detect() is most sure, if it found the format's
 * own structure (a score of at least 0.5). YOLO segmentation and YOLO share a layout, so between
 * those two the rows decide (their detect() looks at them).
 */
export function detectFormat(files: ReadonlyMap<string, Uint8Array>): Format | null {
  let best: Format | null = null;
  let score = SURE_ENOUGH - 1e-9;
  for (const f of FORMATS) {
    const s = f.detect(files);
    if (s > score) [best, score] = [f, s];
  }
  return best;
}
