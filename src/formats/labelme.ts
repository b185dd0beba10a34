/**
 * LabelMe: one JSON file per image, next to the image.
 *
 * Export: `<split>/<name>` for each image (`default` when it has no split; names unique per
 * folder by stem, see shared/names.ts) and `<split>/<stem>.json` beside it, as LabelMe 5.2.1
 * writes them: `{version, flags, shapes, imagePath, imageData: null, imageHeight, imageWidth}`.
 * A box is a `rectangle` with its top-left and bottom-right corners, a polygon a `polygon`;
 * `group_id` carries DatasetAnnotation.groupId, the shape `flags` the occluded / truncated /
 * difficult attributes. Coordinates are written at full precision (LabelMe's own convention is
 * Tally's: continuous pixels from the image's top-left corner).
 *
 * Import: every `.json` with a `shapes` array and an `imagePath`. imagePath is resolved against
 * the JSON's folder (`../images/x.jpg` is common; `..` never climbs above the imported root,
 * absolute paths keep only their file name). Rectangle corners may come in any order; polygons
 * need 3 points; circle, line, point, linestrip… are skipped with a warning naming the type.
 * Image size: the image file's own when it is in the source (a different imageWidth/Height is a
 * warning: the file is what the shapes are drawn on), else the JSON's, else sizeOf. Embedded
 * imageData is ignored (info). The split is the first folder of the image's path named like a
 * split (train, val, test…).
 */
import type { Shape } from '../core/model';
import { ClassTable } from './classTable';
import { readJsonFile } from './readJson';
import { resolvePath } from './resolvePath';
import { uniqueNames } from './shared/names';
import { diagnostic, readShape, type Where } from './shared/readShape';
import { splitName, splitOfPath } from './shared/splits';
import { baseName, decodeText, dirName, encodeText, stemOf } from './shared/text';
import type {
  Dataset,
  DatasetAnnotation,
  DatasetImage,
  Diagnostic,
  Format,
  ParseInput,
  ParseResult,
  SerializeOptions,
  SerializeResult,
  Size,
  SourceImageInfo,
} from './types';
import type { AnnotationAttributes } from '../core/model';

export const LABELME_VERSION = '5.2.1';

/** The attribute flags LabelMe files carry per shape (LabelMe flags are booleans). */
const FLAG_NAMES = ['occluded', 'truncated', 'difficult'] as const;

interface LabelmeShape {
  label: string;
  points: number[][];
  group_id: number | null;
  description: string;
  shape_type: 'rectangle' | 'polygon';
  flags: Record<string, boolean>;
}

/** Full precision without the noise of x + w (1.4 + 30.2 = 31.599999999999998): 15 significant digits. */
const clean = (v: number): number => Number(v.toPrecision(15)) || 0;

function toLabelmeShape(a: DatasetAnnotation): LabelmeShape {
  const s = a.shape;
  const points: number[][] = [];
  if (s.kind === 'box') points.push([clean(s.x), clean(s.y)], [clean(s.x + s.w), clean(s.y + s.h)]);
  else for (let k = 0; k + 1 < s.points.length; k += 2) points.push([clean(s.points[k]!), clean(s.points[k + 1]!)]);
  const flags: Record<string, boolean> = {};
  for (const f of FLAG_NAMES) {
    const v = a.attributes[f];
    if (v !== undefined) flags[f] = v;
  }
  return {
    label: a.className,
    points,
    group_id: a.groupId ?? null,
    description: '',
    shape_type: s.kind === 'box' ? 'rectangle' : 'polygon',
    flags,
  };
}

function serialize(dataset: Dataset, _options: SerializeOptions): SerializeResult {
  const folderOf = (i: number): string => splitName(dataset.images[i]!.split);
  const { names, notes } = uniqueNames(dataset.images, folderOf, true);
  const perImage: DatasetAnnotation[][] = dataset.images.map(() => []);
  for (const a of dataset.annotations) perImage[a.image]?.push(a);
  const files = new Map<string, Uint8Array>();
  const imagePaths: string[] = [];
  dataset.images.forEach((img, i) => {
    const folder = folderOf(i);
    const name = names[i]!;
    const doc = {
      version: LABELME_VERSION,
      flags: {},
      shapes: perImage[i]!.map(toLabelmeShape),
      imagePath: name,
      imageData: null,
      imageHeight: img.height,
      imageWidth: img.width,
    };
    files.set(`${folder}/${stemOf(name)}.json`, encodeText(`${JSON.stringify(doc, null, 2)}\n`));
    imagePaths.push(`${folder}/${name}`);
  });
  return { files, imagePaths, imageRefs: imagePaths, notes };
}

// ---------------------------------------------------------------------------------------------
// Import

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const SKIPPED_TYPES = new Set(['circle', 'line', 'point', 'points', 'linestrip', 'mask', 'rotation', 'cuboid']);

/** Image files of the source by exact path, then by lower-case path (Windows tools are careless about case). */
class ImageFiles {
  private readonly exact = new Map<string, SourceImageInfo>();
  private readonly folded = new Map<string, SourceImageInfo>();
  constructor(images: readonly SourceImageInfo[]) {
    for (const img of images) {
      this.exact.set(img.path, img);
      const key = img.path.toLowerCase();
      if (!this.folded.has(key)) this.folded.set(key, img);
    }
  }
  get(path: string): SourceImageInfo | undefined {
    return this.exact.get(path) ?? this.folded.get(path.toLowerCase());
  }
}

/** [x, y] of a LabelMe point, or undefined. */
function pointOf(v: unknown): [number, number] | undefined {
  if (!Array.isArray(v) || v.length < 2) return undefined;
  const [x, y] = v as unknown[];
  return typeof x === 'number' && typeof y === 'number' ? [x, y] : undefined;
}

interface Context {
  readonly file: string;
  readonly diagnostics: Diagnostic[];
  readonly classes: ClassTable;
}

function readLabelmeShape(raw: unknown, k: number, size: Size | undefined, ctx: Context): Omit<DatasetAnnotation, 'image'> | null {
  const where: Where = { file: ctx.file, field: `shapes[${k}]` };
  const out = ctx.diagnostics;
  if (!isObject(raw)) {
    out.push(diagnostic('error', where, 'skipped a shape: it is not an object'));
    return null;
  }
  const type = raw.shape_type === undefined || raw.shape_type === null ? 'polygon' : raw.shape_type;
  if (type !== 'rectangle' && type !== 'polygon') {
    const named = typeof type === 'string' ? type : JSON.stringify(type);
    const why = typeof type === 'string' && SKIPPED_TYPES.has(type) ? 'Tally holds boxes and polygons only' : 'an unknown shape type';
    out.push(diagnostic('warning', { ...where, field: `shapes[${k}].shape_type` }, `skipped a ${named} shape: ${why}`));
    return null;
  }
  if (typeof raw.label !== 'string' || raw.label.trim() === '') {
    out.push(diagnostic('error', { ...where, field: `shapes[${k}].label` }, `skipped a ${type}: it has no label`));
    return null;
  }
  if (!Array.isArray(raw.points)) {
    out.push(diagnostic('error', { ...where, field: `shapes[${k}].points` }, `skipped a ${type}: points is not a list`));
    return null;
  }
  const pts: [number, number][] = [];
  for (let p = 0; p < raw.points.length; p++) {
    const pt = pointOf(raw.points[p]);
    if (!pt) {
      out.push(diagnostic('error', { ...where, field: `shapes[${k}].points[${p}]` }, `skipped a ${type}: a point is not a pair of numbers [x, y]`));
      return null;
    }
    pts.push(pt);
  }
  let shape: Shape;
  if (type === 'rectangle') {
    if (pts.length < 2) {
      out.push(diagnostic('error', { ...where, field: `shapes[${k}].points` }, `skipped a rectangle: it needs 2 corners, it has ${pts.length}`));
      return null;
    }
    // Two opposite corners in any order (LabelMe keeps the order they were dragged in); a few
    // tools write all four: the bounds cover both cases.
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const x0 = Math.min(...xs);
    const y0 = Math.min(...ys);
    shape = { kind: 'box', x: x0, y: y0, w: Math.max(...xs) - x0, h: Math.max(...ys) - y0 };
  } else {
    shape = { kind: 'polygon', points: pts.flat() };
  }
  const read = readShape(shape, size, where, out);
  if (!read) return null;

  const label = raw.label;
  const cls = ctx.classes.resolve(label);
  if (cls.renamed) out.push(diagnostic('info', { ...where, field: `shapes[${k}].label` }, `label "${label}" read as class "${cls.name}" (the same name in another spelling)`));

  const attributes: { -readonly [K in keyof AnnotationAttributes]: AnnotationAttributes[K] } = {};
  if (raw.flags !== undefined && raw.flags !== null) {
    if (!isObject(raw.flags)) {
      out.push(diagnostic('warning', { ...where, field: `shapes[${k}].flags` }, 'flags is not an object; ignored'));
    } else {
      const ignored: string[] = [];
      for (const [name, v] of Object.entries(raw.flags)) {
        const known = FLAG_NAMES.find((f) => f === name);
        if (known && typeof v === 'boolean') attributes[known] = v;
        else ignored.push(name);
      }
      if (ignored.length > 0) {
        out.push(diagnostic('info', { ...where, field: `shapes[${k}].flags` }, `flags ${ignored.map((n) => `"${n}"`).join(', ')} ignored (Tally reads occluded, truncated and difficult as true/false)`));
      }
    }
  }
  let groupId: number | undefined;
  if (raw.group_id !== undefined && raw.group_id !== null) {
    if (typeof raw.group_id === 'number' && Number.isInteger(raw.group_id)) groupId = raw.group_id;
    else out.push(diagnostic('warning', { ...where, field: `shapes[${k}].group_id` }, `group_id ${JSON.stringify(raw.group_id)} is not a whole number; ignored`));
  }
  return { className: cls.name, shape: read, attributes, ...(groupId !== undefined ? { groupId } : {}) };
}

function parse(input: ParseInput): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const classes = new ClassTable();
  const images: DatasetImage[] = [];
  const annotations: DatasetAnnotation[] = [];
  const imageFiles = new ImageFiles(input.images);
  const describedBy = new Map<string, string>();

  for (const [file, bytes] of input.files) {
    if (!file.toLowerCase().endsWith('.json')) continue;
    // An export's manifest.json sits at the root of every Tally archive.
    if (file === 'manifest.json') continue;
    const json = readJsonFile(bytes);
    if (!json.ok) {
      diagnostics.push(diagnostic('error', { file, ...(json.line !== undefined ? { line: json.line } : {}) }, `skipped: ${json.message}`));
      continue;
    }
    const doc = json.value;
    if (!isObject(doc) || (!('shapes' in doc) && !('imagePath' in doc))) {
      diagnostics.push(diagnostic('info', { file }, 'skipped: not a LabelMe file (it has no "shapes" and no "imagePath")'));
      continue;
    }
    if (!Array.isArray(doc.shapes)) {
      diagnostics.push(diagnostic('error', { file, field: 'shapes' }, 'skipped: "shapes" is not a list'));
      continue;
    }
    if (typeof doc.imagePath !== 'string' || doc.imagePath.trim() === '') {
      diagnostics.push(diagnostic('error', { file, field: 'imagePath' }, 'skipped: "imagePath" does not name the image'));
      continue;
    }
    const resolved = resolvePath(dirName(file), doc.imagePath);
    if (resolved.path === '') {
      diagnostics.push(diagnostic('error', { file, field: 'imagePath' }, `skipped: imagePath "${doc.imagePath}" does not name a file`));
      continue;
    }
    if (resolved.absolute) diagnostics.push(diagnostic('info', { file, field: 'imagePath' }, `imagePath "${doc.imagePath}" is absolute; the image is looked for as ${resolved.path}`));
    else if (resolved.climbed) diagnostics.push(diagnostic('info', { file, field: 'imagePath' }, `imagePath "${doc.imagePath}" points above the imported folder; the image is looked for as ${resolved.path}`));
    const relativePath = resolved.path;
    const earlier = describedBy.get(relativePath);
    if (earlier !== undefined) {
      diagnostics.push(diagnostic('error', { file, field: 'imagePath' }, `skipped: ${earlier} already describes the image ${relativePath}`));
      continue;
    }
    describedBy.set(relativePath, file);

    if (typeof doc.imageData === 'string' && doc.imageData !== '') {
      diagnostics.push(diagnostic('info', { file, field: 'imageData' }, 'the image embedded in the file (imageData) is ignored; the image file is used'));
    }
    const size = sizeFor(doc, relativePath, file, imageFiles, input, diagnostics);
    const imageIndex = images.length;
    images.push({
      relativePath,
      fileName: baseName(relativePath),
      width: size?.width ?? 0,
      height: size?.height ?? 0,
      split: splitOfPath(relativePath),
      source: file,
      ...(imageFiles.get(relativePath)?.sha256 !== undefined ? { sha256: imageFiles.get(relativePath)!.sha256! } : {}),
    });
    const ctx: Context = { file, diagnostics, classes };
    doc.shapes.forEach((raw, k) => {
      const a = readLabelmeShape(raw, k, size, ctx);
      if (a) annotations.push({ image: imageIndex, ...a });
    });
  }
  return { dataset: { classes: classes.classes, images, annotations }, diagnostics };
}

/** The image's size (see the module comment), undefined when nothing says (reported). */
function sizeFor(doc: Json, relativePath: string, file: string, imageFiles: ImageFiles, input: ParseInput, out: Diagnostic[]): Size | undefined {
  let stated: Size | undefined;
  if (doc.imageWidth !== undefined || doc.imageHeight !== undefined) {
    if (isPositiveInt(doc.imageWidth) && isPositiveInt(doc.imageHeight)) stated = { width: doc.imageWidth, height: doc.imageHeight };
    else out.push(diagnostic('warning', { file, field: 'imageWidth' }, `imageWidth × imageHeight (${JSON.stringify(doc.imageWidth)} × ${JSON.stringify(doc.imageHeight)}) are not positive whole numbers; ignored`));
  }
  const real = imageFiles.get(relativePath);
  if (real && real.width > 0 && real.height > 0) {
    if (stated && (stated.width !== real.width || stated.height !== real.height)) {
      out.push(
        diagnostic(
          'warning',
          { file, field: 'imageWidth' },
          `the file says the image is ${stated.width}×${stated.height} but ${real.path} is ${real.width}×${real.height}; the image's own size is used and shapes are clipped to it`,
        ),
      );
    }
    return { width: real.width, height: real.height };
  }
  if (stated) return stated;
  const known = input.sizeOf?.(relativePath);
  if (known && known.width > 0 && known.height > 0) return known;
  out.push(diagnostic('warning', { file }, `the size of ${relativePath} is unknown (no imageWidth/imageHeight and no image file); shapes are not checked against it`));
  return undefined;
}

function detect(files: ReadonlyMap<string, Uint8Array>): number {
  let looked = 0;
  let hits = 0;
  for (const [path, bytes] of files) {
    if (!path.toLowerCase().endsWith('.json') || path === 'manifest.json') continue;
    // imagePath comes after shapes in LabelMe's key order; imageData (possibly megabytes) after it.
    const text = decodeText(bytes.subarray(0, 1 << 20));
    if (text.includes('"shapes"') && text.includes('"imagePath"')) hits++;
    if (++looked >= 5) break;
  }
  if (hits === 0) return 0;
  return hits === looked ? 0.9 : 0.6;
}

export const labelme: Format = {
  id: 'labelme',
  label: 'LabelMe',
  shapes: 'both',
  precision: () => 0.001,
  detect,
  serialize,
  parse,
};
