import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The canvas as a person uses it: find where an image pixel is on screen by moving the mouse and
 * reading the "Cursor position" readout (two far-apart readings give the scale and offset), then
 * press, drag and click at image coordinates.
 */
export class CanvasDriver {
  private map: { sx: number; sy: number; ox: number; oy: number } | null = null;

  constructor(readonly page: Page) {}

  get region(): Locator {
    return this.page.getByRole('region', { name: 'Annotation canvas' });
  }

  get readout(): Locator {
    return this.page.getByLabel('Cursor position');
  }

  private async readAt(px: number, py: number): Promise<{ x: number; y: number }> {
    await this.page.mouse.move(px, py);
    const text = await this.readout.textContent();
    const m = /^(\d+), (\d+)$/.exec(text ?? '');
    if (!m) throw new Error(`The cursor readout shows “${text}” at ${px}, ${py}`);
    return { x: Number(m[1]), y: Number(m[2]) };
  }

  /** Learns the image-to-page mapping from the readout (call after each zoom or pan). */
  async calibrate(): Promise<void> {
    await expect(this.region).toHaveAttribute('data-shown-image', /.+/);
    const box = (await this.region.boundingBox())!;
    const a = { x: box.x + box.width * 0.35, y: box.y + box.height * 0.35 };
    const b = { x: box.x + box.width * 0.65, y: box.y + box.height * 0.65 };
    const ia = await this.readAt(a.x, a.y);
    const ib = await this.readAt(b.x, b.y);
    // Readings are floored: take each as the pixel's centre.
    const sx = (b.x - a.x) / (ib.x - ia.x);
    const sy = (b.y - a.y) / (ib.y - ia.y);
    this.map = { sx, sy, ox: a.x - (ia.x + 0.5) * sx, oy: a.y - (ia.y + 0.5) * sy };
  }

  /** Page coordinates of image point (x, y). */
  at(x: number, y: number): { x: number; y: number } {
    if (!this.map) throw new Error('calibrate() first');
    return { x: this.map.ox + x * this.map.sx, y: this.map.oy + y * this.map.sy };
  }

  async move(x: number, y: number, steps = 1): Promise<void> {
    const p = this.at(x, y);
    await this.page.mouse.move(p.x, p.y, { steps });
  }

  async drag(from: [number, number], to: [number, number]): Promise<void> {
    await this.move(...from);
    await this.page.mouse.down();
    await this.move(to[0], to[1], 8);
    await this.page.mouse.up();
  }

  async click(x: number, y: number): Promise<void> {
    const p = this.at(x, y);
    await this.page.mouse.click(p.x, p.y);
  }

  async dblclick(x: number, y: number): Promise<void> {
    const p = this.at(x, y);
    await this.page.mouse.dblclick(p.x, p.y);
  }
}

/** The Annotations list and the selection's properties. */
export class AnnotationsPanel {
  constructor(readonly page: Page) {}

  get list(): Locator {
    return this.page.getByRole('list', { name: 'Annotations' });
  }

  get items(): Locator {
    return this.list.getByRole('listitem');
  }

  field(name: 'X' | 'Y' | 'Width' | 'Height'): Locator {
    return this.page.getByRole('spinbutton', { name, exact: true });
  }

  async boxNumbers(): Promise<[number, number, number, number]> {
    const read = async (n: 'X' | 'Y' | 'Width' | 'Height') => Number(await this.field(n).inputValue());
    return [await read('X'), await read('Y'), await read('Width'), await read('Height')];
  }

  async expectBox(expected: [number, number, number, number], tolerance = 1): Promise<void> {
    await expect
      .poll(async () => {
        const got = await this.boxNumbers();
        return got.every((v, i) => Math.abs(v - expected[i]!) <= tolerance) ? 'ok' : got.join(', ');
      })
      .toBe('ok');
  }
}

export interface StoredShape {
  readonly id: string;
  readonly classId: string;
  readonly annotator: string;
  readonly shape: { kind: 'box'; x: number; y: number; w: number; h: number } | { kind: 'polygon'; points: number[] };
}

/** Every annotation in the browser's IndexedDB, sorted by id (what survives a relaunch). */
export async function storedShapes(page: Page): Promise<StoredShape[]> {
  return page.evaluate(
    () =>
      new Promise<StoredShape[]>((resolve, reject) => {
        const open = indexedDB.open('tally');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['shapeLog', 'layers']);
          const req = tx.objectStore('shapeLog').getAll();
          const layers = tx.objectStore('layers').getAll();
          tx.oncomplete = () => {
            // Whose shape: the name of the layer it points at.
            const nameOf = new Map((layers.result as { id: string; name: string }[]).map((l) => [l.id, l.name]));
            type Stored = Omit<StoredShape, 'annotator'> & { layerId: string };
            // The shapes are a log (entries in key order: each layer's in seq order): replayed, the last word on an id counts.
            const shapes = new Map<string, Stored>();
            for (const e of req.result as { imageId: string; layerId: string; shapes: Stored[]; removed: string[] }[]) {
              for (const id of e.removed) shapes.delete(`${e.imageId}/${e.layerId}/${id}`);
              for (const a of e.shapes) shapes.set(`${e.imageId}/${e.layerId}/${a.id}`, a);
            }
            const all = [...shapes.values()].map(({ id, classId, layerId, shape }) => ({ id, classId, annotator: nameOf.get(layerId) ?? '?', shape }));
            db.close();
            resolve(all.sort((a, b) => a.id.localeCompare(b.id)));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}
