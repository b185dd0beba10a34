/**
 * The agreement report as files a lead downloads (issue 11, "The agreement report itself
 * downloads as CSV and JSON (per image, per pair, per class)"), and the rows behind them, which
 * the Review view shows too. Pure: report and project records in, text out.
 *
 * Files (names in AGREEMENT_FILES):
 * - `agreement-images.csv`: one row per image two or more annotators drew on, worst agreement
 *   first (the review queue's order): image (file name), path, split, annotators (`; `-joined),
 *   mean_f1, disagreement (1 − mean_f1), then the findings summed over the image's pairs of
 *   annotators: missing, extra, label_mismatch, low_overlap, attribute_mismatch.
 * - `agreement-pairs.csv`: one row per pair of annotators (scope `pair`), then one row for all
 *   pairs together (scope `overall`, annotator cells empty): images, f1, mean_iou (empty when
 *   nothing matched), accuracy, shapes_a, shapes_b, tp, missing, extra, label_mismatch.
 * - `agreement-classes.csv`: one row per class of the project (then any class id the shapes use
 *   that the project no longer has, named by its id), then the row `unmatched`: class, alpha
 *   (Krippendorff's α of that class against the rest; empty when undefined), reading (reliable,
 *   tentative, unreliable, undefined), shapes (the class's shapes on compared images, every
 *   annotator), then the overall confusion row: `vs <label>` is how many objects the first
 *   annotator of a pair (names sorted) gave this class and the second gave <label>. Row
 *   `unmatched` counts the second annotator's extras, column `vs unmatched` the first's missing.
 * - `agreement.json`: everything above plus the settings, α overall, the overall and per-pair
 *   confusion matrices (labels by name and id) and the vote counts; numbers unrounded, null
 *   where a figure is undefined.
 *
 * CSV as the CSV exporter writes it (formats/csv.ts): UTF-8 with a byte-order mark, CRLF, RFC
 * 4180 quoting, and text cells that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`,
 * tab, CR) prefixed with `'`. Ratios have at most 4 decimals; counts are integers.
 */
import type { ClassId, ImageId, ImageRecord, LabelClass } from '../core/model';
import { textCell } from '../formats/csv';
import { encodeText, formatNumber } from '../formats/shared/text';
import type { AgreementFigures, AgreementOptions, AgreementSummary, DisagreementCounts, ImageSummary } from './agreement';
import type { AlphaResult } from './krippendorff';
import { UNMATCHED, type ConfusionLabel, type ConfusionMatrix, type MatchMetrics } from './match';

export const AGREEMENT_FILES = {
  images: 'agreement-images.csv',
  pairs: 'agreement-pairs.csv',
  classes: 'agreement-classes.csv',
  json: 'agreement.json',
} as const;

/** What the files need besides the report: names of classes and images, and the settings used. */
export interface AgreementFilesInput {
  readonly report: AgreementSummary;
  readonly classes: readonly Pick<LabelClass, 'id' | 'name'>[];
  readonly images: readonly Pick<ImageRecord, 'id' | 'fileName' | 'relativePath' | 'split'>[];
  readonly options: AgreementOptions;
}

export interface ImageRow {
  readonly imageId: ImageId;
  /** The image's file name; for an image no longer in the project, its id in brackets. */
  readonly fileName: string;
  readonly path: string;
  readonly split: string;
  readonly annotators: readonly string[];
  readonly meanF1: number;
  readonly disagreement: number;
  readonly counts: DisagreementCounts;
}

/** One row per compared image, in the review queue's order (worst first); the first `limit` only, when given. */
export function imageRows(report: AgreementSummary, images: AgreementFilesInput['images'], limit = Infinity): ImageRow[] {
  const queue = limit < report.queue.length ? report.queue.slice(0, limit) : report.queue;
  const wanted = new Set(queue);
  const records = new Map<ImageId, AgreementFilesInput['images'][number]>();
  for (const img of images) if (wanted.has(img.id)) records.set(img.id, img);
  const byId = new Map<ImageId, ImageSummary>();
  for (const a of report.images) if (wanted.has(a.imageId)) byId.set(a.imageId, a);
  return queue.map((id) => {
    const a = byId.get(id)!;
    const img = records.get(id);
    return {
      imageId: id,
      fileName: img?.fileName ?? `[${id}]`,
      path: img?.relativePath ?? '',
      split: img?.split ?? '',
      annotators: a.annotators,
      meanF1: a.meanF1,
      disagreement: a.disagreement,
      counts: a.counts,
    };
  });
}

/** A confusion label with the name it is shown by. */
export interface NamedLabel {
  readonly id: ConfusionLabel;
  readonly name: string;
}

/** Names of a matrix's labels: the class's name, a class gone from the project by its id, `unmatched`. */
export function namedLabels(matrix: ConfusionMatrix, classes: AgreementFilesInput['classes']): NamedLabel[] {
  const names = new Map<string, string>(classes.map((c) => [c.id, c.name]));
  return matrix.labels.map((id) => ({ id, name: id === UNMATCHED ? UNMATCHED : (names.get(id) ?? id) }));
}

export interface ClassRow {
  readonly label: NamedLabel;
  /** α of the class against the rest; null for the `unmatched` row and classes without one. */
  readonly alpha: AlphaResult | null;
  /** Shapes of the class on compared images, every annotator (0 for `unmatched`). */
  readonly shapes: number;
  /** The overall confusion matrix's row, in `labels` order. */
  readonly confusion: readonly number[];
}

/** Per class (and the unmatched row): α, shapes and the overall confusion row. */
export function classRows(report: AgreementSummary, classes: AgreementFilesInput['classes']): { readonly labels: readonly NamedLabel[]; readonly rows: readonly ClassRow[] } {
  const matrix = report.overall.confusion;
  const labels = namedLabels(matrix, classes);
  const alpha = new Map<string, AlphaResult>(report.alpha.perClass.map((c) => [c.classId, c.result]));
  const shapes = new Map<string, number>(report.shapesByClass.map((c) => [c.classId, c.shapes]));
  const rows = labels.map((label, i) => ({
    label,
    alpha: alpha.get(label.id) ?? null,
    shapes: label.id === UNMATCHED ? 0 : (shapes.get(label.id) ?? 0),
    confusion: matrix.counts[i]!,
  }));
  return { labels, rows };
}

// --- CSV ---------------------------------------------------------------------------------------

const BOM = '\ufeff';
const RATIO_DECIMALS = 4;
type Cell = string | number | null;

/** Text through the exporter's guard; numbers as digits (never prefixed); null as empty. */
const cell = (v: Cell): string => (v === null ? '' : typeof v === 'number' ? formatNumber(v, RATIO_DECIMALS) : textCell(v));

function csv(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [head.map(cell).join(','), ...rows.map((r) => r.map(cell).join(','))];
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

function imagesCsv(rows: readonly ImageRow[]): string {
  return csv(
    ['image', 'path', 'split', 'annotators', 'mean_f1', 'disagreement', 'missing', 'extra', 'label_mismatch', 'low_overlap', 'attribute_mismatch'],
    rows.map((r) => [
      r.fileName,
      r.path,
      r.split,
      r.annotators.join('; '),
      r.meanF1,
      r.disagreement,
      r.counts.missing,
      r.counts.extra,
      r.counts.labelMismatch,
      r.counts.lowOverlap,
      r.counts.attributeMismatch,
    ]),
  );
}

const metricCells = (f: AgreementFigures): Cell[] => [f.f1, f.meanIoU, f.accuracy, f.metrics.sizeA, f.metrics.sizeB, f.metrics.tp, f.metrics.missing, f.metrics.extra, f.metrics.mismatches];

function pairsCsv(report: AgreementSummary): string {
  return csv(
    ['scope', 'annotator_a', 'annotator_b', 'images', 'f1', 'mean_iou', 'accuracy', 'shapes_a', 'shapes_b', 'tp', 'missing', 'extra', 'label_mismatch'],
    [
      ...report.pairs.map((p) => ['pair', p.annotators[0], p.annotators[1], p.images, ...metricCells(p)]),
      ['overall', null, null, report.images.length, ...metricCells(report.overall)],
    ],
  );
}

function classesCsv(report: AgreementSummary, classes: AgreementFilesInput['classes']): string {
  const { labels, rows } = classRows(report, classes);
  return csv(
    ['class', 'alpha', 'reading', 'shapes', ...labels.map((l) => `vs ${l.name}`)],
    rows.map((r) => [r.label.name, r.alpha?.alpha ?? null, r.alpha?.reading ?? null, r.shapes, ...r.confusion]),
  );
}

// --- JSON --------------------------------------------------------------------------------------

const metricsJson = (m: MatchMetrics) => ({ shapesA: m.sizeA, shapesB: m.sizeB, tp: m.tp, missing: m.missing, extra: m.extra, labelMismatch: m.mismatches });
const confusionJson = (matrix: ConfusionMatrix, classes: AgreementFilesInput['classes']) => ({ labels: namedLabels(matrix, classes), counts: matrix.counts });
const figuresJson = (f: AgreementFigures, classes: AgreementFilesInput['classes']) => ({
  f1: f.f1,
  meanIoU: f.meanIoU,
  accuracy: f.accuracy,
  ...metricsJson(f.metrics),
  confusion: confusionJson(f.confusion, classes),
});

function agreementJson(input: AgreementFilesInput): string {
  const { report, classes, options } = input;
  const { rows } = classRows(report, classes);
  const doc = {
    format: 'tally-agreement',
    version: 1,
    settings: { iouThreshold: options.iouThreshold, lowOverlapThreshold: options.lowOverlapThreshold, quorum: options.quorum },
    annotators: report.annotators,
    overall: { images: report.images.length, ...figuresJson(report.overall, classes), alpha: report.alpha.overall },
    pairs: report.pairs.map((p) => ({ annotators: p.annotators, images: p.images, ...figuresJson(p, classes) })),
    classes: rows
      .filter((r) => r.label.id !== UNMATCHED)
      .map((r) => ({ id: r.label.id as ClassId, name: r.label.name, alpha: r.alpha, shapes: r.shapes })),
    images: imageRows(report, input.images).map((r) => ({
      id: r.imageId,
      fileName: r.fileName,
      path: r.path,
      split: r.split,
      annotators: r.annotators,
      meanF1: r.meanF1,
      disagreement: r.disagreement,
      ...r.counts,
    })),
    failedVotes: report.failedVotes,
    minorityMissing: report.minorityMissing,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Every file's text, by name (see the module comment). */
export function agreementTexts(input: AgreementFilesInput): ReadonlyMap<string, string> {
  return new Map([
    [AGREEMENT_FILES.images, imagesCsv(imageRows(input.report, input.images))],
    [AGREEMENT_FILES.pairs, pairsCsv(input.report)],
    [AGREEMENT_FILES.classes, classesCsv(input.report, input.classes)],
    [AGREEMENT_FILES.json, agreementJson(input)],
  ]);
}

/** The files as UTF-8 bytes, ready for a zip or separate downloads. */
export function agreementFiles(input: AgreementFilesInput): ReadonlyMap<string, Uint8Array> {
  return new Map([...agreementTexts(input)].map(([name, text]) => [name, encodeText(text)]));
}
