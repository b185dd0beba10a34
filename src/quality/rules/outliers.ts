/**
 * Size and aspect outliers per class (QUALITY.md): log(area / image area) and log(w / h) of the
 * bounds, outside Tukey's fences [Q1 − k·IQR, Q3 + k·IQR] of that class's values (k = 3 by
 * default: "far out"). Logs make the fences symmetric for "ten times too big" and "ten times
 * too small".
 */
import type { AnnotationId, ClassId, ImageId } from '../../core/model';
import type { ImageContext } from '../imageContext';
import { makeIssue, num, pct } from '../issue';
import type { QualitySettings } from '../settings';
import type { Issue } from '../types';

/** One shape's measurements; made per image, pooled per class across the project. */
export interface OutlierSample {
  readonly id: AnnotationId;
  readonly imageId: ImageId;
  readonly annotator: string;
  readonly classId: ClassId;
  /** ln(shape area / image area). */
  readonly logArea: number;
  /** ln(bounds width / bounds height). */
  readonly logAspect: number;
}

/** Samples of the usable shapes of an image (shapes with no area have their own issues). */
export function outlierSamples(ctx: ImageContext): OutlierSample[] {
  const imageArea = ctx.image.width * ctx.image.height;
  const out: OutlierSample[] = [];
  ctx.annotations.forEach((a, i) => {
    const p = ctx.prepared[i]!;
    const w = p.x1 - p.x0;
    const h = p.y1 - p.y0;
    if (!p.usable || !(w > 0 && h > 0) || !(imageArea > 0)) return;
    out.push({ id: a.id, imageId: a.imageId, annotator: a.annotator, classId: a.classId, logArea: Math.log(p.area / imageArea), logAspect: Math.log(w / h) });
  });
  return out;
}

/** The q-quantile of n ascending values read by `at`, linear between order statistics (R's type 7, NumPy's default). */
export function quantile(n: number, at: (i: number) => number, q: number): number {
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const low = at(lo);
  return low + (at(hi) - low) * (pos - lo);
}

/** Tukey's fences [Q1 − k·IQR, Q3 + k·IQR] of n ascending values read by `at`. */
export function fences(n: number, at: (i: number) => number, k: number): [number, number] {
  const q1 = quantile(n, at, 0.25);
  const q3 = quantile(n, at, 0.75);
  const iqr = q3 - q1;
  return [q1 - k * iqr, q3 + k * iqr];
}

type Measure = (s: OutlierSample) => number;
const AREA: Measure = (s) => s.logArea;
const ASPECT: Measure = (s) => s.logAspect;

/** A run of a column: values ascending, refs[i] measured values[i]. */
interface Chunk {
  readonly values: Float64Array;
  readonly refs: readonly OutlierSample[];
}

/**
 * A class's samples in ascending order of one measurement, kept as a list of sorted chunks of at
 * most CHUNK values. An edit copies the chunk list and the one chunk it changes, never the whole
 * column: large arrays are costly to allocate (a fresh column of 25,000 took milliseconds), small
 * ones are not. Columns are never changed in place, so earlier states stay valid.
 */
interface Column {
  readonly chunks: readonly Chunk[];
  readonly size: number;
}

const CHUNK = 512;
const EMPTY_COLUMN: Column = { chunks: [], size: 0 };

/** The measures of the samples (a plain loop: Float64Array.from with a mapping function is many times slower). */
function measures(refs: readonly OutlierSample[], measure: Measure): Float64Array {
  const out = new Float64Array(refs.length);
  for (let i = 0; i < refs.length; i++) out[i] = measure(refs[i]!);
  return out;
}

function columnFromSorted(refs: readonly OutlierSample[], measure: Measure): Column {
  const chunks: Chunk[] = [];
  for (let i = 0; i < refs.length; i += CHUNK / 2) {
    const part = refs.slice(i, i + CHUNK / 2);
    chunks.push({ values: measures(part, measure), refs: part });
  }
  return { chunks, size: refs.length };
}

/** The chunk holding value v (the first whose last value is ≥ v; the last chunk if none). */
function chunkFor(chunks: readonly Chunk[], v: number): number {
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = chunks[mid]!;
    if (c.values[c.values.length - 1]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function removeFrom(col: Column, ref: OutlierSample, v: number): Column {
  for (let c = chunkFor(col.chunks, v); c < col.chunks.length; c++) {
    const chunk = col.chunks[c]!;
    if (chunk.values[0]! > v) break;
    const i = chunk.refs.indexOf(ref);
    if (i < 0) continue;
    const chunks = [...col.chunks];
    if (chunk.refs.length === 1) chunks.splice(c, 1);
    else {
      const values = new Float64Array(chunk.values.length - 1);
      values.set(chunk.values.subarray(0, i));
      values.set(chunk.values.subarray(i + 1), i);
      const refs = chunk.refs.slice();
      refs.splice(i, 1);
      chunks[c] = { values, refs };
    }
    return { chunks, size: col.size - 1 };
  }
  return col;
}

function insertInto(col: Column, ref: OutlierSample, v: number): Column {
  if (col.chunks.length === 0) return { chunks: [{ values: Float64Array.of(v), refs: [ref] }], size: 1 };
  const c = chunkFor(col.chunks, v);
  const chunk = col.chunks[c]!;
  let i = 0;
  while (i < chunk.values.length && chunk.values[i]! <= v) i++;
  const values = new Float64Array(chunk.values.length + 1);
  values.set(chunk.values.subarray(0, i));
  values[i] = v;
  values.set(chunk.values.subarray(i), i + 1);
  const refs = chunk.refs.slice();
  refs.splice(i, 0, ref);
  const chunks = [...col.chunks];
  if (refs.length <= CHUNK) chunks[c] = { values, refs };
  else {
    const half = refs.length >> 1;
    chunks.splice(c, 1, { values: values.slice(0, half), refs: refs.slice(0, half) }, { values: values.slice(half), refs: refs.slice(half) });
  }
  return { chunks, size: col.size + 1 };
}

/**
 * Indices 0…n−1 ordered by ascending values (ties in index order): an LSD radix sort on the
 * doubles' bits made order-preserving (sign bit flipped for positives, every bit for
 * negatives), 11 bits a pass. Exact, O(n), and several times faster than comparison sorts for
 * the tens of thousands of shapes a class can have. Values must not be NaN.
 */
export function argsortValues(values: Float64Array): Uint32Array {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2); // little-endian: [lo, hi] per value
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1]!;
    const negative = h >>> 31 === 1;
    lo[i] = negative ? ~words[2 * i]! >>> 0 : words[2 * i]!;
    hi[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
  }
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Uint32Array(n);
  const counts = new Uint32Array(2048);
  // 64 bits in passes of 11: bits 0–10, 11–21, 22–31 of lo, then the same of hi.
  const passes: [Uint32Array, number, number][] = [
    [lo, 0, 11],
    [lo, 11, 11],
    [lo, 22, 10],
    [hi, 0, 11],
    [hi, 11, 11],
    [hi, 22, 10],
  ];
  for (const [key, shift, bits] of passes) {
    const mask = (1 << bits) - 1;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(key[i]! >>> shift) & mask]!++;
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const idx = order[i]!;
      next[counts[(key[idx]! >>> shift) & mask]!++] = idx;
    }
    [order, next] = [next, order];
  }
  return order;
}

/** The samples in ascending order of their measure. */
function sortByMeasure(refs: readonly OutlierSample[], measure: Measure): OutlierSample[] {
  const order = argsortValues(measures(refs, measure));
  const out: OutlierSample[] = [];
  for (let i = 0; i < order.length; i++) out.push(refs[order[i]!]!);
  return out;
}

/** The column without `removed` and with `added`; rebuilt (one sort) when much of it changes. */
function updateColumn(col: Column, removed: readonly OutlierSample[], added: readonly OutlierSample[], measure: Measure): Column {
  if (added.length > CHUNK && added.length > col.size / 4) {
    const gone = new Set(removed);
    const all: OutlierSample[] = [];
    for (const chunk of col.chunks) for (const r of chunk.refs) if (!gone.has(r)) all.push(r);
    for (const r of added) all.push(r);
    return columnFromSorted(sortByMeasure(all, measure), measure);
  }
  let out = col;
  for (const r of removed) out = removeFrom(out, r, measure(r));
  for (const r of added) out = insertInto(out, r, measure(r));
  return out;
}

/** Value at index i of the column (a walk over the chunk list: tens of chunks). */
function valueAt(col: Column, i: number): number {
  let rest = i;
  for (const chunk of col.chunks) {
    if (rest < chunk.values.length) return chunk.values[rest]!;
    rest -= chunk.values.length;
  }
  return Number.NaN;
}

/** The samples outside [low, high]: from the two ends of the column. */
function outside(col: Column, low: number, high: number): OutlierSample[] {
  const out: OutlierSample[] = [];
  outer: for (const chunk of col.chunks) {
    for (let i = 0; i < chunk.values.length; i++) {
      if (!(chunk.values[i]! < low)) break outer;
      out.push(chunk.refs[i]!);
    }
  }
  outer: for (let c = col.chunks.length - 1; c >= 0; c--) {
    const chunk = col.chunks[c]!;
    for (let i = chunk.values.length - 1; i >= 0; i--) {
      if (!(chunk.values[i]! > high)) break outer;
      out.push(chunk.refs[i]!);
    }
  }
  return out;
}

interface ClassColumns {
  readonly area: Column;
  readonly aspect: Column;
}

/**
 * Per class, its samples sorted by each measurement, and the issues they gave. Kept in the check
 * state so that a re-check redoes only the classes whose samples an edit changed.
 */
export interface OutlierIndex {
  readonly byClass: ReadonlyMap<ClassId, ClassColumns>;
  readonly issues: ReadonlyMap<ClassId, readonly Issue[]>;
}

export const EMPTY_OUTLIER_INDEX: OutlierIndex = { byClass: new Map(), issues: new Map() };

/**
 * The index after the samples of some images changed: `changed` maps each re-checked image to
 * its new samples (empty for a removed image), `previous` gives its old ones.
 */
export function updateOutlierIndex(
  index: OutlierIndex,
  changed: ReadonlyMap<ImageId, readonly OutlierSample[]>,
  previous: (id: ImageId) => readonly OutlierSample[],
  classNames: ReadonlyMap<ClassId, string>,
  settings: QualitySettings,
): OutlierIndex {
  const removed = new Map<ClassId, OutlierSample[]>();
  const added = new Map<ClassId, OutlierSample[]>();
  for (const [imageId, samples] of changed) {
    for (const s of previous(imageId)) {
      let list = removed.get(s.classId);
      if (!list) removed.set(s.classId, (list = []));
      list.push(s);
    }
    for (const s of samples) {
      let list = added.get(s.classId);
      if (!list) added.set(s.classId, (list = []));
      list.push(s);
    }
  }
  const byClass = new Map(index.byClass);
  const issues = new Map(index.issues);
  const none: OutlierSample[] = [];
  for (const classId of new Set([...removed.keys(), ...added.keys()])) {
    const old = index.byClass.get(classId);
    const gone = removed.get(classId) ?? none;
    const fresh = added.get(classId) ?? [];
    const columns = { area: updateColumn(old?.area ?? EMPTY_COLUMN, gone, fresh, AREA), aspect: updateColumn(old?.aspect ?? EMPTY_COLUMN, gone, fresh, ASPECT) };
    if (columns.area.size === 0) {
      byClass.delete(classId);
      issues.delete(classId);
    } else {
      byClass.set(classId, columns);
      issues.set(classId, classOutlierIssues(classId, columns, classNames, settings));
    }
  }
  return { byClass, issues };
}

/** The outlier issues of one class. */
function classOutlierIssues(classId: ClassId, columns: ClassColumns, classNames: ReadonlyMap<ClassId, string>, settings: QualitySettings): Issue[] {
  const name = classNames.get(classId);
  if (name === undefined || columns.area.size < settings.outlierMinInstances) return [];
  const k = settings.outlierIqrFactor;
  const quoted = `“${name}”`;
  const [aLow, aHigh] = fences(columns.area.size, (i) => valueAt(columns.area, i), k);
  const [rLow, rHigh] = fences(columns.aspect.size, (i) => valueAt(columns.aspect, i), k);
  const common = (s: OutlierSample) => ({
    imageIds: [s.imageId],
    annotationIds: [s.id],
    annotators: [s.annotator],
    classIds: [classId],
    threshold: k,
    severity: 'info' as const,
    keyParts: [s.id],
  });
  const out: Issue[] = [];
  for (const s of outside(columns.area, aLow, aHigh)) {
    const share = Math.exp(s.logArea);
    out.push(
      makeIssue({
        ...common(s),
        rule: 'size-outlier',
        measured: { areaShare: share, low: Math.exp(aLow), high: Math.exp(aHigh) },
        message: `This ${quoted} covers ${pct(share, 3)} of the image; ${quoted} shapes usually cover ${pct(Math.exp(aLow), 3)}–${pct(Math.exp(aHigh), 3)}.`,
      }),
    );
  }
  for (const s of outside(columns.aspect, rLow, rHigh)) {
    const aspect = Math.exp(s.logAspect);
    out.push(
      makeIssue({
        ...common(s),
        rule: 'aspect-outlier',
        measured: { aspect, low: Math.exp(rLow), high: Math.exp(rHigh) },
        message: `This ${quoted} is ${num(aspect)} times as wide as tall; ${quoted} shapes are usually ${num(Math.exp(rLow))}–${num(Math.exp(rHigh))}.`,
      }),
    );
  }
  return out;
}
