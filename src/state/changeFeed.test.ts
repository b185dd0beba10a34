import { describe, expect, it } from 'vitest';
import { added, change, updated } from '../core/change';
import type { DecisionId, ImageId } from '../core/model';
import { makeBox, makeImage, makeLayer, makeProject } from '../test-support/fixtures';
import type { Write } from '../persistence/writes';
import { ChangeFeed, touchedBy, type DocumentEvent, type PublishedEvent } from './changeFeed';

const img1 = makeImage(1);
const img2 = makeImage(2);
const box = makeBox(1, img2.id);

function event(over: Partial<DocumentEvent> = {}): DocumentEvent {
  const c = change(added('annotations', box));
  return { projectId: makeProject().id, source: 'user', change: c, ...touchedBy(c), label: 'draw box', undo: null, writes: [], writeOptions: {}, ...over };
}

describe('touchedBy', () => {
  it('names the images whose record or shapes changed, and whether the project record did', () => {
    const c = change(updated('images', img1, { ...img1, split: 'train' }), added('annotations', box));
    expect(touchedBy(c)).toEqual({ imageIds: new Set<ImageId>([img1.id, img2.id]), projectChanged: false });
    expect(touchedBy(change(updated('projects', makeProject(), { ...makeProject(), name: 'x' }))).projectChanged).toBe(true);
  });

  it("counts a review decision as its image's change (a rejection adds no shape), and a layer change as the project's", () => {
    const decision = { id: 'd1' as DecisionId, projectId: img1.projectId, imageId: img2.id, clusterKey: 'a-1', action: 'reject' as const, consensusId: null, decidedBy: 'lead', revision: 1, at: 1 };
    expect(touchedBy(change(added('reviewDecisions', decision)))).toEqual({ imageIds: new Set([img2.id]), projectChanged: false });
    expect(touchedBy(change(added('layers', makeLayer('bo')))).projectChanged).toBe(true);
  });
});

describe('ChangeFeed', () => {
  it('writes first, then tells every listener in order, each with the save', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const feed = new ChangeFeed((writes, options) => {
      log.push(`write ${writes.length} ${options.label ?? '-'}`);
      return new Promise<void>((r) => (release = r));
    });
    const heard: PublishedEvent[] = [];
    feed.subscribe((e) => void log.push(`history ${e.source}`));
    feed.subscribe((e) => void heard.push(e));
    const w: Write = { op: 'put', store: 'images', value: img1 };
    const saved = feed.publish(event({ writes: [w] }));
    expect(log).toEqual(['write 1 draw box', 'history user']);
    let done = false;
    void heard[0]!.saved.then(() => (done = true));
    release();
    await saved;
    await Promise.resolve();
    expect(done).toBe(true);
  });

  it('writes nothing for what is on disk already, and never names an import in the Save status', async () => {
    const labels: (string | undefined)[] = [];
    const feed = new ChangeFeed(async (_w, options) => void labels.push(options.label));
    await feed.publish(event({ source: 'remote' }));
    const w: Write = { op: 'put', store: 'images', value: img1 };
    await feed.publish(event({ source: 'import', writes: [w] }));
    expect(labels).toEqual([undefined]);
  });

  it('unsubscribes', async () => {
    const feed = new ChangeFeed(async () => undefined);
    let n = 0;
    const off = feed.subscribe(() => void n++);
    await feed.publish(event());
    off();
    await feed.publish(event());
    expect(n).toBe(1);
  });
});
