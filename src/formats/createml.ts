/**
 * Create ML (Apple's object detection format, as Roboflow exports it): one JSON list per folder,
 * `[{"image": "a.jpg", "annotations": [{"label": "car", "coordinates": {"x", "y", "width", "height"}}]}]`.
 * Boxes only; `x` and `y` are the box's CENTRE, in pixels (not its top-left corner, not
 * normalised). The file holds no image sizes.
 *
 * Written: `<split>/_annotations.createml.json` (Roboflow's name; `default` for images without a
 * split) listing each image of the split, background images with an empty list, and the images
 * beside it at `<split>/<name>` (names unique per folder). Polygons are written as their
 * bounding boxes (said in the export notes). Full precision.
 *
 * Read: every .json holding such a list. `image` is resolved against the JSON's folder (`..`
 * never climbs above the import root); the split is the first folder of the image's path named
 * like a split. Sizes come from the image files, else from the project's images: without one,
 * shapes are read but not checked against the image. An entry without `image`, an annotation
 * without a label or with a width or height that is not positive, and an image listed twice are
 * each skipped and said.
 */
import { ClassTable } from './classTable';
import { readJsonFile } from './readJson';
import { resolvePath } from './resolvePath';
import { uniqueNames } from './shared/names';
import { diagnostic, readShape, type Where } from './shared/readShape';
import { splitName, splitOfPath } from './shared/splits';
import { baseName, decodeText, dirName, encodeText } from './shared/text';
import type { Dataset, DatasetAnnotation, DatasetImage, Diagnostic, Format, ParseInput, ParseResult, SerializeResult, Size } from './types';
import { neverThrows } from './xmlTree';

export const CREATEML_FILE = '_annotations.createml.json';

/** Full precision without float noise. */
const clean = (v: number): number => Number(v.toPrecision(15)) || 0;

// ---------------------------------------------------------------------------------------------
// Export

function serialize(dataset: Dataset): SerializeResult {
  const folderOf = (i: number): string => splitName(dataset.images[i]!.split);
  const { names, notes } = uniqueNames(dataset.images, folderOf, false);
  const lists = new Map<string, string[]>();
  const perImage: DatasetAnnotation[][] = dataset.images.map(() => []);
  for (const a of dataset.annotations) perImage[a.image]?.push(a);
  let converted = 0;
  dataset.images.forEach((_, i) => {
    const boxes = perImage[i]!.map((a) => {
      let { shape } = a;
      if (shape.kind === 'polygon') {
        converted++;
        const xs = shape.points.filter((_, k) => k % 2 === 0);
        const ys = shape.points.filter((_, k) => k % 2 === 1);
        shape = { kind: 'box', x: Math.min(...xs), y: Math.min(...ys), w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) };
      }
      const coordinates = { x: clean(shape.x + shape.w / 2), y: clean(shape.y + shape.h / 2), width: clean(shape.w), height: clean(shape.h) };
      return JSON.stringify({ label: a.className, coordinates });
    });
    const entry = `  {"image": ${JSON.stringify(names[i]!)}, "annotations": [${boxes.length === 0 ? '' : `\n    ${boxes.join(',\n    ')}\n  `}]}`;
    const folder = folderOf(i);
    const list = lists.get(folder);
    if (list) list.push(entry);
    else lists.set(folder, [entry]);
  });
  if (converted > 0) notes.push({ kind: 'changed', message: `${converted} polygon${converted === 1 ? '' : 's'} written as bounding boxes (Create ML holds boxes only)` });
  const files = new Map<string, Uint8Array>();
  for (const [folder, entries] of lists) files.set(`${folder}/${CREATEML_FILE}`, encodeText(`[\n${entries.join(',\n')}\n]\n`));
  const paths = names.map((n, i) => `${folderOf(i)}/${n}`);
  return { files, imagePaths: paths, imageRefs: paths, notes };
}

// ---------------------------------------------------------------------------------------------
// Import

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A list of Create ML entries: objects with an `image` or an `annotations` list, at least one with both (the first few looked at). */
const isCreateMl = (doc: unknown): doc is unknown[] => {
  if (!Array.isArray(doc) || doc.length === 0) return false;
  const head = doc.slice(0, 5);
  return head.every((e) => isObject(e) && ('image' in e || 'annotations' in e)) && head.some((e) => isObject(e) && 'image' in e && Array.isArray(e.annotations));
};

/** Corners computed from a centre and a size, on a 1e-9 px grid (so a box at 0 reads back at 0, not −5e-13). */
const snap = (v: number): number => Math.round(v * 1e9) / 1e9;

function parse(input: ParseInput): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const classes = new ClassTable();
  const images: DatasetImage[] = [];
  const annotations: DatasetAnnotation[] = [];
  const imageFiles = new Map(input.images.map((i) => [i.path, i]));
  const listedBy = new Map<string, string>();

  for (const [file, bytes] of input.files) {
    if (!file.toLowerCase().endsWith('.json') || file === 'manifest.json') continue;
    const json = readJsonFile(bytes);
    if (!json.ok) {
      diagnostics.push(diagnostic('error', { file, ...(json.line !== undefined ? { line: json.line } : {}) }, `skipped: ${json.message}`));
      continue;
    }
    if (!isCreateMl(json.value)) {
      diagnostics.push(diagnostic('info', { file }, 'skipped: not a Create ML file (a list of {"image", "annotations"})'));
      continue;
    }
    json.value.forEach((entry, k) => {
      const where: Where = { file, field: `[${k}]` };
      if (!isObject(entry) || typeof entry.image !== 'string' || entry.image.trim() === '' || !Array.isArray(entry.annotations)) {
        diagnostics.push(diagnostic('error', { ...where, field: `[${k}].image` }, `skipped an entry: it has no ${isObject(entry) && typeof entry.image === 'string' && entry.image.trim() !== '' ? '"annotations" list' : '"image"'}`));
        return;
      }
      const resolved = resolvePath(dirName(file), entry.image);
      if (resolved.path === '') {
        diagnostics.push(diagnostic('error', { ...where, field: `[${k}].image` }, `skipped: "${entry.image}" does not name a file`));
        return;
      }
      if (resolved.climbed || resolved.absolute) diagnostics.push(diagnostic('info', { ...where, field: `[${k}].image` }, `"${entry.image}" points outside the imported folder; the image is looked for as ${resolved.path}`));
      const relativePath = resolved.path;
      const earlier = listedBy.get(relativePath);
      if (earlier !== undefined) {
        diagnostics.push(diagnostic('error', { ...where, field: `[${k}].image` }, `skipped: ${relativePath} is already listed (${earlier})`));
        return;
      }
      listedBy.set(relativePath, `${file} [${k}]`);
      const real = imageFiles.get(relativePath);
      const known = real && real.width > 0 && real.height > 0 ? real : input.sizeOf?.(relativePath);
      const size: Size | undefined = known && known.width > 0 && known.height > 0 ? { width: known.width, height: known.height } : undefined;
      if (!size) diagnostics.push(diagnostic('warning', where, `the size of ${relativePath} is unknown (Create ML files hold none, and there is no image file): shapes are not checked against it`));
      const imageIndex = images.length;
      images.push({ relativePath, fileName: baseName(relativePath), width: size?.width ?? 0, height: size?.height ?? 0, split: splitOfPath(relativePath), source: file, ...(real?.sha256 !== undefined ? { sha256: real.sha256 } : {}) });
      (entry.annotations as unknown[]).forEach((a, j) => {
        const at: Where = { file, field: `[${k}].annotations[${j}]` };
        if (!isObject(a) || typeof a.label !== 'string' || a.label.trim() === '') {
          diagnostics.push(diagnostic('error', { ...at, field: `${at.field!}.label` }, 'skipped a box: it has no label'));
          return;
        }
        const c = a.coordinates;
        if (!isObject(c) || ![c.x, c.y, c.width, c.height].every(isFiniteNumber)) {
          diagnostics.push(diagnostic('error', { ...at, field: `${at.field!}.coordinates` }, `skipped a box of "${a.label}": coordinates must be numbers {x, y, width, height}`));
          return;
        }
        const [x, y, w, h] = [c.x, c.y, c.width, c.height] as number[];
        const [x0, y0] = [snap(x! - w! / 2), snap(y! - h! / 2)];
        const shape = readShape({ kind: 'box', x: x0, y: y0, w: snap(x! + w! / 2) - x0, h: snap(y! + h! / 2) - y0 }, size, { ...at, field: `${at.field!}.coordinates` }, diagnostics);
        if (!shape) return;
        const cls = classes.resolve(a.label);
        if (cls.renamed) diagnostics.push(diagnostic('info', { ...at, field: `${at.field!}.label` }, `label "${a.label}" read as class "${cls.name}" (the same name in another spelling)`));
        annotations.push({ image: imageIndex, className: cls.name, shape, attributes: {} });
      });
    });
  }
  return { dataset: { classes: classes.classes, images, annotations }, diagnostics };
}

function detect(files: ReadonlyMap<string, Uint8Array>): number {
  let best = 0;
  let looked = 0;
  for (const [path, bytes] of files) {
    if (!path.toLowerCase().endsWith('.json') || path === 'manifest.json') continue;
    const head = decodeText(bytes.subarray(0, 65536)).trimStart();
    if (head.startsWith('[') && /"image"\s*:/.test(head) && /"annotations"\s*:/.test(head) && (/"coordinates"\s*:/.test(head) || /"annotations"\s*:\s*\[\s*\]/.test(head))) {
      best = Math.max(best, baseName(path).toLowerCase().endsWith('.createml.json') ? 0.95 : 0.85);
    }
    if (++looked >= 20) break;
  }
  return best;
}

export const createml: Format = {
  id: 'createml',
  label: 'Create ML',
  shapes: 'boxes',
  precision: () => 0.001,
  detect,
  serialize: (dataset) => serialize(dataset),
  parse: neverThrows(parse, 'Create ML'),
};
