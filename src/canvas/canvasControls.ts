import type { Rect } from '../core/geometry';

/** What keys and buttons outside the canvas can ask of it. */
export class CanvasControls {
  private fitView: () => void = () => undefined;
  private zoomView: (factor: number) => void = () => undefined;
  private focusView: (region: Rect) => void = () => undefined;
  private held = false;
  private inside = false;
  /** The image the canvas shows now, and a region to show once a given image is shown. */
  private showing: string | null = null;
  private pendingFocus: { readonly imageId: string; readonly region: Rect } | null = null;

  /** The canvas on screen connects its view; returns the disconnect. */
  attach(fit: () => void, zoom: (factor: number) => void, focus: (region: Rect) => void): () => void {
    this.fitView = fit;
    this.zoomView = zoom;
    this.focusView = focus;
    return () => {
      this.fitView = () => undefined;
      this.zoomView = () => undefined;
      this.focusView = () => undefined;
    };
  }
  /** Shows `region` (image px) of `imageId` large and centred: now if it is on screen, else as soon as it is. */
  focus(imageId: string, region: Rect): void {
    this.pendingFocus = { imageId, region };
    if (this.showing === imageId) this.shown(imageId);
  }
  /** The canvas has shown (and fitted) an image. */
  shown(imageId: string): void {
    this.showing = imageId;
    const p = this.pendingFocus;
    if (p && p.imageId === imageId) {
      this.pendingFocus = null;
      this.focusView(p.region);
    }
  }
  fit(): void {
    this.fitView();
  }
  zoom(factor: number): void {
    this.zoomView(factor);
  }
  get spaceHeld(): boolean {
    return this.held;
  }
  holdSpace(on: boolean): void {
    this.held = on;
  }
  /** The pointer is over the canvas (Space then pans even while a button has the focus). */
  get pointerInside(): boolean {
    return this.inside;
  }
  setPointerInside(on: boolean): void {
    this.inside = on;
  }
}
