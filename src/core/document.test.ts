import { describe, expect, it } from 'vitest';
import { added, change, removed, updated } from './change';
import { applyChange, createDocument } from './document';
import type { ProjectId } from './model';
import { makeImage, makeProject } from '../test-support/fixtures';

describe('ProjectDocument', () => {
  const p = makeProject();
  const doc = createDocument(p, [makeImage(3), makeImage(1), makeImage(2)]);

  it('orders images by seq and indexes them', () => {
    expect(doc.images.map((i) => i.seq)).toEqual([1, 2, 3]);
    expect(doc.imageIndex.get(makeImage(3).id)).toBe(2);
  });

  it('updates an image in place without re-indexing', () => {
    const before = doc.images[1]!;
    const next = applyChange(doc, change(updated('images', before, { ...before, split: 'val' })));
    expect(next.images[1]!.split).toBe('val');
    expect(next.imageIndex).toBe(doc.imageIndex);
    expect(doc.images[1]!.split).toBe('unassigned'); // the old document is untouched
  });

  it('adds and removes images, keeping seq order and the index right', () => {
    const next = applyChange(doc, change(added('images', makeImage(0)), removed('images', doc.images[1]!), added('images', makeImage(9))));
    expect(next.images.map((i) => i.seq)).toEqual([0, 1, 3, 9]);
    expect([...next.imageIndex.entries()].map(([id, i]) => [id, i])).toEqual([
      ['img-0', 0],
      ['img-1', 1],
      ['img-3', 2],
      ['img-9', 3],
    ]);
  });

  it('applies an update to an image added earlier in the same Change', () => {
    const img = makeImage(5);
    const next = applyChange(doc, change(added('images', img), updated('images', img, { ...img, status: 'done' })));
    expect(next.images.find((i) => i.id === img.id)!.status).toBe('done');
  });

  it('follows project updates and ignores other projects', () => {
    const renamed = applyChange(doc, change(updated('projects', p, { ...p, name: 'New' })));
    expect(renamed.project.name).toBe('New');
    const other = makeImage(7, { projectId: 'p2' as ProjectId });
    expect(applyChange(doc, change(added('images', other)))).toBe(doc);
  });
});
