/**
 * Every threshold of the checker, with the defaults of ../shared/QUALITY.md. A project keeps its
 * own copy; the Settings panel edits it and `validateQualitySettings` checks it.
 */
import type { ProjectSettings } from '../core/model';
import { fail, ok, type Result } from '../core/result';

export interface QualitySettings {
  // --- Shape validity
  /** A box whose smaller side is below this is tiny (image px). */
  readonly tinyBoxMinSide: number;
  /** How far a point may lie outside the image before it counts as outside (image px). */
  readonly outOfImageTolerance: number;
  /** Same annotator, same class, IoU at or above this: duplicate. */
  readonly duplicateIoU: number;
  /** Same annotator, different class, IoU at or above this: stacked conflict. */
  readonly stackedConflictIoU: number;
  /** k of the outlier fences [Q1 − k·IQR, Q3 + k·IQR] on log(area / image area) and log(w / h). */
  readonly outlierIqrFactor: number;
  /** Classes with fewer shapes than this are not searched for outliers (quartiles of a handful mean little). */
  readonly outlierMinInstances: number;

  // --- Agreement
  /** τ: IoU at or above which two annotators' shapes are the same object (0.4 is the lenient choice). */
  readonly matchIoU: number;
  /** τ_low: matched shapes below this IoU are reported as low overlap. */
  readonly lowOverlapIoU: number;
  /**
   * Votes a class needs in a 3+ annotator cluster to be agreed (issue 11's quorum). 0 means a
   * strict majority of the annotators of the image.
   */
  readonly quorum: number;

  // --- Coverage
  /** A class whose share of all shapes is below this × 1/K (K classes) is severely rare. */
  readonly imbalanceSevereFactor: number;
  /** A class with fewer shapes than this × the largest class's count is under-represented. */
  readonly imbalanceRatio: number;
  /** Fewer shapes than this in val or test: rare class. */
  readonly rareClassMinInstances: number;
  /** Largest acceptable share of background images (explicitly empty) among labeled images, 0–1. */
  readonly backgroundShareMax: number;
  /** Images whose min(w/h, h/w) is below this have an odd aspect. */
  readonly oddAspectMin: number;

  // --- Leakage and duplicates
  /** pHash Hamming distance up to which two images are near duplicates (at most 10: the index's reach). */
  readonly nearDuplicateDistance: number;
  /** Up to this distance the duplicate is called near-certain. */
  readonly nearCertainDistance: number;

  // --- Image properties (see rules/imageProperties.ts for how each is measured)
  /** Mean luminance (0–1) below this: too dark. */
  readonly darkLuminance: number;
  /** Mean luminance (0–1) above this: too bright. */
  readonly brightLuminance: number;
  /** Variance of the Laplacian (grey levels²) below this: blurry. */
  readonly blurVariance: number;
  /** Grey-histogram entropy (bits) below this: low information. */
  readonly lowInformationEntropy: number;
  /** Width or height more than this many times above or below the project's median: odd size. */
  readonly oddSizeRatio: number;
}

export const DEFAULT_QUALITY_SETTINGS: QualitySettings = {
  tinyBoxMinSide: 2,
  outOfImageTolerance: 0.5,
  duplicateIoU: 0.95,
  stackedConflictIoU: 0.95,
  outlierIqrFactor: 3,
  outlierMinInstances: 20,
  matchIoU: 0.5,
  lowOverlapIoU: 0.8,
  quorum: 0,
  imbalanceSevereFactor: 0.1,
  imbalanceRatio: 1 / 3,
  rareClassMinInstances: 10,
  backgroundShareMax: 0.1,
  oddAspectMin: 0.35,
  nearDuplicateDistance: 10,
  nearCertainDistance: 4,
  // cleanvision's documented defaults, restated in Tally's units: dark below 0.22 brightness,
  // light above 1 − 0.05, low information below 0.3 / 0.1 = 3 bits of entropy, odd size 5× off
  // the typical size. The blur limit is Tally's own, for its fixed 128 px working size
  // (rules/imageProperties.ts): there, test scenes of flat shapes measured 160–330 sharp,
  // 50–100 after a 9 px box blur of the 640 px original and 13–28 after a 17 px one; textured
  // photographs measure higher. 50 flags the strongly blurred.
  darkLuminance: 0.22,
  brightLuminance: 0.95,
  blurVariance: 50,
  lowInformationEntropy: 3,
  oddSizeRatio: 5,
};

type Check = (v: number) => boolean;
const inUnit: Check = (v) => v >= 0 && v <= 1;
const inOpenUnit: Check = (v) => v > 0 && v <= 1;
const nonNegative: Check = (v) => v >= 0;
const positive: Check = (v) => v > 0;
const count: Check = (v) => Number.isInteger(v) && v >= 0;

/** Per field: its check and how the message states the allowed range. */
const LIMITS: Readonly<Record<keyof QualitySettings, readonly [Check, string]>> = {
  tinyBoxMinSide: [nonNegative, 'a number of pixels ≥ 0'],
  outOfImageTolerance: [nonNegative, 'a number of pixels ≥ 0'],
  duplicateIoU: [inOpenUnit, 'an IoU in (0, 1]'],
  stackedConflictIoU: [inOpenUnit, 'an IoU in (0, 1]'],
  outlierIqrFactor: [positive, 'a number > 0'],
  outlierMinInstances: [(v) => count(v) && v >= 4, 'a whole number ≥ 4'],
  matchIoU: [inOpenUnit, 'an IoU in (0, 1]'],
  lowOverlapIoU: [inOpenUnit, 'an IoU in (0, 1]'],
  quorum: [count, 'a whole number of votes ≥ 0 (0: majority)'],
  imbalanceSevereFactor: [inUnit, 'a fraction in [0, 1]'],
  imbalanceRatio: [inUnit, 'a fraction in [0, 1]'],
  rareClassMinInstances: [count, 'a whole number ≥ 0'],
  backgroundShareMax: [inUnit, 'a fraction in [0, 1]'],
  oddAspectMin: [inUnit, 'a ratio in [0, 1]'],
  nearDuplicateDistance: [(v) => count(v) && v <= 10, 'a whole number of bits from 0 to 10'],
  nearCertainDistance: [(v) => count(v) && v <= 10, 'a whole number of bits from 0 to 10'],
  darkLuminance: [inUnit, 'a luminance in [0, 1]'],
  brightLuminance: [inUnit, 'a luminance in [0, 1]'],
  blurVariance: [nonNegative, 'a number ≥ 0'],
  lowInformationEntropy: [(v) => v >= 0 && v <= 8, 'a number of bits from 0 to 8'],
  oddSizeRatio: [(v) => v >= 1, 'a ratio ≥ 1'],
};

/**
 * The settings when every field is a finite number in its range and the pairs that must be
 * ordered are (τ ≤ τ_low, near-certain ≤ near, dark < bright); otherwise a message naming the field.
 */
export function validateQualitySettings(s: QualitySettings): Result<QualitySettings> {
  for (const field of Object.keys(LIMITS) as (keyof QualitySettings)[]) {
    const v: unknown = s[field];
    const [check, range] = LIMITS[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
      return fail(`Quality setting “${field}” must be ${range} (got ${String(v)}).`);
    }
  }
  if (s.lowOverlapIoU < s.matchIoU) return fail('The low-overlap IoU (τ_low) must not be below the match IoU (τ).');
  if (s.nearCertainDistance > s.nearDuplicateDistance) {
    return fail('The near-certain duplicate distance must not exceed the near-duplicate distance.');
  }
  if (s.darkLuminance >= s.brightLuminance) return fail('The too-dark luminance must be below the too-bright luminance.');
  return ok(s);
}

/**
 * A project's checker settings: the defaults, overridden by the project's own (`settings.quality`,
 * unknown names ignored), with τ from the project's IoU threshold (one setting, not two). A
 * message names the field when the project holds an invalid value.
 */
export function qualitySettingsOf(settings: ProjectSettings): Result<QualitySettings> {
  const overrides: Partial<Record<keyof QualitySettings, number>> = {};
  for (const field of Object.keys(DEFAULT_QUALITY_SETTINGS) as (keyof QualitySettings)[]) {
    const v = settings.quality?.[field];
    if (v !== undefined) overrides[field] = v;
  }
  return validateQualitySettings({ ...DEFAULT_QUALITY_SETTINGS, ...overrides, matchIoU: settings.iouThreshold });
}
