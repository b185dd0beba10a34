/**
 * What the Dataset overview's charts show, derived from a DatasetOverview for one split filter:
 * per-class figures joined with the project's current classes (names, colours, order), sums over
 * the chosen splits, bin labels, palettes and the words of the text alternatives. Pure (no React),
 * so the components only lay these out.
 */
import { SPLITS, type ClassId, type ImageStatus, type LabelClass, type Split } from '../../core/model';
import { ASPECT_BIN_EDGES, OBJECTS_CAP, type ClassSplitFigures, type DatasetOverview } from '../../quality/overview';

/** Which images the charts count: every split, or one. */
export type SplitFilter = 'all' | Split;
export const SPLIT_FILTERS: readonly SplitFilter[] = ['all', ...SPLITS];

export const fmt = (n: number): string => n.toLocaleString('en');
export const plural = (n: number, one: string, many = `${one}s`): string => `${fmt(n)} ${n === 1 ? one : many}`;
/** A share as a whole percentage ("0%" only for exactly none, "<1%" for a sliver). */
export const percent = (part: number, whole: number): string => {
  if (whole <= 0 || part <= 0) return '0%';
  const p = (part / whole) * 100;
  return p < 1 ? '<1%' : `${Math.round(p)}%`;
};

/** The splits a filter covers, in SPLITS order. */
export const splitsOf = (filter: SplitFilter): readonly Split[] => (filter === 'all' ? SPLITS : [filter]);
/** "all splits" or "the train split", for sentences. */
export const filterWords = (filter: SplitFilter): string => (filter === 'all' ? 'all splits' : `the ${filter} split`);

/**
 * Fixed palettes that hold at least 3:1 against the dark panels (--panel #1c1f26), so marks stay
 * visible without their labels. Splits follow Okabe–Ito hues (told apart with colour-blindness);
 * statuses reuse the image list's status dots; sizes are one ramp, light (small) to deep (large).
 */
export const SPLIT_COLORS: Readonly<Record<Split, string>> = { train: '#56b4e9', val: '#e69f00', test: '#cc79a7', unassigned: '#8b93a1' };
export const STATUS_COLORS: Readonly<Record<ImageStatus, string>> = { new: '#9aa2b1', in_progress: '#f5b942', done: '#46c281', needs_review: '#ff6b6b' };
export const SIZE_COLORS = ['#c9b8f5', '#9a7bea', '#7357d1'] as const;
/** Per SIZE_BINS entry: COCO's areas in px². */
export const SIZE_LABELS = ['Small (< 32²)', 'Medium (32²–96²)', 'Large (≥ 96²)'] as const;
/** Columns of the histograms. */
export const COLUMN_COLOR = '#7aaaff';
/** Shown for a class that the project no longer has (deleted after the figures were computed). */
const GONE_CLASS_COLOR = '#9aa2b1';

/** Ranges of the aspect bins, from ASPECT_BIN_EDGES: "< 0.25", "0.25–0.4", …, "≥ 4". */
export const ASPECT_LABELS: readonly string[] = [
  `< ${ASPECT_BIN_EDGES[0]}`,
  ...ASPECT_BIN_EDGES.slice(1).map((edge, i) => `${ASPECT_BIN_EDGES[i]}–${edge}`),
  `≥ ${ASPECT_BIN_EDGES[ASPECT_BIN_EDGES.length - 1]}`,
];
/** Objects-per-image bins: "0", "1", …, "19", "20+". */
export const OBJECTS_LABELS: readonly string[] = Array.from({ length: OBJECTS_CAP + 1 }, (_, k) => (k === OBJECTS_CAP ? `${k}+` : String(k)));

export interface ClassFigures {
  readonly id: ClassId;
  readonly name: string;
  /** `#rrggbb`. */
  readonly color: string;
  /** Instances in each split, whatever the filter. */
  readonly bySplit: Readonly<Record<Split, number>>;
  /** The class's figures summed over the filter's splits. */
  readonly figures: ClassSplitFigures;
}

const addInto = (into: number[], values: readonly number[]): void => {
  values.forEach((v, i) => (into[i] = (into[i] ?? 0) + v));
};
export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Element-wise sum of figures (the empty sum is all zeros of the overview's shapes). */
export function sumFigures(list: readonly ClassSplitFigures[], template: ClassSplitFigures): ClassSplitFigures {
  const sizeBins = template.sizeBins.map(() => 0);
  const aspectBins = template.aspectBins.map(() => 0);
  const heatmap = template.heatmap.map(() => 0);
  let instances = 0;
  for (const f of list) {
    instances += f.instances;
    addInto(sizeBins, f.sizeBins);
    addInto(aspectBins, f.aspectBins);
    addInto(heatmap, f.heatmap);
  }
  return { instances, sizeBins, aspectBins, heatmap };
}

/**
 * The overview's classes in the project's current order, with current names and colours; a class
 * the project no longer has keeps its computed name, a grey colour and goes last. Classes added
 * after the figures were computed have no figures and are not listed.
 */
export function classFigures(overview: DatasetOverview, classes: readonly LabelClass[], filter: SplitFilter): ClassFigures[] {
  const position = new Map(classes.map((c, i) => [c.id, i]));
  const computedName = new Map(overview.classes.map((c) => [c.id, c.name]));
  const rank = (id: ClassId) => position.get(id) ?? classes.length;
  const ordered = overview.perClass.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p.classId) - rank(b.p.classId) || a.i - b.i);
  return ordered.map(({ p }) => {
    const current = classes[position.get(p.classId) ?? -1];
    const first = p.splits[SPLITS[0]];
    return {
      id: p.classId,
      name: current?.name ?? computedName.get(p.classId) ?? String(p.classId),
      color: current?.color ?? GONE_CLASS_COLOR,
      bySplit: Object.fromEntries(SPLITS.map((s) => [s, p.splits[s].instances])) as Record<Split, number>,
      figures: sumFigures(
        splitsOf(filter).map((s) => p.splits[s]),
        first,
      ),
    };
  });
}

/** Images with k objects at index k (the last: OBJECTS_CAP or more), over the filter's splits. */
export function objectsPerImage(overview: DatasetOverview, filter: SplitFilter): number[] {
  const counts = new Array<number>(OBJECTS_CAP + 1).fill(0);
  for (const s of splitsOf(filter)) addInto(counts, overview.objectsPerImage[s]);
  return counts;
}

export const imagesIn = (overview: DatasetOverview, filter: SplitFilter): number => sum(splitsOf(filter).map((s) => overview.imagesBySplit[s]));

/** The smallest k with at least half the images at k or fewer objects (null for no images). */
export function medianBin(counts: readonly number[]): number | null {
  const total = sum(counts);
  if (total === 0) return null;
  let seen = 0;
  for (let k = 0; k < counts.length; k++) {
    seen += counts[k]!;
    if (seen * 2 >= total) return k;
  }
  return counts.length - 1;
}

/** The first index holding the largest value (−1 for an empty list). */
export function argMax(values: readonly number[]): number {
  let best = -1;
  values.forEach((v, i) => {
    if (best < 0 || v > values[best]!) best = i;
  });
  return best;
}

/** "label value" pairs for the non-zero entries, for aria-labels: "< 0.25: 3, 0.8–1.25: 40". */
export const listNonZero = (labels: readonly string[], values: readonly number[]): string =>
  values
    .map((v, i) => (v > 0 ? `${labels[i]}: ${fmt(v)}` : null))
    .filter((s): s is string => s !== null)
    .join(', ');
