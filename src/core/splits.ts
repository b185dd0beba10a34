/**
 * Assigning train / val / test splits without leaking duplicates across them.
 *
 * Images are grouped (union-find) when their SHA-256 is equal or their pHashes are near
 * (QUALITY.md: Hamming ≤ 10, also against the mirrored image). Images already in a split stay
 * there and pull their group's unassigned members with them; the remaining groups are shuffled
 * by a seeded generator and placed, largest first, where the split is furthest below its target.
 */
import { popcount32 } from './imaging/perceptualHash';
import { mulberry32 } from './prng';
import { change, updated, type Change, type RecordUpdate } from './change';
import type { ImageRecord, Split, SplitRatios } from './model';
import { fail, ok, type Result } from './result';

/** Largest pHash Hamming distance at which two images count as near duplicates (QUALITY.md). */
export const NEAR_DUPLICATE_DISTANCE = 10;

const ASSIGNABLE = ['train', 'val', 'test'] as const;
type Assignable = (typeof ASSIGNABLE)[number];

const HASH_RE = /^[0-9a-f]{16}$/;

/**
 * Groups of duplicates, as indices into `images`: each index is in exactly one group; groups are
 * ordered by their first member, members ascending. Singletons are groups too.
 *
 * Fast for large projects (multi-index hashing): each pHash is filed under six chunks of its bits;
 * two hashes within distance 10 agree on some chunk but for at most one bit (see CHUNKS), so
 * probing each chunk's buckets within radius 1 finds every near pair, and only those candidates
 * are measured.
 */
export function duplicateGroups(images: readonly ImageRecord[]): number[][] {
  const n = images.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    let r = x;
    while (parent[r]! !== r) r = parent[r]!;
    while (parent[x]! !== r) {
      const next = parent[x]!;
      parent[x] = r;
      x = next;
    }
    return r;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };

  // Equal bytes.
  const bySha = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const sha = images[i]!.sha256;
    const first = bySha.get(sha);
    if (first === undefined) bySha.set(sha, i);
    else union(first, i);
  }

  // Equal hash pairs are one entry: many identical hashes (blank frames) must not fill a bucket.
  const reps: number[] = [];
  const byHashes = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const { phash, phashMirrored } = images[i]!;
    if (!HASH_RE.test(phash)) continue;
    const key = HASH_RE.test(phashMirrored) ? phash + phashMirrored : phash;
    const first = byHashes.get(key);
    if (first === undefined) {
      byHashes.set(key, i);
      reps.push(i);
    } else union(first, i);
  }

  const m = reps.length;
  const pHi = new Int32Array(m);
  const pLo = new Int32Array(m);
  const mHi = new Int32Array(m);
  const mLo = new Int32Array(m);
  const hasMirror = new Uint8Array(m);
  for (let k = 0; k < m; k++) {
    const img = images[reps[k]!]!;
    pHi[k] = parseInt(img.phash.slice(0, 8), 16) | 0;
    pLo[k] = parseInt(img.phash.slice(8), 16) | 0;
    if (HASH_RE.test(img.phashMirrored)) {
      hasMirror[k] = 1;
      mHi[k] = parseInt(img.phashMirrored.slice(0, 8), 16) | 0;
      mLo[k] = parseInt(img.phashMirrored.slice(8), 16) | 0;
    }
  }

  // Per chunk, the hashes sorted into buckets by chunk value (counting sort), stored in bucket
  // order so that a probe reads contiguous memory: start[slot] … start[slot + 1] in ids/his/los.
  const chunks = CHUNKS.length;
  const slotAt = new Int32Array(chunks + 1);
  for (let c = 0; c < chunks; c++) slotAt[c + 1] = slotAt[c]! + (1 << CHUNK_BITS[c]!);
  const start = new Int32Array(slotAt[chunks]! + 1);
  const slotOf = (hi: number, lo: number, c: number): number =>
    slotAt[c]! + (((CHUNK_WORD[c] === 0 ? hi : lo) >>> CHUNK_SHIFT[c]!) & ((1 << CHUNK_BITS[c]!) - 1));
  for (let k = 0; k < m; k++) for (let c = 0; c < chunks; c++) start[slotOf(pHi[k]!, pLo[k]!, c) + 1]!++;
  for (let i = 1; i < start.length; i++) start[i]! += start[i - 1]!;
  const fill = start.slice(0, -1);
  const ids = new Int32Array(chunks * m);
  const his = new Int32Array(chunks * m);
  const los = new Int32Array(chunks * m);
  for (let k = 0; k < m; k++) {
    for (let c = 0; c < chunks; c++) {
      const at = fill[slotOf(pHi[k]!, pLo[k]!, c)]!++;
      ids[at] = k;
      his[at] = pHi[k]!;
      los[at] = pLo[k]!;
    }
  }

  // Each pHash, and each mirrored pHash, against every pHash that agrees with it on some chunk
  // within RADIUS bits (a pair found twice is merely measured twice).
  for (let q = 0; q < 2 * m; q++) {
    const k = q >> 1;
    if (q & 1 && !hasMirror[k]) continue;
    const hi = q & 1 ? mHi[k]! : pHi[k]!;
    const lo = q & 1 ? mLo[k]! : pLo[k]!;
    for (let c = 0; c < chunks; c++) {
      const slot = slotOf(hi, lo, c);
      const v = slot - slotAt[c]!;
      const flips = FLIPS[c]!;
      for (let f = 0; f < flips.length; f++) {
        const s = slotAt[c]! + (v ^ flips[f]!);
        for (let at = start[s]!, end = start[s + 1]!; at < end; at++) {
          if (popcount32(hi ^ his[at]!) + popcount32(lo ^ los[at]!) <= NEAR_DUPLICATE_DISTANCE && ids[at] !== k) union(reps[k]!, reps[ids[at]!]!);
        }
      }
    }
  }

  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const group = byRoot.get(r);
    if (group) group.push(i);
    else byRoot.set(r, [i]);
  }
  return [...byRoot.values()];
}

/**
 * CHUNKS chunks of each hash, each of CHUNK_BITS bits at CHUNK_SHIFT in 32-bit half CHUNK_WORD.
 * Two hashes within distance 10 differ in at most RADIUS bits in some chunk (pigeonhole:
 * CHUNKS × (RADIUS + 1) > 10).
 */
const CHUNKS = [0, 1, 2, 3, 4, 5];
const CHUNK_WORD = Int32Array.from([0, 0, 0, 1, 1, 1]);
const CHUNK_SHIFT = Int32Array.from([21, 10, 0, 21, 10, 0]);
const CHUNK_BITS = Int32Array.from([11, 11, 10, 11, 11, 10]);
const RADIUS = 1;

/** Per chunk: every mask of its width with at most RADIUS bits set. */
const FLIPS: readonly Int32Array[] = CHUNKS.map((c) => {
  const out = [0];
  const bits = CHUNK_BITS[c]!;
  const grow = (mask: number, from: number, left: number): void => {
    for (let b = from; b < bits; b++) {
      out.push(mask | (1 << b));
      if (left > 1) grow(mask | (1 << b), b + 1, left - 1);
    }
  };
  grow(0, 0, RADIUS);
  return Int32Array.from(out);
});

export interface SplitSummary {
  /** Images newly assigned to each split. */
  readonly train: number;
  readonly val: number;
  readonly test: number;
  /** Groups of two or more duplicates that received a split, each as a whole. */
  readonly groupsKeptTogether: number;
  /** Groups (any size) that received a split. */
  readonly groups: number;
  /** Groups already spread over several splits with unassigned members: left alone (the checker reports them). */
  readonly conflictingGroups: number;
}

export interface SplitPlan {
  readonly change: Change;
  readonly summary: SplitSummary;
}

/** Ratios as fractions summing to 1; refused when negative, not finite or all zero. */
export function normalizeRatios(ratios: SplitRatios): Result<SplitRatios> {
  const values = [ratios.train, ratios.val, ratios.test];
  if (values.some((v) => !Number.isFinite(v) || v < 0)) return fail('Split ratios must be numbers of 0 or more.');
  const sum = values.reduce((a, b) => a + b, 0);
  if (sum <= 0) return fail('At least one split ratio must be above 0.');
  return ok({ train: ratios.train / sum, val: ratios.val / sum, test: ratios.test / sum });
}

/**
 * Assigns every unassigned image a split (see the module comment). Deterministic for given images,
 * ratios and seed; the order of `images` does not matter (they are taken in `seq` order).
 */
export function planSplits(images: readonly ImageRecord[], ratios: SplitRatios, seed: number): Result<SplitPlan> {
  const normalized = normalizeRatios(ratios);
  if (!normalized.ok) return normalized;
  const r = normalized.value;
  const sorted = [...images].sort((a, b) => a.seq - b.seq);
  const groups = duplicateGroups(sorted);

  const counts: Record<Assignable, number> = { train: 0, val: 0, test: 0 };
  const added: Record<Assignable, number> = { train: 0, val: 0, test: 0 };
  const target = new Map<number, Assignable>(); // group index → split for its unassigned members
  const open: number[] = []; // groups with no member in a split
  let conflictingGroups = 0;
  let total = 0;

  groups.forEach((members, g) => {
    const splits = new Set<Split>();
    let unassigned = 0;
    for (const i of members) {
      const s = sorted[i]!.split;
      if (s === 'unassigned') unassigned++;
      else {
        splits.add(s);
        counts[s]++;
        total++;
      }
    }
    if (unassigned === 0) return;
    if (splits.size > 1) {
      conflictingGroups++;
      return;
    }
    const [only] = splits;
    if (only !== undefined && only !== 'unassigned') {
      target.set(g, only);
      counts[only] += unassigned;
    } else open.push(g);
    total += unassigned;
  });

  // Shuffle, then largest first (a stable sort keeps the shuffled order among equal sizes).
  const random = mulberry32(seed);
  for (let i = open.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [open[i], open[j]] = [open[j]!, open[i]!];
  }
  open.sort((a, b) => groups[b]!.length - groups[a]!.length);
  for (const g of open) {
    let best: Assignable | null = null;
    let bestDeficit = -Infinity;
    for (const s of ASSIGNABLE) {
      if (r[s] === 0) continue;
      const deficit = r[s] * total - counts[s];
      if (deficit > bestDeficit) {
        best = s;
        bestDeficit = deficit;
      }
    }
    const split = best!;
    target.set(g, split);
    counts[split] += groups[g]!.length;
  }

  const updates: RecordUpdate[] = [];
  let groupsKeptTogether = 0;
  for (const [g, split] of [...target].sort((a, b) => a[0] - b[0])) {
    const members = groups[g]!;
    if (members.length > 1) groupsKeptTogether++;
    for (const i of members) {
      const img = sorted[i]!;
      if (img.split !== 'unassigned') continue;
      updates.push(updated('images', img, { ...img, split }));
      added[split]++;
    }
  }
  return ok({ change: change(...updates), summary: { ...added, groupsKeptTogether, groups: target.size, conflictingGroups } });
}
