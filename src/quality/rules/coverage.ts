/**
 * Coverage (QUALITY.md, "Coverage"): whether the labeled data covers every class in every
 * split. Per image: unlabeled images and odd image aspects. Project-wide: class imbalance, a
 * class missing from a split, rare classes in val/test, the share of background images.
 *
 * In Tally an image is "marked background" when its status is `done` and it has no shapes.
 * Instance counts take every layer (annotators and consensus alike).
 */
import type { ClassId, ImageRecord, Project, Split } from '../../core/model';
import type { ImageContext } from '../imageContext';
import { makeIssue, num, pct } from '../issue';
import type { QualitySettings } from '../settings';
import type { Issue } from '../types';

/** What the project-wide rules need to know of one image's shapes. */
export interface ImageCounts {
  readonly shapes: number;
  readonly classCounts: ReadonlyMap<ClassId, number>;
}

export const isBackground = (image: ImageRecord, shapes: number): boolean => shapes === 0 && image.status === 'done';

/** An image with no shapes that is not marked background: send it to labeling or mark it. */
export function unlabeledIssue(ctx: ImageContext): Issue | null {
  const { image } = ctx;
  if (ctx.annotations.length > 0 || image.status === 'done') return null;
  // Untouched images are simply still in the queue; one someone opened and left empty is a question.
  const touched = image.status !== 'new';
  return makeIssue({
    rule: 'unlabeled-image',
    severity: touched ? 'warning' : 'info',
    keyParts: [image.id],
    imageIds: [image.id],
    message: touched
      ? `${image.fileName} is ${image.status === 'needs_review' ? 'waiting for review' : 'in progress'} with no shapes: label it, or mark it background if it has nothing to label.`
      : `${image.fileName} has not been labeled yet.`,
    fixes: [{ kind: 'mark-background', imageId: image.id }, ...(touched ? [{ kind: 'send-to-queue' as const, imageId: image.id }] : [])],
  });
}

export function oddAspectIssue(ctx: ImageContext): Issue | null {
  const { width, height } = ctx.image;
  const aspect = Math.min(width / height, height / width);
  if (!(aspect < ctx.settings.oddAspectMin)) return null;
  return makeIssue({
    rule: 'odd-aspect-image',
    severity: 'info',
    keyParts: [ctx.image.id],
    imageIds: [ctx.image.id],
    measured: { aspect },
    threshold: ctx.settings.oddAspectMin,
    message: `${ctx.image.fileName} is ${width} × ${height}: its sides differ by more than ${num(1 / ctx.settings.oddAspectMin, 1)}×.`,
  });
}

const EVAL_SPLITS = ['val', 'test'] as const;

/** Sums over the images that the project-wide coverage rules read; updated per re-checked image. */
export interface CoverageTotals {
  /** Shapes per class in each split. */
  readonly perSplit: ReadonlyMap<Split, ReadonlyMap<ClassId, number>>;
  readonly imagesPerSplit: ReadonlyMap<Split, number>;
  /** Shapes per class (any split, class ids as found, known or not). */
  readonly totals: ReadonlyMap<ClassId, number>;
  /** Images with shapes or marked background, and those marked background. */
  readonly labeled: number;
  readonly background: number;
  readonly shapes: number;
}

export const EMPTY_COVERAGE: CoverageTotals = { perSplit: new Map(), imagesPerSplit: new Map(), totals: new Map(), labeled: 0, background: 0, shapes: 0 };

/** One image's share of the totals. */
export interface CoverageContribution {
  readonly image: ImageRecord;
  readonly counts: ImageCounts;
}

/** The totals without `removed` and with `added` (the records as they were when each was counted). */
export function updateCoverage(t: CoverageTotals, removed: Iterable<CoverageContribution>, added: Iterable<CoverageContribution>): CoverageTotals {
  const perSplit = new Map<Split, Map<ClassId, number>>([...t.perSplit].map(([s, m]) => [s, new Map(m)]));
  const imagesPerSplit = new Map(t.imagesPerSplit);
  const totals = new Map(t.totals);
  let { labeled, background, shapes } = t;
  const apply = (c: CoverageContribution, sign: 1 | -1): void => {
    const { image, counts } = c;
    imagesPerSplit.set(image.split, (imagesPerSplit.get(image.split) ?? 0) + sign);
    shapes += sign * counts.shapes;
    if (counts.shapes > 0) labeled += sign;
    else if (isBackground(image, counts.shapes)) {
      labeled += sign;
      background += sign;
    }
    let split = perSplit.get(image.split);
    if (!split) perSplit.set(image.split, (split = new Map()));
    for (const [cls, n] of counts.classCounts) {
      split.set(cls, (split.get(cls) ?? 0) + sign * n);
      totals.set(cls, (totals.get(cls) ?? 0) + sign * n);
    }
  };
  for (const c of removed) apply(c, -1);
  for (const c of added) apply(c, 1);
  return { perSplit, imagesPerSplit, totals, labeled, background, shapes };
}

/** Project-wide coverage issues from the totals. */
export function coverageIssues(project: Project, t: CoverageTotals, settings: QualitySettings): Issue[] {
  const { perSplit, imagesPerSplit, totals: total, labeled, background } = t;
  const out: Issue[] = [];
  const inSplit = (split: Split, cls: ClassId): number => perSplit.get(split)?.get(cls) ?? 0;
  const hasImages = (split: Split): boolean => (imagesPerSplit.get(split) ?? 0) > 0;
  const K = project.classes.length;
  let largest = 0;
  let sum = 0;
  for (const c of project.classes) {
    largest = Math.max(largest, total.get(c.id) ?? 0);
    sum += total.get(c.id) ?? 0;
  }

  for (const c of project.classes) {
    const n = total.get(c.id) ?? 0;
    if (n === 0) continue; // unused-class says it
    const name = `“${c.name}”`;
    // Imbalance.
    const share = n / sum;
    const severe = share < settings.imbalanceSevereFactor / K;
    if (severe || n < settings.imbalanceRatio * largest) {
      out.push(
        makeIssue({
          rule: 'class-imbalance',
          severity: severe ? 'warning' : 'info',
          keyParts: [c.id],
          classIds: [c.id],
          measured: { shapes: n, share, largest },
          threshold: severe ? settings.imbalanceSevereFactor / K : settings.imbalanceRatio * largest,
          message: severe
            ? `${name} has ${n} shapes, ${pct(share)} of all: far below an even share of ${pct(1 / K)}.`
            : `${name} has ${n} shapes, under ${num(settings.imbalanceRatio, 2)} of the largest class (${largest}).`,
        }),
      );
    }
    // Missing from a split, either way round.
    const train = inSplit('train', c.id);
    const evaluated = EVAL_SPLITS.map((split) => inSplit(split, c.id));
    if (train === 0 && hasImages('train') && evaluated.some((m) => m > 0)) {
      const where = EVAL_SPLITS.filter((_, k) => evaluated[k]! > 0).join(' and ');
      out.push(splitIssue(c.id, 'train', `${name} has shapes in ${where} but none in train: the model never learns it.`));
    }
    for (const split of EVAL_SPLITS) {
      const m = inSplit(split, c.id);
      if (train > 0 && m === 0 && hasImages(split)) {
        out.push(splitIssue(c.id, split, `${name} has ${train} shapes in train but none in ${split}: it is never evaluated there.`));
      }
      if (m > 0 && m < settings.rareClassMinInstances) {
        out.push(
          makeIssue({
            rule: 'rare-class',
            severity: 'warning',
            keyParts: [c.id, split],
            classIds: [c.id],
            measured: { shapes: m },
            threshold: settings.rareClassMinInstances,
            message: `${name} has only ${m} shape${m === 1 ? '' : 's'} in ${split} (fewer than ${settings.rareClassMinInstances}): its scores there mean little.`,
          }),
        );
      }
    }
  }

  if (labeled > 0) {
    const share = background / labeled;
    if (share > settings.backgroundShareMax) {
      out.push(
        makeIssue({
          rule: 'background-share',
          severity: 'warning',
          keyParts: [],
          measured: { share, background, labeled },
          threshold: settings.backgroundShareMax,
          message: `${background} of ${labeled} labeled images (${pct(share)}) are marked background, above ${pct(settings.backgroundShareMax, 0)}.`,
        }),
      );
    }
  }
  return out;
}

function splitIssue(classId: ClassId, split: Split, message: string): Issue {
  return makeIssue({ rule: 'class-missing-from-split', severity: 'warning', keyParts: [classId, split], classIds: [classId], message });
}
