import { describe, expect, it } from 'vitest';
import { isSorted, sortSmall } from './smallSort';

/** Seeded, so a failure repeats. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('sortSmall', () => {
  it('gives the order of Array.prototype.sort, ties kept in input order, short and long lists', () => {
    const rand = random(7);
    for (const length of [0, 1, 2, 3, 10, 31, 32, 33, 100]) {
      for (let round = 0; round < 20; round++) {
        // Few distinct keys: many ties, whose order shows stability.
        const items = Array.from({ length }, (_, i) => ({ key: Math.floor(rand() * 5), at: i }));
        const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
        const expected = [...items].sort(byKey);
        const copy = [...items];
        expect(sortSmall(copy, byKey)).toBe(copy);
        expect(copy).toEqual(expected);
      }
    }
  });
});

describe('isSorted', () => {
  it('holds for sorted lists (ties allowed) and not otherwise', () => {
    const cmp = (a: number, b: number) => a - b;
    expect(isSorted([], cmp)).toBe(true);
    expect(isSorted([1, 1, 2, 5], cmp)).toBe(true);
    expect(isSorted([1, 3, 2], cmp)).toBe(false);
  });
});
