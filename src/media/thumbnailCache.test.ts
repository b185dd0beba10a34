import { describe, expect, it } from 'vitest';
import type { ImageId, ProjectId } from '../core/model';
import { ThumbnailCache } from './thumbnailCache';

const P = 'p1' as ProjectId;
const id = (n: number) => `img-${n}` as ImageId;

function harness(capacity = 10) {
  const loads: ImageId[][] = [];
  let run: (() => void) | null = null;
  const cache = new ThumbnailCache(
    async (_p, ids) => {
      loads.push([...ids]);
      return new Map(ids.filter((i) => i !== id(404)).map((i) => [i, new Blob([i])]));
    },
    capacity,
    (fn) => (run = fn),
  );
  const flush = async () => {
    const fn = run;
    run = null;
    fn?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { cache, loads, flush };
}

describe('ThumbnailCache', () => {
  it('reads the thumbnails asked for in one frame together and tells listeners once', async () => {
    const h = harness();
    let heard = 0;
    h.cache.subscribe(() => heard++);
    for (const n of [1, 2, 3, 404]) h.cache.request(P, id(n));
    expect(h.cache.peek(P, id(1))).toBeUndefined();
    await h.flush();
    expect(h.loads).toEqual([[id(1), id(2), id(3), id(404)]]);
    expect(heard).toBe(1);
    expect(h.cache.peek(P, id(1))).toMatch(/^blob:/);
    expect(h.cache.peek(P, id(404))).toBeNull(); // no thumbnail: remembered, not asked again
    h.cache.request(P, id(404));
    h.cache.request(P, id(1));
    await h.flush();
    expect(h.loads).toHaveLength(1);
  });

  it('keeps the most recently used and revokes the rest', async () => {
    const h = harness(3);
    for (const n of [1, 2, 3]) h.cache.request(P, id(n));
    await h.flush();
    const first = h.cache.peek(P, id(1))!;
    h.cache.request(P, id(1)); // touch 1: now 2 is the oldest
    h.cache.request(P, id(4));
    await h.flush();
    expect(h.cache.peek(P, id(2))).toBeUndefined();
    expect(h.cache.peek(P, id(1))).toBe(first);
    expect(h.cache.peek(P, id(4))).toMatch(/^blob:/);
  });

  it('forgets a deleted project', async () => {
    const h = harness();
    h.cache.request(P, id(1));
    h.cache.request('p2' as ProjectId, id(1));
    await h.flush();
    expect(h.loads).toHaveLength(2); // one read per project
    h.cache.forgetProject(P);
    expect(h.cache.peek(P, id(1))).toBeUndefined();
    expect(h.cache.peek('p2' as ProjectId, id(1))).toMatch(/^blob:/);
  });
});
