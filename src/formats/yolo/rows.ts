/**
 * YOLO label rows, one shape per line, coordinates normalised by the image width and height:
 * detection `class cx cy w h`, segmentation `class x1 y1 … xn yn`. Written with 6 decimals, i.e.
 * as whole millionths of the image side.
 */
import type { Shape } from '../../core/model';
import { formatNumber } from '../shared/text';

/** Millionths of the image side: what 6 decimals of a normalised value can say. */
const MICRO = 1_000_000;

const micro = (v: number): string => formatNumber(v / MICRO, 6);

/**
 * The centre and size (whole millionths) of the span [lo, hi] (pixels on a side of `side` px)
 * whose written corners `centre ± size / 2` lie closest to lo and hi while staying inside
 * [0, 1] and keeping a size of at least one millionth. Rounding centre and size separately
 * could put a corner at −0.0000005 (Ultralytics rejects < −0.01 only, but Tally would report it
 * clipped on re-import) or round a tiny box to zero size. Corners end within 0.75 millionths of
 * the true ones (1.5 for a box thinner than a millionth lying on the border).
 */
export function encodeSpan(lo: number, hi: number, side: number): [centre: number, size: number] {
  const clamp = (v: number): number => (v > MICRO ? MICRO : v > 0 ? v : 0);
  const a0 = clamp((lo / side) * MICRO);
  const a1 = Math.max(a0, clamp((hi / side) * MICRO));
  const c = (a0 + a1) / 2;
  const s = a1 - a0;
  let best: [number, number] = [MICRO / 2, MICRO];
  let bestErr = Infinity;
  for (let centre = Math.floor(c) - 2; centre <= Math.ceil(c) + 2; centre++) {
    for (let size = Math.max(1, Math.floor(s) - 2); size <= Math.ceil(s) + 2; size++) {
      if (2 * centre - size < 0 || 2 * centre + size > 2 * MICRO) continue;
      // Ties go to plain rounding of centre and size (what other converters write).
      const err = Math.max(Math.abs(centre - size / 2 - a0), Math.abs(centre + size / 2 - a1)) + (centre === Math.round(c) && size === Math.round(s) ? 0 : 1e-9);
      if (err < bestErr) [best, bestErr] = [[centre, size], err];
    }
  }
  return best;
}

/** A normalised coordinate in whole millionths, inside [0, 1]. */
const encodeCoord = (v: number, side: number): number => {
  const m = Math.round((v / side) * MICRO);
  return m < 0 ? 0 : m > MICRO ? MICRO : m;
};

/**
 * Whether a polygon in whole millionths is flat (zero area), exactly: each cross product is an
 * integer below 2e12, so a float sum of up to 4,000 of them is exact; longer outlines use BigInt.
 */
function isFlat(m: readonly number[]): boolean {
  const n = m.length >> 1;
  if (n <= 4000) {
    let sum = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) sum += m[2 * j]! * m[2 * i + 1]! - m[2 * i]! * m[2 * j + 1]!;
    return sum === 0;
  }
  let big = 0n;
  for (let i = 0, j = n - 1; i < n; j = i++) big += BigInt(m[2 * j]!) * BigInt(m[2 * i + 1]!) - BigInt(m[2 * i]!) * BigInt(m[2 * j + 1]!);
  return big === 0n;
}

const STEPS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

/**
 * A polygon's vertices in whole millionths. One thinner than a millionth of the image rounds
 * flat, which every reader (Tally's included) refuses: then one or two of its first vertices
 * move by a millionth until it has an area (each vertex stays within 1.5 millionths).
 */
export function encodePolygon(points: readonly number[], width: number, height: number): number[] {
  const m = points.map((v, i) => encodeCoord(v, i % 2 === 0 ? width : height));
  if (!isFlat(m)) return m;
  const n = Math.min(m.length >> 1, 8);
  const moved = (base: readonly number[], k: number, [dx, dy]: readonly [number, number]): number[] | null => {
    const x = base[2 * k]! + dx;
    const y = base[2 * k + 1]! + dy;
    if (x < 0 || x > MICRO || y < 0 || y > MICRO) return null;
    const out = base.slice();
    out[2 * k] = x;
    out[2 * k + 1] = y;
    return out;
  };
  for (let k = 0; k < n; k++) {
    for (const step of STEPS) {
      const one = moved(m, k, step);
      if (!one) continue;
      if (!isFlat(one)) return one;
      for (let k2 = k + 1; k2 < n; k2++) {
        for (const step2 of STEPS) {
          const two = moved(one, k2, step2);
          if (two && !isFlat(two)) return two;
        }
      }
    }
  }
  return m;
}

/** The row of a shape in an image of width × height (both > 0), class id `cls`. */
export function formatRow(cls: number, shape: Shape, width: number, height: number): string {
  if (shape.kind === 'box') {
    const [cx, w] = encodeSpan(shape.x, shape.x + shape.w, width);
    const [cy, h] = encodeSpan(shape.y, shape.y + shape.h, height);
    return `${cls} ${micro(cx)} ${micro(cy)} ${micro(w)} ${micro(h)}`;
  }
  return [String(cls), ...encodePolygon(shape.points, width, height).map(micro)].join(' ');
}

// ---------------------------------------------------------------------------------------------
// Reading

/** One row of a label file, still normalised. */
export type Row =
  | { readonly kind: 'box'; readonly line: number; readonly cls: number; readonly values: readonly number[] }
  | { readonly kind: 'polygon'; readonly line: number; readonly cls: number; readonly values: readonly number[] };

export interface RowProblem {
  readonly line: number;
  readonly message: string;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const MAX_CLASS_ID = 100_000;

/**
 * The rows of a label file in file order. Blank lines and `#` comments are skipped; CR, LF and
 * CRLF all end a line. A row that is not `class` + 4 numbers (box) or `class` + an even number ≥ 6
 * of numbers (polygon) is a problem naming its line, and is left out.
 */
export function parseRows(text: string): { rows: Row[]; problems: RowProblem[] } {
  return parsePlainRows(text) ?? parseAnyRows(text);
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
/** Powers of ten up to 1e22: all exact doubles. */
const TENS = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Digits a plain number may have in all: their integer stays below 2^53, so it is exact. */
const MAX_DIGITS = 15;

/**
 * The rows of a file as Tally and most tools write it, read in one pass without splitting lines
 * or tokens: LF line ends, tokens separated by one space, no leading or trailing spaces, a
 * class id of digits up to MAX_CLASS_ID, numbers of digits with an optional fraction (`0.5`,
 * `12`, `3.`) and at most 15 digits, 4 or an even number ≥ 6 of them per row; blank lines
 * allowed. Null as soon as anything else appears (a comment, CR, tab, sign, exponent, a
 * problem row…): parseAnyRows then reads the whole file, so the two give the same result.
 *
 * A plain number is read as its digits' integer divided by a power of ten: both exact doubles,
 * and IEEE division rounds correctly, so the value is the one `Number` gives the same text.
 */
export function parsePlainRows(text: string): { rows: Row[]; problems: RowProblem[] } | null {
  const rows: Row[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === NEWLINE) {
      i++;
      line++;
      continue;
    }
    // Class id: digits only.
    let cls = 0;
    const start = i;
    while (c >= ZERO && c <= NINE) {
      cls = cls * 10 + (c - ZERO);
      if (cls > MAX_CLASS_ID) return null;
      c = text.charCodeAt(++i);
    }
    if (i === start || c !== SPACE) return null;
    const values: number[] = [];
    // Numbers, each after one space.
    while (c === SPACE) {
      c = text.charCodeAt(++i);
      let mantissa = 0;
      let digits = 0;
      let decimals = 0;
      while (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        c = text.charCodeAt(++i);
      }
      if (digits === 0) return null;
      if (c === DOT) {
        c = text.charCodeAt(++i);
        while (c >= ZERO && c <= NINE) {
          mantissa = mantissa * 10 + (c - ZERO);
          digits++;
          decimals++;
          c = text.charCodeAt(++i);
        }
      }
      if (digits > MAX_DIGITS) return null;
      values.push(decimals === 0 ? mantissa : mantissa / TENS[decimals]!);
    }
    // The row ends at a line end or the end of the text (charCodeAt past the end is NaN).
    if (c !== NEWLINE && i < n) return null;
    const count = values.length;
    if (count !== 4 && (count < 6 || count % 2 !== 0)) return null;
    rows.push({ kind: count === 4 ? 'box' : 'polygon', line, cls, values });
  }
  return { rows, problems: [] };
}

/** parseRows for any text: lines and tokens split by regular expressions, every problem worded. */
export function parseAnyRows(text: string): { rows: Row[]; problems: RowProblem[] } {
  const rows: Row[] = [];
  const problems: RowProblem[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const line = i + 1;
    const tokens = raw.split(/\s+/);
    const head = tokens[0]!;
    const cls = NUMBER.test(head) ? Number(head) : NaN;
    if (!Number.isInteger(cls) || cls < 0 || cls > MAX_CLASS_ID) {
      problems.push({ line, message: `skipped a row: its class id "${clip(head)}" is not a whole number ≥ 0` });
      continue;
    }
    const n = tokens.length - 1;
    if (n !== 4 && (n < 6 || n % 2 !== 0)) {
      problems.push({
        line,
        message: `skipped a row with ${n} number${n === 1 ? '' : 's'} after the class id: a box has 4 (cx cy w h), a polygon an even number ≥ 6 (x1 y1 x2 y2 x3 y3 …)`,
      });
      continue;
    }
    const values: number[] = [];
    let bad: string | undefined;
    for (let k = 1; k < tokens.length; k++) {
      const t = tokens[k]!;
      const v = NUMBER.test(t) ? Number(t) : NaN;
      if (!Number.isFinite(v)) {
        bad = t;
        break;
      }
      values.push(v);
    }
    if (bad !== undefined) {
      problems.push({ line, message: `skipped a row: "${clip(bad)}" is not a number` });
      continue;
    }
    rows.push({ kind: n === 4 ? 'box' : 'polygon', line, cls, values });
  }
  return { rows, problems };
}

const clip = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** Float noise just past the border (cx − w/2 = −1e−17) counts as on it; anything further is clipped by readShape. */
const snap = (v: number): number => (v < 0 && v > -1e-9 ? 0 : v > 1 && v < 1 + 1e-9 ? 1 : v);

/** Start and length in pixels of a normalised centre and size on a side of `side` px, kept inside when only float noise is outside. */
function span(centre: number, size: number, side: number): [number, number] {
  const lo = snap(centre - size / 2) * side;
  let length = size * side;
  if (lo + length > side && snap((lo + length) / side) === 1) length = side - lo;
  return [lo, length];
}

/** The row in image pixels (not yet clipped: readShape does that and says so). */
export function rowShape(row: Row, width: number, height: number): Shape {
  const v = row.values;
  if (row.kind === 'box') {
    const [x, w] = span(v[0]!, v[2]!, width);
    const [y, h] = span(v[1]!, v[3]!, height);
    return { kind: 'box', x, y, w, h };
  }
  return { kind: 'polygon', points: v.map((p, i) => snap(p) * (i % 2 === 0 ? width : height)) };
}
