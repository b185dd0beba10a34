/**
 * YOLO detection (`class cx cy w h`) and YOLO segmentation (`class x1 y1 … xn yn`), both in the
 * Ultralytics layout (../../shared/FORMATS.md). They share the layout and the reader: each reads
 * both kinds of row; they differ in what they write and in which one detect() prefers.
 */
import { baseName, decodeText, dirName } from './shared/text';
import type { Format, Size } from './types';
import { parseYolo } from './yolo/read';
import { parseRows } from './yolo/rows';
import { serializeYolo } from './yolo/write';

/**
 * 6 decimals of normalised values: a polygon vertex comes back within 0.5 millionths of the
 * image side, a box corner (rebuilt from centre and size, both rounded) within 0.75, and within
 * 1.5 for a box thinner than a millionth of the side lying on the border (see encodeSpan).
 * 2 millionths of the longer side covers all three with room for float noise.
 */
const precision = (size: Size): number => 2e-6 * Math.max(size.width, size.height);

const PEEK_FILES = 20;

/** How much the files look like a YOLO dataset, and whether its rows are boxes or polygons. */
function look(files: ReadonlyMap<string, Uint8Array>): { score: number; boxes: number; polygons: number } {
  const paths = [...files.keys()];
  const meta =
    paths.some((p) => /^data\.ya?ml$/i.test(baseName(p))) ||
    paths.some((p) => /\.ya?ml$/i.test(p) && /^\s*names\s*:/m.test(decodeText(files.get(p)!.subarray(0, 65536))))
      ? 0.35
      : paths.some((p) => /^obj\.(data|names)$/i.test(baseName(p)))
        ? 0.35
        : paths.some((p) => /^classes\.txt$/i.test(baseName(p)))
          ? 0.2
          : 0;
  const inLabels = (p: string): boolean => dirName(p).split('/').some((s) => /^labels$/i.test(s) || /^obj_.*_data$/i.test(s));
  const txt = paths.filter((p) => /\.txt$/i.test(p) && !/^(classes|train|val|valid|test|readme.*)\.txt$/i.test(baseName(p)));
  const labels = txt.filter(inLabels);
  const peek = (labels.length > 0 ? labels : meta > 0 ? txt : []).slice(0, PEEK_FILES);
  let boxes = 0;
  let polygons = 0;
  let bad = 0;
  for (const p of peek) {
    const { rows, problems } = parseRows(decodeText(files.get(p)!.subarray(0, 65536)));
    for (const r of rows) if (r.kind === 'box') boxes++;
    else polygons++;
    bad += problems.length;
  }
  const good = boxes + polygons;
  let score = meta;
  if (peek.length > 0 && bad <= good / 10) score += labels.length > 0 ? 0.6 : 0.4;
  else if (labels.length > 0 && bad <= good) score += 0.3;
  return { score: Math.min(score, 0.95), boxes, polygons };
}

export const yolo: Format = {
  id: 'yolo',
  label: 'YOLO',
  shapes: 'boxes',
  precision,
  detect(files) {
    const { score, boxes, polygons } = look(files);
    return polygons > boxes ? Math.max(0, score - 0.1) : score;
  },
  serialize: (dataset, options) => serializeYolo(dataset, options, 'box'),
  parse: parseYolo,
};

export const yoloSeg: Format = {
  id: 'yolo-seg',
  label: 'YOLO segmentation',
  shapes: 'polygons',
  precision,
  detect(files) {
    const { score, boxes, polygons } = look(files);
    return polygons > boxes ? score : Math.max(0, score - 0.1);
  },
  serialize: (dataset, options) => serializeYolo(dataset, options, 'polygon'),
  parse: parseYolo,
};
