import { describe, expect, it } from 'vitest';
import { updatesOf, type Change } from '../core/change';
import type { Annotation, Shape } from '../core/model';
import { makeImage } from '../test-support/fixtures';
import { ToolHarness } from '../test-support/toolHarness';
import { MIN_BOX_PX } from './types';

/** The annotations a Change adds. */
function addedBy(c: Change): Annotation[] {
  return updatesOf(c, 'annotations')
    .filter((u) => u.before === null)
    .map((u) => u.after!);
}

/** The single shape the harness has recorded as created, asserting there is exactly one Change adding one annotation. */
function onlyCreated(h: ToolHarness): Shape {
  expect(h.changes).toHaveLength(1);
  const added = addedBy(h.changes[0]!);
  expect(added).toHaveLength(1);
  return added[0]!.shape;
}

describe('boxTool', () => {
  it('drag: idle → pointing → drawing → idle and one Change adding the box', () => {
    const h = new ToolHarness('box').drag(100, 120, 260, 200);
    expect(h.states).toEqual(['idle', 'pointing', 'drawing', 'idle']);
    expect(onlyCreated(h)).toEqual({ kind: 'box', x: 100, y: 120, w: 160, h: 80 });
    expect(h.annotations).toHaveLength(1);
  });

  it.each([
    ['down-right', 100, 120, 260, 200],
    ['up-left', 260, 200, 100, 120],
    ['up-right', 100, 200, 260, 120],
    ['down-left', 260, 120, 100, 200],
  ])('a drag %s gives the same normalised box', (_dir, ax, ay, bx, by) => {
    const h = new ToolHarness('box').drag(ax, ay, bx, by);
    expect(onlyCreated(h)).toEqual({ kind: 'box', x: 100, y: 120, w: 160, h: 80 });
  });

  it('uses the release point, not the last move, for the far corner', () => {
    const h = new ToolHarness('box').pointerDown(10, 10).pointerMove(50, 50).pointerUp(70, 40);
    expect(onlyCreated(h)).toEqual({ kind: 'box', x: 10, y: 10, w: 60, h: 30 });
  });

  it('stores coordinates rounded to 1/100 px', () => {
    const h = new ToolHarness('box').drag(10.123, 20.456, 50.789, 60.001);
    expect(onlyCreated(h)).toEqual({ kind: 'box', x: 10.12, y: 20.46, w: 40.67, h: 39.54 });
  });

  it('a click (no movement past the drag threshold) adds nothing', () => {
    const h = new ToolHarness('box').click(100, 100);
    expect(h.states).toEqual(['idle', 'pointing', 'idle']);
    expect(h.changes).toEqual([]);
  });

  it('a press that wobbles less than the drag threshold stays pointing and adds nothing', () => {
    // 2 screen px is below DRAG_THRESHOLD_PX (3): never starts drawing.
    const h = new ToolHarness('box').pointerDown(100, 100).pointerMove(102, 100).pointerMove(101, 101);
    expect(h.state).toBe('pointing');
    h.pointerUp(101, 101);
    expect(h.states).toEqual(['idle', 'pointing', 'idle']);
    expect(h.changes).toEqual([]);
  });

  it('the drag threshold is in screen pixels: at scale 4, 1 image px is already a drag', () => {
    const h = new ToolHarness('box');
    h.scale = 4;
    h.pointerDown(100, 100).pointerMove(101, 100);
    expect(h.state).toBe('drawing');
  });

  describe('minimum size (MIN_BOX_PX screen px, at least 1 image px)', () => {
    it(`at scale 1 a box ${MIN_BOX_PX - 1} px wide is dropped and ${MIN_BOX_PX} px wide is kept`, () => {
      const small = new ToolHarness('box').drag(100, 100, 100 + MIN_BOX_PX - 1, 150);
      expect(small.states).toEqual(['idle', 'pointing', 'drawing', 'idle']);
      expect(small.changes).toEqual([]);
      const ok = new ToolHarness('box').drag(100, 100, 100 + MIN_BOX_PX, 150);
      expect(onlyCreated(ok)).toEqual({ kind: 'box', x: 100, y: 100, w: MIN_BOX_PX, h: 50 });
    });

    it('a box too low (either side) is dropped too', () => {
      const h = new ToolHarness('box').drag(100, 100, 200, 103);
      expect(h.changes).toEqual([]);
    });

    it('at scale 2 the minimum is 2 image px: a 3 px box is kept', () => {
      const h = new ToolHarness('box');
      h.scale = 2;
      h.drag(100, 100, 103, 110);
      expect(onlyCreated(h)).toEqual({ kind: 'box', x: 100, y: 100, w: 3, h: 10 });
    });

    it('at scale 0.5 the minimum is 8 image px: a 6 px box is dropped, an 8 px box kept', () => {
      const small = new ToolHarness('box');
      small.scale = 0.5;
      small.drag(100, 100, 106, 150);
      expect(small.changes).toEqual([]);
      const ok = new ToolHarness('box');
      ok.scale = 0.5;
      ok.drag(100, 100, 108, 150);
      expect(onlyCreated(ok)).toEqual({ kind: 'box', x: 100, y: 100, w: 8, h: 50 });
    });

    it('at scale 10 the 1 image px floor applies even though 0.8 px is 8 screen px', () => {
      const h = new ToolHarness('box');
      h.scale = 10;
      h.drag(100, 100, 100.8, 105);
      expect(h.states).toEqual(['idle', 'pointing', 'drawing', 'idle']);
      expect(h.changes).toEqual([]);
    });
  });

  describe('clamping to the image (1000 × 800)', () => {
    it('a drag past the bottom-right corner stops at the image edge', () => {
      const h = new ToolHarness('box').drag(900, 700, 1200, 950);
      expect(onlyCreated(h)).toEqual({ kind: 'box', x: 900, y: 700, w: 100, h: 100 });
    });

    it('a drag starting outside the top-left corner starts on the image edge', () => {
      const h = new ToolHarness('box').drag(-50, -20, 40, 30);
      expect(onlyCreated(h)).toEqual({ kind: 'box', x: 0, y: 0, w: 40, h: 30 });
    });

    it('the preview is clamped while drawing', () => {
      const h = new ToolHarness('box').pointerDown(950, 10).pointerMove(1100, 60);
      expect(h.tool.preview()).toEqual({ draft: { kind: 'box', rect: { x: 950, y: 10, w: 50, h: 50 } } });
    });

    it('a drag wholly outside one side collapses to zero width and adds nothing', () => {
      const h = new ToolHarness('box').drag(1100, 100, 1300, 300);
      expect(h.states).toEqual(['idle', 'pointing', 'drawing', 'idle']);
      expect(h.changes).toEqual([]);
    });
  });

  it('Escape mid-drag cancels: no Change, and the release is ignored', () => {
    const h = new ToolHarness('box').pointerDown(100, 100).pointerMove(150, 150).pointerMove(200, 200);
    expect(h.state).toBe('drawing');
    expect(h.tool.busy()).toBe(true);
    h.key('Escape');
    expect(h.handled).toBe(true);
    expect(h.state).toBe('idle');
    expect(h.tool.busy()).toBe(false);
    expect(h.tool.preview()).toEqual({});
    h.pointerUp(200, 200);
    expect(h.handled).toBe(false);
    expect(h.states).toEqual(['idle', 'pointing', 'drawing', 'idle']);
    expect(h.changes).toEqual([]);
  });

  it('Escape when idle is not handled (it goes on to other shortcuts)', () => {
    const h = new ToolHarness('box').key('Escape');
    expect(h.handled).toBe(false);
  });

  it('a cancel input (tool switched) abandons the drag', () => {
    const h = new ToolHarness('box').pointerDown(100, 100).pointerMove(200, 200).cancel().pointerUp(200, 200);
    expect(h.state).toBe('idle');
    expect(h.changes).toEqual([]);
  });

  it('a secondary-button press is ignored', () => {
    const h = new ToolHarness('box').pointerDown(100, 100, 2);
    expect(h.handled).toBe(false);
    expect(h.states).toEqual(['idle']);
  });

  it('a move without a press is not handled', () => {
    const h = new ToolHarness('box').pointerMove(100, 100);
    expect(h.handled).toBe(false);
    expect(h.state).toBe('idle');
  });

  it('the image record in the Change gets annotationCount + 1 and status new → in_progress', () => {
    const image = makeImage(1, { width: 1000, height: 800, annotationCount: 2, status: 'new' });
    const h = new ToolHarness('box', [], image).drag(10, 10, 60, 60);
    const images = updatesOf(h.changes[0]!, 'images');
    expect(images).toHaveLength(1);
    expect(images[0]!.before).toBe(image);
    expect(images[0]!.after).toEqual({ ...image, annotationCount: 3, status: 'in_progress' });
    expect(h.image.annotationCount).toBe(3);
  });

  it('a done image keeps its status while its count goes up', () => {
    const image = makeImage(1, { width: 1000, height: 800, annotationCount: 0, status: 'done' });
    const h = new ToolHarness('box', [], image).drag(10, 10, 60, 60);
    const images = updatesOf(h.changes[0]!, 'images');
    expect(images.map((u) => [u.after!.status, u.after!.annotationCount])).toEqual([['done', 1]]);
  });

  it('the new shape is selected', () => {
    const h = new ToolHarness('box').drag(10, 10, 60, 60);
    const added = addedBy(h.changes[0]!);
    expect(h.selection).toEqual([added[0]!.id]);
    expect(added[0]!.imageId).toBe(h.image.id);
  });

  it('two drags make two boxes, two Changes', () => {
    const h = new ToolHarness('box').drag(10, 10, 60, 60).drag(100, 100, 150, 130);
    expect(h.changes).toHaveLength(2);
    expect(h.annotations.map((a) => a.shape)).toEqual([
      { kind: 'box', x: 10, y: 10, w: 50, h: 50 },
      { kind: 'box', x: 100, y: 100, w: 50, h: 30 },
    ]);
    expect(h.image.annotationCount).toBe(2);
  });
});
