import { describe, expect, it } from 'vitest';
import type { ImageId, ProjectId } from '../core/model';
import { BitmapCache } from './bitmapCache';

const P = 'p' as ProjectId;
const id = (n: number) => `i${n}` as ImageId;

/** Fake bitmaps: the "blob" carries the size; closing is recorded. */
function setup(sizes: Record<string, number>, capacity = 5, budget = 100) {
  const closed: string[] = [];
  const loads: string[] = [];
  const cache = new BitmapCache(
    (_p, imageId) => {
      loads.push(imageId);
      return Promise.resolve(new Blob([imageId]));
    },
    async (blob) => {
      const name = await blob.text();
      const side = sizes[name] ?? 1;
      return { width: side, height: 1, close: () => closed.push(name) } as unknown as ImageBitmap;
    },
    capacity,
    budget,
  );
  return { cache, closed, loads };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('BitmapCache', () => {
  it('decodes once and hands the same bitmap to get after prefetch', async () => {
    const { cache, loads } = setup({});
    cache.prefetch(P, id(1));
    const a = await cache.get(P, id(1));
    expect(a).not.toBeNull();
    expect(loads).toEqual(['i1']);
  });

  it('keeps at most `capacity` images, closing the oldest', async () => {
    const { cache, closed } = setup({}, 2, 1e9);
    await cache.get(P, id(1));
    cache.prefetch(P, id(2));
    cache.prefetch(P, id(3));
    await settle();
    // i1 is on screen: the oldest prefetch goes instead.
    expect(closed).toEqual(['i2']);
  });

  it('keeps the decoded pixels under the budget, but never evicts the image on screen', async () => {
    const { cache, closed } = setup({ i1: 60, i2: 30, i3: 30 }, 10, 100);
    await cache.get(P, id(1)); // 60 on screen
    cache.prefetch(P, id(2)); // 90
    await settle();
    expect(closed).toEqual([]);
    cache.prefetch(P, id(3)); // 120 > 100: i2 (the oldest that is not on screen) goes
    await settle();
    await settle();
    expect(closed).toEqual(['i2']);
    await cache.get(P, id(3)); // now i3 is on screen; i1 is the oldest but fits again
    await settle();
    expect(closed).toEqual(['i2']);
  });
});
