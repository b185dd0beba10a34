/**
 * The short path of the Pascal VOC reader: a file laid out exactly as Tally writes it (voc.ts
 * serialize), read with a few comparisons per line instead of an element tree. Reading back an
 * export of 1,000 files × 10 boxes built ~110,000 element objects; this builds one record per
 * object.
 *
 * It gives up (null) on anything else: another declaration, element, order, indentation or line
 * end; a value with markup or entity characters (`<`, `>`, `&`), with characters the fast XML
 * reader would hand to saxes, or with whitespace at either end (the tree trims it). The values it
 * returns are then exactly the texts the tree's elements would hold, so the reader can treat
 * them as it treats those (voc.ts readPlain, which takes over only the files whose reading says
 * nothing, and leaves every other file to the general path).
 */

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

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<annotation>\n\t<folder>JPEGImages</folder>\n\t<filename>';
const SIZE = '</filename>\n\t<size>\n\t\t<width>';
const HEIGHT = '</width>\n\t\t<height>';
const AFTER_SIZE = '</height>\n\t\t<depth>3</depth>\n\t</size>\n\t<segmented>0</segmented>\n';
const OBJECT = '\t<object>\n\t\t<name>';
const POSE = '</name>\n\t\t<pose>Unspecified</pose>\n\t\t<truncated>';
const DIFFICULT = '</truncated>\n\t\t<difficult>';
const OCCLUDED = '</difficult>\n\t\t<occluded>';
const XMIN = '</occluded>\n\t\t<bndbox>\n\t\t\t<xmin>';
const YMIN = '</xmin>\n\t\t\t<ymin>';
const XMAX = '</ymin>\n\t\t\t<xmax>';
const YMAX = '</xmax>\n\t\t\t<ymax>';
const OBJECT_END = '</ymax>\n\t\t</bndbox>\n\t</object>\n';
const END = '</annotation>\n';
/** Lines before the first object, and lines per object. */
const HEAD_LINES = 10;
const OBJECT_LINES = 13;

/**
 * Whether `text[from, to)` is a value the tree holds as it is: not empty, no whitespace at
 * either end, and only characters the fast XML reader takes as they are in text (U+0020–U+D7FF,
 * U+E000–U+FFFD) other than `<`, `>` and `&`.
 */
function isPlainValue(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x20 || (c >= 0xd800 && c < 0xe000) || c > 0xfffd || c === 0x3c || c === 0x3e || c === 0x26) return false;
  }
  const value = text.slice(from, to);
  return value.trim() === value;
}

/** The file as Tally writes VOC, or null for anything else. */
export function plainVoc(text: string): PlainVoc | null {
  if (!text.startsWith(HEAD)) return null;
  let i = HEAD.length;
  /** The position of `close` from `i`, with a plain value before it; -1 if there is none. */
  const valueEnd = (close: string): number => {
    const end = text.indexOf(close, i);
    return end !== -1 && isPlainValue(text, i, end) ? end : -1;
  };
  let end = valueEnd(SIZE);
  if (end === -1) return null;
  const filename = text.slice(i, end);
  i = end + SIZE.length;
  end = valueEnd(HEIGHT);
  if (end === -1) return null;
  const width = text.slice(i, end);
  i = end + HEIGHT.length;
  end = valueEnd(AFTER_SIZE);
  if (end === -1) return null;
  const height = text.slice(i, end);
  i = end + AFTER_SIZE.length;

  /** A flag written as 0 or 1, then `close`; null otherwise. */
  const flag = (close: string): boolean | null => {
    const c = text.charCodeAt(i);
    if ((c !== 0x30 && c !== 0x31) || !text.startsWith(close, i + 1)) return null;
    i += 1 + close.length;
    return c === 0x31;
  };
  /** A whole number of 1–9 digits, then `close`; NaN otherwise. */
  const whole = (close: string): number => {
    let v = 0;
    const start = i;
    for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39 && i - start < 9; c = text.charCodeAt(++i)) v = v * 10 + (c - 0x30);
    if (i === start || !text.startsWith(close, i)) return NaN;
    i += close.length;
    return v;
  };

  const objects: PlainVocObject[] = [];
  while (text.startsWith(OBJECT, i)) {
    const line = HEAD_LINES + 1 + objects.length * OBJECT_LINES;
    i += OBJECT.length;
    end = valueEnd(POSE);
    if (end === -1) return null;
    const name = text.slice(i, end);
    i = end + POSE.length;
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
  return text.startsWith(END, i) && i + END.length === text.length ? { filename, width, height, objects } : null;
}
