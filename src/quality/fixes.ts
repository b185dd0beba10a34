/**
 * Suggested fixes as Changes: one fix, one Change, one undo step. Built from the current
 * records (never from what the issue saw: the project may have moved on), with the pure
 * commands of src/core where one exists, and refused with a message when the fix no longer
 * applies.
 */
import { combine, deleteAnnotations, updateAnnotations, type AnnotationPatch } from '../core/annotationCommands';
import { change, updated, type Change } from '../core/change';
import { clipShape } from '../core/clip';
import type { Annotation, AnnotationId, AttributeSpec, ClassId, ImageId, ImageRecord, Project } from '../core/model';
import { setImageSplit, setImageStatus } from '../core/projectCommands';
import { fail, ok, type Result } from '../core/result';
import type { AssignedSplit, SuggestedFix } from './types';

/** The records a fix reads. */
export interface FixContext {
  readonly project: Project;
  readonly images: ReadonlyMap<ImageId, ImageRecord>;
  /**
   * Every annotation the fix names by id, and for a class merge every annotation of the merged
   * classes (the whole project's, as for deleteClass).
   */
  readonly annotations: readonly Annotation[];
}

/** The Change that applies `fix`, or why it cannot be applied now. `now`: ms since the epoch. */
export function buildFix(fix: SuggestedFix, ctx: FixContext, now: number): Result<Change> {
  switch (fix.kind) {
    case 'merge-classes':
      return mergeClasses(ctx.project, fix.into, fix.from, ctx.annotations, now);
    case 'delete-shapes':
      return deleteShapes(image(ctx, fix.imageId), fix.annotationIds, ctx.annotations);
    case 'move-to-split':
      return moveToSplit(fix.imageIds.map((id) => ctx.images.get(id) ?? null), fix.split);
    case 'clip-shape': {
      const shape = ctx.annotations.find((a) => a.id === fix.annotationId);
      return clipIntoImage(image(ctx, fix.imageId), shape ?? null, now);
    }
    case 'mark-background':
      return markBackground(image(ctx, fix.imageId), ctx.annotations);
    case 'send-to-queue':
      return sendToQueue(image(ctx, fix.imageId));
  }
}

const image = (ctx: FixContext, id: ImageId): ImageRecord | null => ctx.images.get(id) ?? null;
const GONE = 'That image is no longer in the project.';

/**
 * Re-classes every shape of the `from` classes as `into` and deletes the `from` classes. The
 * target class also takes the attribute specs of the merged ones that it lacks (by name), so no
 * shape's attribute values lose their definition.
 */
export function mergeClasses(project: Project, into: ClassId, from: readonly ClassId[], annotations: readonly Annotation[], now: number): Result<Change> {
  const target = project.classes.find((c) => c.id === into);
  if (!target) return fail('The class to merge into no longer exists.');
  const merged = new Set(from.filter((id) => id !== into));
  if (merged.size === 0) return fail('There is nothing to merge.');
  for (const id of merged) if (!project.classes.some((c) => c.id === id)) return fail('A class to merge no longer exists.');
  const attributes: AttributeSpec[] = [...target.attributes];
  for (const c of project.classes) {
    if (!merged.has(c.id)) continue;
    for (const spec of c.attributes) if (!attributes.some((a) => a.name === spec.name)) attributes.push(spec);
  }
  const classes = project.classes.filter((c) => !merged.has(c.id)).map((c) => (c.id === into ? { ...c, attributes } : c));
  const reclassed = annotations.filter((a) => merged.has(a.classId)).map((a) => updated('annotations', a, { ...a, classId: into, updatedAt: now }));
  return ok(change(updated('projects', project, { ...project, classes, updatedAt: now }), ...reclassed));
}

export function deleteShapes(img: ImageRecord | null, ids: readonly AnnotationId[], annotations: readonly Annotation[]): Result<Change> {
  if (!img) return fail(GONE);
  const wanted = new Set(ids);
  const found = annotations.filter((a) => wanted.has(a.id) && a.imageId === img.id);
  if (found.length === 0) return fail('Those shapes have already been deleted.');
  return ok(deleteAnnotations(img, found));
}

/** Puts every image into `split` (images already there are left out of the Change). */
export function moveToSplit(images: readonly (ImageRecord | null)[], split: AssignedSplit): Result<Change> {
  if (images.some((img) => img === null)) return fail('An image of the group is no longer in the project.');
  return ok(combine(...images.map((img) => setImageSplit(img!, split))));
}

/** Replaces the shape by its part inside the image; a shape with nothing inside is refused (delete it instead). */
export function clipIntoImage(img: ImageRecord | null, shape: Annotation | null, now: number): Result<Change> {
  if (!img) return fail(GONE);
  if (!shape || shape.imageId !== img.id) return fail('That shape no longer exists.');
  const clipped = clipShape(shape.shape, img.width, img.height);
  if (clipped.kind === 'empty') return fail('Nothing of the shape lies inside the image: delete it instead.');
  if (clipped.kind === 'inside') return ok(change());
  return updateAnnotations(img, new Map<Annotation, AnnotationPatch>([[shape, { shape: clipped.shape }]]), now);
}

/** Status `done` for an image without shapes: background on purpose. */
export function markBackground(img: ImageRecord | null, annotations: readonly Annotation[]): Result<Change> {
  if (!img) return fail(GONE);
  if (img.annotationCount > 0 || annotations.some((a) => a.imageId === img.id)) return fail(`${img.fileName} has shapes now: it is not background.`);
  return ok(setImageStatus(img, 'done'));
}

/** Status `new`: the image goes back to the labeling queue. */
export function sendToQueue(img: ImageRecord | null): Result<Change> {
  if (!img) return fail(GONE);
  return ok(setImageStatus(img, 'new'));
}
