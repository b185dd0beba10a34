import { createAnnotations, updateAnnotations } from '../core/annotationCommands';
import type { Change } from '../core/change';
import { imagePoint, screenPoint } from '../core/viewport';
import type { Annotation, AnnotationId, ClassId, ImageRecord, LayerId } from '../core/model';
import { SpatialIndex } from '../core/spatialIndex';
import { createTool, type Modifiers, type ToolContext, type ToolEffect, type ToolId, type ToolInput, type ToolMachine } from '../tools';
import { makeImage } from './fixtures';


/**
 * Drives a tool headlessly, the way tldraw's TestEditor does: chainable pointer and key input in
 * image pixels (screen = image × scale), effects carried out with the real core commands, and the
 * state path and resulting Changes recorded for assertions.
 */
export class ToolHarness {
  readonly tool: ToolMachine;
  image: ImageRecord;
  annotations: Annotation[];
  selection: AnnotationId[] = [];
  readonly changes: Change[] = [];
  readonly states: string[] = [];
  /** Every effect the tool emitted, in order (e.g. to read an update's label). */
  readonly effects: ToolEffect[] = [];
  /** What the tool told the user about refused input. */
  readonly explained: string[] = [];
  pans: { dx: number; dy: number }[] = [];
  scale = 1;
  private mods: Modifiers = { shift: false, alt: false, mod: false };
  private lastHandled = true;

  constructor(id: ToolId, annotations: Annotation[] = [], image: ImageRecord = makeImage(1, { width: 1000, height: 800, annotationCount: annotations.length })) {
    this.tool = createTool(id);
    this.image = image;
    this.annotations = annotations;
    this.states.push(this.tool.stateName);
  }

  get state(): string {
    return this.tool.stateName;
  }

  get handled(): boolean {
    return this.lastHandled;
  }

  context(): ToolContext {
    return {
      width: this.image.width,
      height: this.image.height,
      scale: this.scale,
      shapes: new SpatialIndex(this.annotations, this.image.width, this.image.height),
      byId: new Map(this.annotations.map((a) => [a.id, a])),
      selection: this.selection,
    };
  }

  with(mods: Partial<Modifiers>): this {
    this.mods = { ...this.mods, ...mods };
    return this;
  }

  pointerDown(x: number, y: number, button = 0): this {
    return this.pointer('down', x, y, button);
  }
  pointerMove(x: number, y: number): this {
    return this.pointer('move', x, y, 0);
  }
  pointerUp(x: number, y: number): this {
    return this.pointer('up', x, y, 0);
  }
  click(x: number, y: number): this {
    return this.pointerDown(x, y).pointerUp(x, y);
  }
  /** Press at a, move in `steps` to b, release. */
  drag(ax: number, ay: number, bx: number, by: number, steps = 5): this {
    this.pointerDown(ax, ay);
    for (let i = 1; i <= steps; i++) this.pointerMove(ax + ((bx - ax) * i) / steps, ay + ((by - ay) * i) / steps);
    return this.pointerUp(bx, by);
  }
  doubleClick(x: number, y: number): this {
    this.click(x, y).click(x, y);
    return this.send({ type: 'doubleClick', point: imagePoint(x, y), screen: screenPoint(x * this.scale, y * this.scale), ...this.mods });
  }
  key(key: Extract<ToolInput, { type: 'key' }>['key'], shift = false): this {
    return this.send({ type: 'key', key, shift });
  }
  cancel(): this {
    return this.send({ type: 'cancel' });
  }

  private pointer(type: 'down' | 'move' | 'up', x: number, y: number, button: number): this {
    return this.send({ type, point: imagePoint(x, y), screen: screenPoint(x * this.scale, y * this.scale), button, ...this.mods });
  }

  send(input: ToolInput): this {
    const { effects, handled } = this.tool.dispatch(input, this.context());
    this.lastHandled = handled;
    if (this.states[this.states.length - 1] !== this.tool.stateName) this.states.push(this.tool.stateName);
    for (const e of effects) {
      this.effects.push(e);
      if (e.kind === 'select') this.selection = [...e.ids];
      else if (e.kind === 'pan') this.pans.push({ dx: e.dx, dy: e.dy });
      else if (e.kind === 'explain') this.explained.push(e.message);
      else if (e.kind === 'create') {
        const made = createAnnotations(this.image, [{ classId: 'c-car' as ClassId, shape: e.shape }], 'layer-ana' as LayerId, 2);
        if (!made.ok) throw new Error(made.message);
        this.apply(made.value.change);
        this.selection = made.value.ids;
      } else {
        const patches = new Map([...e.shapes].map(([id, shape]) => [this.annotations.find((a) => a.id === id)!, { shape }]));
        const result = updateAnnotations(this.image, patches, 3);
        if (!result.ok) throw new Error(result.message);
        this.apply(result.value);
      }
    }
    return this;
  }

  private apply(c: Change): void {
    this.changes.push(c);
    for (const u of c.updates) {
      if (u.table === 'images' && u.after) this.image = u.after;
      if (u.table !== 'annotations') continue;
      if (u.before) this.annotations = this.annotations.filter((a) => a.id !== u.before!.id);
      if (u.after) this.annotations = [...this.annotations, u.after];
    }
  }

  /** The shape of annotation `id` now. */
  shapeOf(id: string) {
    return this.annotations.find((a) => a.id === id)?.shape;
  }
}
