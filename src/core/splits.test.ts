import { describe, expect, it } from 'vitest';
import { updatesOf } from './change';
import { hammingDistance } from './imaging/perceptualHash';
import type { ImageRecord, Split, SplitRatios } from './model';
import type { Result } from './result';
import { duplicateGroups, planSplits, type SplitPlan } from './splits';
import { makeImage } from '../test-support/fixtures';
import { mulberry32 } from './prng';
import { HEAVY_TEST_MS } from '../test-support/heavy';

const RATIOS: SplitRatios = { train: 0.8, val: 0.1, test: 0.1 };

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

const hex16 = (hi: number, lo: number): string => (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');

/** `count` images with random, far-apart hashes and distinct bytes. */
function distinctImages(count: number, seed = 7): ImageRecord[] {
  const random = mulberry32(seed);
  const word = () => Math.floor(random() * 2 ** 32);
  return Array.from({ length: count }, (_, n) =>
    makeImage(n, {
      sha256: n.toString(16).padStart(64, '0'),
      phash: hex16(word(), word()),
      phashMirrored: hex16(word(), word()),
      dhash: hex16(word(), word()),
    }),
  );
}

/** `hash` with the given bit positions (0 = most significant) flipped. */
function flip(hash: string, bits: readonly number[]): string {
  let hi = parseInt(hash.slice(0, 8), 16);
  let lo = parseInt(hash.slice(8), 16);
  for (const b of bits) {
    if (b < 32) hi ^= 1 << (31 - b);
    else lo ^= 1 << (63 - b);
  }
  return hex16(hi, lo);
}

/** The split of each image after applying the plan. */
function splitsAfter(images: readonly ImageRecord[], plan: SplitPlan): Map<string, Split> {
  const out = new Map<string, Split>(images.map((i) => [i.id, i.split]));
  for (const u of updatesOf(plan.change, 'images')) out.set(u.after!.id, u.after!.split);
  return out;
}

function countSplits(splits: Map<string, Split>): Record<Split, number> {
  const counts = { train: 0, val: 0, test: 0, unassigned: 0 };
  for (const s of splits.values()) counts[s]++;
  return counts;
}

/** The obvious all-pairs grouping, to check the fast one against. */
function bruteGroups(images: readonly ImageRecord[]): number[][] {
  const parent = images.map((_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  for (let i = 0; i < images.length; i++) {
    for (let j = i + 1; j < images.length; j++) {
      const a = images[i]!;
      const b = images[j]!;
      const near =
        a.sha256 === b.sha256 ||
        hammingDistance(a.phash, b.phash) <= 10 ||
        hammingDistance(a.phash, b.phashMirrored) <= 10 ||
        hammingDistance(a.phashMirrored, b.phash) <= 10;
      if (near) parent[Math.max(find(i), find(j))] = Math.min(find(i), find(j));
    }
  }
  const byRoot = new Map<number, number[]>();
  images.forEach((_, i) => byRoot.set(find(i), [...(byRoot.get(find(i)) ?? []), i]));
  return [...byRoot.values()];
}

describe('duplicateGroups', () => {
  it('matches the all-pairs grouping on clustered hashes (distances around the threshold)', () => {
    const random = mulberry32(3);
    const images = distinctImages(400, 11);
    // Re-hash most images as noisy copies of a few bases: 0–14 bits away, so many pairs sit near 10.
    const bases = images.slice(0, 20).map((i) => i.phash);
    const noisy = images.map((img, n) => {
      if (n < 20 || random() < 0.2) return img;
      const base = bases[Math.floor(random() * bases.length)]!;
      const bits = Array.from({ length: Math.floor(random() * 15) }, () => Math.floor(random() * 64));
      const near = flip(base, bits);
      return random() < 0.3 ? { ...img, phashMirrored: near } : { ...img, phash: near };
    });
    expect(duplicateGroups(noisy)).toEqual(bruteGroups(noisy));
  }, HEAVY_TEST_MS);

  it('groups equal bytes, near pHashes and mirrored pHashes; distance 11 is not near', () => {
    const images = distinctImages(6);
    images[1] = { ...images[1]!, sha256: images[0]!.sha256 };
    images[3] = { ...images[3]!, phash: flip(images[2]!.phash, [0, 5, 17, 31, 32, 40, 50, 60, 62, 63]) }; // 10 bits
    images[5] = { ...images[5]!, phashMirrored: flip(images[4]!.phash, [1, 2, 3]) };
    expect(duplicateGroups(images)).toEqual([[0, 1], [2, 3], [4, 5]]);
    images[3] = { ...images[3]!, phash: flip(images[2]!.phash, [0, 5, 17, 31, 32, 40, 50, 60, 62, 63, 20]) }; // 11 bits
    expect(duplicateGroups(images)).toEqual([[0, 1], [2], [3], [4, 5]]);
  });

  it('survives many identical and malformed hashes', () => {
    const images = distinctImages(2000).map((img, n) => (n % 2 ? { ...img, phash: '0'.repeat(16), phashMirrored: '0'.repeat(16) } : { ...img, phash: '' }));
    const groups = duplicateGroups(images);
    expect(groups).toHaveLength(1001);
    expect(groups[1]).toHaveLength(1000);
    expect(groups[1]![0]).toBe(1);
  });
});

describe('planSplits', () => {
  it('follows the ratios within one image for 1,000 distinct images', () => {
    const images = distinctImages(1000);
    const plan = value(planSplits(images, RATIOS, 1));
    const counts = countSplits(splitsAfter(images, plan));
    expect(counts.unassigned).toBe(0);
    expect(Math.abs(counts.train - 800)).toBeLessThanOrEqual(1);
    expect(Math.abs(counts.val - 100)).toBeLessThanOrEqual(1);
    expect(Math.abs(counts.test - 100)).toBeLessThanOrEqual(1);
    expect(plan.summary).toMatchObject({ train: counts.train, val: counts.val, test: counts.test, groupsKeptTogether: 0, groups: 1000 });
  });

  it('never splits a group (same bytes, near pHash, mirrored pHash)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const images = distinctImages(30, seed);
      images[1] = { ...images[1]!, sha256: images[0]!.sha256 };
      images[3] = { ...images[3]!, phash: flip(images[2]!.phash, [3, 9, 40]) };
      images[4] = { ...images[4]!, phash: flip(images[3]!.phash, [10, 11]) }; // transitively with 2
      images[6] = { ...images[6]!, phash: flip(images[5]!.phashMirrored, [7]) };
      const plan = value(planSplits(images, { train: 0.34, val: 0.33, test: 0.33 }, seed));
      const after = splitsAfter(images, plan);
      const split = (n: number) => after.get(images[n]!.id);
      expect(split(1)).toBe(split(0));
      expect(split(3)).toBe(split(2));
      expect(split(4)).toBe(split(2));
      expect(split(6)).toBe(split(5));
      expect(plan.summary.groupsKeptTogether).toBe(3);
      expect(plan.summary.groups).toBe(26);
    }
  });

  it('leaves assigned images alone; a group follows its assigned member; a conflicting group stays put', () => {
    const images = distinctImages(100);
    images[0] = { ...images[0]!, split: 'test' };
    images[1] = { ...images[1]!, split: 'val' };
    images[2] = { ...images[2]!, sha256: images[0]!.sha256 }; // follows 0 into test
    images[3] = { ...images[3]!, phash: flip(images[1]!.phash, [1, 2]) }; // follows 1 into val
    images[4] = { ...images[4]!, split: 'train', phash: flip(images[5]!.phash, [8]) };
    images[5] = { ...images[5]!, split: 'test' };
    images[6] = { ...images[6]!, phash: flip(images[5]!.phash, [9]) }; // in a group spanning train and test
    const plan = value(planSplits(images, RATIOS, 4));
    const after = splitsAfter(images, plan);
    const touched = new Set(updatesOf(plan.change, 'images').map((u) => u.before!.id));
    for (const n of [0, 1, 4, 5, 6]) expect(touched.has(images[n]!.id)).toBe(false);
    expect(after.get(images[2]!.id)).toBe('test');
    expect(after.get(images[3]!.id)).toBe('val');
    expect(after.get(images[6]!.id)).toBe('unassigned');
    expect(plan.summary.conflictingGroups).toBe(1);
    for (const u of updatesOf(plan.change, 'images')) expect(u.before!.split).toBe('unassigned');
    expect(countSplits(after).unassigned).toBe(1);
  });

  it('counts already assigned images towards the ratios', () => {
    const images = distinctImages(100).map((img, n) => (n < 40 ? { ...img, split: 'train' as const } : img));
    const counts = countSplits(splitsAfter(images, value(planSplits(images, { train: 0.5, val: 0.5, test: 0 }, 1))));
    expect(counts).toEqual({ train: 50, val: 50, test: 0, unassigned: 0 });
  });

  it('is deterministic per seed; different seeds give different assignments', () => {
    const images = distinctImages(200);
    const a = value(planSplits(images, RATIOS, 42));
    expect(value(planSplits([...images].reverse(), RATIOS, 42))).toEqual(a);
    const b = value(planSplits(images, RATIOS, 43));
    expect(splitsAfter(images, b)).not.toEqual(splitsAfter(images, a));
    expect(b.summary).toEqual(a.summary);
  });

  it('does nothing for an empty project or when everything is assigned', () => {
    expect(value(planSplits([], RATIOS, 1)).change.updates).toEqual([]);
    const assigned = distinctImages(20).map((img, n) => ({ ...img, split: (['train', 'val', 'test'] as const)[n % 3]! }));
    const plan = value(planSplits(assigned, RATIOS, 1));
    expect(plan.change.updates).toEqual([]);
    expect(plan.summary).toEqual({ train: 0, val: 0, test: 0, groupsKeptTogether: 0, groups: 0, conflictingGroups: 0 });
  });

  it('never uses a split whose ratio is 0', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const images = distinctImages(97, seed).map((img, n) => (n % 10 === 0 ? { ...img, split: 'test' as const } : img));
      const counts = countSplits(splitsAfter(images, value(planSplits(images, { train: 90, val: 10, test: 0 }, seed))));
      expect(counts.test).toBe(10); // only those already there
      expect(counts.unassigned).toBe(0);
    }
  });

  it('refuses negative or all-zero ratios', () => {
    expect(planSplits([], { train: -1, val: 1, test: 1 }, 1).ok).toBe(false);
    expect(planSplits([], { train: 0, val: 0, test: 0 }, 1).ok).toBe(false);
  });
});
