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

/** The q-quantile of sorted values, linear between order statistics (R's type 7, NumPy's default). */
export function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Tukey's fences of the values: [Q1 − k·IQR, Q3 + k·IQR]. */
export function fences(values: Float64Array, k: number): [number, number] {
  const sorted = Float64Array.from(values).sort();
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const iqr = q3 - q1;
  return [q1 - k * iqr, q3 + k * iqr];
}

export function outlierIssues(
  samples: Iterable<OutlierSample>,
  classNames: ReadonlyMap<ClassId, string>,
  settings: QualitySettings,
): Issue[] {
  const byClass = new Map<ClassId, OutlierSample[]>();
  for (const s of samples) {
    if (!classNames.has(s.classId)) continue;
    const list = byClass.get(s.classId);
    if (list) list.push(s);
    else byClass.set(s.classId, [s]);
  }
  const out: Issue[] = [];
  const k = settings.outlierIqrFactor;
  for (const [classId, list] of byClass) {
    if (list.length < settings.outlierMinInstances) continue;
    const name = `“${classNames.get(classId)!}”`;
    const [aLow, aHigh] = fences(Float64Array.from(list, (s) => s.logArea), k);
    const [rLow, rHigh] = fences(Float64Array.from(list, (s) => s.logAspect), k);
    for (const s of list) {
      const common = { imageIds: [s.imageId], annotationIds: [s.id], annotators: [s.annotator], classIds: [classId], threshold: k };
      if (s.logArea < aLow || s.logArea > aHigh) {
        const share = Math.exp(s.logArea);
        out.push(
          makeIssue({
            ...common,
            rule: 'size-outlier',
            severity: 'info',
            keyParts: [s.id],
            measured: { areaShare: share, low: Math.exp(aLow), high: Math.exp(aHigh) },
            message: `This ${name} covers ${pct(share, 3)} of the image; ${name} shapes usually cover ${pct(Math.exp(aLow), 3)}–${pct(Math.exp(aHigh), 3)}.`,
          }),
        );
      }
      if (s.logAspect < rLow || s.logAspect > rHigh) {
        const aspect = Math.exp(s.logAspect);
        out.push(
          makeIssue({
            ...common,
            rule: 'aspect-outlier',
            severity: 'info',
            keyParts: [s.id],
            measured: { aspect, low: Math.exp(rLow), high: Math.exp(rHigh) },
            message: `This ${name} is ${num(aspect)} times as wide as tall; ${name} shapes are usually ${num(Math.exp(rLow))}–${num(Math.exp(rHigh))}.`,
          }),
        );
      }
    }
  }
  return out;
}
