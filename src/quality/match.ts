/**
 * The agreement matcher (QUALITY.md, "Agreement between annotators"): two layers of shapes on
 * one image in, their correspondence and its figures out.
 *
 * 1. IoU of every pair whose bounds overlap (iou.ts), skipping pairs whose IoU bound is below τ.
 * 2. Pass 1: optimal assignment (assignment.ts) on cost 1 − IoU among same-class pairs with
 *    IoU ≥ τ → matches (true positives).
 * 3. Pass 2: the same over the leftovers, any class → label mismatches.
 * 4. Leftovers of A → missing (from B's layer); leftovers of B → extra (in B's layer).
 * 5. Matches with IoU < τ_low → low overlap; matches whose attributes differ → attribute mismatch.
 *
 * Never greedy, and independent of input order: both layers are put in id order before anything
 * is computed, so any permutation of the same shapes gives the same result.
 */
import type { AnnotationAttributes, AnnotationId, ClassId, Shape } from '../core/model';
import { assign, type Candidate } from './assignment';
import { isSorted, sortSmall } from './smallSort';
import { iouUpperBound, overlappingPairsBetween, prepareShape, preparedIoU, type PreparedShape } from './iou';

/** What the matcher reads of a shape; an Annotation is one. */
export interface MatchInput {
  readonly id: AnnotationId;
  readonly classId: ClassId;
  readonly shape: Shape;
  readonly attributes?: AnnotationAttributes;
}

export interface MatchOptions {
  /** τ, in (0, 1]. */
  readonly iouThreshold: number;
  /** τ_low, in [τ, 1]. */
  readonly lowOverlapThreshold: number;
}

export interface MatchedPair {
  readonly a: AnnotationId;
  readonly b: AnnotationId;
  readonly classA: ClassId;
  readonly classB: ClassId;
  readonly iou: number;
}

export interface AttributeMismatch {
  readonly pair: MatchedPair;
  /** Names of the attributes that differ: built-in flags by name, custom ones as `custom.<name>`; sorted. */
  readonly fields: readonly string[];
}

/** Counts and scores of one comparison (or a sum of several, see addMetrics). */
export interface MatchMetrics {
  /** |A| and |B|: shapes in each layer. */
  readonly sizeA: number;
  readonly sizeB: number;
  /** Pass-1 matches. */
  readonly tp: number;
  /** Pass-2 pairs. */
  readonly mismatches: number;
  readonly missing: number;
  readonly extra: number;
  /** Sum of the IoUs of the pass-1 matches (mean IoU = iouSum / tp). */
  readonly iouSum: number;
}

export interface MatchResult {
  /** Pass-1 pairs, sorted by a's id. */
  readonly matches: readonly MatchedPair[];
  /** Pass-2 pairs (different classes), sorted by a's id. */
  readonly labelMismatches: readonly MatchedPair[];
  /** Shapes of A with no partner in B (B's layer misses them), sorted. */
  readonly missing: readonly AnnotationId[];
  /** Shapes of B with no partner in A (extra in B's layer), sorted. */
  readonly extra: readonly AnnotationId[];
  /** Matches with IoU < τ_low. */
  readonly lowOverlap: readonly MatchedPair[];
  readonly attributeMismatches: readonly AttributeMismatch[];
  readonly metrics: MatchMetrics;
}

const byId = <T extends { readonly id: string }>(p: T, q: T): number => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0);
const byItemId = (p: PreparedInput, q: PreparedInput): number => byId(p.item, q.item);
/** The layer in id order (as given when it already is: review passes it so). */
const inIdOrder = <T extends MatchInput>(layer: readonly PreparedInput<T>[]): readonly PreparedInput<T>[] => (isSorted(layer, byItemId) ? layer : sortSmall([...layer], byItemId));

/** Prepared shapes can be passed in when the caller already has them (the checker does). */
export interface PreparedInput<T extends MatchInput = MatchInput> {
  readonly item: T;
  readonly prepared: PreparedShape;
}

export function prepareInputs<T extends MatchInput>(items: readonly T[]): PreparedInput<T>[] {
  return items.map((item) => ({ item, prepared: prepareShape(item.shape) }));
}

/** Matches layer `a` against layer `b` (see the module comment). */
export function matchShapes(a: readonly MatchInput[], b: readonly MatchInput[], options: MatchOptions): MatchResult {
  return matchPrepared(prepareInputs(a), prepareInputs(b), options);
}

/** matchShapes on shapes already prepared. */
export function matchPrepared(a: readonly PreparedInput[], b: readonly PreparedInput[], options: MatchOptions): MatchResult {
  return matchPositions(a, b, options).result;
}

/** A match with the positions of its pairs: rows index `A`, columns `B` (both layers in id order). */
export interface PositionedMatch<T extends MatchInput = MatchInput> {
  readonly result: MatchResult;
  readonly A: readonly PreparedInput<T>[];
  readonly B: readonly PreparedInput<T>[];
  /** Pass-1 pairs (result.matches, in the same order) and pass-2 pairs (result.labelMismatches). */
  readonly first: readonly Candidate[];
  readonly second: readonly Candidate[];
}

/**
 * matchPrepared, also saying where each pair's shapes are in the layers: the agreement's
 * clustering works on positions instead of looking ids up. A layer passed in id order is used
 * as it is (`A === a`).
 */
export function matchPositions<T extends MatchInput>(a: readonly PreparedInput<T>[], b: readonly PreparedInput<T>[], options: MatchOptions): PositionedMatch<T> {
  const tau = options.iouThreshold;
  const A = inIdOrder(a);
  const B = inIdOrder(b);

  // Every pair that could reach τ, with its IoU. Row/column numbers are positions in id order.
  const sameClass: Candidate[] = [];
  const anyClass: Candidate[] = [];
  overlappingPairsBetween(
    A.map((p) => p.prepared),
    B.map((p) => p.prepared),
    (i, j) => {
      const pa = A[i]!.prepared;
      const pb = B[j]!.prepared;
      if (iouUpperBound(pa, pb) < tau) return;
      const iou = preparedIoU(pa, pb);
      if (iou < tau) return;
      const c = { row: i, col: j, cost: 1 - iou };
      anyClass.push(c);
      if (A[i]!.item.classId === B[j]!.item.classId) sameClass.push(c);
    },
  );

  const pair = (c: Candidate): MatchedPair => ({
    a: A[c.row]!.item.id,
    b: B[c.col]!.item.id,
    classA: A[c.row]!.item.classId,
    classB: B[c.col]!.item.classId,
    iou: 1 - c.cost,
  });

  const first = assign(sameClass);
  const usedA = new Uint8Array(A.length);
  const usedB = new Uint8Array(B.length);
  for (const c of first) {
    usedA[c.row] = 1;
    usedB[c.col] = 1;
  }
  const second = assign(anyClass.filter((c) => usedA[c.row] === 0 && usedB[c.col] === 0));
  for (const c of second) {
    usedA[c.row] = 1;
    usedB[c.col] = 1;
  }

  const matches = first.map(pair);
  const labelMismatches = second.map(pair);
  const missing: AnnotationId[] = [];
  for (let i = 0; i < A.length; i++) if (usedA[i] === 0) missing.push(A[i]!.item.id);
  const extra: AnnotationId[] = [];
  for (let j = 0; j < B.length; j++) if (usedB[j] === 0) extra.push(B[j]!.item.id);
  const lowOverlap = matches.filter((m) => m.iou < options.lowOverlapThreshold);
  const attributeMismatches: AttributeMismatch[] = [];
  for (const c of first) {
    const fields = attributeDifferences(A[c.row]!.item.attributes ?? {}, B[c.col]!.item.attributes ?? {});
    if (fields.length > 0) attributeMismatches.push({ pair: pair(c), fields });
  }
  let iouSum = 0;
  for (const m of matches) iouSum += m.iou;
  const result: MatchResult = {
    matches,
    labelMismatches,
    missing,
    extra,
    lowOverlap,
    attributeMismatches,
    metrics: {
      sizeA: A.length,
      sizeB: B.length,
      tp: matches.length,
      mismatches: labelMismatches.length,
      missing: missing.length,
      extra: extra.length,
      iouSum,
    },
  };
  return { result, A, B, first, second };
}

const FLAGS = ['occluded', 'truncated', 'difficult', 'iscrowd'] as const;

/** Attributes that differ; an absent flag counts as false, an absent custom value as unset. */
export function attributeDifferences(a: AnnotationAttributes, b: AnnotationAttributes): string[] {
  const out: string[] = [];
  for (const f of FLAGS) if ((a[f] ?? false) !== (b[f] ?? false)) out.push(f);
  if (a.custom === undefined && b.custom === undefined) return out; // the usual case: no custom attributes
  const ca = a.custom ?? {};
  const cb = b.custom ?? {};
  const names = [...new Set([...Object.keys(ca), ...Object.keys(cb)])].sort();
  for (const name of names) if (ca[name] !== cb[name]) out.push(`custom.${name}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Figures

export const EMPTY_METRICS: MatchMetrics = { sizeA: 0, sizeB: 0, tp: 0, mismatches: 0, missing: 0, extra: 0, iouSum: 0 };

/** The sum of two sets of counts (figures over several images or pairs). */
export function addMetrics(x: MatchMetrics, y: MatchMetrics): MatchMetrics {
  return {
    sizeA: x.sizeA + y.sizeA,
    sizeB: x.sizeB + y.sizeB,
    tp: x.tp + y.tp,
    mismatches: x.mismatches + y.mismatches,
    missing: x.missing + y.missing,
    extra: x.extra + y.extra,
    iouSum: x.iouSum + y.iouSum,
  };
}

/** F1 = 2·TP / (|A| + |B|); two empty layers agree perfectly (1). */
export function f1Score(m: MatchMetrics): number {
  const n = m.sizeA + m.sizeB;
  return n === 0 ? 1 : (2 * m.tp) / n;
}

/** Mean IoU of the pass-1 matches; null when there are none. */
export function meanIoU(m: MatchMetrics): number | null {
  return m.tp === 0 ? null : m.iouSum / m.tp;
}

/** TP / (TP + mismatches + missing + extra); two empty layers agree perfectly (1). */
export function accuracy(m: MatchMetrics): number {
  const n = m.tp + m.mismatches + m.missing + m.extra;
  return n === 0 ? 1 : m.tp / n;
}

// ---------------------------------------------------------------------------------------------
// Confusion

/** The row / column of shapes without a partner. */
export const UNMATCHED = 'unmatched';
export type ConfusionLabel = ClassId | typeof UNMATCHED;

/**
 * counts[i][j]: objects A labelled labels[i] and B labelled labels[j]. The last label is always
 * UNMATCHED: row UNMATCHED counts B's extras, column UNMATCHED counts A's missing shapes. Class
 * labels come in the order given to confusionMatrix (the project's order), then any unknown
 * class ids sorted.
 */
export interface ConfusionMatrix {
  readonly labels: readonly ConfusionLabel[];
  readonly counts: readonly (readonly number[])[];
}

/** Mutable accumulator for a ConfusionMatrix over many comparisons. */
export class ConfusionCounter {
  readonly #cells = new Map<string, Map<string, number>>();

  add(a: ConfusionLabel, b: ConfusionLabel, n = 1): void {
    let row = this.#cells.get(a);
    if (!row) this.#cells.set(a, (row = new Map()));
    row.set(b, (row.get(b) ?? 0) + n);
  }

  /** Adds a comparison; classOf gives the class of a missing or extra shape. */
  addResult(r: MatchResult, classOf: (id: AnnotationId) => ClassId): void {
    for (const m of r.matches) this.add(m.classA, m.classB);
    for (const m of r.labelMismatches) this.add(m.classA, m.classB);
    for (const id of r.missing) this.add(classOf(id), UNMATCHED);
    for (const id of r.extra) this.add(UNMATCHED, classOf(id));
  }

  merge(other: ConfusionCounter): void {
    for (const [a, row] of other.#cells) for (const [b, n] of row) this.add(a as ConfusionLabel, b as ConfusionLabel, n);
  }

  /** The matrix with `classOrder` first (every class of the project, used or not). */
  matrix(classOrder: readonly ClassId[]): ConfusionMatrix {
    const known = new Set<string>(classOrder);
    const extraIds = new Set<string>();
    for (const [a, row] of this.#cells) {
      if (a !== UNMATCHED && !known.has(a)) extraIds.add(a);
      for (const b of row.keys()) if (b !== UNMATCHED && !known.has(b)) extraIds.add(b);
    }
    const labels: ConfusionLabel[] = [...classOrder, ...([...extraIds].sort() as ClassId[]), UNMATCHED];
    const counts = labels.map((a) => labels.map((b) => this.#cells.get(a)?.get(b) ?? 0));
    return { labels, counts };
  }
}
