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
import { isSorted, sortSmall } from './smallSort';
import type { Candidate } from './assignment';
import { AlphaAccumulator, NOT_ANNOTATED, type AlphaResult } from './krippendorff';
import {
  accuracy,
  addMetrics,
  ConfusionCounter,
  EMPTY_METRICS,
  f1Score,
  matchPositions,
  meanIoU,
  type ConfusionMatrix,
  type MatchedPair,
  type MatchMetrics,
  type MatchResult,
  type PositionedMatch,
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
  const sorted = isSorted(annotations, byAnnotationId) ? annotations : sortSmall([...annotations], byAnnotationId);
  const layers = annotatorLayers(
    sorted,
    sorted.map((a) => prepareShape(a.shape)),
    options.annotators ? new Set(options.annotators) : null,
  );
  if (layers.size < 2) return null;
  const names = [...layers.keys()];
  const matchOptions = { iouThreshold: options.iouThreshold, lowOverlapThreshold: options.lowOverlapThreshold };
  const pairs: { annotators: readonly [string, string]; result: MatchResult }[] = [];
  const positioned: Positioned[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      // Each layer is in id order already (sorted above), so the match's positions are positions in the layers.
      const match = matchPositions(layers.get(names[i]!)!, layers.get(names[j]!)!, matchOptions);
      pairs.push({ annotators: [names[i]!, names[j]!], result: match.result });
      positioned.push({ a: i, b: j, match });
    }
  }
  let f1Sum = 0;
  for (const p of pairs) f1Sum += f1Score(p.result.metrics);
  const meanF1 = f1Sum / pairs.length;
  return {
    imageId: image.id,
    annotators: names,
    pairs,
    meanF1,
    disagreement: 1 - meanF1,
    clusters: clusterShapes(layers, positioned, options),
  };
}

const byAnnotationId = (a: CheckAnnotation, b: CheckAnnotation): number => cmp(a.id, b.id);

/** One pair of layers' match (layer numbers a < b), with the positions of its shapes. */
interface Positioned {
  readonly a: number;
  readonly b: number;
  readonly match: PositionedMatch<CheckAnnotation>;
}

/** IoUs of one image's shape pairs while it is clustered (grown as needed; −1: not computed yet). */
let iouScratch = new Float64Array(0);

/**
 * Clusters from the pairwise matches (both passes): edges taken in order of decreasing IoU (ties
 * by ids), two clusters joined when they share no annotator and every cross pair reaches τ
 * (complete linkage). Shapes left alone are clusters of one.
 *
 * Shapes are numbered layer after layer (layers in name order, each in id order); a cluster is a
 * linked list of shape numbers in layer order, so its members come out sorted by annotator.
 */
function clusterShapes(layers: ReadonlyMap<string, Layer>, pairs: readonly Positioned[], options: AgreementOptions): Cluster[] {
  const layerList = [...layers.values()];
  const offsets: number[] = [];
  const all: PreparedInput<CheckAnnotation>[] = [];
  for (const layer of layerList) {
    offsets.push(all.length);
    for (const p of layer) all.push(p);
  }
  const n = all.length;
  const layerOf = new Int32Array(n);
  layerList.forEach((layer, l) => layerOf.fill(l, offsets[l]!, offsets[l]! + layer.length));

  if (iouScratch.length < n * n) iouScratch = new Float64Array(Math.max(n * n, 2 * iouScratch.length));
  const iouOf = iouScratch;
  iouOf.fill(-1, 0, n * n);
  const edges: { i: number; j: number; iou: number }[] = [];
  const addEdges = (p: Positioned, candidates: readonly Candidate[], found: readonly MatchedPair[]) => {
    for (let k = 0; k < candidates.length; k++) {
      const i = offsets[p.a]! + candidates[k]!.row;
      const j = offsets[p.b]! + candidates[k]!.col;
      const iou = found[k]!.iou;
      edges.push({ i, j, iou });
      iouOf[i * n + j] = iou;
      iouOf[j * n + i] = iou;
    }
  };
  for (const p of pairs) {
    addEdges(p, p.match.first, p.match.result.matches);
    addEdges(p, p.match.second, p.match.result.labelMismatches);
  }
  const idOf = (k: number): string => all[k]!.item.id;
  sortSmall(edges, (x, y) => y.iou - x.iou || cmp(idOf(Math.min(x.i, x.j)), idOf(Math.min(y.i, y.j))) || cmp(idOf(Math.max(x.i, x.j)), idOf(Math.max(y.i, y.j))));
  const iou = (a: number, b: number): number => {
    let v = iouOf[a * n + b]!;
    if (v < 0) iouOf[a * n + b] = iouOf[b * n + a] = v = preparedIoU(all[a]!.prepared, all[b]!.prepared);
    return v;
  };

  // A cluster is known by its first member, which has its smallest number (numbers follow layer
  // order): owner[k] is k's cluster, next[k] the member after k (−1: the last).
  const owner = new Int32Array(n);
  const next = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) owner[k] = k;
  const tau = options.iouThreshold;
  const joinable = (ca: number, cb: number): boolean => {
    for (let a = ca; a >= 0; a = next[a]!) {
      for (let b = cb; b >= 0; b = next[b]!) {
        if (layerOf[a] === layerOf[b] || iou(a, b) < tau) return false;
      }
    }
    return true;
  };
  for (const e of edges) {
    const ca = owner[e.i]!;
    const cb = owner[e.j]!;
    if (ca === cb || !joinable(ca, cb)) continue;
    const [keep, drop] = ca < cb ? [ca, cb] : [cb, ca];
    // Merge the two lists in layer order (no two members share a layer).
    let tail = -1;
    let x = keep;
    let y = drop;
    while (x >= 0 || y >= 0) {
      let take: number;
      if (y < 0 || (x >= 0 && x < y)) {
        take = x;
        x = next[x]!;
      } else {
        take = y;
        y = next[y]!;
      }
      if (tail >= 0) next[tail] = take;
      tail = take;
      owner[take] = keep;
    }
    next[tail] = -1;
  }

  const names = [...layers.keys()];
  const quorum = options.quorum > 0 ? options.quorum : Math.floor(names.length / 2) + 1;
  const clusters: Cluster[] = [];
  for (let k = 0; k < n; k++) {
    if (owner[k] !== k) continue;
    const inputs: PreparedInput<CheckAnnotation>[] = [];
    const present: boolean[] = names.map(() => false);
    for (let m = k; m >= 0; m = next[m]!) {
      inputs.push(all[m]!);
      present[layerOf[m]!] = true;
    }
    clusters.push(describeCluster(inputs, names, present, quorum));
  }
  // Stable order: by the consensus shape's id.
  return sortSmall(clusters, (a, b) => cmp(a.consensus, b.consensus));
}

/** A cluster's votes, status and consensus; `present[l]`: the l-th annotator has a member. */
function describeCluster(inputs: readonly PreparedInput<CheckAnnotation>[], annotators: readonly string[], present: readonly boolean[], quorum: number): Cluster {
  const votes: { classId: ClassId; count: number }[] = [];
  for (const p of inputs) {
    const vote = votes.find((v) => v.classId === p.item.classId);
    if (vote) vote.count++;
    else votes.push({ classId: p.item.classId, count: 1 });
  }
  sortSmall(votes, (a, b) => b.count - a.count || cmp(a.classId, b.classId));
  const missing = annotators.filter((_, l) => !present[l]);
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
  /** The shapes: one list in any order, or already grouped by image (the check worker keeps them so). */
  readonly annotations: readonly CheckAnnotation[] | ReadonlyMap<ImageId, readonly CheckAnnotation[]>;
}

function byImageOf(annotations: AgreementInput['annotations']): ReadonlyMap<ImageId, readonly CheckAnnotation[]> {
  if (annotations instanceof Map) return annotations;
  const byImage = new Map<ImageId, CheckAnnotation[]>();
  for (const a of annotations as readonly CheckAnnotation[]) {
    const list = byImage.get(a.imageId);
    if (list) list.push(a);
    else byImage.set(a.imageId, [a]);
  }
  return byImage;
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
  const byImage = byImageOf(input.annotations);
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
    // Only missing and extra shapes (a few per image) need their class looked up.
    const classOf = (id: AnnotationId): ClassId => annotations.find((a) => a.id === id)!.classId;
    for (const name of agreement.annotators) annotatorSet.add(name);
    for (const { annotators, result } of agreement.pairs) {
      const key = annotators.join('\u0000');
      let total = pairTotals.get(key);
      if (!total) pairTotals.set(key, (total = { annotators, metrics: EMPTY_METRICS, confusion: new ConfusionCounter(), images: 0 }));
      total.metrics = addMetrics(total.metrics, result.metrics);
      total.confusion.addResult(result, classOf);
      total.images++;
      overallMetrics = addMetrics(overallMetrics, result.metrics);
      overallConfusion.addResult(result, classOf);
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
