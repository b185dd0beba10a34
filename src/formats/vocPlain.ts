/**
 * The short path of the Pascal VOC reader: a file laid out exactly as Tally writes it (voc.ts
 * serialize), read from its bytes with a few comparisons per line, instead of decoding it and
 * building an element tree. Reading back an export of 1,000 files × 10 boxes decoded 3 MB and
 * built ~110,000 element objects; this decodes only the names and builds one record per object.
 *
 * It gives up (null) on anything else: another declaration, element, order, indentation or line
 * end; a value with markup or entity characters (`<`, `>`, `&`), with characters the fast XML
 * reader would hand to saxes, or with whitespace at either end (the tree trims it). The values it
 * returns are then exactly the texts the tree's elements would hold, so the reader can treat
 * them as it treats those (voc.ts readPlain, which takes over only the files whose reading says
 * nothing, and leaves every other file to the general path).
 *
 * The template is the layout voc.ts serialize writes; vocPlain.test.ts reads the writer's output
 * with it, so that a change to one without the other fails there (the reader would otherwise
 * only turn slower, every file going the general way).
 */

import { decodeText, encodeText } from './shared/text';

export interface PlainVocObject {
  readonly name: string;
  readonly truncated: boolean;
  readonly difficult: boolean;
  readonly occluded: boolean;
  /** The corners as written (whole numbers of up to 9 digits). */
  readonly xmin: number;
  readonly ymin: number;
  readonly xmax: number;
  readonly ymax: number;
  /** The line of the object's start tag. */
  readonly line: number;
}

export interface PlainVoc {
  readonly filename: string;
  readonly width: string;
  readonly height: string;
  readonly objects: readonly PlainVocObject[];
}

const HEAD = encodeText('<?xml version="1.0" encoding="UTF-8"?>\n<annotation>\n\t<folder>JPEGImages</folder>\n\t<filename>');
const SIZE = encodeText('</filename>\n\t<size>\n\t\t<width>');
const HEIGHT = encodeText('</width>\n\t\t<height>');
const AFTER_SIZE = encodeText('</height>\n\t\t<depth>3</depth>\n\t</size>\n\t<segmented>0</segmented>\n');
const OBJECT = encodeText('\t<object>\n\t\t<name>');
const POSE = encodeText('</name>\n\t\t<pose>Unspecified</pose>\n\t\t<truncated>');
const DIFFICULT = encodeText('</truncated>\n\t\t<difficult>');
const OCCLUDED = encodeText('</difficult>\n\t\t<occluded>');
const XMIN = encodeText('</occluded>\n\t\t<bndbox>\n\t\t\t<xmin>');
const YMIN = encodeText('</xmin>\n\t\t\t<ymin>');
const XMAX = encodeText('</ymin>\n\t\t\t<xmax>');
const YMAX = encodeText('</xmax>\n\t\t\t<ymax>');
const OBJECT_END = encodeText('</ymax>\n\t\t</bndbox>\n\t</object>\n');
const END = encodeText('</annotation>\n');
/** The line breaks in these pieces of the template. */
const breaks = (...pieces: readonly Uint8Array[]): number => pieces.reduce((n, piece) => n + piece.filter((b) => b === 0x0a).length, 0);
/** Lines before the first object, and lines per object. */
const HEAD_LINES = breaks(HEAD, SIZE, HEIGHT, AFTER_SIZE);
const OBJECT_LINES = breaks(OBJECT, POSE, DIFFICULT, OCCLUDED, XMIN, YMIN, XMAX, YMAX, OBJECT_END);
const LT = 0x3c;

/** Whether `bytes` holds `lit` at `at`. */
function holds(bytes: Uint8Array, at: number, lit: Uint8Array): boolean {
  if (at + lit.length > bytes.length) return false;
  for (let k = 0; k < lit.length; k++) if (bytes[at + k] !== lit[k]) return false;
  return true;
}

/**
 * The text of `bytes[from, to)` when it is a value the tree holds as it is: not empty, no
 * whitespace at either end, and only characters the fast XML reader takes as they are in text
 * (U+0020–U+D7FF, U+E000–U+FFFD) other than `<`, `>` and `&`; null otherwise. ASCII is taken
 * byte by byte; anything else is decoded as decodeText decodes the whole file (UTF-8 resumes at
 * the `<` after the value, so the value's characters are the same).
 */
function plainValue(bytes: Uint8Array, from: number, to: number): string | null {
  if (to <= from) return null;
  let value = '';
  for (let k = from; k < to; k++) {
    const c = bytes[k]!;
    if (c >= 0x80) {
      value = decodeText(bytes.subarray(from, to));
      break;
    }
    value += String.fromCharCode(c);
  }
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt(k);
    if (c < 0x20 || (c >= 0xd800 && c < 0xe000) || c > 0xfffd || c === 0x3c || c === 0x3e || c === 0x26) return null;
  }
  return value.trim() === value ? value : null;
}

/** The file (its bytes, as decodeText would read them) as Tally writes VOC, or null for anything else. */
export function plainVoc(bytes: Uint8Array): PlainVoc | null {
  if (!holds(bytes, 0, HEAD)) return null;
  const n = bytes.length;
  let i = HEAD.length;
  /** The value from `i` to the next `<`, which must start `close`; `i` then after `close`. */
  const valueBefore = (close: Uint8Array): string | null => {
    let end = i;
    while (end < n && bytes[end] !== LT) end++;
    if (!holds(bytes, end, close)) return null;
    const value = plainValue(bytes, i, end);
    i = end + close.length;
    return value;
  };
  const filename = valueBefore(SIZE);
  const width = filename === null ? null : valueBefore(HEIGHT);
  const height = width === null ? null : valueBefore(AFTER_SIZE);
  if (filename === null || width === null || height === null) return null;

  /** A flag written as 0 or 1, then `close`; null otherwise. */
  const flag = (close: Uint8Array): boolean | null => {
    const c = bytes[i];
    if ((c !== 0x30 && c !== 0x31) || !holds(bytes, i + 1, close)) return null;
    i += 1 + close.length;
    return c === 0x31;
  };
  /** A whole number of 1–9 digits, then `close`; NaN otherwise. */
  const whole = (close: Uint8Array): number => {
    let v = 0;
    const start = i;
    for (let c = bytes[i]!; i < n && c >= 0x30 && c <= 0x39 && i - start < 9; c = bytes[++i]!) v = v * 10 + (c - 0x30);
    if (i === start || !holds(bytes, i, close)) return NaN;
    i += close.length;
    return v;
  };

  const objects: PlainVocObject[] = [];
  while (holds(bytes, i, OBJECT)) {
    const line = HEAD_LINES + 1 + objects.length * OBJECT_LINES;
    i += OBJECT.length;
    const name = valueBefore(POSE);
    if (name === null) return null;
    const truncated = flag(DIFFICULT);
    if (truncated === null) return null;
    const difficult = flag(OCCLUDED);
    if (difficult === null) return null;
    const occluded = flag(XMIN);
    if (occluded === null) return null;
    const xmin = whole(YMIN);
    const ymin = Number.isNaN(xmin) ? NaN : whole(XMAX);
    const xmax = Number.isNaN(ymin) ? NaN : whole(YMAX);
    const ymax = Number.isNaN(xmax) ? NaN : whole(OBJECT_END);
    if (Number.isNaN(ymax)) return null;
    objects.push({ name, truncated, difficult, occluded, xmin, ymin, xmax, ymax, line });
  }
  return holds(bytes, i, END) && i + END.length === n ? { filename, width, height, objects } : null;
}
