/**
 * Running the checker: a full check in chunks (for a worker: progress between chunks, cancel
 * between chunks), and an incremental re-check after edits.
 *
 * Rules come in two kinds:
 * - per image (shape validity, same-layer overlaps, agreement, unlabeled, odd aspect, pixel
 *   properties): their result depends only on the image record, its annotations, its features,
 *   the project's classes and the settings. The state keeps each image's result, so a re-check
 *   re-runs them only for the images an edit touched;
 * - project-wide (class names, coverage, duplicates and leakage, outliers, odd size): re-run on
 *   every re-check from the per-image summaries kept in the state, each in one linear pass
 *   (duplicate groups are re-found only when a touched image's hashes changed).
 *
 * Invariant (property-tested): recheck(state, snapshot, touched) returns the same report as a
 * full check of snapshot, provided `touched` names every image whose record, annotations or
 * features changed since `state` was made (added and removed images are found either way).
 */
import type { CheckAnnotation } from './types';
import type { ClassId, ImageId, ImageRecord } from '../core/model';
import { imageContext } from './imageContext';
import { compareIssues } from './issue';
import { agreementIssues } from './rules/agreement';
import { classNameIssues, unusedClassIssues } from './rules/classNames';
import { coverageIssues, EMPTY_COVERAGE, oddAspectIssue, unlabeledIssue, updateCoverage, type CoverageTotals, type ImageCounts } from './rules/coverage';
import { duplicateGroupIssue, duplicateLabelConflicts, findDuplicateGroups } from './rules/duplicates';
import { imagePropertyIssues, oddSizeIssues } from './rules/imageProperties';
import { EMPTY_OUTLIER_INDEX, outlierSamples, updateOutlierIndex, type OutlierIndex, type OutlierSample } from './rules/outliers';
import { sameLayerOverlapIssues, shapeValidityIssues } from './rules/shapes';
import { validateQualitySettings, type QualitySettings } from './settings';
import { RULE_IDS, type CheckReport, type CheckSnapshot, type CheckSummary, type ImageFeatures, type Issue, type RuleId } from './types';

/** What the state keeps of one checked image. */
interface ImageResult {
  readonly image: ImageRecord;
  readonly pixelSha256: string | undefined;
  /** The image's annotations in id order (duplicate-label conflicts read them). */
  readonly annotations: readonly CheckAnnotation[];
  readonly issues: readonly Issue[];
  readonly counts: ImageCounts;
  readonly samples: readonly OutlierSample[];
}

/**
 * Everything a re-check needs from the previous run. Opaque to callers: keep it beside the
 * report and pass it to recheck. Plain data (Maps and arrays), so it survives in a worker.
 */
export interface CheckState {
  readonly settings: QualitySettings;
  /** Class ids and names: per-image results name classes, so a rename re-runs every image. */
  readonly classSignature: string;
  readonly perImage: ReadonlyMap<ImageId, ImageResult>;
  /** Duplicate groups (ids, import order); still valid while no image's hashes change. */
  readonly duplicateGroups: readonly (readonly ImageId[])[];
  /** Outlier samples and issues per class, updated for the classes an edit touched. */
  readonly outliers: OutlierIndex;
  /** Coverage sums, updated by the re-checked images' old and new contributions. */
  readonly coverage: CoverageTotals;
  /** Image ids in import order (re-sorted only when images come or go). */
  readonly order: readonly ImageId[];
}

export interface CheckRun {
  readonly report: CheckReport;
  readonly state: CheckState;
}

export interface CheckProgress {
  readonly phase: 'images' | 'project';
  /** Images checked so far, of total. */
  readonly done: number;
  readonly total: number;
}

export interface RunOptions {
  readonly onProgress?: (p: CheckProgress) => void;
  /** Asked between chunks; true stops the run (the outcome is 'cancelled'). */
  readonly isCancelled?: () => boolean;
  /**
   * Awaited between chunks, so that a worker can receive its cancel message (e.g.
   * `() => new Promise((r) => setTimeout(r, 0))`). Without it chunks follow each other at once.
   */
  readonly pause?: () => Promise<void>;
  /** Images per chunk (default 500: a few milliseconds of work). */
  readonly chunkSize?: number;
}

export type RunOutcome =
  | { readonly status: 'done'; readonly report: CheckReport; readonly state: CheckState }
  | { readonly status: 'cancelled' }
  | { readonly status: 'invalid-settings'; readonly message: string };

const classSignatureOf = (s: CheckSnapshot): string => JSON.stringify(s.project.classes.map((c) => [c.id, c.name]));
const classNamesOf = (s: CheckSnapshot): Map<ClassId, string> => new Map(s.project.classes.map((c) => [c.id, c.name]));

function checkImage(
  image: ImageRecord,
  annotations: readonly CheckAnnotation[],
  classNames: ReadonlyMap<ClassId, string>,
  settings: QualitySettings,
  features: ImageFeatures | undefined,
): ImageResult {
  const ctx = imageContext(image, annotations, classNames, settings, features);
  const issues: Issue[] = [...shapeValidityIssues(ctx), ...sameLayerOverlapIssues(ctx), ...agreementIssues(ctx), ...imagePropertyIssues(ctx)];
  const unlabeled = unlabeledIssue(ctx);
  if (unlabeled) issues.push(unlabeled);
  const aspect = oddAspectIssue(ctx);
  if (aspect) issues.push(aspect);
  issues.sort(compareIssues(() => image.seq));
  const classCounts = new Map<ClassId, number>();
  for (const a of ctx.annotations) classCounts.set(a.classId, (classCounts.get(a.classId) ?? 0) + 1);
  return {
    image,
    pixelSha256: features?.pixelSha256,
    annotations: ctx.annotations,
    issues,
    counts: { shapes: ctx.annotations.length, classCounts },
    samples: outlierSamples(ctx),
  };
}

/** Annotations grouped by image, only for `wanted` images (all when null). */
function annotationsByImage(annotations: readonly CheckAnnotation[], wanted: ReadonlySet<ImageId> | null): Map<ImageId, CheckAnnotation[]> {
  const out = new Map<ImageId, CheckAnnotation[]>();
  for (const a of annotations) {
    if (wanted && !wanted.has(a.imageId)) continue;
    const list = out.get(a.imageId);
    if (list) list.push(a);
    else out.set(a.imageId, [a]);
  }
  return out;
}

const NONE: readonly CheckAnnotation[] = [];

/** The full check as a sequence of chunks: yields progress after each, returns the run. */
export function* checkSteps(snapshot: CheckSnapshot, settings: QualitySettings, chunkSize = 500): Generator<CheckProgress, CheckRun> {
  const classNames = classNamesOf(snapshot);
  const byImage = annotationsByImage(snapshot.annotations, null);
  const perImage = new Map<ImageId, ImageResult>();
  const total = snapshot.images.length;
  for (let start = 0; start < total; start += chunkSize) {
    const end = Math.min(total, start + chunkSize);
    for (let i = start; i < end; i++) {
      const image = snapshot.images[i]!;
      perImage.set(image.id, checkImage(image, byImage.get(image.id) ?? NONE, classNames, settings, snapshot.features?.get(image.id)));
    }
    yield { phase: 'images', done: end, total };
  }
  yield { phase: 'project', done: total, total };
  const groups = findDuplicateGroups(snapshot.images, snapshot.features, settings).map((g) => g.map((img) => img.id));
  const records = new Map(snapshot.images.map((img) => [img.id, img]));
  const samples = new Map([...perImage].map(([id, r]) => [id, r.samples]));
  const outliers = updateOutlierIndex(EMPTY_OUTLIER_INDEX, samples, () => [], classNames, settings);
  const coverage = updateCoverage(EMPTY_COVERAGE, [], perImage.values());
  const order = importOrder(snapshot.images);
  return finish(snapshot, { settings, classSignature: classSignatureOf(snapshot), perImage, duplicateGroups: groups, outliers, coverage, order }, records);
}

/** A full check, at once (tests, small projects, and the property test's reference). */
export function checkNow(snapshot: CheckSnapshot, settings: QualitySettings): CheckRun {
  const steps = checkSteps(snapshot, settings, Number.MAX_SAFE_INTEGER);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The full check for a worker: chunked, with progress, cancellable between chunks. */
export async function runCheck(snapshot: CheckSnapshot, settings: QualitySettings, options: RunOptions = {}): Promise<RunOutcome> {
  const valid = validateQualitySettings(settings);
  if (!valid.ok) return { status: 'invalid-settings', message: valid.message };
  const steps = checkSteps(snapshot, settings, Math.max(1, options.chunkSize ?? 500));
  for (;;) {
    if (options.isCancelled?.()) return { status: 'cancelled' };
    const step = steps.next();
    if (step.done) return { status: 'done', ...step.value };
    options.onProgress?.(step.value);
    if (options.pause) await options.pause();
  }
}

/** Has anything that duplicate grouping reads changed between the two records? */
function hashesChanged(before: ImageResult | undefined, after: ImageRecord | undefined, afterPixels: string | undefined): boolean {
  if (!before || !after) return before !== after;
  const b = before.image;
  return b.sha256 !== after.sha256 || b.phash !== after.phash || b.phashMirrored !== after.phashMirrored || before.pixelSha256 !== afterPixels;
}

/**
 * The report after edits, re-running per-image rules only for `touched` images (and any image
 * added or removed since `state`); see the module comment for the contract. If the project's
 * classes changed (added, removed, renamed), every image is re-run.
 */
export function recheck(state: CheckState, snapshot: CheckSnapshot, touched: Iterable<ImageId>): CheckRun {
  const settings = state.settings;
  const classSignature = classSignatureOf(snapshot);
  if (classSignature !== state.classSignature) return checkNow(snapshot, settings);

  const current = new Map<ImageId, ImageRecord>(snapshot.images.map((img) => [img.id, img]));
  const redo = new Set<ImageId>(touched);
  for (const id of current.keys()) if (!state.perImage.has(id)) redo.add(id);
  for (const id of state.perImage.keys()) if (!current.has(id)) redo.add(id);

  const perImage = new Map(state.perImage);
  let groupsDirty = false;
  const classNames = classNamesOf(snapshot);
  const byImage = annotationsByImage(snapshot.annotations, redo);
  const samples = new Map<ImageId, readonly OutlierSample[]>();
  for (const id of redo) {
    const image = current.get(id);
    const features = snapshot.features?.get(id);
    if (hashesChanged(state.perImage.get(id), image, features?.pixelSha256)) groupsDirty = true;
    if (!image) {
      perImage.delete(id);
      samples.set(id, []);
    } else {
      const result = checkImage(image, byImage.get(id) ?? NONE, classNames, settings, features);
      perImage.set(id, result);
      samples.set(id, result.samples);
    }
  }
  const outliers = updateOutlierIndex(state.outliers, samples, (id) => state.perImage.get(id)?.samples ?? [], classNames, settings);
  const old = (id: ImageId): ImageResult[] => {
    const r = state.perImage.get(id);
    return r ? [r] : [];
  };
  const coverage = updateCoverage(
    state.coverage,
    [...redo].flatMap(old),
    [...redo].flatMap((id) => {
      const r = perImage.get(id);
      return r ? [r] : [];
    }),
  );
  const reorder = [...redo].some((id) => !current.has(id) || !state.perImage.has(id) || state.perImage.get(id)!.image.seq !== current.get(id)!.seq);
  const order = reorder ? importOrder(snapshot.images) : state.order;
  const groups = groupsDirty
    ? findDuplicateGroups(snapshot.images, snapshot.features, settings).map((g) => g.map((img) => img.id))
    : state.duplicateGroups;
  return finish(snapshot, { settings, classSignature, perImage, duplicateGroups: groups, outliers, coverage, order }, current);
}

/**
 * Project-wide rules over the per-image results, and the report. Order: project-wide issues
 * (severity, rule, first image, key), then each image's issues in import order (severity, rule,
 * key) — the same for a full check and a re-check, without sorting every issue again.
 */
function finish(snapshot: CheckSnapshot, state: CheckState, records: ReadonlyMap<ImageId, ImageRecord>): CheckRun {
  const { settings, perImage, coverage } = state;
  const project: Issue[] = [
    ...classNameIssues(snapshot.project, coverage.totals),
    ...unusedClassIssues(snapshot.project, coverage.totals),
    ...coverageIssues(snapshot.project, coverage, settings),
    ...[...state.outliers.issues.values()].flat(),
    ...oddSizeIssues(snapshot.images, settings),
  ];
  for (const ids of state.duplicateGroups) {
    // The current records: splits may have changed without touching the hashes.
    const group = ids.map((id) => records.get(id)!);
    project.push(duplicateGroupIssue(group, snapshot.features, settings));
    project.push(...duplicateLabelConflicts(group, (id) => perImage.get(id)?.annotations ?? NONE, settings));
  }
  project.sort(compareIssues((id) => records.get(id)?.seq ?? Number.MAX_SAFE_INTEGER));
  // One allocation of the final size: growing a large array step by step copies it again and again.
  const results = state.order.map((id) => perImage.get(id)!);
  let count = project.length;
  for (const r of results) count += r.issues.length;
  const issues = new Array<Issue>(count);
  let at = 0;
  for (const issue of project) issues[at++] = issue;
  for (const r of results) for (const issue of r.issues) issues[at++] = issue;
  return { report: { issues, summary: summarize(issues, state.order.length, coverage.shapes) }, state };
}

function importOrder(images: readonly ImageRecord[]): ImageId[] {
  return [...images].sort((a, b) => a.seq - b.seq).map((img) => img.id);
}

function summarize(issues: readonly Issue[], images: number, annotations: number): CheckSummary {
  const byRule = Object.fromEntries(RULE_IDS.map((r) => [r, 0])) as Record<RuleId, number>;
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const issue of issues) {
    byRule[issue.rule]++;
    if (issue.severity === 'error') errors++;
    else if (issue.severity === 'warning') warnings++;
    else infos++;
  }
  return { images, annotations, errors, warnings, infos, byRule };
}
