import { describe, expect, it } from 'vitest';
import { ToolHarness } from '../test-support/toolHarness';

const sum = (pans: readonly { dx: number; dy: number }[]): { dx: number; dy: number } =>
  pans.reduce((s, p) => ({ dx: s.dx + p.dx, dy: s.dy + p.dy }), { dx: 0, dy: 0 });

describe('panTool', () => {
  it('a drag emits pan effects summing to the screen movement', () => {
    const h = new ToolHarness('pan').drag(10, 10, 60, -20, 5);
    expect(h.states).toEqual(['idle', 'panning', 'idle']);
    expect(h.pans).toHaveLength(5);
    expect(sum(h.pans)).toEqual({ dx: 50, dy: -30 });
    expect(h.pans[0]).toEqual({ dx: 10, dy: -6 });
    expect(h.changes).toEqual([]);
  });

  it('works in screen pixels: at scale 2 the same image-px drag pans twice as far', () => {
    const h = new ToolHarness('pan');
    h.scale = 2;
    h.drag(10, 10, 60, -20, 4);
    expect(sum(h.pans)).toEqual({ dx: 100, dy: -60 });
  });

  it('each move pans by the distance since the previous move', () => {
    const h = new ToolHarness('pan').pointerDown(100, 100).pointerMove(110, 100).pointerMove(110, 130).pointerMove(90, 120);
    expect(h.pans).toEqual([
      { dx: 10, dy: 0 },
      { dx: 0, dy: 30 },
      { dx: -20, dy: -10 },
    ]);
    expect(h.tool.busy()).toBe(true);
  });

  it('moves without a press, and after the release, do not pan', () => {
    const h = new ToolHarness('pan').pointerMove(100, 100);
    expect(h.handled).toBe(false);
    h.drag(0, 0, 20, 0, 2).pointerMove(500, 500);
    expect(h.handled).toBe(false);
    expect(sum(h.pans)).toEqual({ dx: 20, dy: 0 });
    expect(h.tool.busy()).toBe(false);
  });

  it('a press and release in place pans nothing', () => {
    const h = new ToolHarness('pan').click(100, 100);
    expect(h.pans).toEqual([]);
    expect(h.states).toEqual(['idle', 'panning', 'idle']);
  });

  it('a cancel ends the pan', () => {
    const h = new ToolHarness('pan').pointerDown(0, 0).pointerMove(10, 0).cancel().pointerMove(50, 0);
    expect(h.state).toBe('idle');
    expect(h.pans).toEqual([{ dx: 10, dy: 0 }]);
  });

  it('keys are not the pan tool’s', () => {
    const h = new ToolHarness('pan').key('Escape');
    expect(h.handled).toBe(false);
    expect(h.tool.preview()).toEqual({});
  });
});

describe('pan tool: whole pixels', () => {
  it('pans by whole pixels and carries the fractions, so the total follows the pointer', () => {
    const h = new ToolHarness('pan');
    h.pointerDown(0, 0);
    for (let i = 1; i <= 10; i++) h.pointerMove(i * 0.7, i * 0.3);
    h.pointerUp(7, 3);
    expect(h.pans.every((p) => Number.isInteger(p.dx) && Number.isInteger(p.dy))).toBe(true);
    expect(h.pans.reduce((s, p) => s + p.dx, 0)).toBe(7);
    expect(h.pans.reduce((s, p) => s + p.dy, 0)).toBe(3);
  });
});
