/**
 * Shape validity (QUALITY.md, "Shape validity"), per annotation, and the overlaps within one
 * annotator's layer: duplicates (same class) and stacked conflicts (different classes).
 */
import type { CheckAnnotation } from '../types';
import { clipShape } from '../../core/clip';
import type { AnnotationId } from '../../core/model';
import { className, type ImageContext } from '../imageContext';
import { iouUpperBound, overlappingPairs, preparedIoU, type PreparedShape } from '../iou';
import { makeIssue, num, sortedIds } from '../issue';
import { distinctRing, selfIntersection } from '../polygon';
import type { Issue } from '../types';

/** Validity issues of every shape of the image. */
export function shapeValidityIssues(ctx: ImageContext): Issue[] {
  const out: Issue[] = [];
  ctx.annotations.forEach((a, i) => out.push(...shapeIssues(ctx, a, ctx.prepared[i]!)));
  return out;
}

function base(ctx: ImageContext, a: CheckAnnotation) {
  return { imageIds: [ctx.image.id], annotationIds: [a.id], annotators: [a.annotator], classIds: [a.classId] };
}

function shapeIssues(ctx: ImageContext, a: CheckAnnotation, p: PreparedShape): Issue[] {
  const out: Issue[] = [];
  const b = base(ctx, a);
  const what = `${className(ctx, a.classId)} ${a.shape.kind} by ${a.annotator}`;
  if (!ctx.classNames.has(a.classId)) {
    out.push(
      makeIssue({
        ...b,
        rule: 'unknown-class',
        severity: 'error',
        keyParts: [a.id],
        message: `A ${a.shape.kind} by ${a.annotator} uses a class that is not in the project.`,
      }),
    );
  }
  const shape = a.shape;
  if (shape.kind === 'box') {
    const { x, y, w, h } = shape;
    if (![x, y, w, h].every(Number.isFinite)) {
      out.push(makeIssue({ ...b, rule: 'non-finite', severity: 'error', keyParts: [a.id], message: `The ${what} has a coordinate that is not a finite number.` }));
      return out;
    }
    if (w <= 0 || h <= 0) {
      out.push(
        makeIssue({
          ...b,
          rule: 'degenerate-box',
          severity: 'error',
          keyParts: [a.id],
          measured: { width: w, height: h },
          message: `The ${what} is ${num(w)} × ${num(h)} px: a box needs a positive width and height.`,
          fixes: [{ kind: 'delete-shapes', imageId: ctx.image.id, annotationIds: [a.id] }],
        }),
      );
      return out;
    }
    const side = Math.min(w, h);
    if (side < ctx.settings.tinyBoxMinSide) {
      out.push(
        makeIssue({
          ...b,
          rule: 'tiny-box',
          severity: 'warning',
          keyParts: [a.id],
          measured: { minSide: side },
          threshold: ctx.settings.tinyBoxMinSide,
          message: `The ${what} is only ${num(side)} px across (below ${num(ctx.settings.tinyBoxMinSide)} px).`,
          fixes: [{ kind: 'delete-shapes', imageId: ctx.image.id, annotationIds: [a.id] }],
        }),
      );
    }
  } else {
    const pts = shape.points;
    if (pts.length % 2 !== 0 || !pts.every(Number.isFinite)) {
      out.push(
        makeIssue({
          ...b,
          rule: 'non-finite',
          severity: 'error',
          keyParts: [a.id],
          message: pts.length % 2 !== 0 ? `The ${what} has an x without a y.` : `The ${what} has a coordinate that is not a finite number.`,
        }),
      );
      return out;
    }
    const ring = distinctRing(pts);
    const vertices = ring.length / 2;
    if (vertices < 3 || allCollinear(ring)) {
      out.push(
        makeIssue({
          ...b,
          rule: 'bad-polygon',
          severity: 'error',
          keyParts: [a.id],
          measured: { distinctVertices: vertices },
          message: vertices < 3 ? `The ${what} has only ${vertices} distinct vertices (at least 3 needed).` : `The ${what} encloses no area (its vertices lie on one line).`,
          fixes: [{ kind: 'delete-shapes', imageId: ctx.image.id, annotationIds: [a.id] }],
        }),
      );
      return out;
    }
    const crossing = selfIntersection(ring);
    if (crossing) {
      out.push(
        makeIssue({
          ...b,
          rule: 'self-intersecting-polygon',
          severity: 'error',
          keyParts: [a.id],
          measured: { edgeA: crossing[0], edgeB: crossing[1] },
          message: `The ${what} crosses itself (edges ${crossing[0] + 1} and ${crossing[1] + 1}).`,
        }),
      );
    }
  }
  const outside = outsideIssue(ctx, a, p, what);
  if (outside) out.push(outside);
  return out;
}

/** True when every vertex lies on the line through the first two (a distinct ring: they differ). */
function allCollinear(ring: readonly number[]): boolean {
  const [x0, y0, x1, y1] = ring as [number, number, number, number];
  for (let i = 4; i < ring.length; i += 2) if ((x1 - x0) * (ring[i + 1]! - y0) - (y1 - y0) * (ring[i]! - x0) !== 0) return false;
  return true;
}

/** How far the shape reaches outside the image (px), and whether anything of it is inside. */
function outsideIssue(ctx: ImageContext, a: CheckAnnotation, p: PreparedShape, what: string): Issue | null {
  const { width: W, height: H } = ctx.image;
  const tol = ctx.settings.outOfImageTolerance;
  const beyond = Math.max(-p.x0, -p.y0, p.x1 - W, p.y1 - H);
  if (!(beyond > tol)) return null;
  const inside = clipShape(a.shape, W, H).kind !== 'empty';
  return makeIssue({
    ...base(ctx, a),
    rule: 'out-of-image',
    severity: inside ? 'warning' : 'error',
    keyParts: [a.id],
    measured: { outside: beyond },
    threshold: tol,
    message: inside
      ? `The ${what} reaches ${num(beyond)} px outside the ${W} × ${H} image.`
      : `The ${what} lies entirely outside the ${W} × ${H} image.`,
    fixes: [
      inside
        ? { kind: 'clip-shape', imageId: ctx.image.id, annotationId: a.id }
        : { kind: 'delete-shapes', imageId: ctx.image.id, annotationIds: [a.id] },
    ],
  });
}

/**
 * Within each annotator's layer: groups of same-class shapes linked by IoU ≥ duplicateIoU (one
 * issue per group, the fix keeps the oldest shape), and pairs of different classes with IoU ≥
 * stackedConflictIoU (one issue per pair; no obvious fix: which class is right?).
 */
export function sameLayerOverlapIssues(ctx: ImageContext): Issue[] {
  const { duplicateIoU, stackedConflictIoU } = ctx.settings;
  const floor = Math.min(duplicateIoU, stackedConflictIoU);
  const byAnnotator = new Map<string, number[]>();
  ctx.annotations.forEach((a, i) => {
    const list = byAnnotator.get(a.annotator);
    if (list) list.push(i);
    else byAnnotator.set(a.annotator, [i]);
  });
  const out: Issue[] = [];
  for (const [annotator, indices] of [...byAnnotator].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    if (indices.length < 2) continue;
    const shapes = indices.map((i) => ctx.prepared[i]!);
    const parent = indices.map((_, k) => k);
    const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k]!)));
    const minIoU = new Map<number, number>();
    const conflicts: [number, number, number][] = [];
    overlappingPairs(shapes, (i, j) => {
      if (iouUpperBound(shapes[i]!, shapes[j]!) < floor) return;
      const iou = preparedIoU(shapes[i]!, shapes[j]!);
      const a = ctx.annotations[indices[i]!]!;
      const b = ctx.annotations[indices[j]!]!;
      if (a.classId === b.classId) {
        if (iou < duplicateIoU) return;
        const ri = find(i);
        const rj = find(j);
        const low = Math.min(iou, minIoU.get(ri) ?? 1, minIoU.get(rj) ?? 1);
        parent[Math.max(ri, rj)] = Math.min(ri, rj);
        minIoU.set(Math.min(ri, rj), low);
      } else if (iou >= stackedConflictIoU) {
        conflicts.push([i, j, iou]);
      }
    });
    const groups = new Map<number, CheckAnnotation[]>();
    for (let k = 0; k < indices.length; k++) {
      const r = find(k);
      const list = groups.get(r);
      const a = ctx.annotations[indices[k]!]!;
      if (list) list.push(a);
      else groups.set(r, [a]);
    }
    for (const [root, members] of groups) {
      if (members.length < 2) continue;
      out.push(duplicateIssue(ctx, annotator, members, minIoU.get(root) ?? 1));
    }
    for (const [i, j, iou] of conflicts) {
      const a = ctx.annotations[indices[i]!]!;
      const b = ctx.annotations[indices[j]!]!;
      const ids = sortedIds([a.id, b.id]);
      out.push(
        makeIssue({
          rule: 'stacked-conflict',
          severity: 'error',
          keyParts: [ids.join(',')],
          imageIds: [ctx.image.id],
          annotationIds: ids,
          annotators: [annotator],
          classIds: sortedIds([a.classId, b.classId]),
          measured: { iou },
          threshold: stackedConflictIoU,
          message: `${annotator} drew one object twice with different classes, ${className(ctx, a.classId)} and ${className(ctx, b.classId)} (IoU ${num(iou)}).`,
        }),
      );
    }
  }
  return out;
}

function duplicateIssue(ctx: ImageContext, annotator: string, members: CheckAnnotation[], iou: number): Issue {
  // Keep the oldest shape (the first drawn); ids break ties so the choice is stable.
  const keep = [...members].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))[0]!;
  const ids = sortedIds(members.map((m) => m.id));
  const drop: AnnotationId[] = ids.filter((id) => id !== keep.id);
  return makeIssue({
    rule: 'duplicate-shape',
    severity: 'warning',
    keyParts: [ids.join(',')],
    imageIds: [ctx.image.id],
    annotationIds: ids,
    annotators: [annotator],
    classIds: [keep.classId],
    measured: { iou, shapes: members.length },
    threshold: ctx.settings.duplicateIoU,
    message: `${annotator} drew the same ${className(ctx, keep.classId)} ${members.length} times (IoU ≥ ${num(iou)}).`,
    fixes: [{ kind: 'delete-shapes', imageId: ctx.image.id, annotationIds: drop }],
  });
}
