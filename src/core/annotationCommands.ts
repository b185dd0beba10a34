import { added, change, removed, updated, type Change, type RecordUpdate } from './change';
import { newAnnotationId } from './ids';
import type { Annotation, AnnotationAttributes, AnnotationId, ClassId, ImageRecord, LabelClass, LayerId, Project, Shape } from './model';
import { roundShape } from './geometry';
import { addClass } from './projectCommands';
import { fail, ok, type Result } from './result';
import { validateShape } from './validate';

/**
 * Commands on the annotations of one image: data in, Change out. Each also updates the image
 * record in the same Change (annotationCount, and `new` → `in_progress` on the first edit), so
 * the list, the counts and the shapes can never disagree, and one undo restores all of them.
 */

/** Checked as given (rounding must not turn a zero-width box into a valid one), then rounded. */
function validShape(shape: Shape): Result<Shape> {
  const valid = validateShape(shape);
  return valid.ok ? ok(roundShape(valid.value)) : valid;
}

export interface NewShape {
  readonly classId: ClassId;
  readonly shape: Shape;
  readonly attributes?: AnnotationAttributes;
}

/** The image record after an edit that changes its shape count by `delta`. */
function touchImage(image: ImageRecord, delta: number): ImageRecord {
  return {
    ...image,
    annotationCount: Math.max(0, image.annotationCount + delta),
    status: image.status === 'new' ? 'in_progress' : image.status,
  };
}

export function imageUpdate(image: ImageRecord, delta: number): RecordUpdate[] {
  const after = touchImage(image, delta);
  return after.annotationCount === image.annotationCount && after.status === image.status ? [] : [updated('images', image, after)];
}

export function createAnnotations(
  image: ImageRecord,
  shapes: readonly NewShape[],
  layerId: LayerId,
  now: number,
): Result<{ change: Change; ids: AnnotationId[] }> {
  const records: Annotation[] = [];
  for (const s of shapes) {
    const shape = validShape(s.shape);
    if (!shape.ok) return shape;
    records.push({
      id: newAnnotationId(),
      projectId: image.projectId,
      imageId: image.id,
      layerId,
      classId: s.classId,
      shape: shape.value,
      attributes: s.attributes ?? {},
      source: 'manual',
      revision: 1,
      createdAt: now,
      updatedAt: now,
    });
  }
  if (records.length === 0) return ok({ change: change(), ids: [] });
  return ok({
    change: change(...records.map((r) => added('annotations', r)), ...imageUpdate(image, records.length)),
    ids: records.map((r) => r.id),
  });
}

export type AnnotationPatch = Partial<Pick<Annotation, 'shape' | 'classId' | 'attributes'>>;

/** Applies patches to annotations of `image` (one Change: one undo step). Unchanged ones are left out. */
export function updateAnnotations(
  image: ImageRecord,
  patches: ReadonlyMap<Annotation, AnnotationPatch>,
  now: number,
): Result<Change> {
  const updates: RecordUpdate[] = [];
  for (const [before, patch] of patches) {
    if (before.imageId !== image.id) return fail('Internal error: the shape is not on this image.');
    let shape = before.shape;
    if (patch.shape) {
      const valid = validShape(patch.shape);
      if (!valid.ok) return valid;
      shape = valid.value;
    }
    const after: Annotation = {
      ...before,
      shape,
      classId: patch.classId ?? before.classId,
      attributes: patch.attributes ?? before.attributes,
      revision: before.revision + 1,
      updatedAt: now,
    };
    const same =
      after.classId === before.classId &&
      JSON.stringify(after.shape) === JSON.stringify(before.shape) &&
      JSON.stringify(after.attributes) === JSON.stringify(before.attributes);
    if (!same) updates.push(updated('annotations', before, after));
  }
  if (updates.length === 0) return ok(change());
  return ok(change(...updates, ...imageUpdate(image, 0)));
}

export function deleteAnnotations(image: ImageRecord, annotations: readonly Annotation[]): Change {
  if (annotations.length === 0) return change();
  return change(...annotations.map((a) => removed('annotations', a)), ...imageUpdate(image, -annotations.length));
}

/**
 * The class new shapes get: the active class, else the first; a project without classes gets
 * "Class 1" in the same Change as the shape, so drawing never waits on setting up classes.
 */
export function classForNewShape(
  project: Project,
  activeClassId: ClassId | null,
  now: number,
): Result<{ classId: ClassId; change: Change; cls: LabelClass | null }> {
  const active = project.classes.find((c) => c.id === activeClassId) ?? project.classes[0];
  if (active) return ok({ classId: active.id, change: change(), cls: active });
  const addedClass = addClass(project, now);
  if (!addedClass.ok) return addedClass;
  return ok({ classId: addedClass.value.classId, change: addedClass.value.change, cls: null });
}

/** Two Changes as one (one undo step, one transaction). */
export const combine = (...changes: readonly Change[]): Change => change(...changes.flatMap((c) => c.updates));
