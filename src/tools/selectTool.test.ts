import { describe, expect, it } from 'vitest';
import { updatesOf, type Change } from '../core/change';
import type { Annotation, AnnotationId, Shape } from '../core/model';
import { makeBox, makeImage } from '../test-support/fixtures';
import { ToolHarness } from '../test-support/toolHarness';

const IMG = makeImage(1).id;
const id = (n: number): AnnotationId => `a-${n}` as AnnotationId;
const box = (n: number, x: number, y: number, w: number, h: number): Annotation => makeBox(n, IMG, { shape: { kind: 'box', x, y, w, h } });
const poly = (n: number, points: number[]): Annotation => makeBox(n, IMG, { shape: { kind: 'polygon', points } });

/** A harness on a 1000 × 800 image with these shapes and this selection. */
function harness(annotations: Annotation[], selection: number[] = []): ToolHarness {
  const h = new ToolHarness('select', annotations);
  h.selection = selection.map(id);
  return h;
}

/** Changes that change something (the harness also records empty ones). */
const real = (h: ToolHarness): Change[] => h.changes.filter((c) => c.updates.length > 0);

/** The annotation updates of the only Change, as id → shape after. */
function onlyUpdate(h: ToolHarness): Map<string, Shape> {
  const changes = real(h);
  expect(changes).toHaveLength(1);
  return new Map(updatesOf(changes[0]!, 'annotations').map((u) => [u.after!.id, u.after!.shape]));
}

/** Labels of the update effects emitted. */
const labels = (h: ToolHarness): string[] => h.effects.flatMap((e) => (e.kind === 'update' ? [e.label] : []));

const A = () => box(1, 100, 100, 100, 50);
const B = () => box(2, 400, 400, 50, 50);
const C = () => box(3, 600, 100, 50, 50);
const SQUARE = [100, 100, 300, 100, 300, 300, 100, 300];

describe('selectTool: picking', () => {
  it('a click on a shape selects it, with no Change', () => {
    const h = harness([A(), B()]).click(150, 120);
    expect(h.selection).toEqual([id(1)]);
    expect(h.states).toEqual(['idle', 'pointing', 'idle']);
    expect(h.changes).toEqual([]);
  });

  it('a click near (within tolerance of) a shape edge selects it; further away does not', () => {
    expect(harness([A()]).click(205, 120).selection).toEqual([id(1)]);
    expect(harness([A()]).click(207, 120).selection).toEqual([]);
  });

  it('the pick tolerance is in screen pixels: at scale 3, 2 image px from the edge hits and 3 does not', () => {
    const near = harness([A()]);
    near.scale = 3;
    expect(near.click(202, 120).selection).toEqual([id(1)]);
    const far = harness([A()]);
    far.scale = 3;
    expect(far.click(203, 120).selection).toEqual([]);
  });

  it('a click on another shape replaces the selection', () => {
    const h = harness([A(), B()], [1]).click(420, 420);
    expect(h.selection).toEqual([id(2)]);
  });

  it('shift-click adds a shape to the selection, and shift-click again removes it', () => {
    const h = harness([A(), B(), C()], [1]).with({ shift: true }).click(420, 420);
    expect(h.selection).toEqual([id(1), id(2)]);
    h.click(620, 120);
    expect(h.selection).toEqual([id(1), id(2), id(3)]);
    h.click(150, 120);
    expect(h.selection).toEqual([id(2), id(3)]);
    expect(h.changes).toEqual([]);
  });

  it('a click on empty canvas clears the selection', () => {
    const h = harness([A(), B()], [1, 2]).click(800, 100);
    expect(h.states).toEqual(['idle', 'brushing', 'idle']);
    expect(h.selection).toEqual([]);
  });

  it('a shift-click on empty canvas keeps the selection', () => {
    const h = harness([A(), B()], [1, 2]).with({ shift: true }).click(800, 100);
    expect(h.selection).toEqual([id(1), id(2)]);
  });

  it('a click (no drag) on one shape of a multi-selection narrows the selection to it', () => {
    const h = harness([A(), B()], [1, 2]).click(150, 120);
    expect(h.selection).toEqual([id(1)]);
    expect(h.changes).toEqual([]);
  });

  it('nested boxes: a click inside the small box inside a big one picks the small one', () => {
    const big = box(1, 100, 100, 400, 300);
    const small = box(2, 200, 200, 50, 50);
    expect(harness([big, small]).click(220, 220).selection).toEqual([id(2)]);
    expect(harness([small, big]).click(220, 220).selection).toEqual([id(2)]);
    expect(harness([big, small]).click(120, 120).selection).toEqual([id(1)]);
  });

  it('a secondary-button press is ignored', () => {
    const h = harness([A()]).pointerDown(150, 120, 2);
    expect(h.handled).toBe(false);
    expect(h.states).toEqual(['idle']);
    expect(h.selection).toEqual([]);
  });
});

describe('selectTool: rubber band', () => {
  it('selects the shapes wholly inside the band, in input order', () => {
    const h = harness([A(), B(), C()]).pointerDown(50, 50).pointerMove(300, 300);
    expect(h.tool.preview()).toEqual({ band: { x: 50, y: 50, w: 250, h: 250 } });
    h.pointerMove(620, 500).pointerUp(620, 500);
    // C (600..650) is only partly inside: not selected.
    expect(h.states).toEqual(['idle', 'brushing', 'idle']);
    expect(h.selection).toEqual([id(1), id(2)]);
    expect(h.changes).toEqual([]);
  });

  it('works dragged in any direction', () => {
    expect(harness([A(), B(), C()]).drag(700, 300, 50, 50).selection).toEqual([id(1), id(3)]);
  });

  it('an empty band clears the selection', () => {
    expect(harness([A(), B()], [1]).drag(700, 600, 900, 700).selection).toEqual([]);
  });

  it('with Shift, adds to the selection (without duplicates)', () => {
    const h = harness([A(), B(), C()], [3, 1]).with({ shift: true }).drag(50, 50, 500, 500);
    expect(h.selection).toEqual([id(3), id(1), id(2)]);
  });

  it('a band that moves less than the drag threshold is a click (clears)', () => {
    const h = harness([A()], [1]).pointerDown(50, 50).pointerMove(51, 51).pointerUp(51, 51);
    expect(h.tool.preview()).toEqual({});
    expect(h.selection).toEqual([]);
  });
});

describe('selectTool: moving', () => {
  it('dragging a shape moves it: one Change with one annotation update', () => {
    const h = harness([A(), B()]).drag(150, 120, 200, 150);
    expect(h.states).toEqual(['idle', 'pointing', 'translating', 'idle']);
    expect(h.changes).toHaveLength(1);
    expect(onlyUpdate(h)).toEqual(new Map([[id(1), { kind: 'box', x: 150, y: 130, w: 100, h: 50 }]]));
    expect(labels(h)).toEqual(['move']);
    expect(h.selection).toEqual([id(1)]);
    expect(h.shapeOf('a-2')).toEqual(B().shape);
  });

  it('shows the moved shape in the preview while dragging, and changes nothing before the release', () => {
    const h = harness([A()]).pointerDown(150, 120).pointerMove(160, 120).pointerMove(170, 125);
    expect(h.tool.preview()).toEqual({ moved: new Map([[id(1), { kind: 'box', x: 120, y: 105, w: 100, h: 50 }]]) });
    expect(h.changes).toEqual([]);
    expect(h.tool.busy()).toBe(true);
  });

  it('a moved polygon keeps its shape', () => {
    const h = harness([poly(1, SQUARE)]).drag(200, 200, 250, 190);
    expect(onlyUpdate(h)).toEqual(new Map([[id(1), { kind: 'polygon', points: [150, 90, 350, 90, 350, 290, 150, 290] }]]));
  });

  it('a moved shape is held inside the image (1000 × 800)', () => {
    expect(onlyUpdate(harness([A()]).drag(150, 120, -500, -500))).toEqual(new Map([[id(1), { kind: 'box', x: 0, y: 0, w: 100, h: 50 }]]));
    expect(onlyUpdate(harness([A()]).drag(150, 120, 5000, 5000))).toEqual(new Map([[id(1), { kind: 'box', x: 900, y: 750, w: 100, h: 50 }]]));
    // Clamped on one axis only.
    expect(onlyUpdate(harness([A()]).drag(150, 120, 2000, 140))).toEqual(new Map([[id(1), { kind: 'box', x: 900, y: 120, w: 100, h: 50 }]]));
  });

  it('dragging one shape of a multi-selection moves them all as a block: one Change', () => {
    const h = harness([A(), B(), C()], [1, 2]).drag(150, 120, 100, 100);
    expect(onlyUpdate(h)).toEqual(
      new Map([
        [id(1), { kind: 'box', x: 50, y: 80, w: 100, h: 50 }],
        [id(2), { kind: 'box', x: 350, y: 380, w: 50, h: 50 }],
      ]),
    );
    expect(h.selection).toEqual([id(1), id(2)]);
    expect(h.shapeOf('a-3')).toEqual(C().shape);
  });

  it('a block is clamped as a whole: the shapes keep their relative positions', () => {
    const h = harness([A(), B()], [1, 2]).drag(150, 120, 0, 120);
    // A can move only 100 px left, so B moves 100 px too.
    expect(onlyUpdate(h)).toEqual(
      new Map([
        [id(1), { kind: 'box', x: 0, y: 100, w: 100, h: 50 }],
        [id(2), { kind: 'box', x: 300, y: 400, w: 50, h: 50 }],
      ]),
    );
  });

  it('dragging an unselected shape selects and moves it alone', () => {
    const h = harness([A(), B()], [2]).drag(150, 120, 160, 130);
    expect(h.selection).toEqual([id(1)]);
    expect(onlyUpdate(h)).toEqual(new Map([[id(1), { kind: 'box', x: 110, y: 110, w: 100, h: 50 }]]));
  });

  it('with several shapes selected, a press on a corner moves (handles are for a single selection)', () => {
    const h = harness([A(), B()], [1, 2]).drag(200, 150, 210, 160);
    expect(onlyUpdate(h)).toEqual(
      new Map([
        [id(1), { kind: 'box', x: 110, y: 110, w: 100, h: 50 }],
        [id(2), { kind: 'box', x: 410, y: 410, w: 50, h: 50 }],
      ]),
    );
  });

  it('a press that does not move does not create a Change', () => {
    const h = harness([A()], [1]).click(150, 120);
    expect(h.changes).toEqual([]);
    expect(labels(h)).toEqual([]);
  });

  it('a press that moves less than the drag threshold does not move the shape', () => {
    const h = harness([A()]).pointerDown(150, 120).pointerMove(151, 121).pointerMove(152, 120).pointerUp(152, 120);
    expect(h.states).toEqual(['idle', 'pointing', 'idle']);
    expect(h.changes).toEqual([]);
    expect(h.selection).toEqual([id(1)]);
  });

  it('a drag that ends where it started makes no change', () => {
    const h = harness([A()]).pointerDown(150, 120).pointerMove(170, 140).pointerMove(150, 120).pointerUp(150, 120);
    expect(h.states).toEqual(['idle', 'pointing', 'translating', 'idle']);
    expect(real(h)).toEqual([]);
    expect(h.shapeOf('a-1')).toEqual(A().shape);
  });
});

describe('selectTool: resizing a box (single selection)', () => {
  const resize = (ax: number, ay: number, bx: number, by: number): ToolHarness => harness([A()], [1]).drag(ax, ay, bx, by);
  const after = (h: ToolHarness): Shape | undefined => onlyUpdate(h).get(id(1));

  it('by the se corner', () => {
    const h = resize(200, 150, 250, 170);
    expect(h.states).toEqual(['idle', 'resizing', 'idle']);
    expect(after(h)).toEqual({ kind: 'box', x: 100, y: 100, w: 150, h: 70 });
    expect(labels(h)).toEqual(['resize']);
  });

  it('by the nw corner', () => {
    expect(after(resize(100, 100, 50, 80))).toEqual({ kind: 'box', x: 50, y: 80, w: 150, h: 70 });
  });

  it('by the e edge (only x changes)', () => {
    expect(after(resize(200, 125, 260, 140))).toEqual({ kind: 'box', x: 100, y: 100, w: 160, h: 50 });
  });

  it('by the n edge (only y changes)', () => {
    expect(after(resize(150, 100, 170, 60))).toEqual({ kind: 'box', x: 100, y: 60, w: 100, h: 90 });
  });

  it('dragging the e edge past the w edge flips the box', () => {
    expect(after(resize(200, 125, 40, 125))).toEqual({ kind: 'box', x: 40, y: 100, w: 60, h: 50 });
  });

  it('dragging the se corner past the nw corner flips both axes', () => {
    expect(after(resize(200, 150, 60, 70))).toEqual({ kind: 'box', x: 60, y: 70, w: 40, h: 30 });
  });

  it('is clamped to the image', () => {
    expect(after(resize(200, 150, 2000, 2000))).toEqual({ kind: 'box', x: 100, y: 100, w: 900, h: 700 });
    expect(after(resize(100, 100, -50, -50))).toEqual({ kind: 'box', x: 0, y: 0, w: 200, h: 150 });
  });

  it('keeps at least 1 image px', () => {
    expect(after(resize(200, 125, 100.2, 125))).toEqual({ kind: 'box', x: 100, y: 100, w: 1, h: 50 });
  });

  it('previews the resized box while dragging', () => {
    const h = harness([A()], [1]).pointerDown(200, 150).pointerMove(220, 160);
    expect(h.tool.preview()).toEqual({ moved: new Map([[id(1), { kind: 'box', x: 100, y: 100, w: 120, h: 60 }]]) });
  });

  it('a handle press without movement changes nothing', () => {
    const h = harness([A()], [1]).click(200, 150);
    expect(real(h)).toEqual([]);
    expect(h.shapeOf('a-1')).toEqual(A().shape);
  });

  // BUG? (src/tools/selectTool.ts, `down` → pressOnSelection): a press on a handle (or vertex)
  // starts resizing at once, without the DRAG_THRESHOLD_PX that a press on a shape's body needs.
  // A 1-screen-px wobble while clicking a handle at scale 0.1 resizes the box by 10 image px.
  it('a handle press that wobbles less than the drag threshold does not resize (scale 0.1)', () => {
    const h = harness([A()], [1]);
    h.scale = 0.1;
    h.pointerDown(200, 150).pointerMove(210, 150).pointerUp(210, 150); // 1 screen px
    expect(real(h)).toEqual([]);
    expect(h.shapeOf('a-1')).toEqual(A().shape);
  });
});

describe('selectTool: editing polygon vertices (single selection)', () => {
  it('dragging a vertex moves it', () => {
    const h = harness([poly(1, SQUARE)], [1]).drag(300, 300, 350, 380);
    expect(h.states).toEqual(['idle', 'vertex', 'idle']);
    expect(onlyUpdate(h)).toEqual(new Map([[id(1), { kind: 'polygon', points: [100, 100, 300, 100, 350, 380, 100, 300] }]]));
    expect(labels(h)).toEqual(['move vertex']);
  });

  it('a dragged vertex is clamped into the image', () => {
    const h = harness([poly(1, SQUARE)], [1]).drag(300, 300, 1200, 900);
    expect(onlyUpdate(h).get(id(1))).toEqual({ kind: 'polygon', points: [100, 100, 300, 100, 1000, 800, 100, 300] });
  });

  it('dragging an edge midpoint inserts a vertex there and moves it', () => {
    const h = harness([poly(1, SQUARE)], [1]).drag(200, 100, 200, 50);
    expect(onlyUpdate(h)).toEqual(new Map([[id(1), { kind: 'polygon', points: [100, 100, 200, 50, 300, 100, 300, 300, 100, 300] }]]));
    expect(labels(h)).toEqual(['insert vertex']);
  });

  it('the closing edge (last → first vertex) has a midpoint too', () => {
    const h = harness([poly(1, SQUARE)], [1]).drag(100, 200, 60, 200);
    expect(onlyUpdate(h).get(id(1))).toEqual({ kind: 'polygon', points: [100, 100, 300, 100, 300, 300, 100, 300, 60, 200] });
  });

  // BUG? (src/tools/selectTool.ts, pressOnSelection): a plain click (no movement) on an edge
  // midpoint inserts a vertex. The doc says "drag an edge midpoint (or double-click an edge)", and a
  // press that does not move should not create a Change.
  it('a click (no movement) on an edge midpoint does not insert a vertex', () => {
    const h = harness([poly(1, SQUARE)], [1]).click(200, 100);
    expect(real(h)).toEqual([]);
    expect(h.shapeOf('a-1')).toEqual({ kind: 'polygon', points: SQUARE });
  });

  it('Alt-click on a vertex deletes it', () => {
    const h = harness([poly(1, SQUARE)], [1]).with({ alt: true }).click(300, 300);
    expect(onlyUpdate(h)).toEqual(new Map([[id(1), { kind: 'polygon', points: [100, 100, 300, 100, 100, 300] }]]));
    expect(labels(h)).toEqual(['delete vertex']);
    expect(h.state).toBe('idle');
  });

  it('Alt-click never takes a polygon below 3 vertices', () => {
    const h = harness([poly(1, SQUARE)], [1]).with({ alt: true }).click(300, 300).click(100, 300);
    expect(h.shapeOf('a-1')).toEqual({ kind: 'polygon', points: [100, 100, 300, 100, 100, 300] });
    expect(real(h)).toHaveLength(1);
    expect(h.selection).toEqual([id(1)]);
    expect(h.state).toBe('idle');
  });

  it('double-click on an edge inserts a vertex at the nearest point of the edge', () => {
    const h = harness([poly(1, SQUARE)], [1]).doubleClick(130, 102);
    expect(onlyUpdate(h)).toEqual(new Map([[id(1), { kind: 'polygon', points: [100, 100, 130, 100, 300, 100, 300, 300, 100, 300] }]]));
    expect(labels(h)).toEqual(['insert vertex']);
  });

  it('double-click on a vertex inserts nothing', () => {
    const h = harness([poly(1, SQUARE)], [1]).doubleClick(300, 300);
    expect(real(h)).toEqual([]);
    expect(h.shapeOf('a-1')).toEqual({ kind: 'polygon', points: SQUARE });
  });

  it('double-click inside the polygon, away from edges, inserts nothing', () => {
    const h = harness([poly(1, SQUARE)], [1]).doubleClick(200, 200);
    expect(real(h)).toEqual([]);
    expect(h.handled).toBe(false);
  });

  it('vertex handles only work on a single selection: with two selected, a vertex drag moves both', () => {
    const h = harness([poly(1, SQUARE), B()], [1, 2]).drag(300, 300, 310, 300);
    expect(onlyUpdate(h)).toEqual(
      new Map([
        [id(1), { kind: 'polygon', points: [110, 100, 310, 100, 310, 300, 110, 300] }],
        [id(2), { kind: 'box', x: 410, y: 400, w: 50, h: 50 }],
      ]),
    );
  });
});

describe('selectTool: keys', () => {
  it.each([
    ['ArrowRight', false, { x: 101, y: 100 }],
    ['ArrowLeft', false, { x: 99, y: 100 }],
    ['ArrowUp', false, { x: 100, y: 99 }],
    ['ArrowDown', false, { x: 100, y: 101 }],
    ['ArrowRight', true, { x: 110, y: 100 }],
    ['ArrowUp', true, { x: 100, y: 90 }],
  ] as const)('%s (shift %s) moves the selection to %o', (key, shift, to) => {
    const h = harness([A(), B()], [1]).key(key, shift);
    expect(h.handled).toBe(true);
    expect(onlyUpdate(h)).toEqual(new Map([[id(1), { kind: 'box', ...to, w: 100, h: 50 }]]));
    expect(labels(h)).toEqual(['move']);
  });

  it('arrows move a multi-selection together, one Change per key', () => {
    const h = harness([A(), B()], [1, 2]).key('ArrowDown', true);
    expect(onlyUpdate(h)).toEqual(
      new Map([
        [id(1), { kind: 'box', x: 100, y: 110, w: 100, h: 50 }],
        [id(2), { kind: 'box', x: 400, y: 410, w: 50, h: 50 }],
      ]),
    );
  });

  it('arrows are not handled with an empty selection', () => {
    const h = harness([A()]).key('ArrowLeft');
    expect(h.handled).toBe(false);
    expect(h.changes).toEqual([]);
  });

  it('arrows stop at the image edge', () => {
    const h = harness([box(1, 0, 795, 50, 5)], [1]).key('ArrowLeft').key('ArrowDown', true);
    expect(real(h)).toEqual([]);
    h.key('ArrowRight', true);
    expect(onlyUpdate(h)).toEqual(new Map([[id(1), { kind: 'box', x: 10, y: 795, w: 50, h: 5 }]]));
  });

  it('arrows are not handled mid-gesture', () => {
    const h = harness([A()], [1]).pointerDown(150, 120).pointerMove(170, 120).key('ArrowLeft');
    expect(h.handled).toBe(false);
    expect(h.state).toBe('translating');
  });

  it('Escape clears the selection; with nothing selected it is not handled', () => {
    const h = harness([A(), B()], [1, 2]).key('Escape');
    expect(h.handled).toBe(true);
    expect(h.selection).toEqual([]);
    h.key('Escape');
    expect(h.handled).toBe(false);
  });

  it('Escape mid-drag abandons the move and keeps the selection', () => {
    const h = harness([A()], [1]).pointerDown(150, 120).pointerMove(250, 220).key('Escape');
    expect(h.state).toBe('idle');
    expect(h.selection).toEqual([id(1)]);
    h.pointerUp(250, 220);
    expect(h.handled).toBe(false);
    expect(h.changes).toEqual([]);
    expect(h.shapeOf('a-1')).toEqual(A().shape);
  });

  it('a cancel input mid-resize abandons it', () => {
    const h = harness([A()], [1]).pointerDown(200, 150).pointerMove(300, 300).cancel().pointerUp(300, 300);
    expect(h.changes).toEqual([]);
    expect(h.shapeOf('a-1')).toEqual(A().shape);
  });
});
