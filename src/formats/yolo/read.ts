/**
 * YOLO import: Ultralytics (`images/<split>` + `labels/<split>`, data.yaml), Roboflow
 * (`<split>/images` + `<split>/labels`), Darknet "YOLO 1.1" (`obj.names`, `obj.data`,
 * `train.txt`, `obj_<split>_data/` holding labels and images together) and a flat folder of
 * images with their .txt files (LabelImg, with classes.txt).
 *
 * A label file belongs to the image with its stem in the matching image folder: the path with
 * its last `labels` folder read as `images` (Ultralytics' rule; a folder without `labels` holds
 * both). The image's relativePath is the image file's path when the source has the file, else
 * the path an image list (train.txt) gives it, else `<image folder>/<stem>` WITHOUT an extension
 * (the label file cannot say which): the project importer matches it by stem.
 */
import { classNameKey } from '../../core/validate';
import type { Split } from '../../core/model';
import { diagnostic, readShape } from '../shared/readShape';
import { splitFromName } from '../shared/splits';
import { baseName, decodeText, dirName, stemOf } from '../shared/text';
import type { Dataset, DatasetAnnotation, DatasetClass, DatasetImage, Diagnostic, ParseInput, ParseResult, SourceImageInfo } from '../types';
import { pathSet, readMeta, type Listed, type Meta } from './meta';
import { parseRows, rowShape, type Row } from './rows';

const segments = (dir: string): string[] => (dir === '' ? [] : dir.split('/'));

/** The folder holding the labels of images in `dir`: its last `images` folder read as `labels` (Ultralytics' img2label_paths). */
function labelDirOf(dir: string): string {
  const segs = segments(dir);
  for (let i = segs.length - 1; i >= 0; i--) if (/^images$/i.test(segs[i]!)) return [...segs.slice(0, i), 'labels', ...segs.slice(i + 1)].join('/');
  return dir;
}

/** The folder holding the images of labels in `dir`: its last `labels` folder read as `images`. */
function imageDirOf(dir: string): string {
  const segs = segments(dir);
  for (let i = segs.length - 1; i >= 0; i--) if (/^labels$/i.test(segs[i]!)) return [...segs.slice(0, i), 'images', ...segs.slice(i + 1)].join('/');
  return dir;
}

/** Where an image's label file is, without `.txt`, lower case: the key that pairs images, labels and listed images. */
const labelKey = (imagePath: string): string => `${labelDirOf(dirName(imagePath))}/${stemOf(imagePath)}`.toLowerCase();

const isLabelFolder = (s: string): boolean => /^labels$/i.test(s) || /^obj_.*_data$/i.test(s);

function splitOfName(s: string): Split {
  const direct = splitFromName(s);
  return direct !== 'unassigned' ? direct : splitFromName(s.replace(/[-_]?\d+$/, ''));
}

/** A split from folder names: next to the last images/labels folder (Ultralytics after, Roboflow before), obj_<split>_data, then any folder, deepest first. */
function splitFromFolders(dir: string): Split {
  const segs = segments(dir);
  let at = -1;
  for (let i = segs.length - 1; i >= 0 && at < 0; i--) if (/^(images|labels)$/i.test(segs[i]!)) at = i;
  const tries = at >= 0 ? [segs[at + 1], segs[at - 1]] : [];
  for (const s of segs) {
    const m = /^obj_(.+)_data$/i.exec(s);
    if (m) tries.push(m[1]);
  }
  tries.push(...[...segs].reverse());
  for (const s of tries) {
    if (s === undefined) continue;
    const split = splitOfName(s);
    if (split !== 'unassigned') return split;
  }
  return 'unassigned';
}

/** A list file's split first, then the one data.yaml key naming a folder above the image, then folder names. */
function splitOf(path: string, listed: Listed | undefined, meta: Meta): Split {
  if (listed && listed.split !== 'unassigned') return listed.split;
  const lower = path.toLowerCase();
  const keys = new Set(meta.splitDirs.filter((d) => lower.startsWith(`${d.dir.toLowerCase()}/`)).map((d) => d.split));
  if (keys.size === 1) return [...keys][0]!;
  return splitFromFolders(dirName(path));
}

interface Entry {
  path: string;
  file?: SourceImageInfo;
  label?: string;
}

/** Classes by id: names from the names file (trimmed; a missing or duplicate name gets the id), else the ids themselves. */
function classesOf(meta: Meta, rows: readonly (readonly Row[])[], firstLabel: string, out: Diagnostic[]): string[] {
  if (!meta.names) {
    let max = -1;
    for (const list of rows) for (const r of list) max = Math.max(max, r.cls);
    if (max >= 0) out.push(diagnostic('warning', { file: firstLabel }, `no data.yaml, obj.names or classes.txt: the ${max + 1} classes are named by their ids 0–${max}`));
    return Array.from({ length: max + 1 }, (_, i) => String(i));
  }
  const { file } = meta.names;
  const keys = new Set<string>();
  const given = meta.names.names;
  return Array.from({ length: given.length }, (_, i) => {
    let name = given[i]?.trim() ?? '';
    if (name === '') {
      out.push(diagnostic('warning', { file }, `class ${i} has no name: named "${i}"`));
      name = String(i);
    }
    if (keys.has(classNameKey(name))) {
      const renamed = `${name} (${i})`;
      out.push(diagnostic('warning', { file }, `class ${i} is called "${name}" like an earlier class: named "${renamed}"`));
      name = renamed;
    }
    keys.add(classNameKey(name));
    return name;
  });
}

function parseInto(input: ParseInput, out: Diagnostic[]): Dataset {
  const { files } = input;
  const dirs = new Set<string>();
  for (const p of [...files.keys(), ...input.images.map((i) => i.path)]) for (let d = dirName(p); d !== '' && !dirs.has(d); d = dirName(d)) dirs.add(d);
  const meta = readMeta(files, pathSet(input.images.map((i) => i.path)), pathSet(dirs), out);

  const imagesByKey = new Map<string, SourceImageInfo[]>();
  for (const img of [...input.images].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const key = labelKey(img.path);
    const list = imagesByKey.get(key);
    if (list) list.push(img);
    else imagesByKey.set(key, [img]);
  }
  const listedByKey = new Map<string, Listed>();
  for (const l of meta.listed.values()) if (!listedByKey.has(labelKey(l.path))) listedByKey.set(labelKey(l.path), l);

  /** By image path: one per image, its label file if it has one. */
  const entries = new Map<string, Entry>();
  const labelDirs = new Set<string>();
  for (const path of [...files.keys()].sort()) {
    if (!/\.txt$/i.test(path) || meta.metaFiles.has(path) || /^(readme.*|classes\.txt)$/i.test(baseName(path))) continue;
    const key = `${dirName(path)}/${stemOf(path)}`.toLowerCase();
    const matches = imagesByKey.get(key);
    if (!matches && !dirName(path).split('/').some(isLabelFolder)) {
      out.push(diagnostic('info', { file: path }, 'not read: not in a labels folder and no image has its name'));
      continue;
    }
    labelDirs.add(dirName(path).toLowerCase());
    const image = matches?.[0];
    if (matches && matches.length > 1) {
      out.push(diagnostic('warning', { file: path }, `labels ${matches.length} images with the same stem (${matches.map((m) => baseName(m.path)).join(', ')}): its shapes were given to ${baseName(image!.path)} only`));
    }
    const listed = listedByKey.get(key);
    const imagePath = image?.path ?? listed?.path ?? `${imageDirOf(dirName(path))}/${stemOf(path)}`.replace(/^\//, '');
    const other = entries.get(imagePath);
    if (other) {
      out.push(diagnostic('error', { file: path }, `not read: ${other.label!} is already the label file of ${imagePath} (names differing only in case)`));
      continue;
    }
    entries.set(imagePath, { path: imagePath, ...(image ? { file: image } : {}), label: path });
  }
  // Images without a label file in an image folder of the layout: background images.
  const inSplitDir = (p: string): boolean => meta.splitDirs.some((d) => p.toLowerCase().startsWith(`${d.dir.toLowerCase()}/`));
  for (const img of input.images) {
    if (entries.has(img.path)) continue;
    if (labelDirs.has(labelDirOf(dirName(img.path)).toLowerCase()) || inSplitDir(img.path) || meta.listed.has(img.path.toLowerCase())) entries.set(img.path, { path: img.path, file: img });
  }
  for (const l of meta.listed.values()) if (!entries.has(l.path)) entries.set(l.path, { path: l.path });

  const ordered = [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const rowsOf = ordered.map((e) => {
    if (e.label === undefined) return [];
    const { rows, problems } = parseRows(decodeText(files.get(e.label)!));
    for (const p of problems) out.push(diagnostic('error', { file: e.label, line: p.line }, p.message));
    const kinds = new Set(rows.map((r) => r.kind));
    if (kinds.size > 1) {
      const odd = rows.find((r) => r.kind !== rows[0]!.kind)!;
      out.push(
        diagnostic(
          'warning',
          { file: e.label, line: odd.line },
          'mixes box rows (class cx cy w h) and polygon rows: each row was read as what it is, but Ultralytics reads every row of such a file as a polygon',
        ),
      );
    }
    return rows;
  });
  const classes = classesOf(meta, rowsOf, ordered.find((e) => e.label !== undefined)?.label ?? '(import)', out);

  const images: DatasetImage[] = [];
  const annotations: DatasetAnnotation[] = [];
  ordered.forEach((e, index) => {
    const given = e.file && e.file.width > 0 && e.file.height > 0 ? e.file : input.sizeOf?.(e.path);
    const size = given && given.width > 0 && given.height > 0 ? { width: given.width, height: given.height } : undefined;
    const listed = meta.listed.get(e.path.toLowerCase());
    images.push({
      relativePath: e.path,
      fileName: baseName(e.path),
      width: size?.width ?? 0,
      height: size?.height ?? 0,
      split: splitOf(e.path, listed, meta),
      ...(e.label !== undefined ? { source: e.label } : listed ? { source: listed.file } : {}),
      ...(e.file?.sha256 ? { sha256: e.file.sha256 } : {}),
    });
    const rows = rowsOf[index]!;
    const file = e.label ?? e.path;
    if (!size) {
      out.push(
        rows.length > 0
          ? diagnostic('error', { file }, `skipped ${rows.length} shape${rows.length === 1 ? '' : 's'}: the size of ${e.path} is unknown (the image is not in the import and the project has none of that name), so the normalised coordinates cannot be read as pixels`)
          : diagnostic('info', { file }, `the size of ${e.path} is unknown (the image is not in the import and the project has none of that name)`),
      );
      return;
    }
    for (const row of rows) {
      const where = { file, line: row.line };
      const className = classes[row.cls];
      if (className === undefined) {
        out.push(diagnostic('error', where, `skipped a ${row.kind}: class id ${row.cls} is not in ${meta.names?.file ?? 'the class list'} (ids 0–${classes.length - 1})`));
        continue;
      }
      const shape = readShape(rowShape(row, size.width, size.height), size, where, out);
      if (shape) annotations.push({ image: index, className, shape, attributes: {} });
    }
  });
  return { classes: classes.map((name): DatasetClass => ({ name })), images, annotations };
}

export function parseYolo(input: ParseInput): ParseResult {
  const out: Diagnostic[] = [];
  try {
    return { dataset: parseInto(input, out), diagnostics: out };
  } catch (e) {
    // A safety net: every known problem is a diagnostic above; this keeps an unforeseen one from reaching the user as a crash.
    out.push(diagnostic('error', { file: '(import)' }, `could not be read as YOLO: ${e instanceof Error ? e.message : String(e)}`));
    return { dataset: { classes: [], images: [], annotations: [] }, diagnostics: out };
  }
}
