/**
 * A uniform grid over the image for hit testing and marquee selection among thousands of shapes.
 *
 * The grid covers [0, width] × [0, height] (image px) with at most MAX_CELLS_PER_AXIS cells per
 * axis. Cell indices are clamped, so shapes that stick out of the image sit in the border cells
 * and queries outside the image look there too: nothing is ever missed, only checked a little
 * more. The index is immutable; rebuild it (O(n)) when the shapes change.
 */
import { rectContainsRect, rectsIntersect, shapeArea, shapeBounds, shapeHit, type Rect } from './geometry';
import type { AnnotationId, Shape } from './model';

export interface Indexed {
  readonly id: AnnotationId;
  readonly shape: Shape;
}

/** Enough cells that a typical query touches a few dozen shapes, few enough that building stays cheap. */
const MAX_CELLS_PER_AXIS = 64;
/** Cells smaller than this (image px) only add bookkeeping: shapes are rarely smaller. */
const MIN_CELL_SIZE = 8;
/**
 * Shapes spanning more cells than this go to a list checked on every query instead of the grid,
 * so a few image-sized shapes cannot cost cells × shapes memory. 256 cells is 1/16 of a full grid.
 */
const MAX_CELLS_PER_ITEM = 256;

export class SpatialIndex<T extends Indexed> {
  /** Number of items indexed. */
  readonly size: number;

  readonly #items: readonly T[];
  readonly #cols: number;
  readonly #rows: number;
  /** Cells per image px on each axis (0 for a single-cell axis). */
  readonly #invCellW: number;
  readonly #invCellH: number;
  /**
   * Grid contents in compressed rows: the items of cell c (c = row * cols + col) are
   * #cellItems[#cellStart[c] .. #cellStart[c + 1]), ascending item index.
   */
  readonly #cellStart: Int32Array;
  readonly #cellItems: Int32Array;
  /** Per item: its cell range [col0, col1] × [row0, row1], or col0 = -1 when it is in #large. */
  readonly #col0: Int32Array;
  readonly #col1: Int32Array;
  readonly #row0: Int32Array;
  readonly #row1: Int32Array;
  /** Per item: bounds (image px) and area (square image px; NaN stored as Infinity so it sorts last). */
  readonly #bx: Float64Array;
  readonly #by: Float64Array;
  readonly #bw: Float64Array;
  readonly #bh: Float64Array;
  readonly #area: Float64Array;
  /** Items too large (or with non-finite bounds) for the grid, ascending index. */
  readonly #large: Int32Array;

  /**
   * Indexes `items` (kept by reference, in order: order breaks area ties and orders inRect) for
   * an image of width × height image px. O(n) time plus the cells each shape covers.
   */
  constructor(items: readonly T[], width: number, height: number) {
    const n = items.length;
    this.size = n;
    this.#items = items;

    const w = Number.isFinite(width) && width > 0 ? width : 0;
    const h = Number.isFinite(height) && height > 0 ? height : 0;
    const cell = Math.max(MIN_CELL_SIZE, Math.max(w, h) / MAX_CELLS_PER_AXIS);
    this.#cols = Math.min(MAX_CELLS_PER_AXIS, Math.max(1, Math.ceil(w / cell)));
    this.#rows = Math.min(MAX_CELLS_PER_AXIS, Math.max(1, Math.ceil(h / cell)));
    this.#invCellW = this.#cols > 1 ? this.#cols / w : 0;
    this.#invCellH = this.#rows > 1 ? this.#rows / h : 0;

    this.#bx = new Float64Array(n);
    this.#by = new Float64Array(n);
    this.#bw = new Float64Array(n);
    this.#bh = new Float64Array(n);
    this.#area = new Float64Array(n);
    this.#col0 = new Int32Array(n);
    this.#col1 = new Int32Array(n);
    this.#row0 = new Int32Array(n);
    this.#row1 = new Int32Array(n);

    const cellCount = this.#cols * this.#rows;
    const counts = new Int32Array(cellCount + 1);
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      const shape = items[i]!.shape;
      const b = shapeBounds(shape);
      this.#bx[i] = b.x;
      this.#by[i] = b.y;
      this.#bw[i] = b.w;
      this.#bh[i] = b.h;
      const a = shapeArea(shape);
      this.#area[i] = Number.isNaN(a) ? Infinity : a;
      const c0 = this.#col(b.x);
      const c1 = this.#col(b.x + b.w);
      const r0 = this.#row(b.y);
      const r1 = this.#row(b.y + b.h);
      const finite = Number.isFinite(b.x + b.w + b.y + b.h);
      if (!finite || (c1 - c0 + 1) * (r1 - r0 + 1) > MAX_CELLS_PER_ITEM) {
        this.#col0[i] = -1;
        large.push(i);
        continue;
      }
      this.#col0[i] = c0;
      this.#col1[i] = c1;
      this.#row0[i] = r0;
      this.#row1[i] = r1;
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) counts[r * this.#cols + c + 1]!++;
    }
    this.#large = Int32Array.from(large);

    // Prefix sums turn counts into start offsets; a second pass fills in input order.
    for (let c = 0; c < cellCount; c++) counts[c + 1]! += counts[c]!;
    this.#cellStart = counts;
    this.#cellItems = new Int32Array(counts[cellCount]!);
    const fill = counts.slice(0, cellCount);
    for (let i = 0; i < n; i++) {
      const c0 = this.#col0[i]!;
      if (c0 < 0) continue;
      const c1 = this.#col1[i]!;
      const r1 = this.#row1[i]!;
      for (let r = this.#row0[i]!; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) this.#cellItems[fill[r * this.#cols + c]!++] = i;
      }
    }
  }

  /** Column of image x, clamped into the grid (NaN lands in column 0 and matches nothing later). */
  #col(x: number): number {
    const c = Math.floor(x * this.#invCellW);
    return c >= this.#cols - 1 ? this.#cols - 1 : c > 0 ? c : 0;
  }

  #row(y: number): number {
    const r = Math.floor(y * this.#invCellH);
    return r >= this.#rows - 1 ? this.#rows - 1 : r > 0 ? r : 0;
  }

  /**
   * Calls visit(i) once for every item that may meet the image-px rectangle [x0, x1] × [y0, y1]:
   * every item in the grid cells it covers, reported only in the first covered cell it shares with
   * the query (so no de-duplication set is needed), then every large item.
   */
  #candidates(x0: number, y0: number, x1: number, y1: number, visit: (i: number) => void): void {
    const qc0 = this.#col(x0);
    const qc1 = this.#col(x1);
    const qr0 = this.#row(y0);
    const qr1 = this.#row(y1);
    for (let r = qr0; r <= qr1; r++) {
      for (let c = qc0; c <= qc1; c++) {
        const cell = r * this.#cols + c;
        const end = this.#cellStart[cell + 1]!;
        for (let k = this.#cellStart[cell]!; k < end; k++) {
          const i = this.#cellItems[k]!;
          if (Math.max(this.#col0[i]!, qc0) === c && Math.max(this.#row0[i]!, qr0) === r) visit(i);
        }
      }
    }
    for (const i of this.#large) visit(i);
  }

  /** Whether item i's bounds, grown by tolerance, contain p: a cheap test before the exact one. */
  #near(i: number, p: { x: number; y: number }, tolerance: number): boolean {
    const bx = this.#bx[i]!;
    const by = this.#by[i]!;
    return (
      p.x >= bx - tolerance &&
      p.x <= bx + this.#bw[i]! + tolerance &&
      p.y >= by - tolerance &&
      p.y <= by + this.#bh[i]! + tolerance
    );
  }

  /** True when item i is drawn above item j: smaller area first, then later in the input. */
  #above(i: number, j: number): boolean {
    const ai = this.#area[i]!;
    const aj = this.#area[j]!;
    return ai < aj || (ai === aj && i > j);
  }

  /**
   * Items whose shape is hit at p (shapeHit with `tolerance` image px), topmost first: smallest
   * area first; equal areas → later in the input first (drawn on top). Each item at most once.
   */
  hitAll(p: { x: number; y: number }, tolerance: number): T[] {
    const tol = Math.max(0, tolerance);
    const hits: number[] = [];
    this.#candidates(p.x - tol, p.y - tol, p.x + tol, p.y + tol, (i) => {
      if (this.#near(i, p, tol) && shapeHit(this.#items[i]!.shape, p, tol)) hits.push(i);
    });
    hits.sort((i, j) => (this.#above(i, j) ? -1 : 1));
    return hits.map((i) => this.#items[i]!);
  }

  /** The topmost item hit at p (hitAll(p, tolerance)[0]) or null; skips exact tests of items that could not be on top. */
  hit(p: { x: number; y: number }, tolerance: number): T | null {
    const tol = Math.max(0, tolerance);
    let best = -1;
    this.#candidates(p.x - tol, p.y - tol, p.x + tol, p.y + tol, (i) => {
      if (best >= 0 && !this.#above(i, best)) return;
      if (this.#near(i, p, tol) && shapeHit(this.#items[i]!.shape, p, tol)) best = i;
    });
    return best >= 0 ? this.#items[best]! : null;
  }

  /**
   * Items whose bounds intersect r (touching counts), or with mode 'contain' lie wholly inside r
   * (shared edges count), in input order, each once. r is in image px with w, h ≥ 0.
   */
  inRect(r: Rect, mode: 'intersect' | 'contain' = 'intersect'): T[] {
    const found: number[] = [];
    this.#candidates(r.x, r.y, r.x + r.w, r.y + r.h, (i) => {
      const b: Rect = { x: this.#bx[i]!, y: this.#by[i]!, w: this.#bw[i]!, h: this.#bh[i]! };
      if (mode === 'contain' ? rectContainsRect(r, b) : rectsIntersect(r, b)) found.push(i);
    });
    found.sort((a, b) => a - b);
    return found.map((i) => this.#items[i]!);
  }
}
