/**
 * The one conversion from a stored annotation to the shape the checker and review compare
 * (types.ts `CheckAnnotation`): the record's bookkeeping (revision, consensus votes) dropped, its
 * layer kept, and whose shape it is named — the name of its layer, which the caller looks up
 * (the check worker, review on the open image and the tests each know their layers). Pure.
 */
import type { Annotation } from '../core/model';
import type { CheckAnnotation } from './types';

export function toCheckAnnotation(a: Annotation, annotator: string): CheckAnnotation {
  const { revision: _revision, review: _review, ...rest } = a;
  return { ...rest, annotator };
}
