/**
 * The bounding box of a COCO RLE mask (`{counts, size: [h, w]}`, column-major runs starting with
 * background), for crowd annotations that carry no usable bbox. Tally holds no masks, so this is
 * all an RLE is read for.
 */
import type { BoxShape } from '../core/model';

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** pycocotools' compressed counts (rleFrString in maskApi.c), or null when the string is not one. */
export function decodeRleCounts(s: string): number[] | null {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length || k > 5) return null;
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) return null;
      x |= (c & 0x1f) << (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && (c & 0x10) !== 0) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2]!;
    if (x < 0) return null;
    counts.push(x);
  }
  return counts;
}

/** Pixel-edge bounds of the mask's foreground, or null when the RLE is malformed or empty. */
export function rleBounds(rle: Readonly<Record<string, unknown>>): BoxShape | null {
  const size = rle.size;
  if (!Array.isArray(size) || size.length !== 2) return null;
  const [h, w] = size as unknown[];
  if (!isCount(h) || !isCount(w) || h === 0 || w === 0) return null;
  const raw = rle.counts;
  const counts = typeof raw === 'string' ? decodeRleCounts(raw) : Array.isArray(raw) && raw.every(isCount) ? (raw as number[]) : null;
  if (!counts) return null;
  const total = h * w;
  let pos = 0;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < counts.length; i++) {
    const run = counts[i]!;
    if (i % 2 === 1 && run > 0) {
      const last = pos + run - 1;
      if (last >= total) return null;
      const c0 = Math.floor(pos / h);
      const c1 = Math.floor(last / h);
      x0 = Math.min(x0, c0);
      x1 = Math.max(x1, c1);
      // A run spanning columns covers the bottom row of its first and the top row of its last.
      y0 = Math.min(y0, c0 === c1 ? pos % h : 0);
      y1 = Math.max(y1, c0 === c1 ? last % h : h - 1);
    }
    pos += run;
  }
  if (pos > total || x1 < x0) return null;
  return { kind: 'box', x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}
