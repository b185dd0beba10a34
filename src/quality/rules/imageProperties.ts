/**
 * Image properties from pixels (as data-quality tools such as cleanvision report them): too
 * dark, too bright, blurry, low information, odd size.
 *
 * `imageStats` runs where pixels are decoded — the import worker, once per image, on the
 * thumbnail-sized pixels it decodes anyway (src/media/pixelFeatures.ts) — and its result is
 * stored on the image record (ImageRecord.pixelStats) and travels to the checker as a feature
 * (features.ts); the rules here only compare numbers. Images imported before Tally measured
 * them have no statistics and are not measured.
 *
 * Measures (defaults in settings.ts):
 * - brightness: mean BT.601 luma / 255, 0–1;
 * - blur: variance of the 4-neighbour Laplacian [0 1 0; 1 −4 1; 0 1 0] of the grey image, after
 *   an area-average resize so the longer side is at most BLUR_WORKING_SIZE px. A fixed working
 *   size makes the figure independent of the thumbnail's size (calibration in settings.ts);
 * - information: Shannon entropy (bits) of the 256-bin histogram of the grey levels; a blank or
 *   nearly uniform image has little;
 * - size: width or height more than oddSizeRatio times above or below the project's median.
 */
import type { ImageRecord } from '../../core/model';
import { resizeGrey, toGrey, type RgbaImage } from '../../core/imaging/perceptualHash';
import type { ImageContext } from '../imageContext';
import { makeIssue, num, pct } from '../issue';
import type { QualitySettings } from '../settings';
import type { ImageStats, Issue } from '../types';

/** Longer side (px) of the grey image the Laplacian is taken on. */
export const BLUR_WORKING_SIZE = 128;

/** Statistics of an RGBA image (alpha ignored). */
export function imageStats(img: RgbaImage): ImageStats {
  return greyImageStats(toGrey(img), img.width, img.height);
}

/** Statistics of a grey image (0–255 levels, row-major, width × height samples). */
export function greyImageStats(grey: Float64Array, width: number, height: number): ImageStats {
  const n = width * height;
  let sum = 0;
  const histogram = new Float64Array(256);
  for (let i = 0; i < n; i++) {
    const g = grey[i]!;
    sum += g;
    histogram[Math.min(255, Math.max(0, Math.round(g)))]!++;
  }
  let entropy = 0;
  for (const count of histogram) {
    if (count === 0) continue;
    const p = count / n;
    entropy -= p * Math.log2(p);
  }
  return { meanLuminance: sum / n / 255, laplacianVariance: laplacianVariance(grey, width, height), entropy };
}

/** Variance of the Laplacian at the working size (0 for images smaller than 3 × 3). */
export function laplacianVariance(grey: Float64Array, width: number, height: number): number {
  const scale = Math.min(1, BLUR_WORKING_SIZE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const g = w === width && h === height ? grey : resizeGrey(grey, width, height, w, h);
  if (w < 3 || h < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const l = g[i - 1]! + g[i + 1]! + g[i - w]! + g[i + w]! - 4 * g[i]!;
      sum += l;
      sumSq += l * l;
      count++;
    }
  }
  const mean = sum / count;
  return Math.max(0, sumSq / count - mean * mean);
}

/** The four pixel rules: which statistic, which side of which threshold, and how to say it. */
const PROPERTY_RULES: readonly {
  readonly rule: 'too-dark' | 'too-bright' | 'blurry' | 'low-information';
  readonly stat: keyof ImageStats;
  readonly limit: (s: QualitySettings) => number;
  /** True when the value is past the limit. */
  readonly past: (value: number, limit: number) => boolean;
  readonly say: (value: number, limit: number) => string;
}[] = [
  { rule: 'too-dark', stat: 'meanLuminance', limit: (s) => s.darkLuminance, past: (v, l) => v < l, say: (v) => `is very dark (mean brightness ${pct(v, 0)})` },
  { rule: 'too-bright', stat: 'meanLuminance', limit: (s) => s.brightLuminance, past: (v, l) => v > l, say: (v) => `is very bright (mean brightness ${pct(v, 0)})` },
  {
    rule: 'blurry',
    stat: 'laplacianVariance',
    limit: (s) => s.blurVariance,
    past: (v, l) => v < l,
    say: (v, l) => `looks blurry (Laplacian variance ${num(v, 0)}, below ${num(l, 0)})`,
  },
  {
    rule: 'low-information',
    stat: 'entropy',
    limit: (s) => s.lowInformationEntropy,
    past: (v, l) => v < l,
    say: (v, l) => `carries little information (entropy ${num(v)} bits, below ${num(l)})`,
  },
];

/** Issues from the image's pixel statistics; none when the statistics have not been computed. */
export function imagePropertyIssues(ctx: ImageContext): Issue[] {
  const stats = ctx.features?.stats;
  if (!stats) return [];
  const { image } = ctx;
  const out: Issue[] = [];
  for (const r of PROPERTY_RULES) {
    const value = stats[r.stat];
    const limit = r.limit(ctx.settings);
    if (!r.past(value, limit)) continue;
    out.push(
      makeIssue({
        rule: r.rule,
        severity: 'info',
        keyParts: [image.id],
        imageIds: [image.id],
        measured: { [r.stat]: value },
        threshold: limit,
        message: `${image.fileName} ${r.say(value, limit)}.`,
      }),
    );
  }
  return out;
}

function median(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Images whose width or height is far from the project's median (project-wide: the median moves). */
export function oddSizeIssues(images: readonly ImageRecord[], settings: QualitySettings): Issue[] {
  if (images.length < 3) return [];
  const medW = median(images.map((i) => i.width));
  const medH = median(images.map((i) => i.height));
  const r = settings.oddSizeRatio;
  const out: Issue[] = [];
  for (const image of images) {
    const ratio = Math.max(image.width / medW, medW / image.width, image.height / medH, medH / image.height);
    if (!(ratio > r)) continue;
    out.push(
      makeIssue({
        rule: 'odd-size-image',
        severity: 'info',
        keyParts: [image.id],
        imageIds: [image.id],
        measured: { width: image.width, height: image.height, ratio },
        threshold: r,
        message: `${image.fileName} is ${image.width} × ${image.height}, ${num(ratio, 1)}× off the typical ${num(medW, 0)} × ${num(medH, 0)}.`,
      }),
    );
  }
  return out;
}
