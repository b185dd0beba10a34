import { screenPoint, toImage, zoomAt, type ImagePoint } from '../core/viewport';
import type { ImageRecord } from '../core/model';
import type { Stores } from '../state/stores';
import type { PointerInput } from '../tools';
import type { ToolRunner } from '../app/toolRunner';
import type { CanvasControls } from './canvasControls';

export interface CanvasInputDeps {
  readonly stores: Stores;
  readonly runner: ToolRunner;
  readonly controls: CanvasControls;
  /** The image on the canvas (for the cursor readout's bounds). */
  readonly imageOf: () => ImageRecord | null;
  /** The user moved the view: a container resize no longer refits it. */
  readonly unfit: () => void;
}

/** Marks the element that takes the keyboard back when Escape leaves a text field (the canvas). */
export const KEYBOARD_HOME = 'data-keyboard-home';

const WHEEL_ZOOM = 0.0015;

function wheelFactor(e: WheelEvent): number {
  const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaMode === 2 ? e.deltaY * 400 : e.deltaY;
  return Math.exp(-Math.max(-300, Math.min(300, dy)) * WHEEL_ZOOM);
}

/**
 * The canvas's input: DOM pointer, wheel and Space events on the container, each converted once
 * into image pixels and handed to the tool runner (Konva's own event system is not used: its
 * content ignores the pointer). Returns the unbinding.
 */
export function bindCanvasInput(el: HTMLElement, { stores, runner, controls, imageOf, unfit }: CanvasInputDeps): () => void {
  // The box is read at every event, never remembered: a banner that goes, a panel that opens, a
  // resize or a scroll moves the canvas, and a remembered box would put the pointer elsewhere.
  const toScreen = (e: MouseEvent) => {
    const rect = el.getBoundingClientRect();
    return screenPoint(e.clientX - rect.left, e.clientY - rect.top);
  };
  let lastPoint: ImagePoint | null = null;
  const cursorStyle = () => {
    const tool = stores.session.getState().tool;
    el.style.cursor = runner.busy() && (controls.spaceHeld || tool === 'pan') ? 'grabbing' : controls.spaceHeld || tool === 'pan' ? 'grab' : tool === 'select' ? 'default' : 'crosshair';
  };
  const input = (e: PointerEvent | MouseEvent, type: 'down' | 'move' | 'up'): PointerInput | null => {
    const v = stores.interaction.getState().viewport;
    if (!v) return null;
    const screen = toScreen(e);
    const point = toImage(v, screen);
    lastPoint = point;
    return { type, point, screen, button: e.button, shift: e.shiftKey, alt: e.altKey, mod: e.ctrlKey || e.metaKey };
  };
  const readout = (p: ImagePoint | null) => {
    const img = imageOf();
    const inside = p && img && p.x >= 0 && p.y >= 0 && p.x < img.width && p.y < img.height;
    const cursor = inside ? { x: Math.floor(p.x), y: Math.floor(p.y) } : null;
    const prev = stores.interaction.getState().cursor;
    if (cursor?.x !== prev?.x || cursor?.y !== prev?.y) stores.interaction.setState({ cursor });
  };
  const down = (e: PointerEvent) => {
    if (e.button === 2) return;
    // No text selection or native drag follows the press: the browser would otherwise extend a
    // selection on every move of the drag.
    e.preventDefault();
    el.focus({ preventScroll: true });
    if (e.button === 1 || controls.spaceHeld) {
      e.preventDefault();
      runner.beginPan();
    }
    const i = input(e, 'down');
    if (!i) return;
    el.setPointerCapture(e.pointerId);
    runner.hover(null);
    runner.dispatch(e.button === 1 ? { ...i, button: 0 } : i);
    cursorStyle();
  };
  const move = (e: PointerEvent) => {
    const i = input(e, 'move');
    if (!i) return;
    readout(i.point);
    runner.dispatch(i);
    if (e.buttons === 0) runner.hover(i.point);
  };
  const up = (e: PointerEvent) => {
    const i = input(e, 'up');
    if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
    if (i) runner.dispatch(e.button === 1 ? { ...i, button: 0 } : i);
    cursorStyle();
  };
  const enter = () => controls.setPointerInside(true);
  const leave = () => {
    controls.setPointerInside(false);
    readout(null);
    runner.hover(null);
  };
  const dbl = (e: MouseEvent) => {
    const v = stores.interaction.getState().viewport;
    if (!v) return;
    const screen = toScreen(e);
    runner.dispatch({ type: 'doubleClick', point: toImage(v, screen), screen, shift: e.shiftKey, alt: e.altKey, mod: e.ctrlKey || e.metaKey });
  };
  const wheel = (e: WheelEvent) => {
    e.preventDefault();
    const v = stores.interaction.getState().viewport;
    if (!v) return;
    const at = toScreen(e);
    unfit();
    stores.interaction.setState({ viewport: zoomAt(v, at, wheelFactor(e)) });
    if (lastPoint) readout(toImage(stores.interaction.getState().viewport!, at));
  };
  const keyUp = (e: KeyboardEvent) => {
    if (e.key === ' ') {
      controls.holdSpace(false);
      cursorStyle();
    }
  };
  const keyDown = (e: KeyboardEvent) => {
    if (e.key === ' ') cursorStyle();
  };
  const noMenu = (e: MouseEvent) => e.preventDefault();
  const unsubTool = stores.session.subscribe((s, prev) => {
    if (s.tool !== prev.tool) cursorStyle();
  });
  const onPan = stores.interaction.subscribe((s, prev) => {
    if (s.viewport !== prev.viewport && prev.viewport && runner.busy()) unfit();
  });
  cursorStyle();
  const onElement: [string, (e: never) => void, AddEventListenerOptions?][] = [
    ['pointerdown', down],
    ['pointermove', move],
    ['pointerup', up],
    ['pointercancel', up],
    ['pointerenter', enter],
    ['pointerleave', leave],
    ['dblclick', dbl],
    ['wheel', wheel, { passive: false }],
    ['contextmenu', noMenu],
  ];
  const onWindow: [string, (e: never) => void][] = [
    ['keyup', keyUp],
    ['keydown', keyDown],
  ];
  for (const [type, fn, opts] of onElement) el.addEventListener(type, fn as EventListener, opts);
  for (const [type, fn] of onWindow) window.addEventListener(type, fn as EventListener);
  return () => {
    unsubTool();
    onPan();
    for (const [type, fn] of onElement) el.removeEventListener(type, fn as EventListener);
    for (const [type, fn] of onWindow) window.removeEventListener(type, fn as EventListener);
  };
}
