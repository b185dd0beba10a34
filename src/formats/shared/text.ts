/** Text in and out of bytes for the format modules (fflate's converters: no DOM needed). */
import { strFromU8, strToU8 } from 'fflate';

export const encodeText = (text: string): Uint8Array => strToU8(text);

/** Texts already decoded by decodeTogether, by the very array they were decoded from. */
const decodedTogether = new WeakMap<Uint8Array, string>();

/**
 * Files from this size on are left out of decodeTogether: the price per call no longer dominates,
 * and they are decoded when a reader asks for them, or never (VOC's short path reads the bytes of
 * a 3 KB file; decoding an export's 3 MB of them in one go cost 30–50 ms of a cold worker).
 */
const TOGETHER_BELOW = 1024;

/** Whether every byte is below 0x80 (then UTF-8 text is one character per byte). */
function isAscii(bytes: Uint8Array): boolean {
  let any = 0;
  for (let i = 0; i < bytes.length; i++) any |= bytes[i]!;
  return any < 0x80;
}

/** A character a file of ASCII bytes cannot decode to. */
const NOT_ASCII = /[\u0080-\uffff]/;

/**
 * Decodes many small files in one call of the decoder, for decodeText to find. Reading back 1,000
 * small label files, decoding them one by one costs mostly the decoder's price per call. The
 * files are copied into one array and decoded at once; when the text is ASCII throughout (as
 * long as the bytes and without a character from U+0080 on: any byte from 0x80 on decodes to
 * one, a byte-order mark or an invalid byte included), byte offsets are character offsets and
 * the text is cut apart there. Otherwise the ASCII files alone are decoded together so (found
 * byte by byte), and the others left to decodeText. What decodeText returns is the same either way.
 */
export function decodeTogether(files: Iterable<Uint8Array>): void {
  const fresh = [...files].filter((f) => f.length > 0 && f.length < TOGETHER_BELOW && !decodedTogether.has(f));
  if (!cutApart(fresh)) cutApart(fresh.filter(isAscii));
}

/** Decodes `files` in one call and keeps each one's text, if the whole is ASCII; false if it is not. */
function cutApart(files: readonly Uint8Array[]): boolean {
  if (files.length < 2) return true;
  let total = 0;
  for (const f of files) total += f.length;
  const all = new Uint8Array(total);
  let at = 0;
  for (const f of files) {
    all.set(f, at);
    at += f.length;
  }
  const text = strFromU8(all);
  if (text.length !== total || NOT_ASCII.test(text)) return false;
  at = 0;
  for (const f of files) {
    decodedTogether.set(f, text.slice(at, at + f.length));
    at += f.length;
  }
  return true;
}

/** UTF-8 text of a file, without a leading byte-order mark (Windows tools write one). */
export function decodeText(bytes: Uint8Array): string {
  const known = decodedTogether.get(bytes);
  if (known !== undefined) return known;
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return strFromU8(start === 0 ? bytes : bytes.subarray(start));
}

/** The five XML entities; everything else (non-ASCII letters included) is written as UTF-8. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;'));
}

/** Last segment of a '/'-separated path. */
export const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** A file name without its extension (`a.b.jpg` → `a.b`; `.hidden` stays). */
export function stemOf(name: string): string {
  const base = baseName(name);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? base : base.slice(0, dot);
}

/** Extension with its dot, lower case (`.jpg`), or '' when there is none. */
export function extensionOf(name: string): string {
  const base = baseName(name);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** The folder part of a path ('' at the root), without the trailing slash. */
export const dirName = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

const SCALES = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/** A number as formats write it: at most `decimals` decimals, no trailing zeros, never `-0`, never exponent notation. */
export function formatNumber(v: number, decimals: number): string {
  // Fast path (exports write tens of thousands of numbers): round by scaling, which agrees with
  // toFixed to within the last decimal's half unit; String() is exact for what it prints here.
  const scale = SCALES[decimals];
  if (scale !== undefined && Math.abs(v) < 1e9) {
    const r = Math.round(v * scale) / scale;
    if (r === 0) return '0';
    if (Math.abs(r) >= 1e-6) return String(r);
  }
  const f = Number(v.toFixed(decimals));
  if (Object.is(f, -0)) return '0';
  // From 1e21 on, String and toFixed both use exponent notation; such doubles are integers.
  if (Number.isFinite(f) && Math.abs(f) >= 1e21) return BigInt(f).toString();
  return String(f).includes('e') ? f.toFixed(decimals).replace(/\.?0+$/, '') : String(f);
}
