import {
  classForNewShape,
  combine,
  createAnnotations,
  deleteAnnotations,
  updateAnnotations,
  type AnnotationPatch,
} from '../core/annotationCommands';
import type { Change } from '../core/change';
import { findLayer, layerFor } from '../core/layerCommands';
import { boundsOf, clampDelta, clampPoint, clampRect, translateShape } from '../core/geometry';
import { imagePoint } from '../core/viewport';
import type { Annotation, AnnotationId, ClassId, ImageRecord, LayerId, Shape } from '../core/model';
import { setImageStatus } from '../core/projectCommands';
import { fail, ok, type Result } from '../core/result';
import type { Services } from './services';

/** Shape actions on the open image: each is one Change, one undo step. */

const READ_ONLY = 'This project is open for editing in another tab; this tab is read-only.';
/** Who draws when no name has been given yet (the prompt asks; drawing never waits for it). */
export const FALLBACK_ANNOTATOR = 'annotator';

export function currentImage(services: Services): ImageRecord | null {
  const doc = services.stores.document.getState().doc;
  const id = services.stores.session.getState().currentImageId;
  if (!doc || id === null) return null;
  const at = doc.imageIndex.get(id);
  return at === undefined ? null : (doc.images[at] ?? null);
}

/** The current image's shapes, once loaded. */
export function currentAnnotations(services: Services): readonly Annotation[] | null {
  const image = currentImage(services);
  const shown = services.stores.annotations.getState();
  return image && shown.imageId === image.id ? shown.items : null;
}

function selected(services: Services): Annotation[] {
  const items = currentAnnotations(services) ?? [];
  const { selection, lockedShapes } = services.stores.session.getState();
  const ids = new Set(selection);
  return items.filter((a) => ids.has(a.id) && !lockedShapes.has(a.id));
}

function commit(services: Services, c: Change, image: ImageRecord, label: string, coalesce?: string): Result<null> {
  if (services.editor.commit(c, { imageId: image.id, label, ...(coalesce === undefined ? {} : { coalesce }) }) === null) return fail(READ_ONLY);
  return ok(null);
}

/** Adds shapes (drawn or pasted) to the current image with the active class, and selects them. */
export function addShapes(services: Services, shapes: readonly { shape: Shape; classId?: ClassId; attributes?: Annotation['attributes'] }[], label: string): Result<AnnotationId[]> {
  const image = currentImage(services);
  const doc = services.stores.document.getState().doc;
  if (!image || !doc) return fail('Open an image first.');
  if (!services.editor.canEdit) return fail(READ_ONLY);
  const { activeClassId, annotatorName } = services.stores.session.getState();
  const now = Date.now();
  const cls = classForNewShape(doc.project, activeClassId, now);
  if (!cls.ok) return cls;
  const known = new Set(doc.project.classes.map((c) => c.id));
  // The annotator's layer, made with the first shapes drawn into it (same Change, same undo step).
  const layer = layerFor(doc.project.id, doc.layers, annotatorName ?? FALLBACK_ANNOTATOR, now);
  if (!layer.ok) return layer;
  const made = createAnnotations(
    image,
    shapes.map((s) => ({ classId: s.classId && known.has(s.classId) ? s.classId : cls.value.classId, shape: s.shape, attributes: s.attributes })),
    layer.value.layer.id,
    now,
  );
  if (!made.ok) return made;
  const committed = commit(services, combine(cls.value.change, layer.value.change, made.value.change), image, label);
  if (!committed.ok) return committed;
  if (!cls.value.cls) services.stores.session.setState({ activeClassId: cls.value.classId });
  services.stores.session.setState({ selection: made.value.ids });
  return ok(made.value.ids);
}

/** New shapes for existing annotations of the current image (a move, a resize, a vertex drag). */
export function reshape(services: Services, shapes: ReadonlyMap<AnnotationId, Shape>, label: string): Result<null> {
  return patch(services, new Map([...shapes].map(([id, shape]) => [id, { shape }])), label);
}

function patch(services: Services, patches: ReadonlyMap<AnnotationId, AnnotationPatch>, label: string, coalesce?: string): Result<null> {
  const image = currentImage(services);
  const items = currentAnnotations(services);
  if (!image || !items) return fail('Open an image first.');
  const { lockedShapes } = services.stores.session.getState();
  const byId = new Map(items.map((a) => [a.id, a]));
  const work = new Map<Annotation, AnnotationPatch>();
  for (const [id, p] of patches) {
    const a = byId.get(id);
    if (a && !lockedShapes.has(id)) work.set(a, p);
  }
  const c = updateAnnotations(image, work, Date.now());
  if (!c.ok) return c;
  return commit(services, c.value, image, label, coalesce);
}

/**
 * Changes class or flags (or a box's numbers) of every selected, unlocked shape. Edits with the
 * same `coalesce` key in a row are one undo step (typing a number digit by digit).
 */
export function patchSelection(services: Services, make: (a: Annotation) => AnnotationPatch, label: string, coalesce?: string): Result<null> {
  return patch(services, new Map(selected(services).map((a) => [a.id, make(a)])), label, coalesce);
}

/** How many selected shapes an edit may touch (locked ones are left alone). */
export function editableSelectionSize(services: Services): number {
  return selected(services).length;
}

/** Deletes the selected, unlocked shapes; null when there is nothing to delete. */
export function deleteSelection(services: Services): Result<null> | null {
  const image = currentImage(services);
  const doomed = selected(services);
  if (!image || doomed.length === 0) return null;
  return commit(services, deleteAnnotations(image, doomed), image, doomed.length === 1 ? `delete ${doomed[0]!.shape.kind}` : `delete ${doomed.length} shapes`);
}

export function selectShapes(services: Services, ids: readonly AnnotationId[]): void {
  services.stores.session.setState({ selection: ids });
}

/** Copies the selected shapes; the notice says how many, or null when nothing is selected. */
export function copySelection(services: Services): Result<string> | null {
  const items = currentAnnotations(services) ?? [];
  const ids = new Set(services.stores.session.getState().selection);
  const copied = items.filter((a) => ids.has(a.id)).map((a) => ({ classId: a.classId, shape: a.shape, attributes: a.attributes }));
  if (copied.length === 0) return null;
  services.stores.session.setState({ clipboard: copied });
  return ok(copied.length === 1 ? 'Copied 1 shape.' : `Copied ${copied.length} shapes.`);
}

/**
 * Pastes the copied shapes at the same place on the current image (10 px down-right when they
 * would land exactly on themselves), held inside the image as one block; shapes bigger than the
 * image are clipped to it.
 */
export function paste(services: Services): Result<AnnotationId[]> | null {
  const image = currentImage(services);
  const { clipboard } = services.stores.session.getState();
  if (!image || clipboard.length === 0) return null;
  const items = currentAnnotations(services) ?? [];
  const onItself = clipboard.every((c) => items.some((a) => JSON.stringify(a.shape) === JSON.stringify(c.shape)));
  const offset = onItself ? 10 : 0;
  const d = clampDelta(boundsOf(clipboard.map((c) => c.shape)), offset, offset, image.width, image.height);
  const shapes = clipboard.map((c) => ({ ...c, shape: clipToImage(translateShape(c.shape, d.dx, d.dy), image) }));
  return addShapes(services, shapes, shapes.length === 1 ? 'paste shape' : `paste ${shapes.length} shapes`);
}

/** A shape cut to the image (copied from a bigger image); a box keeps at least 1 px a side. */
function clipToImage(shape: Shape, image: ImageRecord): Shape {
  if (shape.kind === 'polygon') {
    const points: number[] = [];
    for (let i = 0; i < shape.points.length; i += 2) {
      const p = clampPoint(imagePoint(shape.points[i]!, shape.points[i + 1]!), image.width, image.height);
      points.push(p.x, p.y);
    }
    return { kind: 'polygon', points };
  }
  const r = clampRect(shape, image.width, image.height);
  return { kind: 'box', x: r.x, y: r.y, w: Math.max(1, r.w), h: Math.max(1, r.h) };
}

export async function undoEdit(services: Services): Promise<Result<null>> {
  return services.editor.undo();
}

export async function redoEdit(services: Services): Promise<Result<null>> {
  return services.editor.redo();
}

/** Opens the next image that is not done, after the current one and wrapping round; false when every image is done. */
function openNextUnfinished(services: Services, from: ImageRecord): boolean {
  const doc = services.stores.document.getState().doc;
  if (!doc) return false;
  const at = doc.imageIndex.get(from.id) ?? 0;
  const n = doc.images.length;
  for (let k = 1; k < n; k++) {
    const next = doc.images[(at + k) % n]!;
    if (next.status !== 'done') {
      services.stores.session.setState({ currentImageId: next.id });
      return true;
    }
  }
  return false;
}

const EVERY_IMAGE_DONE = 'Every image is done.';

/**
 * Marks the image done and opens the next image that is not done. An image without shapes is
 * thereby marked background (done and empty on purpose), and the user is told so: a Ctrl+Enter
 * pressed on the wrong image must not pass unnoticed.
 */
export function markDone(services: Services): Result<string | null> {
  const image = currentImage(services);
  if (!image) return fail('Open an image first.');
  if (services.editor.commit(setImageStatus(image, 'done'), { imageId: image.id, label: image.annotationCount === 0 ? 'mark background' : 'mark done' }) === null) return fail(READ_ONLY);
  const moved = openNextUnfinished(services, image);
  if (image.annotationCount === 0) return ok(`${image.fileName} has no shapes: marked as background (done, empty on purpose). Undo (Ctrl+Z) if it needs labels.`);
  return ok(moved ? null : EVERY_IMAGE_DONE);
}

/**
 * Background = explicitly empty: the image is done and has no shapes (so the checker does not
 * call it unlabelled), and the next unfinished image opens. Refused while the image has shapes.
 */
export function markBackground(services: Services): Result<string | null> {
  const image = currentImage(services);
  if (!image) return fail('Open an image first.');
  if (image.annotationCount > 0) return fail(`${image.fileName} has shapes; delete them before marking it as background.`);
  if (services.editor.commit(setImageStatus(image, 'done'), { imageId: image.id, label: 'mark background' }) === null) return fail(READ_ONLY);
  return ok(openNextUnfinished(services, image) ? null : EVERY_IMAGE_DONE);
}

const toggled = <T>(set: ReadonlySet<T>, v: T): ReadonlySet<T> => {
  const next = new Set(set);
  if (!next.delete(v)) next.add(v);
  return next;
};

export function toggleShapeHidden(services: Services, id: AnnotationId): void {
  services.stores.session.setState((s) => ({ hiddenShapes: toggled(s.hiddenShapes, id), selection: s.selection.filter((x) => x !== id) }));
}
export function toggleShapeLocked(services: Services, id: AnnotationId): void {
  services.stores.session.setState((s) => ({ lockedShapes: toggled(s.lockedShapes, id) }));
}
export function toggleClassHidden(services: Services, id: ClassId): void {
  services.stores.session.setState((s) => ({ hiddenClasses: toggled(s.hiddenClasses, id) }));
}


/**
 * The layers whose shapes the canvas shows (null: every layer): all but those hidden by their
 * toggle; in blind view only the current annotator's own layer.
 */
export function shownLayers(services: Services): ReadonlySet<LayerId> | null {
  const { hiddenLayers, blind, annotatorName } = services.stores.session.getState();
  const layers = services.stores.document.getState().doc?.layers ?? [];
  if (!blind && hiddenLayers.size === 0) return null;
  const mine = annotatorName === null ? undefined : findLayer(layers, annotatorName);
  return new Set(layers.filter((l) => (blind ? l.id === mine?.id : !hiddenLayers.has(l.id))).map((l) => l.id));
}

/** Shows or hides one layer on the canvas (its shapes leave the selection). */
export function toggleLayerHidden(services: Services, id: LayerId): void {
  services.stores.session.setState((s) => {
    const hiddenLayers = toggled(s.hiddenLayers, id);
    const items = currentAnnotations(services) ?? [];
    const gone = new Set(items.filter((a) => hiddenLayers.has(a.layerId)).map((a) => a.id));
    return { hiddenLayers, selection: s.selection.filter((x) => !gone.has(x)) };
  });
}

/** Blind view on or off: only my layer on the canvas (the others' shapes leave the selection). */
export function setBlindView(services: Services, blind: boolean): void {
  services.stores.session.setState({ blind });
  if (!blind) return;
  const shown = shownLayers(services);
  const items = currentAnnotations(services) ?? [];
  const gone = new Set(items.filter((a) => shown !== null && !shown.has(a.layerId)).map((a) => a.id));
  services.stores.session.setState((s) => ({ selection: s.selection.filter((x) => !gone.has(x)) }));
}
