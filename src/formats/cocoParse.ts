/**
 * COCO import: every `.json` holding `images`, `annotations` or `categories` (any name, one file
 * or many; a root `manifest.json` is Tally's and skipped). Accepted variants and what is reported:
 *
 * - categories: any ids (mapped by id, not position); names become classes in category order,
 *   one class per name ignoring case across all files. A `_background_` / `__background__`
 *   category is no class (info; its annotations are skipped). A real class with id 0 is kept
 *   (info: pycocotools-based tools take 0 for background).
 * - images: `file_name` may hold folders or be absolute (only its name is kept); relativePath as
 *   cocoLayout.ts says. Size from width/height, else the image file in the source, else sizeOf;
 *   0 when unknown (info). A stated size that differs from the image file is kept (warning):
 *   the annotations were drawn on it.
 * - annotations: id 0, missing or repeated ids are read (one info per file); missing area or
 *   iscrowd are fine. A polygon segmentation → polygons (an object in several parts → one
 *   polygon per part, warning; a flat number list → one polygon, info); no polygon → the bbox as
 *   a box. An RLE mask (iscrowd 1) → its bbox as a box with the iscrowd attribute, or the mask's
 *   own bounds when the bbox is unusable (warning: Tally holds no masks). CVAT's `attributes`
 *   give occluded / truncated / difficult and custom attributes.
 * - Splits: `x_<split>.json` (`train2017` is train), else the JSON's folder (Roboflow `valid/`).
 *
 * Every problem names the file and a JSON path (`annotations[3].bbox`); at most 200 per file are
 * listed, then how many more. Never throws.
 */
import { classNameKey } from '../core/validate';
import { ClassTable } from './classTable';
import { joinPath, layoutOf, type JsonLayout } from './cocoLayout';
import { FileLog, isFiniteNumber, isObject, plural, readAttributes, shapesOf, show, type Json } from './cocoShapes';
import { readJsonFile } from './readJson';
import { PathIndex } from './shared/pathIndex';
import { diagnostic, isBoxWellInside, readShape } from './shared/readShape';
import { baseName } from './shared/text';
import type { Dataset, DatasetAnnotation, DatasetImage, Diagnostic, ParseInput, ParseResult, Size, SourceImageInfo } from './types';

/** An id as a map key: numbers and non-empty strings (`1` and `"1"` are the same id); null otherwise. */
function idKeyOf(v: unknown): string | null {
  if (isFiniteNumber(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  return null;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu;
const BACKGROUND = /^_+background_+$/i;

const ABSOLUTE = /^(?:\/|[A-Za-z]:|file:)/i;

/**
 * file_name as a relative '/'-separated NFC path: backslashes are separators (Windows tools), `.`,
 * `..` and empty segments are dropped, an absolute path keeps only its file name. Unlike
 * resolvePath.ts nothing is trimmed: ` a.jpg` is a legal name and must read back as written.
 */
function normaliseFileName(raw: string): { readonly path: string; readonly absolute: boolean; readonly climbed: boolean } {
  const slashed = raw.replace(/\\/g, '/');
  const absolute = ABSOLUTE.test(slashed);
  const segments = absolute ? [slashed.split(/[/:]/).pop() ?? ''] : slashed.split('/');
  const kept = segments.filter((s) => s !== '' && s !== '.' && s !== '..');
  return { path: kept.join('/').normalize('NFC'), absolute, climbed: !absolute && segments.includes('..') };
}

interface Source {
  readonly file: string;
  readonly doc: Json;
  readonly layout: JsonLayout;
  readonly log: FileLog;
}

interface ImageEntry {
  readonly field: string;
  readonly id: string;
  /** Normalised file_name. */
  readonly name: string;
  readonly size?: Size;
}

const SPLIT_ORDER = { train: 0, val: 1, test: 2, unassigned: 3 } as const;

function findSources(input: ParseInput, diagnostics: Diagnostic[]): Source[] {
  const paths = [...input.files.keys()].filter((p) => p.toLowerCase().endsWith('.json') && p !== 'manifest.json');
  const layouts = new Map(paths.map((p) => [p, layoutOf(p)]));
  paths.sort((a, b) => SPLIT_ORDER[layouts.get(a)!.split] - SPLIT_ORDER[layouts.get(b)!.split] || (a < b ? -1 : a > b ? 1 : 0));
  const sources: Source[] = [];
  for (const file of paths) {
    const json = readJsonFile(input.files.get(file)!);
    if (!json.ok) {
      diagnostics.push(diagnostic('error', { file, ...(json.line !== undefined ? { line: json.line } : {}) }, `skipped: ${json.message}`));
      continue;
    }
    const doc = json.value;
    if (!isObject(doc) || !('images' in doc || 'annotations' in doc || 'categories' in doc)) {
      diagnostics.push(diagnostic('info', { file }, 'skipped: not a COCO instances file (it has no "images", "annotations" or "categories")'));
      continue;
    }
    sources.push({ file, doc, layout: layouts.get(file)!, log: new FileLog(file, diagnostics) });
  }
  if (sources.length === 0) {
    const file = paths[0] ?? [...input.files.keys()][0] ?? '(no files)';
    diagnostics.push(diagnostic('error', { file }, 'no COCO instances file found: expected a .json file with "images", "annotations" and "categories" lists'));
  }
  return sources;
}

/** Category id → class name (null: the background placeholder); null when the file has no usable list. */
function readCategories(src: Source, classes: ClassTable): Map<string, string | null> | null {
  const { log } = src;
  const list = src.doc.categories;
  if (!Array.isArray(list)) {
    log.add('error', 'categories', list === undefined ? 'the file has no "categories" list: its annotations cannot be given classes' : '"categories" is not a list');
    return null;
  }
  const map = new Map<string, string | null>();
  const idOfClass = new Map<string, string>();
  (list as unknown[]).forEach((c, k) => {
    const f = `categories[${k}]`;
    if (!isObject(c)) return log.add('error', f, 'skipped a category: it is not an object');
    const id = idKeyOf(c.id);
    if (id === null) return log.add('error', `${f}.id`, 'skipped a category without an id (a number)');
    if (map.has(id)) return log.add('error', `${f}.id`, `skipped: an earlier category already has id ${id}`);
    const raw = typeof c.name === 'string' ? c.name : isFiniteNumber(c.name) ? String(c.name) : '';
    let name = raw.replace(CONTROL, ' ').trim();
    if (BACKGROUND.test(name)) {
      map.set(id, null);
      return log.add('info', f, `"${name}" (id ${id}) is a background placeholder, not a class`);
    }
    if (name === '') {
      name = `category ${id}`;
      log.add('warning', `${f}.name`, `the category has no name: read as "${name}"`);
    } else if (name !== raw.trim()) {
      log.add('warning', `${f}.name`, `control characters or line breaks in the name were replaced by spaces: "${name}"`);
    }
    if (c.id === 0) log.add('info', `${f}.id`, `category id 0: pycocotools-based tools take 0 for background; read as the class "${name}"`);
    const cls = classes.resolve(name);
    if (cls.renamed) log.add('info', `${f}.name`, `"${name}" read as the class "${cls.name}" (the same name in another spelling)`);
    const key = classNameKey(cls.name);
    const twin = idOfClass.get(key);
    if (twin !== undefined) log.add('info', f, `categories ${twin} and ${id} have the same name: both read as the class "${cls.name}"`);
    else idOfClass.set(key, id);
    map.set(id, cls.name);
  });
  return map;
}

function readStatedSize(im: Json, f: string, log: FileLog): Size | undefined {
  const { width: w, height: h } = im;
  if (isFiniteNumber(w) && isFiniteNumber(h) && w > 0 && h > 0) {
    if (Number.isInteger(w) && Number.isInteger(h)) return { width: w, height: h };
    const size = { width: Math.max(1, Math.round(w)), height: Math.max(1, Math.round(h)) };
    log.add('warning', `${f}.width`, `width × height ${w} × ${h} are not whole pixels: read as ${size.width} × ${size.height}`);
    return size;
  }
  const absent = (v: unknown): boolean => v === undefined || v === null || v === 0;
  if (!absent(w) || !absent(h)) log.add('warning', `${f}.width`, `width × height (${show(w)} × ${show(h)}) are not positive numbers: ignored`);
  return undefined;
}

function readImageEntries(src: Source): ImageEntry[] | null {
  const { log } = src;
  const list = src.doc.images;
  if (!Array.isArray(list)) {
    log.add('error', 'images', list === undefined ? 'the file has no "images" list: its annotations have no images to go to' : '"images" is not a list');
    return null;
  }
  const entries: ImageEntry[] = [];
  const indexOfId = new Map<string, number>();
  (list as unknown[]).forEach((im, k) => {
    const f = `images[${k}]`;
    if (!isObject(im)) return log.add('error', f, 'skipped an image: it is not an object');
    const id = idKeyOf(im.id);
    if (id === null) return log.add('error', `${f}.id`, 'skipped an image without an id (annotations find their image by id)');
    const earlier = indexOfId.get(id);
    if (earlier !== undefined) return log.add('error', `${f}.id`, `skipped: images[${earlier}] already has id ${id}`);
    const raw = im.file_name;
    if (typeof raw !== 'string') return log.add('error', `${f}.file_name`, 'skipped an image without a file_name');
    const resolved = normaliseFileName(raw);
    if (resolved.path === '') return log.add('error', `${f}.file_name`, `skipped: file_name ${show(raw)} does not name a file`);
    if (resolved.absolute) log.add('info', `${f}.file_name`, `file_name ${show(raw)} is absolute: read as ${resolved.path}`);
    else if (resolved.climbed) log.add('info', `${f}.file_name`, `file_name ${show(raw)} points above the dataset folder: read as ${resolved.path}`);
    const size = readStatedSize(im, f, log);
    indexOfId.set(id, k);
    entries.push({ field: f, id, name: resolved.path, ...(size ? { size } : {}) });
  });
  return entries;
}

/** Image files of the source: by exact path, then by a base name only one of them has. */
class SourceImages {
  private readonly exact = new Map<string, SourceImageInfo>();
  private readonly index = new PathIndex<SourceImageInfo>();
  constructor(images: readonly SourceImageInfo[]) {
    for (const img of images) {
      this.exact.set(img.path, img);
      this.index.add(img.path, img);
    }
  }
  find(name: string, layout: JsonLayout): SourceImageInfo | undefined {
    for (const folder of [layout.imageFolder, ...layout.otherFolders]) {
      const hit = this.exact.get(joinPath(folder, name));
      if (hit) return hit;
    }
    const m = this.index.find(name);
    return m.kind === 'found' && m.by !== 'stem' ? m.value : undefined;
  }
}

function imageOf(e: ImageEntry, relativePath: string, src: Source, files: SourceImages, input: ParseInput): DatasetImage {
  const real = files.find(e.name, src.layout);
  const base = { relativePath, fileName: baseName(relativePath), split: src.layout.split, source: src.file, ...(real?.sha256 !== undefined ? { sha256: real.sha256 } : {}) };
  const realSize = real && real.width > 0 && real.height > 0 ? real : undefined;
  if (e.size) {
    if (realSize && (realSize.width !== e.size.width || realSize.height !== e.size.height)) {
      const says = `${e.size.width}×${e.size.height}`;
      src.log.add('warning', `${e.field}.width`, `the file says the image is ${says} but ${realSize.path} is ${realSize.width}×${realSize.height}; ${says} is kept (the annotations were drawn on it)`);
    }
    return { ...base, ...e.size };
  }
  if (realSize) return { ...base, width: realSize.width, height: realSize.height };
  const known = input.sizeOf?.(relativePath) ?? (relativePath !== e.name ? input.sizeOf?.(e.name) : undefined);
  if (known && known.width > 0 && known.height > 0) return { ...base, width: known.width, height: known.height };
  src.log.add('info', e.field, `the size of ${relativePath} is unknown (no width/height in the file and no image file): its shapes are not checked against it`);
  return { ...base, width: 0, height: 0 };
}

function readAnnotations(
  src: Source,
  imageOfId: ReadonlyMap<string, number> | null,
  categories: ReadonlyMap<string, string | null> | null,
  images: readonly DatasetImage[],
  out: DatasetAnnotation[],
): void {
  const { log } = src;
  const list = src.doc.annotations;
  if (list === undefined) return;
  if (!Array.isArray(list)) return log.add('error', 'annotations', '"annotations" is not a list: no annotation of this file was read');
  if (list.length === 0) return;
  if (!imageOfId || !categories) {
    return log.add('error', 'annotations', `${plural(list.length, 'annotation')} skipped: the file has no usable ${imageOfId ? '"categories"' : '"images"'} list`);
  }
  const ids = new Set<string>();
  let oddIds = 0;
  let firstOdd = '';
  /**
   * The usual annotation (what Tally and most tools write for a box: numeric ids, a bbox of four
   * numbers well inside an image of known size, an empty or no segmentation, not a crowd, no
   * attributes), read without the field names and intermediate objects of the general path
   * below, to the same result; anything else, or anything to say, goes that way.
   */
  const readPlainBox = (a: unknown): boolean => {
    if (!isObject(a)) return false;
    const { id, image_id: imageId, category_id: categoryId, bbox, segmentation: seg, iscrowd } = a;
    if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0 || !isFiniteNumber(imageId) || !isFiniteNumber(categoryId)) return false;
    if (a.attributes !== undefined || !(iscrowd === undefined || iscrowd === 0 || iscrowd === false)) return false;
    if (!(seg === undefined || seg === null || (Array.isArray(seg) && seg.length === 0)) || !Array.isArray(bbox) || bbox.length !== 4) return false;
    const [x, y, w, h] = bbox as unknown[];
    if (typeof x !== 'number' || typeof y !== 'number' || typeof w !== 'number' || typeof h !== 'number') return false;
    const idKey = String(id);
    const image = ids.has(idKey) ? undefined : imageOfId.get(String(imageId));
    const className = image === undefined ? undefined : categories.get(String(categoryId));
    if (image === undefined || className === undefined || className === null) return false;
    const img = images[image]!;
    if (!(img.width > 0 && img.height > 0 && isBoxWellInside(x, y, w, h, img.width, img.height))) return false;
    ids.add(idKey);
    out.push({ image, className, shape: { kind: 'box', x, y, w, h }, attributes: {} });
    return true;
  };
  (list as unknown[]).forEach((a, k) => {
    if (readPlainBox(a)) return;
    const f = `annotations[${k}]`;
    if (!isObject(a)) return log.add('error', f, 'skipped an annotation: it is not an object');
    const id = idKeyOf(a.id);
    if (id === null || a.id === 0 || ids.has(id)) {
      if (oddIds++ === 0) firstOdd = `${f}.id`;
    } else ids.add(id);
    const imageKey = idKeyOf(a.image_id);
    const image = imageKey === null ? undefined : imageOfId.get(imageKey);
    if (image === undefined) return log.add('error', `${f}.image_id`, imageKey === null ? 'skipped: it has no image_id' : `skipped: no image in this file has id ${imageKey}`);
    const categoryKey = idKeyOf(a.category_id);
    const className = categoryKey === null ? undefined : categories.get(categoryKey);
    if (className === undefined) return log.add('error', `${f}.category_id`, categoryKey === null ? 'skipped: it has no category_id' : `skipped: no category has id ${categoryKey}`);
    if (className === null) return log.add('error', `${f}.category_id`, `skipped: it belongs to the background category ${categoryKey}`);
    const img = images[image]!;
    const size = img.width > 0 && img.height > 0 ? img : undefined;
    const attributes = readAttributes(a.attributes, a.iscrowd === 1 || a.iscrowd === true, f, log);
    for (const { shape, field } of shapesOf(a, f, log)) {
      const found: Diagnostic[] = [];
      const read = readShape(shape, size, { file: src.file, field }, found);
      for (const d of found) log.push(d);
      if (read) out.push({ image, className, shape: read, attributes });
    }
  });
  if (oddIds > 0) {
    log.add('info', firstOdd, `${plural(oddIds, 'annotation')} with id 0, no id or an id used before (pycocotools mis-matches them): read anyway; Tally's export numbers annotations from 1`);
  }
}

function read(input: ParseInput, diagnostics: Diagnostic[]): Dataset {
  const sources = findSources(input, diagnostics);
  const classes = new ClassTable();
  const categories = sources.map((s) => readCategories(s, classes));
  const entries = sources.map(readImageEntries);
  const filesOfName = new Map<string, Set<number>>();
  entries.forEach((list, si) => list?.forEach((e) => filesOfName.set(e.name, (filesOfName.get(e.name) ?? new Set<number>()).add(si))));

  const files = new SourceImages(input.images);
  const images: DatasetImage[] = [];
  const annotations: DatasetAnnotation[] = [];
  const firstListing = new Map<string, string>();
  sources.forEach((src, si) => {
    const list = entries[si];
    let imageOfId: Map<string, number> | null = null;
    if (list) {
      imageOfId = new Map();
      for (const e of list) {
        const shared = filesOfName.get(e.name)!.size > 1;
        const relativePath = shared ? joinPath(src.layout.imageFolder, e.name) : e.name;
        if (shared) src.log.add('info', `${e.field}.file_name`, `${e.name} is listed in more than one instances file: this one is read as ${relativePath}`);
        const earlier = firstListing.get(relativePath);
        if (earlier !== undefined) src.log.add('info', `${e.field}.file_name`, `${relativePath} is also listed by ${earlier}: read as a separate image`);
        else firstListing.set(relativePath, `${src.file} ${e.field}`);
        imageOfId.set(e.id, images.length);
        images.push(imageOf(e, relativePath, src, files, input));
      }
    }
    readAnnotations(src, imageOfId, categories[si] ?? null, images, annotations);
  });
  for (const s of sources) s.log.close();

  const info = sources.map((s) => s.doc.info).find((i) => isObject(i) && typeof i.description === 'string' && i.description.trim() !== '');
  const project = isObject(info) ? { name: String(info.description).trim() } : undefined;
  return { ...(project ? { project } : {}), classes: classes.classes, images, annotations };
}

export function parseCoco(input: ParseInput): ParseResult {
  const diagnostics: Diagnostic[] = [];
  try {
    return { dataset: read(input, diagnostics), diagnostics };
  } catch (e) {
    const file = [...input.files.keys()][0] ?? '(no files)';
    diagnostics.push(diagnostic('error', { file }, `the COCO import stopped on an internal error: ${e instanceof Error ? e.message : String(e)}`));
    return { dataset: { classes: [], images: [], annotations: [] }, diagnostics };
  }
}
