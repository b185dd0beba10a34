import { describe, expect, it } from 'vitest';
import { added, removed, updated } from '../core/change';
import type { AnnotationId, ClassId, LayerId } from '../core/model';
import { makeBox, makeImage } from '../test-support/fixtures';
import { foldLog, ShapeClock, shapeLogEntries, SHAPES_PER_ENTRY } from './shapeLog';

const idOf = (a: unknown): string => (a as { id: string }).id;

const one = makeImage(1);
const two = makeImage(2);
const bob = 'layer-bob' as LayerId;

describe('ShapeClock', () => {
  it('counts up from the wall clock in microseconds, strictly, even within one millisecond', () => {
    const clock = new ShapeClock(() => 1_000);
    expect([clock.next(), clock.next(), clock.next()]).toEqual([1_000_000, 1_000_001, 1_000_002]);
  });

  it('never goes below a seq it has seen, whatever the wall clock says', () => {
    let now = 5_000;
    const clock = new ShapeClock(() => now);
    clock.observe(9_000_000_000);
    expect(clock.next()).toBe(9_000_000_001);
    now = 10_000_000; // later than everything seen: the wall clock leads again
    expect(clock.next()).toBe(10_000_000_000);
    clock.observe(3); // an older entry changes nothing
    expect(clock.next()).toBe(10_000_000_001);
  });
});

describe('shapeLogEntries', () => {
  it('makes one entry per layer and image, shapes by id; past SHAPES_PER_ENTRY, several in seq order, each id in one (5,000 shapes: 20 records)', () => {
    const many = Array.from({ length: 5000 }, (_, i) => makeBox(5000 - i, one.id));
    const sorted = many.map((a) => a.id).sort();
    const gone = ['a-9001', 'a-9000'] as AnnotationId[];
    const entries = shapeLogEntries([...gone.map((id) => removed('annotations', makeBox(Number(id.slice(2)), one.id))), ...many.map((a) => added('annotations', a))], new ShapeClock(() => 1));
    expect(SHAPES_PER_ENTRY).toBe(250);
    expect(entries).toHaveLength(20);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 1000 + i));
    expect(entries.flatMap((e) => e.shapes.map((a) => a.id))).toEqual(sorted);
    expect(entries.map((e) => e.shapes.length)).toEqual(Array(20).fill(250));
    expect(entries.map((e) => e.removed)).toEqual([['a-9000', 'a-9001'], ...Array(19).fill([])]);
    expect(entries[0]).toMatchObject({ projectId: one.projectId, imageId: one.id, layerId: many[0]!.layerId });
    // Folded, they are the 5,000 shapes again.
    const [run] = foldLog(entries, () => expect.unreachable());
    expect(run!.shapes.map((a) => idOf(a)).sort()).toEqual(sorted);
    expect(run!.entries).toBe(20);
    // At most SHAPES_PER_ENTRY: one entry, whatever the per-entry size is set to.
    expect(shapeLogEntries(many.slice(0, 250).map((a) => added('annotations', a)), new ShapeClock(() => 1))).toHaveLength(1);
    expect(shapeLogEntries(many.slice(0, 7).map((a) => added('annotations', a)), new ShapeClock(() => 1), 3).map((e) => e.shapes.length)).toEqual([3, 3, 1]);
  });

  it('splits by image and layer, lists each entry’s classes, and gives each its own seq in order of first touch', () => {
    const a = makeBox(1, one.id);
    const b = makeBox(2, two.id, { classId: 'c-person' as ClassId });
    const c = makeBox(3, one.id, { layerId: bob });
    const d = makeBox(4, one.id, { classId: 'c-person' as ClassId });
    const entries = shapeLogEntries([added('annotations', a), added('annotations', b), added('annotations', c), added('annotations', d)], new ShapeClock(() => 1));
    expect(entries.map((e) => [e.imageId, e.layerId, e.seq, e.shapes.map((s) => s.id), e.classKeys])).toEqual([
      [one.id, a.layerId, 1000, ['a-1', 'a-4'], [[one.projectId, 'c-car'], [one.projectId, 'c-person']]],
      [two.id, a.layerId, 1001, ['a-2'], [[one.projectId, 'c-person']]],
      [one.id, bob, 1002, ['a-3'], [[one.projectId, 'c-car']]],
    ]);
  });

  it('lets the last update of an id decide; a shape moved to another image or layer leaves the old one', () => {
    const a = makeBox(1, one.id);
    const moved = { ...a, imageId: two.id };
    const toBob = { ...makeBox(2, one.id), layerId: bob };
    const gone = makeBox(3, one.id);
    const entries = shapeLogEntries(
      [updated('annotations', a, moved), updated('annotations', makeBox(2, one.id), toBob), added('annotations', gone), removed('annotations', gone)],
      new ShapeClock(() => 1),
    );
    expect(entries.map((e) => [e.imageId, e.layerId, e.shapes.map((s) => s.id), e.removed])).toEqual([
      [one.id, a.layerId, [], ['a-1', 'a-2', 'a-3']],
      [two.id, a.layerId, ['a-1'], []],
      [one.id, bob, ['a-2'], []],
    ]);
  });
});

describe('foldLog', () => {
  it('replays a layer’s entries in order: later puts replace, removals remove; layers and images stay apart', () => {
    const clock = new ShapeClock(() => 1);
    const a = makeBox(1, one.id);
    const b = makeBox(2, one.id);
    const aMoved = { ...a, shape: { kind: 'box' as const, x: 1, y: 2, w: 3, h: 4 } };
    const log = [
      ...shapeLogEntries([added('annotations', a), added('annotations', b)], clock),
      ...shapeLogEntries([updated('annotations', a, aMoved)], clock),
      ...shapeLogEntries([removed('annotations', b)], clock),
      ...shapeLogEntries([added('annotations', { ...makeBox(3, one.id), layerId: bob })], clock),
      ...shapeLogEntries([added('annotations', makeBox(4, two.id))], clock),
    ].sort((x, y) => (x.imageId + x.layerId < y.imageId + y.layerId ? -1 : x.imageId + x.layerId > y.imageId + y.layerId ? 1 : x.seq - y.seq));
    const seen = new ShapeClock(() => 0);
    const runs = foldLog(log, () => expect.unreachable(), seen);
    expect(runs.map((r) => [r.imageId, r.layerId, r.shapes, r.entries])).toEqual([
      [one.id, a.layerId, [aMoved], 3],
      [one.id, bob, [{ ...makeBox(3, one.id), layerId: bob }], 1],
      [two.id, a.layerId, [makeBox(4, two.id)], 1],
    ]);
    // Reading showed the clock the newest entry.
    expect(seen.next()).toBe(Math.max(...log.map((e) => e.seq)) + 1);
  });

  it('reports and leaves out what is not an entry, and a shape without an id', () => {
    const bad: string[] = [];
    const runs = foldLog([{ nope: true }, { projectId: 'p1', imageId: 'i', layerId: 'l', seq: 1, shapes: [{ x: 1 }, makeBox(1, one.id)], removed: [] }], (r) => bad.push(r));
    expect(bad).toEqual(['a shape log entry without its parts', 'a shape without an id']);
    expect(runs.map((r) => r.shapes.map((a) => (a as { id: string }).id))).toEqual([['a-1']]);
  });
});
