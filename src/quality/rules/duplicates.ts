/**
 * Leakage and duplicates (QUALITY.md): groups of images with equal bytes (SHA-256), equal
 * decoded pixels (when that feature is present: the SHA-256 of the full size and the pixels at
 * thumbnail size, measured at import — src/media/pixelFeatures.ts — so "exact" means equal at
 * thumbnail size; images imported before that have none) or near pHashes (Hamming ≤ d, the mirrored
 * image too); a group spanning splits leaks (error, with the fix "move the whole group to one
 * split", train > val > test), one within a split is noted (info); and near duplicates labeled
 * differently are conflicts (the agreement matcher between them, coordinates scaled, and
 * mirrored where the match was to the mirrored image).
 *
 * Grouping reuses core/splits.ts (multi-index hashing, so 10,000 images cost milliseconds, not
 * the 50 million comparisons of all pairs).
 */
import type { CheckAnnotation } from '../types';
import { hammingDistance } from '../../core/imaging/perceptualHash';
import type { ClassId, ImageId, ImageRecord, Shape } from '../../core/model';
import { duplicateGroups } from '../../core/splits';
import { isAnnotatorLayer } from '../imageContext';
import { makeIssue, num, sortedIds } from '../issue';
import { f1Score, matchShapes } from '../match';
import type { QualitySettings } from '../settings';
import type { AssignedSplit, ImageFeatures, Issue, SuggestedFix } from '../types';

const HASH = /^[0-9a-f]{16}$/;

/** pHash distance between two images, and whether it was reached against b's mirror. Null when a hash is missing. */
export function pairDistance(a: ImageRecord, b: ImageRecord): { distance: number; mirrored: boolean; dhash: number | null } | null {
  if (!HASH.test(a.phash) || !HASH.test(b.phash)) return null;
  const straight = hammingDistance(a.phash, b.phash);
  const mirror = HASH.test(b.phashMirrored) ? hammingDistance(a.phash, b.phashMirrored) : Infinity;
  const dhash = HASH.test(a.dhash) && HASH.test(b.dhash) ? hammingDistance(a.dhash, b.dhash) : null;
  return mirror < straight ? { distance: mirror, mirrored: true, dhash: null } : { distance: straight, mirrored: false, dhash };
}

/**
 * Groups of two or more duplicates, each sorted by import order; groups sorted by their first
 * member. `images` in any order.
 */
export function findDuplicateGroups(
  images: readonly ImageRecord[],
  features: ReadonlyMap<ImageId, ImageFeatures> | undefined,
  settings: QualitySettings,
): ImageRecord[][] {
  const sorted = [...images].sort((a, b) => a.seq - b.seq);
  const n = sorted.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x]! !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const near = (a: ImageRecord, b: ImageRecord): boolean => {
    if (a.sha256 === b.sha256) return true;
    const d = pairDistance(a, b);
    return d !== null && d.distance <= settings.nearDuplicateDistance;
  };
  for (const group of duplicateGroups(sorted)) {
    if (group.length < 2) continue;
    if (settings.nearDuplicateDistance >= 10) {
      for (const i of group) union(group[0]!, i);
      continue;
    }
    // A stricter distance than the index's 10: regroup within the group, pair by pair.
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) if (near(sorted[group[x]!]!, sorted[group[y]!]!)) union(group[x]!, group[y]!);
    }
  }
  if (features) {
    const byPixels = new Map<string, number>();
    sorted.forEach((img, i) => {
      const sha = features.get(img.id)?.pixelSha256;
      if (!sha) return;
      const first = byPixels.get(sha);
      if (first === undefined) byPixels.set(sha, i);
      else union(first, i);
    });
  }
  const byRoot = new Map<number, ImageRecord[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const list = byRoot.get(r);
    if (list) list.push(sorted[i]!);
    else byRoot.set(r, [sorted[i]!]);
  }
  return [...byRoot.values()].filter((g) => g.length > 1);
}

const SPLIT_PRIORITY: readonly AssignedSplit[] = ['train', 'val', 'test'];

/** The issue of one group: leaky (error) when its members sit in two or more of train / val / test. */
export function duplicateGroupIssue(
  group: readonly ImageRecord[],
  features: ReadonlyMap<ImageId, ImageFeatures> | undefined,
  settings: QualitySettings,
): Issue {
  const anchor = group[0]!;
  let maxDistance = 0;
  let maxDhash = 0;
  let exact = true;
  for (const img of group.slice(1)) {
    const pixels = features?.get(img.id)?.pixelSha256;
    const same = img.sha256 === anchor.sha256 || (pixels !== undefined && pixels === features?.get(anchor.id)?.pixelSha256);
    if (same) continue;
    exact = false;
    const d = pairDistance(anchor, img);
    if (d) {
      maxDistance = Math.max(maxDistance, d.distance);
      if (d.dhash !== null) maxDhash = Math.max(maxDhash, d.dhash);
    }
  }
  const splits = SPLIT_PRIORITY.filter((s) => group.some((img) => img.split === s));
  const ids = group.map((img) => img.id);
  const key = sortedIds(ids).join(',');
  const kind = exact ? 'exact copies' : maxDistance <= settings.nearCertainDistance ? 'near-certain duplicates' : 'likely near duplicates';
  const names = group.map((img) => img.fileName).join(', ');
  const measured = { images: group.length, maxDistance, maxDhashDistance: maxDhash, exact: exact ? 1 : 0 };
  if (splits.length > 1) {
    const target = splits[0]!;
    const fix: SuggestedFix = { kind: 'move-to-split', imageIds: ids.filter((_, i) => group[i]!.split !== target), split: target };
    return makeIssue({
      rule: 'leaky-split',
      severity: 'error',
      keyParts: [key],
      imageIds: ids,
      measured,
      threshold: settings.nearDuplicateDistance,
      message: `${group.length} ${kind} sit in ${splits.join(' and ')} (${names}): evaluation would see training images. Move them all to ${target}.`,
      fixes: [fix],
    });
  }
  return makeIssue({
    rule: 'duplicate-images',
    severity: 'info',
    keyParts: [key],
    imageIds: ids,
    measured,
    threshold: settings.nearDuplicateDistance,
    message: `${group.length} ${kind}${exact ? '' : ` (pHash distance up to ${maxDistance})`}: ${names}.`,
  });
}

/** b's shape in a's pixel frame: scaled by the size ratio, mirrored left↔right when b matched a's mirror. */
function mapShape(shape: Shape, a: ImageRecord, b: ImageRecord, mirrored: boolean): Shape {
  const sx = a.width / b.width;
  const sy = a.height / b.height;
  if (shape.kind === 'box') {
    const x = mirrored ? a.width - (shape.x + shape.w) * sx : shape.x * sx;
    return { kind: 'box', x, y: shape.y * sy, w: shape.w * sx, h: shape.h * sy };
  }
  const points = shape.points.map((v, i) => (i % 2 === 0 ? (mirrored ? a.width - v * sx : v * sx) : v * sy));
  return { kind: 'polygon', points };
}

/** Pairs compared within a group: all of them up to this size, then each member against the first. */
const ALL_PAIRS_UP_TO = 8;

/**
 * Near duplicates whose labels disagree: per annotator who drew on both images, the matcher
 * between the two layers; and an image marked background whose duplicate has shapes.
 */
export function duplicateLabelConflicts(
  group: readonly ImageRecord[],
  annotationsOf: (id: ImageId) => readonly CheckAnnotation[],
  settings: QualitySettings,
): Issue[] {
  const pairs: [ImageRecord, ImageRecord][] = [];
  for (let i = 0; i < group.length; i++) {
    for (let j = i + 1; j < group.length; j++) if (group.length <= ALL_PAIRS_UP_TO || i === 0) pairs.push([group[i]!, group[j]!]);
  }
  const out: Issue[] = [];
  const options = { iouThreshold: settings.matchIoU, lowOverlapThreshold: settings.lowOverlapIoU };
  for (const [a, b] of pairs) {
    const mirrored = a.sha256 !== b.sha256 && (pairDistance(a, b)?.mirrored ?? false);
    const shapesA = annotationsOf(a.id).filter((s) => isAnnotatorLayer(s.annotator));
    const shapesB = annotationsOf(b.id).filter((s) => isAnnotatorLayer(s.annotator));
    const pairKey = `${a.id},${b.id}`;
    const imageIds = [a.id, b.id];
    const emptyA = shapesA.length === 0 && a.status === 'done';
    const emptyB = shapesB.length === 0 && b.status === 'done';
    if (emptyA !== emptyB && (emptyA ? shapesB : shapesA).length > 0) {
      const [bg, other, shapes] = emptyA ? [a, b, shapesB] : [b, a, shapesA];
      out.push(
        makeIssue({
          rule: 'duplicate-label-conflict',
          severity: 'warning',
          keyParts: [pairKey, 'background'],
          imageIds: [other.id, bg.id],
          annotationIds: sortedIds(shapes.map((s) => s.id)),
          annotators: shapes.map((s) => s.annotator),
          classIds: sortedIds(new Set(shapes.map((s) => s.classId))),
          measured: { shapes: shapes.length },
          message: `${bg.fileName} is marked background, but its duplicate ${other.fileName} has ${shapes.length} shape${shapes.length === 1 ? '' : 's'}.`,
        }),
      );
      continue;
    }
    const annotators = sortedIds(new Set(shapesA.map((s) => s.annotator)));
    for (const annotator of annotators) {
      const layerA = shapesA.filter((s) => s.annotator === annotator);
      const layerB = shapesB.filter((s) => s.annotator === annotator).map((s) => ({ ...s, shape: mapShape(s.shape, a, b, mirrored) }));
      if (layerB.length === 0) continue;
      const r = matchShapes(layerA, layerB, options);
      const { mismatches, missing, extra } = r.metrics;
      if (mismatches + missing + extra === 0) continue;
      const involved = [...r.labelMismatches.flatMap((m) => [m.a, m.b]), ...r.missing, ...r.extra];
      const classes = new Set<ClassId>([...r.labelMismatches.flatMap((m) => [m.classA, m.classB])]);
      for (const s of [...layerA, ...layerB]) if (r.missing.includes(s.id) || r.extra.includes(s.id)) classes.add(s.classId);
      const parts = [
        mismatches > 0 ? `${mismatches} with another class` : '',
        missing + extra > 0 ? `${missing + extra} on one copy only` : '',
      ].filter((p) => p.length > 0);
      out.push(
        makeIssue({
          rule: 'duplicate-label-conflict',
          severity: 'warning',
          keyParts: [pairKey, annotator],
          imageIds,
          annotationIds: sortedIds(involved),
          annotators: [annotator],
          classIds: sortedIds(classes),
          measured: { f1: f1Score(r.metrics), mismatches, missing, extra },
          threshold: settings.matchIoU,
          message: `${annotator} labeled the duplicates ${a.fileName} and ${b.fileName} differently${mirrored ? ' (one is mirrored)' : ''}: ${parts.join(', ')} (F1 ${num(f1Score(r.metrics))}).`,
        }),
      );
    }
  }
  return out;
}
