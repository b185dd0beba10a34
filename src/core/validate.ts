import {
  CONSENSUS_LAYER,
  IMAGE_STATUSES,
  LAYER_KINDS,
  SPLITS,
  type Annotation,
  type ImageRecord,
  type LabelClass,
  type PixelStats,
  type Layer,
  type Project,
  type ProjectSettings,
  type Shape,
} from './model';
import { fail, ok, type Result } from './result';

/** Checks of the invariants stated in model.ts. Each returns the cleaned value or a user message. */

export const PROJECT_NAME_MAX = 120;
export const CLASS_NAME_MAX = 100;
export const ANNOTATOR_NAME_MAX = 60;

// C0 and C1 control characters, and the Unicode line/paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

function cleanName(raw: string, what: string, max: number): Result<string> {
  const name = raw.normalize('NFC').trim();
  if (name.length === 0) return fail(`${what} cannot be empty.`);
  if (name.length > max) return fail(`${what} is too long (${name.length} characters; at most ${max}).`);
  if (CONTROL.test(name)) return fail(`${what} cannot contain control characters or line breaks.`);
  return ok(name);
}

export const validateProjectName = (raw: string): Result<string> => cleanName(raw, 'Project name', PROJECT_NAME_MAX);

/** Two class names clash when they are equal ignoring case and Unicode compatibility forms. */
export const classNameKey = (name: string): string => name.normalize('NFKC').trim().toLocaleLowerCase('en');

/** A class name, unique in `classes` ignoring case (the class `exceptId` is the one being renamed). */
export function validateClassName(raw: string, classes: readonly LabelClass[], exceptId?: string): Result<string> {
  const cleaned = cleanName(raw, 'Class name', CLASS_NAME_MAX);
  if (!cleaned.ok) return cleaned;
  const key = classNameKey(cleaned.value);
  const clash = classes.find((c) => c.id !== exceptId && classNameKey(c.name) === key);
  if (clash) return fail(`A class named “${clash.name}” already exists.`);
  return cleaned;
}

export function validateAnnotatorName(raw: string): Result<string> {
  const cleaned = cleanName(raw, 'Annotator name', ANNOTATOR_NAME_MAX);
  if (!cleaned.ok) return cleaned;
  if (cleaned.value.toLowerCase() === CONSENSUS_LAYER.toLowerCase()) {
    return fail(`“${CONSENSUS_LAYER}” is reserved for the reviewed layer; choose another name.`);
  }
  return cleaned;
}

const COLOR = /^#[0-9a-f]{6}$/;
export function validateColor(raw: string): Result<string> {
  const color = raw.trim().toLowerCase();
  return COLOR.test(color) ? ok(color) : fail(`Colour must look like #1a2b3c (got “${raw}”).`);
}

export function validateSettings(s: ProjectSettings): Result<ProjectSettings> {
  if (!(s.iouThreshold > 0 && s.iouThreshold <= 1)) return fail('IoU threshold must be in (0, 1].');
  const { train, val, test } = s.splitRatios;
  if (![train, val, test].every((r) => Number.isFinite(r) && r >= 0)) return fail('Split ratios must be ≥ 0.');
  if (Math.abs(train + val + test - 1) > 1e-6) return fail('Split ratios must add up to 100 %.');
  if (!(Number.isFinite(s.maxImageMegapixels) && s.maxImageMegapixels > 0)) {
    return fail('The image size limit must be a positive number of megapixels.');
  }
  // Each checker threshold is checked against its range by the checker (validateQualitySettings); here only its kind.
  for (const [name, v] of Object.entries(s.quality ?? {})) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`Checker setting “${name}” must be a number.`);
  }
  return ok(s);
}

/** Every invariant of a project: names, colours, unique class ids and names, settings. */
export function validateProject(p: Project): Result<Project> {
  const name = validateProjectName(p.name);
  if (!name.ok) return name;
  if (name.value !== p.name) return fail('Project name is not trimmed.');
  const ids = new Set<string>();
  for (let i = 0; i < p.classes.length; i++) {
    const c = p.classes[i]!;
    if (ids.has(c.id)) return fail(`Class id ${c.id} appears twice.`);
    ids.add(c.id);
    const cname = validateClassName(c.name, p.classes.slice(0, i));
    if (!cname.ok) return cname;
    const color = validateColor(c.color);
    if (!color.ok || color.value !== c.color) return fail(`Class “${c.name}” has an invalid colour.`);
  }
  const settings = validateSettings(p.settings);
  if (!settings.ok) return settings;
  return ok(p);
}

const isFiniteNumber = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** Finite coordinates; a box has w, h > 0; a polygon has an even number of coordinates, ≥ 3 vertices. */
export function validateShape(shape: Shape): Result<Shape> {
  if (shape.kind === 'box') {
    const { x, y, w, h } = shape;
    if (![x, y, w, h].every(isFiniteNumber)) return fail('Box coordinates must be finite numbers.');
    if (w <= 0 || h <= 0) return fail('A box must have a positive width and height.');
    return ok(shape);
  }
  const pts = shape.points;
  if (pts.length % 2 !== 0) return fail('A polygon needs an x and a y for every vertex.');
  if (pts.length < 6) return fail('A polygon needs at least 3 vertices.');
  if (!pts.every(isFiniteNumber)) return fail('Polygon coordinates must be finite numbers.');
  return ok(shape);
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const isPositiveInt = (n: number): boolean => Number.isInteger(n) && n > 0;

/** A stored pixel statistic within its range (model.ts PixelStats), or null. */
function validPixelStats(raw: unknown): PixelStats | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { meanLuminance, laplacianVariance, entropy } = raw as Record<string, unknown>;
  if (!isFiniteNumber(meanLuminance) || meanLuminance < 0 || meanLuminance > 1) return null;
  if (!isFiniteNumber(laplacianVariance) || laplacianVariance < 0) return null;
  if (!isFiniteNumber(entropy) || entropy < 0 || entropy > 8) return null;
  return { meanLuminance, laplacianVariance, entropy };
}

/**
 * The image's pixel features that are well formed (restore-on-read: they are optional — images
 * imported before Tally measured them have none — so a malformed one is dropped, never fatal;
 * the checker then skips the pixel rules for that image).
 */
export function validPixelFeatures(img: ImageRecord): { readonly pixelSha256?: string; readonly pixelStats?: PixelStats } {
  const sha: unknown = img.pixelSha256;
  const stats = validPixelStats(img.pixelStats);
  return { ...(typeof sha === 'string' && HEX64.test(sha) ? { pixelSha256: sha } : {}), ...(stats ? { pixelStats: stats } : {}) };
}

/** The record without its malformed optional features (the same object when there are none). */
export function withValidPixelFeatures(img: ImageRecord): ImageRecord {
  if (img.pixelSha256 === undefined && img.pixelStats === undefined) return img;
  const valid = validPixelFeatures(img);
  if (valid.pixelSha256 === img.pixelSha256 && (valid.pixelStats === undefined) === (img.pixelStats === undefined)) return img;
  const rest: { -readonly [K in keyof ImageRecord]: ImageRecord[K] } = { ...img };
  delete rest.pixelSha256;
  delete rest.pixelStats;
  return { ...rest, ...valid };
}

/** Every invariant of an image record; malformed optional pixel features are dropped (withValidPixelFeatures). */
export function validateImageRecord(img: ImageRecord): Result<ImageRecord> {
  if (!isPositiveInt(img.width) || !isPositiveInt(img.height)) return fail(`${img.fileName}: width and height must be positive integers.`);
  if (!isPositiveInt(img.byteSize)) return fail(`${img.fileName}: the file is empty.`);
  if (!HEX64.test(img.sha256)) return fail(`${img.fileName}: SHA-256 must be 64 hex digits.`);
  if (![img.phash, img.phashMirrored, img.dhash].every((h) => HEX16.test(h))) return fail(`${img.fileName}: hashes must be 16 hex digits.`);
  if (!(SPLITS as readonly string[]).includes(img.split)) return fail(`${img.fileName}: unknown split “${img.split}”.`);
  if (!(IMAGE_STATUSES as readonly string[]).includes(img.status)) return fail(`${img.fileName}: unknown status “${img.status}”.`);
  if (!Number.isInteger(img.annotationCount) || img.annotationCount < 0) return fail(`${img.fileName}: bad annotation count.`);
  if (img.fileName.length === 0 || !img.relativePath.endsWith(img.fileName)) return fail(`${img.fileName}: the path must end with the file name.`);
  return ok(withValidPixelFeatures(img));
}

export function validateAnnotation(a: Annotation, project: Project): Result<Annotation> {
  if (!project.classes.some((c) => c.id === a.classId)) return fail(`Annotation ${a.id} uses a class that is not in the project.`);
  const shape = validateShape(a.shape);
  if (!shape.ok) return shape;
  return ok(a);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * An annotation as read from IndexedDB, checked before it is used: what can be restored is
 * (a missing or broken revision becomes 1, missing attributes become none, a missing source
 * becomes manual), what cannot (no ids, no layer, a broken shape) is refused with the reason.
 */
export function restoreAnnotation(raw: unknown): Result<Annotation> {
  if (!isRecord(raw)) return fail('not a record');
  const { id, projectId, imageId, layerId, classId, shape } = raw;
  if (!isId(id) || !isId(projectId) || !isId(imageId)) return fail('its ids are missing');
  if (!isId(layerId)) return fail(`shape ${id} names no layer`);
  if (!isId(classId)) return fail(`shape ${id} names no class`);
  if (!isRecord(shape) || (shape.kind !== 'box' && shape.kind !== 'polygon')) return fail(`shape ${id} has no geometry`);
  const geometry = validateShape(shape as unknown as Shape);
  if (!geometry.ok) return fail(`shape ${id}: ${geometry.message}`);
  const revision = typeof raw.revision === 'number' && Number.isInteger(raw.revision) && raw.revision > 0 ? raw.revision : 1;
  const attributes = isRecord(raw.attributes) ? raw.attributes : {};
  const source = typeof raw.source === 'string' ? raw.source : 'manual';
  const createdAt = isFiniteNumber(raw.createdAt) ? raw.createdAt : 0;
  const updatedAt = isFiniteNumber(raw.updatedAt) ? raw.updatedAt : createdAt;
  return ok({ ...(raw as unknown as Annotation), revision, attributes: attributes as Annotation['attributes'], source: source as Annotation['source'], createdAt, updatedAt });
}

/** A layer as read from IndexedDB: ids, a name and a known kind, or refused with the reason. */
export function restoreLayer(raw: unknown): Result<Layer> {
  if (!isRecord(raw)) return fail('not a record');
  const { id, projectId, name, kind } = raw;
  if (!isId(id) || !isId(projectId)) return fail('its ids are missing');
  if (typeof name !== 'string' || name.trim() === '') return fail(`layer ${id} has no name`);
  if (!(LAYER_KINDS as readonly unknown[]).includes(kind)) return fail(`layer ${name} is of an unknown kind`);
  const revision = typeof raw.revision === 'number' && Number.isInteger(raw.revision) && raw.revision > 0 ? raw.revision : 1;
  const createdAt = isFiniteNumber(raw.createdAt) ? raw.createdAt : 0;
  return ok({ ...(raw as unknown as Layer), revision, createdAt, updatedAt: isFiniteNumber(raw.updatedAt) ? raw.updatedAt : createdAt });
}
