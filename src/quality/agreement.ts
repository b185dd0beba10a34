/**
 * Agreement between annotators for review (issue 11, QUALITY.md "Agreement between
 * annotators"): per pair of annotators and overall, F1 at τ, mean IoU, accuracy and a confusion
 * matrix; Krippendorff's α per class and overall; for every image the clusters of shapes that
 * are one object (one shape per annotator, all pairs IoU ≥ τ) with their class vote and
 * consensus geometry; and the review queue, worst agreement first.
 *
 * Only annotators who drew on an image are compared on it (the others have not labeled it yet);
 * the consensus layer is never an annotator. Everything is independent of input order.
 */
import type { CheckAnnotation } from './types';
import type { AnnotationId, ClassId, ImageId, ImageRecord, Project } from '../core/model';
import { boxIoU, type Rect } from '../core/geometry';
import { annotatorLayers } from './imageContext';
import { prepareShape, preparedIoU, type PreparedShape } from './iou';
import { sortedIds } from './issue';
import { sortSmall } from './smallSort';
import { AlphaAccumulator, NOT_ANNOTATED, type AlphaResult } from './krippendorff';
import {
  accuracy,
  addMetrics,
  ConfusionCounter,
  EMPTY_METRICS,
  f1Score,
  matchPrepared,
  meanIoU,
  type ConfusionMatrix,
  type MatchMetrics,
  type MatchResult,
  type PreparedInput,
} from './match';

export interface AgreementOptions {
  /** τ. */
  readonly iouThreshold: number;
  /** τ_low. */
  readonly lowOverlapThreshold: number;
  /** Votes a class needs to be agreed in a cluster; 0: a strict majority of the image's annotators. */
  readonly quorum: number;
  /** Compare only these annotators (default: every annotator layer). */
  readonly annotators?: readonly string[];
}

/** Figures of a set of comparisons. */
export interface AgreementFigures {
  readonly metrics: MatchMetrics;
  readonly f1: number;
  readonly meanIoU: number | null;
  readonly accuracy: number;
  readonly confusion: ConfusionMatrix;
}

export interface PairAgreement extends AgreementFigures {
  /** Sorted by name; A is the first (its leftovers are "missing" from B). */
  readonly annotators: readonly [string, string];
  /** Images both annotators drew on. */
  readonly images: number;
}

export interface ClusterMember {
  readonly annotator: string;
  readonly id: AnnotationId;
  readonly classId: ClassId;
}

export type ClusterStatus = 'agreed' | 'majority' | 'failed';

/** One object as the annotators of an image saw it. */
export interface Cluster {
  /** At most one shape per annotator, sorted by annotator. */
  readonly members: readonly ClusterMember[];
  /** Votes per class, most first (ties by class id). */
  readonly votes: readonly { readonly classId: ClassId; readonly count: number }[];
  /**
   * agreed: every annotator drew it with one class; majority: present and one class each reach
   * the quorum; failed: either falls short or the top classes tie.
   */
  readonly status: ClusterStatus;
  /** The voted class, null when the vote failed. */
  readonly classId: ClassId | null;
  /** Annotators of the image with no shape in the cluster (minority-missing when status is majority). */
  readonly missing: readonly string[];
  /** The member nearest the members' mean box (highest IoU with it): the consensus geometry. */
  readonly consensus: AnnotationId;
}

export interface ImageAgreement {
  readonly imageId: ImageId;
  /** Annotators who drew on the image, sorted. */
  readonly annotators: readonly string[];
  readonly pairs: readonly { readonly annotators: readonly [string, string]; readonly result: MatchResult }[];
  /** Mean of the pairs' F1. */
  readonly meanF1: number;
  /** 1 − meanF1: the review queue's key. */
  readonly disagreement: number;
  readonly clusters: readonly Cluster[];
}

export interface AgreementReport {
  /** Every compared annotator, sorted. */
  readonly annotators: readonly string[];
  readonly pairs: readonly PairAgreement[];
  /** All pairs together. */
  readonly overall: AgreementFigures;
  readonly alpha: { readonly overall: AlphaResult; readonly perClass: readonly { readonly classId: ClassId; readonly result: AlphaResult }[] };
  /** Images with two or more annotators, in import order. */
  readonly images: readonly ImageAgreement[];
  /** Image ids, worst agreement first (ties in import order). */
  readonly queue: readonly ImageId[];
  /** Clusters whose vote failed, and clusters accepted by majority that some annotators missed. */
  readonly failedVotes: number;
  readonly minorityMissing: number;
}

/**
 * An image as the Review view and the agreement files read it: its figures, without the matches
 * and clusters behind them (those are recomputed for the one image open on the canvas).
 */
export interface ImageSummary {
  readonly imageId: ImageId;
  readonly annotators: readonly string[];
  readonly meanF1: number;
  readonly disagreement: number;
  readonly counts: DisagreementCounts;
}

/** Findings on one image, summed over its pairs of annotators. */
export interface DisagreementCounts {
  readonly missing: number;
  readonly extra: number;
  readonly labelMismatch: number;
  readonly lowOverlap: number;
  readonly attributeMismatch: number;
}

/**
 * The report as the page receives it: every figure of AgreementReport, the images summarized.
 * A project's full report (every image's pairs and clusters: tens of megabytes for 10,000
 * images) would take seconds to copy from the worker and block the page while it arrives.
 */
export interface AgreementSummary extends Omit<AgreementReport, 'images'> {
  /** Images with two or more annotators, in import order. */
  readonly images: readonly ImageSummary[];
  /** Shapes of each class on the compared images, every annotator; classes in id order. */
  readonly shapesByClass: readonly { readonly classId: ClassId; readonly shapes: number }[];
}

export function disagreementCounts(image: ImageAgreement): DisagreementCounts {
  let missing = 0;
  let extra = 0;
  let labelMismatch = 0;
  let lowOverlap = 0;
  let attributeMismatch = 0;
  for (const { result } of image.pairs) {
    missing += result.missing.length;
    extra += result.extra.length;
    labelMismatch += result.labelMismatches.length;
    lowOverlap += result.lowOverlap.length;
    attributeMismatch += result.attributeMismatches.length;
  }
  return { missing, extra, labelMismatch, lowOverlap, attributeMismatch };
}

export function summarizeImage(image: ImageAgreement): ImageSummary {
  return { imageId: image.imageId, annotators: image.annotators, meanF1: image.meanF1, disagreement: image.disagreement, counts: disagreementCounts(image) };
}

/** Counts the shapes of `image`'s clusters by class into `counts`. */
function countClasses(image: ImageAgreement, counts: Map<ClassId, number>): void {
  for (const cluster of image.clusters) for (const m of cluster.members) counts.set(m.classId, (counts.get(m.classId) ?? 0) + 1);
}

const byClassId = (counts: ReadonlyMap<ClassId, number>) => [...counts].map(([classId, shapes]) => ({ classId, shapes })).sort((a, b) => cmp(a.classId, b.classId));

/** A full report summarized (what agreementSummary computes directly). */
export function summarizeAgreement(report: AgreementReport): AgreementSummary {
  const counts = new Map<ClassId, number>();
  for (const image of report.images) countClasses(image, counts);
  return { ...report, images: report.images.map(summarizeImage), shapesByClass: byClassId(counts) };
}

type Layer = PreparedInput<CheckAnnotation>[];

/** Agreement on one image; null when fewer than two annotators drew on it. */
export function imageAgreement(image: ImageRecord, annotations: readonly CheckAnnotation[], options: AgreementOptions): ImageAgreement | null {
  const sorted = sortSmall([...annotations], (a, b) => cmp(a.id, b.id));
  const layers = annotatorLayers(
    sorted,
    sorted.map((a) => prepareShape(a.shape)),
    options.annotators ? new Set(options.annotators) : null,
  );
  if (layers.size < 2) return null;
  const names = [...layers.keys()];
  const matchOptions = { iouThreshold: options.iouThreshold, lowOverlapThreshold: options.lowOverlapThreshold };
  const pairs: { annotators: readonly [string, string]; result: MatchResult }[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      pairs.push({ annotators: [names[i]!, names[j]!], result: matchPrepared(layers.get(names[i]!)!, layers.get(names[j]!)!, matchOptions) });
    }
  }
  const meanF1 = pairs.reduce((s, p) => s + f1Score(p.result.metrics), 0) / pairs.length;
  return {
    imageId: image.id,
    annotators: names,
    pairs,
    meanF1,
    disagreement: 1 - meanF1,
    clusters: clusterShapes(layers, pairs, options),
  };
}

/**
 * Clusters from the pairwise matches (both passes): edges taken in order of decreasing IoU (ties
 * by ids), two clusters joined when they share no annotator and every cross pair reaches τ
 * (complete linkage). Shapes left alone are clusters of one.
 */
function clusterShapes(layers: ReadonlyMap<string, Layer>, pairs: readonly { result: MatchResult }[], options: AgreementOptions): Cluster[] {
  const all: PreparedInput<CheckAnnotation>[] = [...layers.values()].flat();
  const index = new Map<AnnotationId, number>(all.map((p, i) => [p.item.id, i]));
  const edges: { i: number; j: number; iou: number }[] = [];
  for (const { result } of pairs) {
    for (const m of [...result.matches, ...result.labelMismatches]) edges.push({ i: index.get(m.a)!, j: index.get(m.b)!, iou: m.iou });
  }
  const idOf = (k: number): string => all[k]!.item.id;
  sortSmall(edges, (x, y) => y.iou - x.iou || cmp(idOf(Math.min(x.i, x.j)), idOf(Math.min(y.i, y.j))) || cmp(idOf(Math.max(x.i, x.j)), idOf(Math.max(y.i, y.j))));

  const members = all.map((_, k) => [k]);
  const owner = all.map((_, k) => k);
  const iouCache = new Map<number, number>();
  for (const e of edges) iouCache.set(Math.min(e.i, e.j) * all.length + Math.max(e.i, e.j), e.iou);
  const iou = (a: number, b: number): number => {
    const key = Math.min(a, b) * all.length + Math.max(a, b);
    let v = iouCache.get(key);
    if (v === undefined) iouCache.set(key, (v = preparedIoU(all[a]!.prepared, all[b]!.prepared)));
    return v;
  };
  for (const e of edges) {
    const ca = owner[e.i]!;
    const cb = owner[e.j]!;
    if (ca === cb) continue;
    const A = members[ca]!;
    const B = members[cb]!;
    if (shareAnnotator(A, B, all)) continue;
    if (!A.every((a) => B.every((b) => iou(a, b) >= options.iouThreshold))) continue;
    const [keep, drop] = ca < cb ? [ca, cb] : [cb, ca];
    members[keep] = [...A, ...B];
    members[drop] = [];
    for (const k of members[keep]!) owner[k] = keep;
  }

  const names = [...layers.keys()];
  const quorum = options.quorum > 0 ? options.quorum : Math.floor(names.length / 2) + 1;
  const clusters: Cluster[] = [];
  for (const group of members) {
    if (group.length === 0) continue;
    const inputs = sortSmall(
      group.map((k) => all[k]!),
      (a, b) => cmp(a.item.annotator, b.item.annotator),
    );
    clusters.push(describeCluster(inputs, names, quorum));
  }
  // Stable order: by the consensus shape's id.
  return sortSmall(clusters, (a, b) => cmp(a.consensus, b.consensus));
}

/** True when a shape of cluster `a` and one of `b` are by the same annotator (clusters hold a few shapes). */
function shareAnnotator(a: readonly number[], b: readonly number[], all: readonly PreparedInput<CheckAnnotation>[]): boolean {
  for (const i of a) {
    const name = all[i]!.item.annotator;
    for (const j of b) if (all[j]!.item.annotator === name) return true;
  }
  return false;
}

function describeCluster(inputs: readonly PreparedInput<CheckAnnotation>[], annotators: readonly string[], quorum: number): Cluster {
  const counts = new Map<ClassId, number>();
  for (const p of inputs) counts.set(p.item.classId, (counts.get(p.item.classId) ?? 0) + 1);
  const votes = sortSmall(
    [...counts].map(([classId, count]) => ({ classId, count })),
    (a, b) => b.count - a.count || cmp(a.classId, b.classId),
  );
  const missing = annotators.filter((a) => !inputs.some((p) => p.item.annotator === a));
  const top = votes[0]!;
  const tie = votes.length > 1 && votes[1]!.count === top.count;
  const status: ClusterStatus =
    missing.length === 0 && votes.length === 1 ? 'agreed' : inputs.length >= quorum && top.count >= quorum && !tie ? 'majority' : 'failed';
  return {
    members: inputs.map((p) => ({ annotator: p.item.annotator, id: p.item.id, classId: p.item.classId })),
    votes,
    status,
    classId: status === 'failed' ? null : top.classId,
    missing,
    consensus: nearestToMean(inputs),
  };
}

/** The id of the shape whose bounds overlap the mean of all bounds most (ties: nearest corners, then id). */
function nearestToMean(inputs: readonly PreparedInput<CheckAnnotation>[]): AnnotationId {
  const n = inputs.length;
  const shape = (k: number): PreparedShape => inputs[k]!.prepared;
  const id = (k: number): AnnotationId => inputs[k]!.item.id;
  const mean = { x0: 0, y0: 0, x1: 0, y1: 0 };
  for (let k = 0; k < n; k++) {
    const s = shape(k);
    mean.x0 += s.x0 / n;
    mean.y0 += s.y0 / n;
    mean.x1 += s.x1 / n;
    mean.y1 += s.y1 / n;
  }
  const meanRect: Rect = { x: mean.x0, y: mean.y0, w: mean.x1 - mean.x0, h: mean.y1 - mean.y0 };
  let best = 0;
  let bestIoU = -1;
  let bestDist = Infinity;
  const bounds = { x: 0, y: 0, w: 0, h: 0 }; // one rectangle reused for every shape's bounds
  for (let k = 0; k < n; k++) {
    const s = shape(k);
    bounds.x = s.x0;
    bounds.y = s.y0;
    bounds.w = s.x1 - s.x0;
    bounds.h = s.y1 - s.y0;
    const iou = boxIoU(bounds, meanRect);
    const dist = Math.abs(s.x0 - mean.x0) + Math.abs(s.y0 - mean.y0) + Math.abs(s.x1 - mean.x1) + Math.abs(s.y1 - mean.y1);
    if (iou > bestIoU || (iou === bestIoU && (dist < bestDist || (dist === bestDist && id(k) < id(best))))) {
      best = k;
      bestIoU = iou;
      bestDist = dist;
    }
  }
  return id(best);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function figures(metrics: MatchMetrics, confusion: ConfusionCounter, classOrder: readonly ClassId[]): AgreementFigures {
  return { metrics, f1: f1Score(metrics), meanIoU: meanIoU(metrics), accuracy: accuracy(metrics), confusion: confusion.matrix(classOrder) };
}

export interface AgreementInput {
  readonly project: Project;
  readonly images: readonly ImageRecord[];
  readonly annotations: readonly CheckAnnotation[];
}

/** The agreement of a whole project (see the module comment). */
export function agreementReport(input: AgreementInput, options: AgreementOptions): AgreementReport {
  const images: ImageAgreement[] = [];
  return { ...compare(input, options, (a) => images.push(a)), images };
}

/**
 * The agreement of a whole project as the page receives it: equal to
 * `summarizeAgreement(agreementReport(input, options))`, without keeping every image's matches
 * and clusters meanwhile.
 */
export function agreementSummary(input: AgreementInput, options: AgreementOptions): AgreementSummary {
  const images: ImageSummary[] = [];
  const counts = new Map<ClassId, number>();
  const rest = compare(input, options, (a) => {
    images.push(summarizeImage(a));
    countClasses(a, counts);
  });
  return { ...rest, images, shapesByClass: byClassId(counts) };
}

/** Compares every image, hands each image's agreement to `each` (in import order), and sums the figures. */
function compare(input: AgreementInput, options: AgreementOptions, each: (image: ImageAgreement) => void): Omit<AgreementReport, 'images'> {
  const classOrder = input.project.classes.map((c) => c.id);
  const byImage = new Map<ImageId, CheckAnnotation[]>();
  for (const a of input.annotations) {
    const list = byImage.get(a.imageId);
    if (list) list.push(a);
    else byImage.set(a.imageId, [a]);
  }
  const images = [...input.images].sort((a, b) => a.seq - b.seq);
  const compared: { readonly imageId: ImageId; readonly disagreement: number }[] = [];
  const pairTotals = new Map<string, { annotators: readonly [string, string]; metrics: MatchMetrics; confusion: ConfusionCounter; images: number }>();
  const overallConfusion = new ConfusionCounter();
  let overallMetrics = EMPTY_METRICS;
  const alphaAll = new AlphaAccumulator();
  const annotatorSet = new Set<string>();
  let failedVotes = 0;
  let minorityMissing = 0;

  for (const image of images) {
    const annotations = byImage.get(image.id) ?? [];
    const agreement = imageAgreement(image, annotations, options);
    if (!agreement) continue;
    each(agreement);
    compared.push({ imageId: agreement.imageId, disagreement: agreement.disagreement });
    const classOf = new Map<AnnotationId, ClassId>(annotations.map((a) => [a.id, a.classId]));
    for (const name of agreement.annotators) annotatorSet.add(name);
    for (const { annotators, result } of agreement.pairs) {
      const key = annotators.join('\u0000');
      let total = pairTotals.get(key);
      if (!total) pairTotals.set(key, (total = { annotators, metrics: EMPTY_METRICS, confusion: new ConfusionCounter(), images: 0 }));
      total.metrics = addMetrics(total.metrics, result.metrics);
      total.confusion.addResult(result, (id) => classOf.get(id)!);
      total.images++;
      overallMetrics = addMetrics(overallMetrics, result.metrics);
      overallConfusion.addResult(result, (id) => classOf.get(id)!);
    }
    for (const cluster of agreement.clusters) {
      if (cluster.status === 'failed') failedVotes++;
      else if (cluster.missing.length > 0) minorityMissing++;
      // One value per annotator of the image: the class drawn, or "did not annotate".
      const values = agreement.annotators.map((a): string => cluster.members.find((m) => m.annotator === a)?.classId ?? NOT_ANNOTATED);
      alphaAll.add(values);
    }
  }

  const pairs: PairAgreement[] = [...pairTotals.values()]
    .sort((a, b) => cmp(a.annotators[0], b.annotators[0]) || cmp(a.annotators[1], b.annotators[1]))
    .map((t) => ({ annotators: t.annotators, images: t.images, ...figures(t.metrics, t.confusion, classOrder) }));
  const seq = new Map(images.map((img) => [img.id, img.seq]));
  const queue = compared.sort((a, b) => b.disagreement - a.disagreement || seq.get(a.imageId)! - seq.get(b.imageId)!).map((a) => a.imageId);
  return {
    annotators: sortedIds(annotatorSet),
    pairs,
    overall: figures(overallMetrics, overallConfusion, classOrder),
    alpha: { overall: alphaAll.result(), perClass: classOrder.map((classId) => ({ classId, result: alphaAll.resultVersusRest(classId) })) },
    queue,
    failedVotes,
    minorityMissing,
  };
}
