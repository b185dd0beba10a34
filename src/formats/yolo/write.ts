/**
 * YOLO export in the Ultralytics layout: `data.yaml`, `images/<split>/<name>`,
 * `labels/<split>/<stem>.txt` (one per image, empty for a background image).
 */
import type { Shape } from '../../core/model';
import { uniqueNames } from '../shared/names';
import { encodeText, stemOf } from '../shared/text';
import type { Dataset, ExportNote, SerializeOptions, SerializeResult } from '../types';
import { formatRow } from './rows';

export type YoloSplit = 'train' | 'val' | 'test';

/** The folder an image goes to: its split; images without one (only when no image has one: see prepare.ts) go with train. */
const folderOf = (split: Dataset['images'][number]['split']): YoloSplit => (split === 'unassigned' ? 'train' : split);

const YAML_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

/**
 * A class name as a YAML scalar that PyYAML (YAML 1.1) and YAML 1.2 parsers both read back as
 * that exact string: plain when it is a simple word (starts with a letter; letters, digits,
 * `_ . -` and inner spaces; not a YAML 1.1 boolean or null), double-quoted otherwise, with
 * `\` and `"` escaped and every character a YAML stream may not hold raw (C0/C1 controls,
 * NEL, LS, PS, BOM, lone surrogates, U+FFFE/U+FFFF) written as `\uXXXX`.
 */
export function yamlString(name: string): string {
  if (/^[A-Za-z][A-Za-z0-9_.-]*(?: +[A-Za-z0-9_.-]+)*$/.test(name) && !YAML_WORDS.has(name.toLowerCase())) return name;
  let out = '"';
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    const ch = name[i]!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < name.length && (name.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += ch + name[i + 1]!;
      i++;
    } else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff || code >= 0xfffe || (code >= 0xd800 && code <= 0xdfff)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/**
 * data.yaml as every reader takes it: `train` and `val` (Ultralytics requires both), `test` when
 * there is one, `names` as a map of ids. No `path` (it resolves against the current directory,
 * not the YAML's) and no `nc`: Ultralytics counts `names`, and Datumaro (CVAT's importer) crashes
 * on an integer `nc` ("'int' object is not iterable").
 */
function dataYaml(classes: readonly string[], folders: { train: YoloSplit; val: YoloSplit; test: boolean }): string {
  const lines = [`train: images/${folders.train}`, `val: images/${folders.val}`];
  if (folders.test) lines.push('test: images/test');
  if (classes.length === 0) lines.push('names: {}');
  else {
    lines.push('names:');
    classes.forEach((name, i) => lines.push(`  ${i}: ${yamlString(name)}`));
  }
  return `${lines.join('\n')}\n`;
}

/** A prepared dataset holds one kind of shape for a one-kind format; a stray other kind is converted, never mixed into a file. */
function ofKind(shape: Shape, kind: 'box' | 'polygon'): Shape {
  if (shape.kind === kind) return shape;
  if (shape.kind === 'box') return { kind: 'polygon', points: [shape.x, shape.y, shape.x + shape.w, shape.y, shape.x + shape.w, shape.y + shape.h, shape.x, shape.y + shape.h] };
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i + 1 < shape.points.length; i += 2) {
    const [x, y] = [shape.points[i]!, shape.points[i + 1]!];
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  }
  return { kind: 'box', x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * Image names unique per split folder by stem (uniqueNames), and such that no image is called
 * like another's stem (`b.c` and `b.c.png`): without the images, the reader knows an image by
 * `<folder>/<stem>` only, which must not be another image's path.
 */
function fileNames(dataset: Dataset, folders: readonly YoloSplit[], notes: ExportNote[]): string[] {
  const { names, notes: renames } = uniqueNames(dataset.images, (i) => folders[i]!, true);
  notes.push(...renames);
  const key = (i: number, name: string): string => `${folders[i]!}\u0000${name.toLowerCase()}`;
  const used = new Set<string>();
  names.forEach((n, i) => used.add(key(i, n)).add(key(i, stemOf(n))));
  const fullNames = new Set(names.map((n, i) => key(i, n)));
  names.forEach((n, i) => {
    const stem = stemOf(n);
    if (stem === n || !fullNames.has(key(i, stem))) return;
    const ext = n.slice(stem.length);
    let k = 2;
    while (used.has(key(i, `${stem}_${k}`)) || used.has(key(i, `${stem}_${k}${ext}`))) k++;
    names[i] = `${stem}_${k}${ext}`;
    used.add(key(i, names[i])).add(key(i, `${stem}_${k}`));
    notes.push({ kind: 'changed', image: dataset.images[i]!.relativePath, message: `renamed to ${names[i]}: another image in the same folder is called ${stem}` });
  });
  return names;
}

export function serializeYolo(dataset: Dataset, options: SerializeOptions, kind: 'box' | 'polygon'): SerializeResult {
  const notes: ExportNote[] = [];
  const folders = dataset.images.map((img) => folderOf(img.split));
  const unassigned = dataset.images.filter((img) => img.split === 'unassigned').length;
  if (unassigned > 0) {
    notes.push({ kind: 'changed', message: `${unassigned} image${unassigned === 1 ? '' : 's'} without a split written to the train folders (a YOLO dataset needs a train set)` });
  }
  const present = new Set(folders);
  const train: YoloSplit = present.has('train') ? 'train' : present.has('val') ? 'val' : present.has('test') ? 'test' : 'train';
  const val: YoloSplit = present.has('val') ? 'val' : train;
  if (!present.has('train') && present.size > 0) {
    notes.push({ kind: 'changed', message: `data.yaml: no image is in the train split, so train: points at images/${train}` });
  }
  if (!present.has('val')) {
    notes.push({
      kind: 'changed',
      message: `data.yaml: no image is in the val split, so val: points at images/${val} (Ultralytics requires a val set; its validation scores will be measured on these training images)`,
    });
  }

  const names = fileNames(dataset, folders, notes);

  const classIds = new Map(dataset.classes.map((c, i) => [c.name, i]));
  const rows: string[][] = dataset.images.map(() => []);
  let converted = 0;
  for (const a of dataset.annotations) {
    const img = dataset.images[a.image];
    const cls = classIds.get(a.className);
    if (!img || cls === undefined) continue;
    if (!(img.width > 0 && img.height > 0)) {
      notes.push({ kind: 'dropped', image: img.relativePath, message: `a ${a.shape.kind} of class "${a.className}": the image size is unknown, so it cannot be normalised` });
      continue;
    }
    const shape = ofKind(a.shape, kind);
    if (shape !== a.shape) converted++;
    rows[a.image]!.push(formatRow(cls, shape, img.width, img.height));
  }
  if (converted > 0) notes.push({ kind: 'changed', message: `${converted} shape${converted === 1 ? '' : 's'} of the other kind written as ${kind === 'box' ? 'bounding boxes' : '4-corner polygons'}, so that no label file mixes boxes and polygons` });

  const files = new Map<string, Uint8Array>();
  files.set('data.yaml', encodeText(dataYaml(dataset.classes.map((c) => c.name), { train, val, test: present.has('test') })));
  const imagePaths: string[] = [];
  const imageRefs: string[] = [];
  dataset.images.forEach((_, i) => {
    const folder = folders[i]!;
    const name = names[i]!;
    const stem = stemOf(name);
    const lines = rows[i]!;
    files.set(`labels/${folder}/${stem}.txt`, encodeText(lines.length === 0 ? '' : `${lines.join('\n')}\n`));
    imagePaths.push(`images/${folder}/${name}`);
    // Without the image file the reader knows the stem only (see read.ts).
    imageRefs.push(options.includeImages ? `images/${folder}/${name}` : `images/${folder}/${stem}`);
  });
  return { files, imagePaths, imageRefs, notes };
}
