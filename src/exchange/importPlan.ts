/**
 * Import annotations, the pure half: given what a parser read and the open project, decide which
 * project image each file image is (SHA-256 first, then path, base name, stem — never a guess
 * between two), which classes map onto existing ones and which are new, which splits the file
 * gives the matched images (and where they disagree with the project's), and what would be
 * skipped and why. Nothing is stored until the user presses Import; then buildImportChange makes
 * one Change of it all (one transaction, one undo step). Whatever would make Import fail is found
 * here (`blocked`), so the dialog says it before the click; every message names the file.
 */
import { added, change, updated, type Change, type RecordUpdate } from '../core/change';
import { roundShape } from '../core/geometry';
import { newAnnotationId, newClassId } from '../core/ids';
import { CONSENSUS_LAYER, type Annotation, type AnnotationId, type ClassId, type ImageId, type ImageRecord, type LabelClass, type Layer, type LayerId, type Project, type Shape, type Split } from '../core/model';
import { layerFor as findOrMakeLayer } from '../core/layerCommands';
import { nextColor } from '../core/projectCommands';
import { fail, ok, type Result } from '../core/result';
import { classNameKey, validateAnnotatorName, validateClassName, validateColor, validateShape } from '../core/validate';
import { remembered } from '../core/remembered';
import { PathIndex } from '../formats/shared/pathIndex';
import type { Dataset, Diagnostic } from '../formats/types';

export type MatchedBy = 'sha256' | 'path' | 'name' | 'stem';

export interface PlannedImage {
  /** Index into the parsed dataset's images. */
  readonly index: number;
  readonly target: ImageRecord;
  readonly by: MatchedBy;
  readonly shapes: number;
}

export interface UnmatchedImage {
  readonly path: string;
  /** The annotation file that describes it, when the format says. */
  readonly file?: string;
  readonly reason: string;
  readonly shapes: number;
}

/** A matched image whose file gives it a split other than the project's. */
export interface PlannedSplit {
  /** Index into the parsed dataset's images. */
  readonly index: number;
  readonly target: ImageRecord;
  /** The split the file gives it. */
  readonly split: Split;
}

export interface SplitPlan {
  /** Matched images without a split in the project that the file puts in one. */
  readonly assign: readonly PlannedSplit[];
  /** Matched images that are in another split in the project: kept unless the user says otherwise. */
  readonly conflicts: readonly PlannedSplit[];
  /** Matched images the file puts in the split they already have. */
  readonly same: number;
}

/** Which of the file's splits Import applies: none, those of images without one, or all (conflicts too). */
export type SplitChoice = 'none' | 'unassigned' | 'all';

export interface PlannedClass {
  readonly name: string;
  /** The project class it maps onto (same name ignoring case), or null: created on import. */
  readonly existing: LabelClass | null;
  readonly shapes: number;
}

export interface ImportPlan {
  readonly formatLabel: string;
  readonly dataset: Dataset;
  readonly matched: readonly PlannedImage[];
  readonly unmatched: readonly UnmatchedImage[];
  readonly classes: readonly PlannedClass[];
  /** Shapes that Import would store. */
  readonly shapes: number;
  /** Shapes already in the project (same image, annotator, class and coordinates): not stored twice. */
  readonly alreadyPresent: number;
  /** Annotator names the file itself gives its shapes, in order met. */
  readonly fileAnnotators: readonly string[];
  readonly splits: SplitPlan;
  /** Why Import cannot be done (a new class name that is not valid…), naming the file; null when it can. */
  readonly blocked: string | null;
  /** What was read, for messages: the file, zip or folder picked (`export.zip`, `a.json, b.json`). */
  readonly source: string;
  /** The parser's diagnostics, then the plan's own. */
  readonly diagnostics: readonly Diagnostic[];
}

/** What planImport is given: a parser's result and where it came from. */
export interface ParsedSource {
  readonly formatLabel: string;
  readonly dataset: Dataset;
  readonly diagnostics: readonly Diagnostic[];
  /** The file, zip or folder picked, for messages. */
  readonly source: string;
}

/** A name as messages quote it: at most 60 characters. */
export const quoteName = (name: string): string => `"${name.length > 60 ? `${name.slice(0, 57)}…` : name}"`;

/** A shape's geometry at stored precision, as key text (kept per shape object: the plan and the build both ask, for every shape). */
const geometryKeys = new WeakMap<Shape, string>();
function geometryKey(shape: Shape): string {
  let key = geometryKeys.get(shape);
  if (key === undefined) {
    const s = roundShape(shape);
    key = `${s.kind}|${(s.kind === 'box' ? [s.x, s.y, s.w, s.h] : s.points).join(',')}`;
    geometryKeys.set(shape, key);
  }
  return key;
}

/**
 * What makes two shapes "the same" for a re-import: same image, annotator, class and coordinates
 * at stored precision. One keyer per plan or build: it remembers the names it has lowered.
 */
function shapeKeyer(): (imageId: string, annotator: string, className: string, a: Pick<Annotation, 'shape'>) => string {
  const annotatorKey = remembered((name) => name.toLocaleLowerCase('en'));
  const classKey = remembered(classNameKey);
  return (imageId, annotator, className, a) => `${imageId}|${annotatorKey(annotator)}|${classKey(className)}|${geometryKey(a.shape)}`;
}

/** The keys of the shapes already stored (their layer by name: layers are unique by name ignoring case). */
function existingShapeKeys(project: Project, existing: readonly Annotation[], layers: readonly Layer[], shapeKey: ReturnType<typeof shapeKeyer>): Set<string> {
  const names = new Map<string, string>(layers.map((l) => [l.id, l.name]));
  const classNames = new Map<string, string>(project.classes.map((c) => [c.id, c.name]));
  return new Set(existing.map((a) => shapeKey(a.imageId, names.get(a.layerId) ?? a.layerId, classNames.get(a.classId) ?? a.classId, a)));
}

/**
 * Which layer a shape joins: the file's own layer name when it names several (an annotator's, or
 * the Consensus of a Tally package), else the Annotator field.
 */
export function targetLayerName(fileAnnotator: string | undefined, fileAnnotators: readonly string[], chosen: string): string {
  if (fileAnnotators.length <= 1 || fileAnnotator === undefined) return chosen;
  if (isConsensusName(fileAnnotator)) return CONSENSUS_LAYER;
  return validateAnnotatorName(fileAnnotator).ok ? fileAnnotator : chosen;
}

/** Stands for the Annotator field in targetLayerName (no valid name is empty). */
const CHOSEN = '';

/** Whether Import needs the Annotator field: some shape of the file names no layer of its own. */
export const needsAnnotator = (plan: Pick<ImportPlan, 'dataset' | 'fileAnnotators'>): boolean =>
  plan.dataset.annotations.some((a) => targetLayerName(a.annotator, plan.fileAnnotators, CHOSEN) === CHOSEN);

const isConsensusName = (name: string): boolean => name.trim().toLocaleLowerCase('en') === CONSENSUS_LAYER.toLocaleLowerCase('en');

export function planImport(
  project: Project,
  images: readonly ImageRecord[],
  existing: readonly Annotation[],
  layers: readonly Layer[],
  parsed: ParsedSource,
  annotator: string,
): ImportPlan {
  const { dataset } = parsed;
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const bySha = new Map<string, ImageRecord>(images.map((i) => [i.sha256, i]));
  const byPath = new PathIndex<ImageRecord>();
  for (const img of images) byPath.add(img.relativePath, img);

  const shapesPerImage = new Array<number>(dataset.images.length).fill(0);
  for (const a of dataset.annotations) shapesPerImage[a.image] = (shapesPerImage[a.image] ?? 0) + 1;

  const matched: PlannedImage[] = [];
  const unmatched: UnmatchedImage[] = [];
  const taken = new Map<ImageId, string>();
  dataset.images.forEach((img, index) => {
    const shapes = shapesPerImage[index] ?? 0;
    let target: ImageRecord | undefined;
    let by: MatchedBy = 'sha256';
    let reason = 'no image in the project has this name';
    const sha = img.sha256 ? bySha.get(img.sha256) : undefined;
    if (sha) target = sha;
    else {
      const m = byPath.find(img.relativePath);
      if (m.kind === 'found') [target, by] = [m.value, m.by];
      else if (m.kind === 'ambiguous') reason = `${m.count} images in the project share this ${m.by === 'name' ? 'file name' : 'name without extension'}; which one is meant cannot be told`;
    }
    if (target && taken.has(target.id)) {
      reason = `${target.relativePath} already takes the shapes of ${taken.get(target.id)}`;
      target = undefined;
    }
    if (target && img.width > 0 && (img.width !== target.width || img.height !== target.height)) {
      reason = `${img.source ?? parsed.source} says ${img.width}×${img.height}, but ${target.relativePath} is ${target.width}×${target.height}: its shapes would land in the wrong place`;
      target = undefined;
    }
    if (target) {
      taken.set(target.id, img.relativePath);
      matched.push({ index, target, by, shapes });
    } else unmatched.push({ path: img.relativePath, ...(img.source !== undefined ? { file: img.source } : {}), reason, shapes });
  });
  if (matched.length === 0 && dataset.images.length > 0) {
    const files = [...new Set(dataset.images.map((i) => i.source ?? parsed.source))];
    diagnostics.push({
      severity: 'error',
      file: files.length > 3 ? `${files.slice(0, 3).join(', ')}…` : files.join(', '),
      message: `none of its ${dataset.images.length.toLocaleString('en')} image${dataset.images.length === 1 ? ' is' : 's is'} in this project (compared by content, path, file name and name without extension): nothing can be imported`,
    });
  }

  const fileAnnotators = [...new Set(dataset.annotations.flatMap((a) => (a.annotator !== undefined ? [a.annotator] : [])))];
  const classByKey = new Map(project.classes.map((c) => [classNameKey(c.name), c]));
  const perClass = new Map<string, number>();
  const targetOf = new Map(matched.map((m) => [m.index, m.target]));
  const shapeKey = shapeKeyer();
  const existingKeys = existingShapeKeys(project, existing, layers, shapeKey);
  let shapes = 0;
  let alreadyPresent = 0;
  for (const a of dataset.annotations) {
    const target = targetOf.get(a.image);
    if (!target) continue;
    const key = shapeKey(target.id, targetLayerName(a.annotator, fileAnnotators, annotator), a.className, a);
    if (existingKeys.has(key)) {
      alreadyPresent++;
      continue;
    }
    // A shape repeated in the file is stored once (buildImportChange does the same).
    existingKeys.add(key);
    shapes++;
    perClass.set(a.className, (perClass.get(a.className) ?? 0) + 1);
  }
  const classes: PlannedClass[] = [];
  const seen = new Set<string>();
  for (const c of dataset.classes) {
    const key = classNameKey(c.name);
    if (seen.has(key)) continue;
    seen.add(key);
    classes.push({ name: c.name, existing: classByKey.get(key) ?? null, shapes: perClass.get(c.name) ?? 0 });
  }
  if (alreadyPresent > 0) {
    diagnostics.push({ severity: 'info', file: parsed.source, message: `${alreadyPresent} shape${alreadyPresent === 1 ? ' is' : 's are'} already in the project (same image, annotator, class and place) and will not be stored twice` });
  }
  // A new class that Import could not create stops it now, not after the click.
  let blocked: string | null = null;
  const accepted: LabelClass[] = [...project.classes];
  for (const c of classes) {
    if (c.existing || c.shapes === 0) continue;
    const valid = validateClassName(c.name, accepted);
    if (!valid.ok) {
      const message = `the class ${quoteName(c.name)} cannot be created: ${valid.message}`;
      diagnostics.push({ severity: 'error', file: parsed.source, message });
      blocked ??= `${parsed.source}: ${message}`;
      continue;
    }
    accepted.push({ id: '' as ClassId, name: valid.value, color: '#000000', attributes: [] });
  }
  const splits = planSplits(dataset, matched);
  return { formatLabel: parsed.formatLabel, dataset, matched, unmatched, classes, shapes, alreadyPresent, fileAnnotators, splits, blocked, source: parsed.source, diagnostics };
}

function planSplits(dataset: Dataset, matched: readonly PlannedImage[]): SplitPlan {
  const assign: PlannedSplit[] = [];
  const conflicts: PlannedSplit[] = [];
  let same = 0;
  for (const m of matched) {
    const split = dataset.images[m.index]?.split ?? 'unassigned';
    if (split === 'unassigned') continue;
    if (m.target.split === split) same++;
    else (m.target.split === 'unassigned' ? assign : conflicts).push({ index: m.index, target: m.target, split });
  }
  return { assign, conflicts, same };
}

/**
 * The one Change that Import commits: new classes appended to the project, every shape on a
 * matched image added to its annotator's layer (source 'imported'), and each touched image's
 * shape count and status updated. Refuses (changing nothing) when a name is not valid.
 */
export interface BuildOptions {
  /** Take each matched image's split and status from the file (a project made from a Tally package). */
  readonly adoptImageFields?: boolean;
  /** Which of the file's splits to apply (plan.splits): 'none' by default. */
  readonly splits?: SplitChoice;
}

export function buildImportChange(
  plan: ImportPlan,
  project: Project,
  existing: readonly Annotation[],
  layers: readonly Layer[],
  rawAnnotator: string,
  now: number,
  options: BuildOptions = {},
): Result<Change> {
  // The Annotator field names the layer of the shapes the file does not place itself; it is
  // needed (and checked) only when there are such shapes.
  const chosen = needsAnnotator(plan) ? validateAnnotatorName(rawAnnotator) : ok(rawAnnotator.trim());
  if (!chosen.ok) return fail(`Annotator: ${chosen.message}`);
  if (plan.blocked) return fail(plan.blocked);
  let classes: LabelClass[] = [...project.classes];
  const classIdByKey = new Map<string, ClassId>(classes.map((c) => [classNameKey(c.name), c.id]));
  const fileClass = new Map(plan.dataset.classes.map((c) => [c.name, c]));
  for (const planned of plan.classes) {
    if (planned.existing || planned.shapes === 0) continue;
    const name = validateClassName(planned.name, classes);
    if (!name.ok) return fail(`${plan.source}: the class ${quoteName(planned.name)} cannot be created: ${name.message}`);
    const color = fileClass.get(planned.name)?.color;
    const cls: LabelClass = { id: newClassId(), name: name.value, color: color && validateColor(color).ok ? color.toLowerCase() : nextColor(classes), attributes: fileClass.get(planned.name)?.attributes ?? [] };
    classes = [...classes, cls];
    classIdByKey.set(classNameKey(cls.name), cls.id);
  }
  const usedIds = new Set<string>(existing.map((a) => a.id));
  const shapeKey = shapeKeyer();
  const classKey = remembered(classNameKey);
  const existingKeys = existingShapeKeys(project, existing, layers, shapeKey);
  // Each annotator's layer: found by name, or made in this Change.
  let knownLayers: readonly Layer[] = layers;
  const layerUpdates: RecordUpdate[] = [];
  // Asked once per shape: each name is looked up once (5,000 shapes, one or a few names).
  const layerIdByName = new Map<string, Result<LayerId>>();
  const layerIdOf = (name: string): Result<LayerId> => {
    const known = layerIdByName.get(name);
    if (known) return known;
    const found = findOrMakeLayer(project.id, knownLayers, name, now, isConsensusName(name) ? 'consensus' : 'annotator');
    if (found.ok && !knownLayers.includes(found.value.layer)) {
      knownLayers = [...knownLayers, found.value.layer];
      layerUpdates.push(...found.value.change.updates);
    }
    const id: Result<LayerId> = found.ok ? ok(found.value.layer.id) : found;
    layerIdByName.set(name, id);
    return id;
  };
  const targetOf = new Map(plan.matched.map((m) => [m.index, m.target]));
  const added_: Annotation[] = [];
  const perImage = new Map<ImageId, number>();
  for (const a of plan.dataset.annotations) {
    const target = targetOf.get(a.image);
    if (!target) continue;
    const layer = targetLayerName(a.annotator, plan.fileAnnotators, chosen.value);
    const key = shapeKey(target.id, layer, a.className, a);
    const classId = classIdByKey.get(classKey(a.className));
    if (existingKeys.has(key) || classId === undefined) continue;
    existingKeys.add(key);
    const shape = validateShape(roundShape(a.shape));
    if (!shape.ok) continue;
    const id = a.id !== undefined && a.id.length > 0 && a.id.length <= 100 && !usedIds.has(a.id) ? (a.id as AnnotationId) : newAnnotationId();
    usedIds.add(id);
    const layerId = layerIdOf(layer);
    if (!layerId.ok) return fail(`Annotator ${quoteName(layer)}: ${layerId.message}`);
    added_.push({
      id,
      projectId: project.id,
      imageId: target.id,
      layerId: layerId.value,
      revision: 1,
      classId,
      shape: shape.value,
      attributes: a.attributes,
      source: 'imported',
      createdAt: a.createdAt ?? now,
      updatedAt: a.updatedAt ?? now,
    });
    perImage.set(target.id, (perImage.get(target.id) ?? 0) + 1);
  }
  const updates: RecordUpdate[] = [];
  if (classes.length !== project.classes.length) updates.push(updated('projects', project, { ...project, classes, updatedAt: now }));
  updates.push(...layerUpdates);
  for (const a of added_) updates.push(added('annotations', a));
  const newSplit = new Map<number, Split>();
  if (options.splits === 'unassigned' || options.splits === 'all') for (const s of plan.splits.assign) newSplit.set(s.index, s.split);
  if (options.splits === 'all') for (const s of plan.splits.conflicts) newSplit.set(s.index, s.split);
  for (const m of plan.matched) {
    const n = perImage.get(m.target.id) ?? 0;
    const from = plan.dataset.images[m.index];
    let after: ImageRecord = { ...m.target, annotationCount: m.target.annotationCount + n, status: n > 0 && m.target.status === 'new' ? 'in_progress' : m.target.status };
    const split = newSplit.get(m.index);
    if (split !== undefined) after = { ...after, split };
    if (options.adoptImageFields && from) after = { ...after, split: from.split, status: from.status ?? after.status };
    if (after.annotationCount !== m.target.annotationCount || after.status !== m.target.status || after.split !== m.target.split) updates.push(updated('images', m.target, after));
  }
  return ok(change(...updates));
}
