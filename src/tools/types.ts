import type { Rect } from '../core/geometry';
import type { ImagePoint, ScreenPoint } from '../core/viewport';
import type { Annotation, AnnotationId, Shape } from '../core/model';
import type { SpatialIndex } from '../core/spatialIndex';

/**
 * Editor tools are small pure state machines: `step(state, input, context)` returns the next
 * state and the effects to carry out. They never touch stores, the DOM or Konva, so Vitest drives
 * them by pointer sequences alone, and the canvas only forwards input and draws `preview(state)`.
 */

/** Distances the user feels, in screen pixels (divided by the zoom to get image pixels). */
export const TOLERANCE_PX = 6;
/** A press becomes a drag after moving this far. */
export const DRAG_THRESHOLD_PX = 3;
/** Boxes smaller than this on screen (either side), or than 1 image px, are not created. */
export const MIN_BOX_PX = 4;
export const MIN_BOX_IMAGE = 1;

export interface ToolContext {
  /** Image size in pixels; shapes are kept inside [0, width] × [0, height]. */
  readonly width: number;
  readonly height: number;
  /** Screen px per image px (tolerances are screen px / scale). */
  readonly scale: number;
  /** Shapes the user may pick and edit on this image (visible, not locked). */
  readonly shapes: SpatialIndex<Annotation>;
  readonly byId: ReadonlyMap<AnnotationId, Annotation>;
  /** Selected ids, in selection order. */
  readonly selection: readonly AnnotationId[];
}

export interface Modifiers {
  readonly shift: boolean;
  readonly alt: boolean;
  readonly mod: boolean;
}

export interface PointerInput extends Modifiers {
  readonly type: 'down' | 'move' | 'up';
  /** Where the pointer is, in image pixels (not clamped: it may be outside the image). */
  readonly point: ImagePoint;
  readonly screen: ScreenPoint;
  /** 0 = primary, 1 = middle, 2 = secondary. */
  readonly button: number;
}

export type ToolInput =
  | PointerInput
  | ({ readonly type: 'doubleClick'; readonly point: ImagePoint; readonly screen: ScreenPoint } & Modifiers)
  | { readonly type: 'key'; readonly key: 'Enter' | 'Escape' | 'Backspace' | 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown'; readonly shift: boolean }
  /** The gesture is abandoned (tool switched, image changed, pointer lost). */
  | { readonly type: 'cancel' };

export type ToolEffect =
  | { readonly kind: 'create'; readonly shape: Shape }
  /** New shapes for existing annotations: one gesture, one Change, one undo step. */
  | { readonly kind: 'update'; readonly shapes: ReadonlyMap<AnnotationId, Shape>; readonly label: string }
  | { readonly kind: 'select'; readonly ids: readonly AnnotationId[] }
  /** Move the view by screen pixels. */
  | { readonly kind: 'pan'; readonly dx: number; readonly dy: number }
  /** The input was refused: why, in words for the user (a polygon of two vertices cannot close). */
  | { readonly kind: 'explain'; readonly message: string };

export interface Step<S> {
  readonly state: S;
  readonly effects: readonly ToolEffect[];
  /** False when the input meant nothing to the tool (a key then goes on to other shortcuts). */
  readonly handled: boolean;
}

/** What the interaction layer draws for a state. */
export interface Preview {
  readonly draft?: { readonly kind: 'box'; readonly rect: Rect } | { readonly kind: 'polyline'; readonly points: readonly number[]; readonly cursor: ImagePoint | null; readonly closing: boolean };
  /** Shapes drawn in place of their stored version while dragged. */
  readonly moved?: ReadonlyMap<AnnotationId, Shape>;
  /** Rubber band, image pixels. */
  readonly band?: Rect;
}

export type ToolId = 'select' | 'box' | 'polygon' | 'pan';

export interface Tool<S extends { readonly name: string }> {
  readonly id: ToolId;
  readonly initial: S;
  step(state: S, input: ToolInput, ctx: ToolContext): Step<S>;
  preview(state: S): Preview;
  /** A gesture or a drawing is under way (Delete and Backspace then belong to the tool). */
  busy(state: S): boolean;
}

export const stay = <S>(state: S, handled = true): Step<S> => ({ state, effects: [], handled });
export const to = <S>(state: S, ...effects: ToolEffect[]): Step<S> => ({ state, effects, handled: true });
export const ignore = <S>(state: S): Step<S> => ({ state, effects: [], handled: false });

export const tolerance = (ctx: ToolContext): number => TOLERANCE_PX / ctx.scale;
export const movedFar = (a: ScreenPoint, b: ScreenPoint): boolean => Math.hypot(a.x - b.x, a.y - b.y) >= DRAG_THRESHOLD_PX;
