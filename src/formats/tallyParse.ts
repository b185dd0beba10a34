/**
 * Reading a Tally package (tally.json): strict validation that names the field (`images[2].width`).
 * The layout and the rules are described in tally.ts.
 */
import { IMAGE_STATUSES, SPLITS, type AnnotationAttributes, type AttributeSpec, type ImageStatus, type ProjectSettings, type Shape, type Split } from '../core/model';
import { classNameKey, validateSettings } from '../core/validate';
import { readJsonFile } from './readJson';
import { diagnostic, readShape } from './shared/readShape';
import { baseName, dirName } from './shared/text';
import type { Dataset, DatasetAnnotation, DatasetClass, DatasetImage, DatasetProject, Diagnostic, ParseInput, ParseResult, Size, SourceImageInfo } from './types';

export const TALLY_FILE = 'tally.json';
export const TALLY_SCHEMA_VERSION = 1;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const COLOR = /^#[0-9a-f]{6}$/i;
const SHA256 = /^[0-9a-f]{64}$/i;
const BUILTIN_FLAGS = ['occluded', 'truncated', 'difficult', 'iscrowd'] as const;
const TOP_LEVEL = new Set(['format', 'schemaVersion', 'tallyVersion', 'createdAt', 'project', 'classes', 'images', 'annotations', 'reviewDecisions']);
const ATTRIBUTE_TYPES: readonly AttributeSpec['type'][] = ['boolean', 'text', 'select'];

class Reader {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly file: string) {}
  error(field: string, message: string): void {
    this.diagnostics.push(diagnostic('error', { file: this.file, field }, message));
  }
  warn(field: string, message: string): void {
    this.diagnostics.push(diagnostic('warning', { file: this.file, field }, message));
  }
  info(field: string | undefined, message: string): void {
    this.diagnostics.push(diagnostic('info', { file: this.file, ...(field !== undefined ? { field } : {}) }, message));
  }
  /** An optional id: a non-empty string not used before in `seen` (else dropped, with a warning). */
  id(raw: unknown, field: string, seen: Map<string, string>, what: string): string | undefined {
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string' || raw === '') {
      this.warn(field, `the ${what} id ${JSON.stringify(raw)} is not a non-empty string; the ${what} gets a new id`);
      return undefined;
    }
    const first = seen.get(raw);
    if (first !== undefined) {
      this.warn(field, `the ${what} id "${raw}" is already used by ${first}; this ${what} gets a new id`);
      return undefined;
    }
    seen.set(raw, field.replace(/\.id$/, ''));
    return raw;
  }
}

const EMPTY: Dataset = { classes: [], images: [], annotations: [] };

function readProject(raw: unknown, r: Reader): DatasetProject | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw) || typeof raw.name !== 'string') {
    r.warn('project', 'the project is not {name, settings}; its name and settings are not read');
    return undefined;
  }
  if (raw.settings === undefined) return { name: raw.name };
  const s = raw.settings;
  const ratios = isObject(s) ? s.splitRatios : undefined;
  if (
    isObject(s) &&
    isFiniteNumber(s.iouThreshold) &&
    isFiniteNumber(s.maxImageMegapixels) &&
    isObject(ratios) &&
    isFiniteNumber(ratios.train) &&
    isFiniteNumber(ratios.val) &&
    isFiniteNumber(ratios.test)
  ) {
    const settings: ProjectSettings = { iouThreshold: s.iouThreshold, splitRatios: { train: ratios.train, val: ratios.val, test: ratios.test }, maxImageMegapixels: s.maxImageMegapixels };
    const valid = validateSettings(settings);
    if (valid.ok) return { name: raw.name, settings };
    r.warn('project.settings', `the project settings are not used: ${valid.message}`);
  } else {
    r.warn('project.settings', 'the project settings are not {iouThreshold, splitRatios: {train, val, test}, maxImageMegapixels} numbers; not used');
  }
  return { name: raw.name };
}

function readAttributeSpecs(raw: unknown, field: string, r: Reader): AttributeSpec[] {
  if (!Array.isArray(raw)) {
    r.warn(field, 'attributes is not a list; the class gets none');
    return [];
  }
  const out: AttributeSpec[] = [];
  raw.forEach((s: unknown, k) => {
    const f = `${field}[${k}]`;
    const type = isObject(s) ? ATTRIBUTE_TYPES.find((t) => t === s.type) : undefined;
    if (!isObject(s) || typeof s.name !== 'string' || s.name === '' || type === undefined || !Array.isArray(s.options) || !s.options.every((o) => typeof o === 'string')) {
      r.warn(f, 'skipped an attribute: it is not {name, type: boolean|text|select, options: [text…]}');
      return;
    }
    if (out.some((o) => o.name === s.name)) {
      r.warn(f, `skipped the attribute "${s.name}": the class already has one of that name`);
      return;
    }
    out.push({ name: s.name, type, options: s.options as string[] });
  });
  return out;
}

function readClasses(raw: unknown[], r: Reader): { classes: DatasetClass[]; byName: Map<string, string>; byKey: Map<string, string> } {
  const classes: DatasetClass[] = [];
  const byName = new Map<string, string>();
  const byKey = new Map<string, string>();
  const ids = new Map<string, string>();
  raw.forEach((c: unknown, k) => {
    const f = `classes[${k}]`;
    if (!isObject(c) || typeof c.name !== 'string' || c.name.trim() === '') {
      r.error(f, 'skipped a class: it has no name');
      return;
    }
    const name = c.name;
    const key = classNameKey(name);
    const clash = byKey.get(key);
    if (clash !== undefined) {
      r.error(`${f}.name`, `skipped the class "${name}": "${clash}" is already a class (names are compared ignoring case)`);
      return;
    }
    const id = r.id(c.id, `${f}.id`, ids, 'class');
    let color: string | undefined;
    if (c.color !== undefined) {
      if (typeof c.color === 'string' && COLOR.test(c.color)) color = c.color.toLowerCase();
      else r.warn(`${f}.color`, `the colour ${JSON.stringify(c.color)} is not #rrggbb; the class gets a new one`);
    }
    const attributes = c.attributes === undefined ? undefined : readAttributeSpecs(c.attributes, `${f}.attributes`, r);
    classes.push({ ...(id !== undefined ? { id } : {}), name, ...(color !== undefined ? { color } : {}), ...(attributes !== undefined ? { attributes } : {}) });
    byName.set(name, name);
    byKey.set(key, name);
  });
  return { classes, byName, byKey };
}

interface ImageFiles {
  get(path: string): SourceImageInfo | undefined;
}

function readImages(raw: unknown[], r: Reader, root: string, files: ImageFiles, input: ParseInput): { images: DatasetImage[]; index: (number | undefined)[] } {
  const images: DatasetImage[] = [];
  const index: (number | undefined)[] = [];
  const ids = new Map<string, string>();
  const shas = new Map<string, string>();
  let absent = 0;
  raw.forEach((m: unknown, k) => {
    const f = `images[${k}]`;
    index.push(undefined);
    if (!isObject(m)) {
      r.error(f, 'skipped an image: it is not an object');
      return;
    }
    const rel = typeof m.relativePath === 'string' && m.relativePath !== '' ? m.relativePath : undefined;
    const name = typeof m.fileName === 'string' && m.fileName !== '' ? m.fileName : undefined;
    if (rel === undefined && name === undefined) {
      r.error(f, 'skipped an image: it has neither relativePath nor fileName');
      return;
    }
    const relativePath = rel ?? name!;
    const fileName = name ?? baseName(relativePath);
    if (rel === undefined) r.warn(`${f}.relativePath`, `relativePath is missing; read as "${fileName}"`);
    if (name === undefined) r.warn(`${f}.fileName`, `fileName is missing; read as "${fileName}"`);
    const id = r.id(m.id, `${f}.id`, ids, 'image');

    const file = typeof m.path === 'string' && m.path !== '' ? files.get(`${root}${m.path}`) : undefined;
    if (m.path !== undefined && typeof m.path !== 'string') r.warn(`${f}.path`, 'path is not text; ignored');
    else if (!file) absent++;

    let sha256: string | undefined;
    if (m.sha256 !== undefined) {
      if (typeof m.sha256 === 'string' && SHA256.test(m.sha256)) sha256 = m.sha256.toLowerCase();
      else r.warn(`${f}.sha256`, 'sha256 is not 64 hexadecimal digits; ignored');
    }
    if (file?.sha256 !== undefined && file.sha256 !== sha256) {
      if (sha256 !== undefined) r.warn(`${f}.sha256`, `${file.path} is not the image the package describes (its SHA-256 differs); the file is used`);
      sha256 = file.sha256;
    }
    if (sha256 !== undefined) {
      const twin = shas.get(sha256);
      if (twin !== undefined) r.warn(`${f}.sha256`, `the same image (SHA-256) as ${twin}; the two are imported as one image`);
      else shas.set(sha256, f);
    }

    let size: Size | undefined = isPositiveInt(m.width) && isPositiveInt(m.height) ? { width: m.width, height: m.height } : undefined;
    if (file && file.width > 0 && file.height > 0 && (!size || size.width !== file.width || size.height !== file.height)) {
      if (size) r.warn(`${f}.width`, `the package says ${size.width}×${size.height} but ${file.path} is ${file.width}×${file.height}; the image's own size is used`);
      size = { width: file.width, height: file.height };
    } else if (!size) {
      const known = input.sizeOf?.(relativePath);
      size = known && known.width > 0 && known.height > 0 ? known : undefined;
      r.warn(`${f}.width`, `width × height (${JSON.stringify(m.width)} × ${JSON.stringify(m.height)}) are not positive whole numbers; ${size ? 'the size of the project image is used' : 'the size is unknown'}`);
    }

    let split: Split = 'unassigned';
    if (typeof m.split === 'string' && (SPLITS as readonly string[]).includes(m.split)) split = m.split as Split;
    else r.warn(`${f}.split`, `split ${JSON.stringify(m.split)} is not one of ${SPLITS.join(', ')}; read as unassigned`);
    let status: ImageStatus | undefined;
    if (m.status !== undefined) {
      if (typeof m.status === 'string' && (IMAGE_STATUSES as readonly string[]).includes(m.status)) status = m.status as ImageStatus;
      else r.warn(`${f}.status`, `status ${JSON.stringify(m.status)} is not one of ${IMAGE_STATUSES.join(', ')}; ignored`);
    }
    index[k] = images.length;
    images.push({
      ...(id !== undefined ? { id } : {}),
      relativePath,
      fileName,
      width: size?.width ?? 0,
      height: size?.height ?? 0,
      split,
      ...(sha256 !== undefined ? { sha256 } : {}),
      ...(status !== undefined ? { status } : {}),
    });
  });
  if (absent > 0 && files !== NO_FILES) r.info('images', `${absent} of the package's images are not in the archive; they are matched to the project's images by SHA-256 and name`);
  return { images, index };
}

function readShapeJson(raw: unknown, f: string, r: Reader): Shape | undefined {
  if (isObject(raw) && raw.kind === 'box') {
    for (const c of ['x', 'y', 'w', 'h'] as const) {
      if (typeof raw[c] !== 'number') {
        r.error(`${f}.${c}`, `skipped a box: ${c} is not a number`);
        return undefined;
      }
    }
    return { kind: 'box', x: raw.x as number, y: raw.y as number, w: raw.w as number, h: raw.h as number };
  }
  if (isObject(raw) && raw.kind === 'polygon') {
    if (!Array.isArray(raw.points) || !raw.points.every((v) => typeof v === 'number')) {
      r.error(`${f}.points`, 'skipped a polygon: points is not a list of numbers');
      return undefined;
    }
    return { kind: 'polygon', points: raw.points as number[] };
  }
  r.error(f, 'skipped an annotation: its shape is not {kind: "box", x, y, w, h} or {kind: "polygon", points}');
  return undefined;
}

function readAttributes(raw: unknown, f: string, r: Reader): AnnotationAttributes {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    r.warn(f, 'attributes is not an object; ignored');
    return {};
  }
  const out: { -readonly [K in keyof AnnotationAttributes]: AnnotationAttributes[K] } = {};
  for (const [key, v] of Object.entries(raw)) {
    const flag = BUILTIN_FLAGS.find((b) => b === key);
    if (flag) {
      if (typeof v === 'boolean') out[flag] = v;
      else r.warn(`${f}.${key}`, `${key} is not true or false; ignored`);
    } else if (key === 'custom') {
      if (!isObject(v)) {
        r.warn(`${f}.custom`, 'custom is not an object; ignored');
        continue;
      }
      const custom: Record<string, string | boolean> = {};
      for (const [name, value] of Object.entries(v)) {
        if (typeof value === 'string' || typeof value === 'boolean') custom[name] = value;
        else r.warn(`${f}.custom.${name}`, `the value of "${name}" is not text or true/false; ignored`);
      }
      out.custom = custom;
    } else {
      r.warn(`${f}.${key}`, `unknown attribute "${key}"; ignored`);
    }
  }
  return out;
}

function readAnnotations(
  raw: unknown[],
  r: Reader,
  imageIndex: readonly (number | undefined)[],
  images: readonly DatasetImage[],
  classes: { byName: Map<string, string>; byKey: Map<string, string> },
): DatasetAnnotation[] {
  const out: DatasetAnnotation[] = [];
  const ids = new Map<string, string>();
  raw.forEach((a: unknown, k) => {
    const f = `annotations[${k}]`;
    if (!isObject(a)) {
      r.error(f, 'skipped an annotation: it is not an object');
      return;
    }
    if (typeof a.image !== 'number' || !Number.isInteger(a.image) || a.image < 0 || a.image >= imageIndex.length) {
      r.error(`${f}.image`, `skipped an annotation: image ${JSON.stringify(a.image)} is not an index into images (0 to ${imageIndex.length - 1})`);
      return;
    }
    const image = imageIndex[a.image];
    if (image === undefined) {
      r.error(`${f}.image`, `skipped an annotation: images[${a.image}] was skipped`);
      return;
    }
    if (typeof a.className !== 'string') {
      r.error(`${f}.className`, 'skipped an annotation: className is not text');
      return;
    }
    let className = classes.byName.get(a.className);
    if (className === undefined) {
      className = classes.byKey.get(classNameKey(a.className));
      if (className === undefined) {
        r.error(`${f}.className`, `skipped an annotation: "${a.className}" is not in classes`);
        return;
      }
      r.warn(`${f}.className`, `"${a.className}" read as the class "${className}"`);
    }
    const parsed = readShapeJson(a.shape, `${f}.shape`, r);
    if (!parsed) return;
    const img = images[image]!;
    const shape = readShape(parsed, img.width > 0 ? img : undefined, { file: r.file, field: `${f}.shape` }, r.diagnostics);
    if (!shape) return;
    const id = r.id(a.id, `${f}.id`, ids, 'annotation');
    let annotator: string | undefined;
    if (a.annotator !== undefined) {
      if (typeof a.annotator === 'string') annotator = a.annotator;
      else r.warn(`${f}.annotator`, 'annotator is not text; ignored');
    }
    let groupId: number | undefined;
    if (a.groupId !== undefined) {
      if (typeof a.groupId === 'number' && Number.isInteger(a.groupId)) groupId = a.groupId;
      else r.warn(`${f}.groupId`, 'groupId is not a whole number; ignored');
    }
    const time = (key: 'createdAt' | 'updatedAt'): number | undefined => {
      const v = a[key];
      if (v === undefined) return undefined;
      if (isFiniteNumber(v)) return v;
      r.warn(`${f}.${key}`, `${key} is not a number (milliseconds since 1970); ignored`);
      return undefined;
    };
    const createdAt = time('createdAt');
    const updatedAt = time('updatedAt');
    out.push({
      ...(id !== undefined ? { id } : {}),
      image,
      className,
      ...(annotator !== undefined ? { annotator } : {}),
      ...(groupId !== undefined ? { groupId } : {}),
      shape,
      attributes: readAttributes(a.attributes, `${f}.attributes`, r),
      ...(createdAt !== undefined ? { createdAt } : {}),
      ...(updatedAt !== undefined ? { updatedAt } : {}),
    });
  });
  return out;
}

const NO_FILES: ImageFiles = { get: () => undefined };

/** The package file: tally.json at the root, else the shallowest one. */
export function packageFile(files: ReadonlyMap<string, Uint8Array>): string[] {
  return [...files.keys()].filter((p) => baseName(p).toLowerCase() === TALLY_FILE).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

export function parseTally(input: ParseInput): ParseResult {
  const candidates = packageFile(input.files);
  const file = candidates[0];
  if (file === undefined) {
    return { dataset: EMPTY, diagnostics: [diagnostic('error', { file: TALLY_FILE }, 'no tally.json: this is not a Tally package')] };
  }
  const r = new Reader(file);
  for (const other of candidates.slice(1)) r.diagnostics.push(diagnostic('warning', { file: other }, `ignored: ${file} is the package read`));
  const json = readJsonFile(input.files.get(file)!);
  if (!json.ok) {
    r.diagnostics.push(diagnostic('error', { file, ...(json.line !== undefined ? { line: json.line } : {}) }, `not read: ${json.message}`));
    return { dataset: EMPTY, diagnostics: r.diagnostics };
  }
  const doc = json.value;
  const fatal = (field: string | undefined, message: string): ParseResult => {
    r.diagnostics.push(diagnostic('error', { file, ...(field !== undefined ? { field } : {}) }, message));
    return { dataset: EMPTY, diagnostics: r.diagnostics };
  };
  if (!isObject(doc)) return fatal(undefined, 'not read: the file is not a JSON object');
  if (doc.format !== 'tally') return fatal('format', `not read: format is ${JSON.stringify(doc.format)}, not "tally"`);
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return fatal('schemaVersion', `not read: schemaVersion ${JSON.stringify(version)} is not a version number`);
  if (version > TALLY_SCHEMA_VERSION) {
    const by = typeof doc.tallyVersion === 'string' ? ` (Tally ${doc.tallyVersion})` : '';
    return fatal('schemaVersion', `not read: the package was made by a newer Tally${by}, schema version ${version}; this Tally reads version ${TALLY_SCHEMA_VERSION}. Update Tally to import it.`);
  }
  for (const key of ['tallyVersion', 'createdAt'] as const) {
    if (doc[key] !== undefined && typeof doc[key] !== 'string') r.warn(key, `${key} is not text; ignored`);
  }
  const unknown = Object.keys(doc).filter((k) => !TOP_LEVEL.has(k));
  if (unknown.length > 0) r.info(undefined, `ignored field${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `"${k}"`).join(', ')}`);
  for (const key of ['classes', 'images', 'annotations'] as const) {
    if (!Array.isArray(doc[key])) return fatal(key, `not read: ${key} is not a list`);
  }
  const project = readProject(doc.project, r);
  const classes = readClasses(doc.classes as unknown[], r);
  const root = dirName(file) === '' ? '' : `${dirName(file)}/`;
  const byPath = new Map(input.images.map((i) => [i.path, i]));
  const imageFiles: ImageFiles = input.images.length > 0 ? { get: (p) => byPath.get(p) } : NO_FILES;
  const { images, index } = readImages(doc.images as unknown[], r, root, imageFiles, input);
  const annotations = readAnnotations(doc.annotations as unknown[], r, index, images, classes);
  if (doc.reviewDecisions !== undefined) {
    if (!Array.isArray(doc.reviewDecisions)) r.warn('reviewDecisions', 'reviewDecisions is not a list; ignored');
    else if (doc.reviewDecisions.length > 0) r.info('reviewDecisions', `${doc.reviewDecisions.length} review decision${doc.reviewDecisions.length === 1 ? ' is' : 's are'} not imported (this Tally does not read them yet)`);
  }
  return { dataset: { ...(project ? { project } : {}), classes: classes.classes, images, annotations }, diagnostics: r.diagnostics };
}

