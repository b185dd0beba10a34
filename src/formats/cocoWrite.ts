/**
 * COCO export: one instances JSON per split, written by hand so every number has at most two
 * decimals (coordinates are stored at 1/100 px) and each image, category and annotation sits on
 * one line.
 *
 * - ids: image id = its index in the dataset + 1, annotation id = its index + 1. Both start at 1
 *   (pycocotools treats id 0 as "unmatched") and are unique across all the split files, so the
 *   files can be merged.
 * - categories: every class, in dataset order, id 1..K, in every split file (also unused ones:
 *   a model trained on one split must agree with the others on the ids).
 * - A box is written with `segmentation: []` by default, as CVAT, Datumaro and Roboflow do:
 *   training code that reads masks (Detectron2, MMDetection) skips an empty segmentation and
 *   COCOeval 'bbox' never reads it. pycocotools' annToMask and segm evaluation fail on `[]`, so
 *   the option `cocoBoxSegmentation: 'corners'` writes the box's 4 corners (clockwise from the
 *   top-left) instead, for mask training. The reader takes a segmentation that is exactly its
 *   bbox's 4 corners for a box, so both read back as boxes (a rectangular polygon with its
 *   corners on its bbox reads back as a box too: the same region).
 * - A polygon: `segmentation: [[x1, y1, …]]`, bbox its tight bounds, area its shoelace area.
 * - area and iscrowd are always present (COCOeval raises KeyError without them); iscrowd is 1
 *   only for a shape with the iscrowd attribute (an imported crowd region), else 0.
 * - attributes: the occluded / truncated / difficult flags that are set and the custom
 *   attributes, in CVAT's `attributes` object; omitted when there are none.
 */
import { polygonArea } from '../core/geometry';
import type { AnnotationAttributes, Shape } from '../core/model';
import { annotationFilePath, imageFolder } from './cocoLayout';
import { uniqueNames } from './shared/names';
import { splitName, splitsPresent, type SplitName } from './shared/splits';
import { encodeText, formatNumber } from './shared/text';
import type { Dataset, DatasetImage, ExportNote, SerializeOptions, SerializeResult } from './types';

/** What two decimals keep: the value the file says (`formatNumber(v, 2)` prints exactly this). */
const round2 = (v: number): number => Number(v.toFixed(2));
const num = (v: number): string => formatNumber(v, 2);
const str = (s: string): string => JSON.stringify(s);
const STEP = 0.01;

interface Written {
  readonly segmentation: string;
  readonly bbox: readonly number[];
  readonly area: number;
}

/** [start, length] of one side of a box: corners rounded (an edge on the border stays on it), length ≥ 1/100 px and inside [0, limit]. */
function edge(lo: number, size: number, limit: number): [number, number] {
  let a = round2(lo);
  let d = round2(round2(lo + size) - a);
  if (d < STEP) {
    d = STEP;
    if (limit > 0 && a + d > limit) a = round2(limit - d);
  }
  return [a, d];
}

function writeShape(s: Shape, img: DatasetImage, corners: boolean): Written {
  if (s.kind === 'box') {
    const [x, w] = edge(s.x, s.w, img.width);
    const [y, h] = edge(s.y, s.h, img.height);
    const [x1, y1] = [round2(x + w), round2(y + h)];
    const segmentation = corners ? `[[${[x, y, x1, y, x1, y1, x, y1].map(num).join(', ')}]]` : '[]';
    return { segmentation, bbox: [x, y, w, h], area: w * h };
  }
  const pts = s.points.map(round2);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let k = 0; k + 1 < pts.length; k += 2) {
    x0 = Math.min(x0, pts[k]!);
    x1 = Math.max(x1, pts[k]!);
    y0 = Math.min(y0, pts[k + 1]!);
    y1 = Math.max(y1, pts[k + 1]!);
  }
  return { segmentation: `[[${pts.map(num).join(', ')}]]`, bbox: [x0, y0, round2(x1 - x0), round2(y1 - y0)], area: polygonArea(pts) };
}

const FLAGS = ['occluded', 'truncated', 'difficult'] as const;

function attributesJson(a: AnnotationAttributes): string | null {
  const parts: string[] = [];
  for (const flag of FLAGS) {
    const v = a[flag];
    if (v !== undefined) parts.push(`${str(flag)}: ${v}`);
  }
  for (const [k, v] of Object.entries(a.custom ?? {})) {
    if (!(FLAGS as readonly string[]).includes(k)) parts.push(`${str(k)}: ${typeof v === 'boolean' ? String(v) : str(v)}`);
  }
  return parts.length > 0 ? `{${parts.join(', ')}}` : null;
}

function list(name: string, items: readonly string[], last: boolean): string {
  const end = last ? '' : ',';
  return items.length === 0 ? `  ${str(name)}: []${end}\n` : `  ${str(name)}: [\n${items.map((l) => `    ${l}`).join(',\n')}\n  ]${end}\n`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const l = map.get(key);
  if (l) l.push(value);
  else map.set(key, [value]);
}

export function serializeCoco(dataset: Dataset, options: SerializeOptions): SerializeResult {
  const images = dataset.images;
  const splitOf = (i: number): SplitName => splitName(images[i]!.split);
  const notes: ExportNote[] = [];
  // A backslash would read back as a folder (Windows tools write file_name that way); a
  // decomposed (NFD) name as its NFC form, like every archive path.
  const cleaned = images.map((img) => {
    const fileName = img.fileName.normalize('NFC').replace(/\\/g, '_');
    if (img.fileName.includes('\\')) {
      notes.push({ kind: 'changed', image: img.relativePath, message: `written as ${fileName}: a backslash in a file name reads as a folder` });
    }
    return { fileName, relativePath: img.relativePath };
  });
  const { names, notes: renames } = uniqueNames(cleaned, splitOf, false);
  notes.push(...renames);
  const imagePaths = names.map((n, i) => `${imageFolder(splitOf(i))}/${n}`);

  // The reader keeps a file_name listed in several split files apart by its folder (cocoLayout.ts).
  const splitsOfName = new Map<string, Set<SplitName>>();
  names.forEach((n, i) => splitsOfName.set(n, (splitsOfName.get(n) ?? new Set<SplitName>()).add(splitOf(i))));
  const imageRefs = names.map((n, i) => (splitsOfName.get(n)!.size > 1 ? imagePaths[i]! : n));

  const categoryId = new Map(dataset.classes.map((c, k) => [c.name, k + 1]));
  const categories = dataset.classes.map((c, k) => `{"id": ${k + 1}, "name": ${str(c.name)}, "supercategory": ""}`);
  const year = new Date(options.createdAt).getUTCFullYear();
  const info =
    `{"description": ${str(dataset.project?.name ?? 'Tally export')}, "version": "1.0"` +
    (Number.isFinite(year) ? `, "year": ${year}` : '') +
    `, "contributor": ${str(`Tally ${options.tallyVersion}`)}, "url": "", "date_created": ${str(options.createdAt)}}`;

  const imageLines = new Map<SplitName, string[]>();
  images.forEach((img, i) => push(imageLines, splitOf(i), `{"id": ${i + 1}, "file_name": ${str(names[i]!)}, "width": ${num(img.width)}, "height": ${num(img.height)}}`));

  const annotationLines = new Map<SplitName, string[]>();
  dataset.annotations.forEach((a, k) => {
    const img = images[a.image];
    const cat = categoryId.get(a.className);
    if (!img || cat === undefined) {
      const why = img ? 'its class is not in the project' : 'its image is not in the export';
      notes.push({ kind: 'dropped', ...(img ? { image: img.relativePath } : {}), message: `a ${a.shape.kind} of class "${a.className}": ${why}` });
      return;
    }
    const w = writeShape(a.shape, img, options.cocoBoxSegmentation === 'corners');
    const attrs = attributesJson(a.attributes);
    push(
      annotationLines,
      splitOf(a.image),
      `{"id": ${k + 1}, "image_id": ${a.image + 1}, "category_id": ${cat}, "segmentation": ${w.segmentation}, ` +
        `"area": ${num(w.area)}, "bbox": [${w.bbox.map(num).join(', ')}], "iscrowd": ${a.attributes.iscrowd === true ? 1 : 0}` +
        (attrs ? `, "attributes": ${attrs}` : '') +
        '}',
    );
  });

  const files = new Map<string, Uint8Array>();
  for (const split of splitsPresent(images)) {
    const text =
      '{\n' +
      `  "info": ${info},\n` +
      '  "licenses": [],\n' +
      list('categories', categories, false) +
      list('images', imageLines.get(split) ?? [], false) +
      list('annotations', annotationLines.get(split) ?? [], true) +
      '}\n';
    files.set(annotationFilePath(split), encodeText(text));
  }
  return { files, imagePaths, imageRefs, notes };
}
