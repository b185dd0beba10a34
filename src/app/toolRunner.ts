import { panBy, type ImagePoint } from '../core/viewport';
import type { Annotation, AnnotationId, LayerId } from '../core/model';
import { SpatialIndex } from '../core/spatialIndex';
import { pushNotice } from '../state/stores';
import {
  createTool,
  TOLERANCE_PX,
  type Preview,
  type ToolContext,
  type ToolEffect,
  type ToolId,
  type ToolInput,
  type ToolMachine,
} from '../tools';
import { addShapes, currentAnnotations, currentImage, reshape, shownLayers } from './annotationActions';
import type { Services } from './services';

interface Derived {
  readonly items: readonly Annotation[] | null;
  readonly hiddenShapes: unknown;
  readonly hiddenClasses: unknown;
  readonly lockedShapes: unknown;
  readonly layersShown: unknown;
  /** Shapes on screen (not hidden), drawing order. */
  readonly visible: readonly Annotation[];
  /** Visible shapes that are not locked: what tools may pick (built on first use, not on open). */
  readonly index: () => SpatialIndex<Annotation>;
  readonly byId: () => ReadonlyMap<AnnotationId, Annotation>;
}

const sameLayers = (a: unknown, b: ReadonlySet<LayerId> | null): boolean =>
  a === b || (a instanceof Set && b !== null && a.size === b.size && [...b].every((id) => a.has(id)));

function once<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}

/**
 * The editor's dispatcher (ARCHITECTURE.md, "drag a box"): canvas input in image pixels goes to
 * the active tool's state machine; its preview goes to the interaction store (only the
 * interaction layer repaints); its effects become commands, so a gesture is one Change.
 */
export class ToolRunner {
  private machine: ToolMachine;
  /** Space held or middle button: a pan that borrows the pointer from the active tool. */
  private panMachine: ToolMachine | null = null;
  private derived: Derived | null = null;

  constructor(private readonly services: Services) {
    this.machine = createTool(services.stores.session.getState().tool);
    services.stores.session.subscribe((s) => {
      if (s.tool !== this.machine.id) this.activate(s.tool);
    });
    // A different image on screen: any half-drawn shape or gesture goes.
    services.stores.annotations.subscribe((s, prev) => {
      if (s.imageId !== prev.imageId) this.cancel();
    });
  }

  /** A shape is being drawn or a gesture is under way (keys like Backspace belong to the tool). */
  busy(): boolean {
    return this.machine.busy() || this.panMachine !== null;
  }

  setTool(id: ToolId): void {
    this.services.stores.session.setState({ tool: id });
  }

  private activate(id: ToolId): void {
    this.machine.dispatch({ type: 'cancel' }, this.context());
    this.machine = createTool(id);
    this.publish({});
  }

  cancel(): void {
    this.machine.dispatch({ type: 'cancel' }, this.context());
    this.panMachine = null;
    this.publish({});
  }

  /** Shapes on screen and the index tools hit-test against, rebuilt only when they change. */
  view(): Derived {
    const items = currentAnnotations(this.services);
    const { hiddenShapes, hiddenClasses, lockedShapes } = this.services.stores.session.getState();
    const layersShown = shownLayers(this.services);
    const d = this.derived;
    if (d && d.items === items && d.hiddenShapes === hiddenShapes && d.hiddenClasses === hiddenClasses && d.lockedShapes === lockedShapes && sameLayers(d.layersShown, layersShown)) return d;
    const image = currentImage(this.services);
    const visible = (items ?? []).filter((a) => !hiddenShapes.has(a.id) && !hiddenClasses.has(a.classId) && (layersShown === null || layersShown.has(a.layerId)));
    const editable = visible.filter((a) => !lockedShapes.has(a.id));
    this.derived = {
      items,
      hiddenShapes,
      hiddenClasses,
      lockedShapes,
      layersShown,
      visible,
      index: once(() => new SpatialIndex(editable, image?.width ?? 1, image?.height ?? 1)),
      byId: once(() => new Map(editable.map((a) => [a.id, a]))),
    };
    return this.derived;
  }

  context(): ToolContext {
    const image = currentImage(this.services);
    const d = this.view();
    const viewport = this.services.stores.interaction.getState().viewport;
    return {
      width: image?.width ?? 1,
      height: image?.height ?? 1,
      scale: viewport?.scale ?? 1,
      shapes: d.index(),
      byId: d.byId(),
      selection: this.services.stores.session.getState().selection,
    };
  }

  /**
   * Starts a pan that borrows the pointer (Space held, or the middle button). The active tool
   * keeps its state: a polygon half drawn is still there after panning to reach its next vertex.
   */
  beginPan(): void {
    this.panMachine = createTool('pan');
  }

  /** Input for the active tool (or the borrowed pan); true when it was used. */
  dispatch(input: ToolInput): boolean {
    const ready = currentAnnotations(this.services) !== null && currentImage(this.services) !== null;
    const machine = this.panMachine ?? this.machine;
    if (!ready && machine.id !== 'pan') return false;
    const { effects, handled } = machine.dispatch(input, this.context());
    if (this.panMachine && !this.panMachine.busy() && input.type === 'up') this.panMachine = null;
    this.publish(this.machine.preview());
    for (const e of effects) this.perform(e);
    return handled;
  }

  /** The shape under the pointer for hover feedback (null over nothing). */
  hover(p: ImagePoint | null): void {
    const { interaction } = this.services.stores;
    const scale = interaction.getState().viewport?.scale ?? 1;
    const hit = p && !this.busy() ? (this.view().index().hit(p, TOLERANCE_PX / scale)?.id ?? null) : null;
    if (hit !== interaction.getState().hover) interaction.setState({ hover: hit });
  }

  private publish(preview: Preview): void {
    const { interaction } = this.services.stores;
    const prev = interaction.getState().preview;
    const empty = (p: Preview) => !p.draft && !p.moved && !p.band;
    if (empty(prev) && empty(preview)) return;
    interaction.setState({ preview });
  }

  private perform(e: ToolEffect): void {
    const { stores } = this.services;
    switch (e.kind) {
      case 'select':
        stores.session.setState({ selection: e.ids });
        return;
      case 'pan': {
        const v = stores.interaction.getState().viewport;
        if (v) stores.interaction.setState({ viewport: panBy(v, e.dx, e.dy) });
        return;
      }
      case 'create': {
        const result = addShapes(this.services, [{ shape: e.shape }], `draw ${e.shape.kind}`);
        if (!result.ok) pushNotice(stores, 'error', result.message);
        return;
      }
      case 'update': {
        const result = reshape(this.services, e.shapes, e.label);
        if (!result.ok) pushNotice(stores, 'error', result.message);
        return;
      }
      case 'explain':
        pushNotice(stores, 'info', e.message);
        return;
    }
  }
}
