/**
 * A layer's content pre-rendered at the current zoom, so a pan (same scale, new offset) is one
 * blit instead of a repaint: on this machine's software canvas, repainting 5,000 boxes and
 * rescaling the photo costs ~8 ms a frame, a blit well under 1 ms. The cache covers the whole
 * image at this scale, so nothing is missing at the edges after a pan. It is built only when a
 * second frame asks for the same scale and content (a zoom changes the scale every step; building
 * then would only add work), and only up to MAX_PIXELS (far zoomed in, the layer paints directly
 * and culls).
 */
export class ScaleCache {
  private canvas: HTMLCanvasElement | null = null;
  private key = '';
  private lastAsked = '';

  constructor(private readonly maxPixels = 4_000_000) {}

  /**
   * Paints into `ctx` the content described by `key`, whose extent at this scale is width×height
   * screen px placed at (x, y). `paint(target, ox, oy)` draws the content with its origin at
   * (ox, oy) of `target`. Returns false when it painted directly.
   */
  draw(
    ctx: CanvasRenderingContext2D,
    key: string,
    extent: { readonly x: number; readonly y: number; readonly width: number; readonly height: number },
    paint: (target: CanvasRenderingContext2D, ox: number, oy: number) => void,
  ): boolean {
    const pad = 2; // strokes reach a pixel or two outside the image
    // Whole-pixel blits (no resampling): the fractional part of the offset is part of the key.
    const ix = Math.floor(extent.x), iy = Math.floor(extent.y);
    const fx = extent.x - ix, fy = extent.y - iy;
    const fullKey = `${key}|${fx.toFixed(3)}|${fy.toFixed(3)}`;
    const w = Math.ceil(extent.width + fx) + 2 * pad, h = Math.ceil(extent.height + fy) + 2 * pad;
    const cacheable = w * h <= this.maxPixels;
    if (this.canvas && this.key === fullKey) {
      ctx.drawImage(this.canvas, ix - pad, iy - pad);
      return true;
    }
    const asked = this.lastAsked === fullKey;
    this.lastAsked = fullKey;
    if (!cacheable || !asked) {
      paint(ctx, extent.x, extent.y);
      return false;
    }
    const canvas = this.canvas ?? document.createElement('canvas');
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const c = canvas.getContext('2d');
    if (!c) {
      paint(ctx, extent.x, extent.y);
      return false;
    }
    c.clearRect(0, 0, w, h);
    paint(c, pad + fx, pad + fy);
    this.canvas = canvas;
    this.key = fullKey;
    ctx.drawImage(canvas, ix - pad, iy - pad);
    return true;
  }

  /** Frees the pixels (the image changed or the canvas left the page). */
  clear(): void {
    if (this.canvas) {
      this.canvas.width = 0;
      this.canvas.height = 0;
    }
    this.canvas = null;
    this.key = '';
    this.lastAsked = '';
  }
}
