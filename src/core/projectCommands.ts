import { change, removed, updated, type Change } from './change';
import { newClassId, newProjectId } from './ids';
import {
  DEFAULT_SETTINGS,
  SCHEMA_VERSION,
  type Annotation,
  type ClassId,
  type ImageId,
  type ImageRecord,
  type ImageStatus,
  type LabelClass,
  type Project,
  type ProjectSettings,
  type Split,
} from './model';
import { fail, ok, type Result } from './result';
import { validateClassName, validateColor, validateProjectName, validateSettings } from './validate';

/**
 * Document commands: data in, Change out. They never mutate their inputs and check every
 * invariant of model.ts, so a Change they return can be applied and written as it is.
 */

export function createProject(rawName: string, now: number): Result<Project> {
  const name = validateProjectName(rawName);
  if (!name.ok) return name;
  return ok({
    id: newProjectId(),
    name: name.value,
    classes: [],
    settings: DEFAULT_SETTINGS,
    schemaVersion: SCHEMA_VERSION,
    createdAt: now,
    updatedAt: now,
  });
}

export function renameProject(project: Project, rawName: string, now: number): Result<Change> {
  const name = validateProjectName(rawName);
  if (!name.ok) return name;
  if (name.value === project.name) return ok(change());
  return ok(change(updated('projects', project, { ...project, name: name.value, updatedAt: now })));
}

/**
 * Distinct, readable colours for new classes (on the dark canvas and on white); a new class takes
 * the first one not yet used, then cycles.
 */
export const CLASS_PALETTE = [
  '#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45',
  '#fabed4', '#469990', '#dcbeff', '#9a6324', '#ffe119', '#800000', '#aaffc3', '#808000',
] as const;

export function nextColor(classes: readonly LabelClass[]): string {
  const used = new Set(classes.map((c) => c.color));
  return CLASS_PALETTE.find((c) => !used.has(c)) ?? CLASS_PALETTE[classes.length % CLASS_PALETTE.length]!;
}

/** A free default name: "Class 1", "Class 2", … */
function defaultClassName(classes: readonly LabelClass[]): string {
  for (let n = classes.length + 1; ; n++) {
    const name = `Class ${n}`;
    if (validateClassName(name, classes).ok) return name;
  }
}

const withClasses = (project: Project, classes: readonly LabelClass[], now: number): Project => ({ ...project, classes, updatedAt: now });

/** Adds a class at the end. Without a name it gets a free default ("Class 3"). */
export function addClass(project: Project, now: number, rawName?: string): Result<{ change: Change; classId: ClassId }> {
  const name = validateClassName(rawName ?? defaultClassName(project.classes), project.classes);
  if (!name.ok) return name;
  const cls: LabelClass = { id: newClassId(), name: name.value, color: nextColor(project.classes), attributes: [] };
  const after = withClasses(project, [...project.classes, cls], now);
  return ok({ change: change(updated('projects', project, after)), classId: cls.id });
}

function replaceClass(project: Project, classId: ClassId, patch: Partial<LabelClass>, now: number): Result<Change> {
  const index = project.classes.findIndex((c) => c.id === classId);
  if (index < 0) return fail('That class no longer exists.');
  const classes = project.classes.map((c, i) => (i === index ? { ...c, ...patch } : c));
  return ok(change(updated('projects', project, withClasses(project, classes, now))));
}

export function renameClass(project: Project, classId: ClassId, rawName: string, now: number): Result<Change> {
  const name = validateClassName(rawName, project.classes, classId);
  if (!name.ok) return name;
  if (project.classes.find((c) => c.id === classId)?.name === name.value) return ok(change());
  return replaceClass(project, classId, { name: name.value }, now);
}

export function recolorClass(project: Project, classId: ClassId, rawColor: string, now: number): Result<Change> {
  const color = validateColor(rawColor);
  if (!color.ok) return color;
  return replaceClass(project, classId, { color: color.value }, now);
}

/** Moves a class by `offset` places (−1 = up); moving past either end is refused. */
export function moveClass(project: Project, classId: ClassId, offset: number, now: number): Result<Change> {
  const from = project.classes.findIndex((c) => c.id === classId);
  if (from < 0) return fail('That class no longer exists.');
  const to = from + offset;
  if (to < 0 || to >= project.classes.length) return fail('The class is already at the end of the list.');
  const classes = [...project.classes];
  const [moved] = classes.splice(from, 1);
  classes.splice(to, 0, moved!);
  return ok(change(updated('projects', project, withClasses(project, classes, now))));
}

/**
 * Deletes a class and every annotation that uses it (`usages`: all of them, from the store), and
 * lowers the affected images' annotation counts in the same Change.
 */
export function deleteClass(
  project: Project,
  classId: ClassId,
  usages: readonly Annotation[],
  images: ReadonlyMap<ImageId, ImageRecord>,
  now: number,
): Result<Change> {
  if (!project.classes.some((c) => c.id === classId)) return fail('That class no longer exists.');
  if (usages.some((a) => a.classId !== classId || a.projectId !== project.id)) {
    return fail('Internal error: the annotations given do not all use this class.');
  }
  const perImage = new Map<ImageId, number>();
  for (const a of usages) perImage.set(a.imageId, (perImage.get(a.imageId) ?? 0) + 1);
  const imageUpdates = [];
  for (const [imageId, n] of perImage) {
    const img = images.get(imageId);
    if (!img) return fail('Internal error: an annotation refers to an image that is not loaded.');
    imageUpdates.push(updated('images', img, { ...img, annotationCount: Math.max(0, img.annotationCount - n) }));
  }
  const after = withClasses(project, project.classes.filter((c) => c.id !== classId), now);
  return ok(change(updated('projects', project, after), ...usages.map((a) => removed('annotations', a)), ...imageUpdates));
}

export function setImageSplit(image: ImageRecord, split: Split): Change {
  return image.split === split ? change() : change(updated('images', image, { ...image, split }));
}

export function setImageStatus(image: ImageRecord, status: ImageStatus): Change {
  return image.status === status ? change() : change(updated('images', image, { ...image, status }));
}

/** New project settings (checked: see validateSettings); one Change of the project record. */
export function changeSettings(project: Project, settings: ProjectSettings, now: number): Result<Change> {
  const valid = validateSettings(settings);
  if (!valid.ok) return valid;
  if (JSON.stringify(project.settings) === JSON.stringify(valid.value)) return ok(change());
  return ok(change(updated('projects', project, { ...project, settings: valid.value, updatedAt: now })));
}
