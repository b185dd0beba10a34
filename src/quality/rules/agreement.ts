/**
 * Disagreements between annotators on one image, as issues: every pair of annotators who drew
 * on the image is matched (match.ts), and each label mismatch, missing shape, low overlap and
 * attribute mismatch becomes an issue. An annotator with no shape on the image has not labeled
 * it yet and is not compared (the consensus layer never is).
 */
import type { CheckAnnotation } from '../types';
import type { AnnotationId, ClassId } from '../../core/model';
import { annotatorLayers, className, type ImageContext } from '../imageContext';
import { makeIssue, num, sortedIds } from '../issue';
import { matchPrepared, type MatchedPair, type MatchResult } from '../match';
import type { Issue } from '../types';

export function agreementIssues(ctx: ImageContext): Issue[] {
  const layers = annotatorLayers(ctx.annotations, ctx.prepared);
  if (layers.size < 2) return [];
  const names = [...layers.keys()];
  const byId = new Map<AnnotationId, CheckAnnotation>(ctx.annotations.map((a) => [a.id, a]));
  const options = { iouThreshold: ctx.settings.matchIoU, lowOverlapThreshold: ctx.settings.lowOverlapIoU };
  const out: Issue[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const r = matchPrepared(layers.get(names[i]!)!, layers.get(names[j]!)!, options);
      out.push(...pairIssues(ctx, names[i]!, names[j]!, r, byId));
    }
  }
  return out;
}

function pairIssues(ctx: ImageContext, nameA: string, nameB: string, r: MatchResult, byId: ReadonlyMap<AnnotationId, CheckAnnotation>): Issue[] {
  const imageIds = [ctx.image.id];
  const { matchIoU, lowOverlapIoU } = ctx.settings;
  /** What every issue about a matched pair shares. */
  const about = (m: MatchedPair, classIds: readonly ClassId[]) => ({
    keyParts: [sortedIds([m.a, m.b]).join(',')],
    imageIds,
    annotationIds: [m.a, m.b],
    annotators: [nameA, nameB],
    classIds,
  });
  const out: Issue[] = [];
  for (const m of r.labelMismatches) {
    out.push(
      makeIssue({
        ...about(m, sortedIds([m.classA, m.classB])),
        rule: 'label-mismatch',
        severity: 'warning',
        measured: { iou: m.iou },
        threshold: matchIoU,
        message: `${nameA} says ${className(ctx, m.classA)}, ${nameB} says ${className(ctx, m.classB)} for the same object (IoU ${num(m.iou)}).`,
      }),
    );
  }
  const missing = (id: AnnotationId, drawnBy: string, missingFrom: string): Issue => {
    const a = byId.get(id)!;
    return makeIssue({
      rule: 'missing-shape',
      severity: 'warning',
      keyParts: [id, missingFrom],
      imageIds,
      annotationIds: [id],
      annotators: [drawnBy, missingFrom],
      classIds: [a.classId],
      threshold: matchIoU,
      message: `${drawnBy} drew a ${className(ctx, a.classId)} that ${missingFrom} did not (no shape of ${missingFrom} overlaps it by IoU ≥ ${num(matchIoU)}).`,
    });
  };
  for (const id of r.missing) out.push(missing(id, nameA, nameB));
  for (const id of r.extra) out.push(missing(id, nameB, nameA));
  for (const m of r.lowOverlap) {
    out.push(
      makeIssue({
        ...about(m, [m.classA]),
        rule: 'low-overlap',
        severity: 'info',
        measured: { iou: m.iou },
        threshold: lowOverlapIoU,
        message: `${nameA} and ${nameB} outline this ${className(ctx, m.classA)} differently (IoU ${num(m.iou)}, below ${num(lowOverlapIoU)}).`,
      }),
    );
  }
  for (const { pair: m, fields } of r.attributeMismatches) {
    out.push(
      makeIssue({
        ...about(m, [m.classA]),
        rule: 'attribute-mismatch',
        severity: 'info',
        measured: { attributes: fields.length },
        message: `${nameA} and ${nameB} set different attributes on this ${className(ctx, m.classA)}: ${fields.join(', ')}.`,
      }),
    );
  }
  return out;
}
