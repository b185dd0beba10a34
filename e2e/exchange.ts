import { expect, type Download, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { CanvasDriver } from './editor';
import { Tally, jpeg, makeImages, type FilePayload } from './support';

/** Export and Import annotations as a user drives them (UI-CONTRACT.md names). */
export class Exchange {
  constructor(readonly page: Page) {}

  get exportDialog() {
    return this.page.getByRole('dialog', { name: 'Export' });
  }

  get importDialog() {
    return this.page.getByRole('dialog', { name: 'Import annotations' });
  }

  /** Opens Export, picks the options, clicks Download and returns the archive's files. */
  async export(format: string, options: { includeImages?: boolean; from?: string; boxCorners?: boolean; readMs?: number } = {}): Promise<{ name: string; bytes: Buffer; files: Map<string, Uint8Array>; download: Download }> {
    await this.page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = this.exportDialog;
    await dialog.getByRole('combobox', { name: 'Format' }).selectOption({ label: format });
    if (options.from) await dialog.getByRole('combobox', { name: 'Annotations from' }).selectOption({ label: options.from });
    await dialog.getByRole('checkbox', { name: 'Include images' }).setChecked(options.includeImages ?? false);
    if (options.boxCorners) await dialog.getByRole('combobox', { name: 'Box segmentation' }).selectOption('corners');
    // What the zip will hold is said before the click.
    await expect(dialog.getByRole('region', { name: 'What the zip will hold' })).toBeVisible();
    // A user who reads the dialog first (the archive is made meanwhile, or not yet: either way the same).
    if (options.readMs) await this.page.waitForTimeout(options.readMs);
    const downloading = this.page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Download' }).click();
    const download = await downloading;
    await expect(dialog.getByRole('status')).toContainText('Read back and verified');
    const bytes = readFileSync((await download.path())!);
    const files = new Map(Object.entries(unzipSync(new Uint8Array(bytes))).filter(([path]) => !path.endsWith('/')));
    await dialog.getByRole('button', { name: 'Close' }).click();
    return { name: download.suggestedFilename(), bytes, files, download };
  }

  /** Chooses files for Import annotations and waits for the dialog's summary. */
  async chooseAnnotations(files: FilePayload[] | string[]): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByRole('button', { name: 'Import annotations' }).click();
    await (await chooser).setFiles(files);
    await expect(this.importDialog.getByLabel('What will be imported')).toBeVisible({ timeout: 30_000 });
  }

  async confirmImport(annotator?: string): Promise<void> {
    if (annotator !== undefined) await this.importDialog.getByRole('textbox', { name: 'Annotator' }).fill(annotator);
    await this.importDialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(this.importDialog).toBeHidden();
    await expect(this.page.getByLabel('Save status')).toHaveText('Saved');
  }
}

export const text = (files: Map<string, Uint8Array>, path: string): string => {
  const f = files.get(path);
  if (!f) throw new Error(`${path} is not in the archive: ${[...files.keys()].join(', ')}`);
  return strFromU8(f);
};

/**
 * A project "Source" with two images — street.jpg (400×300, train) and park.jpg (320×240, val) —
 * a box drawn on street.jpg at 100,100 → 300,250 (class 1) and a 4-point polygon on park.jpg.
 */
export async function sourceProject(page: Page, name = 'Source'): Promise<{ app: Tally; images: FilePayload[] }> {
  const app = new Tally(page);
  await app.open();
  await app.createProject(name);
  const [a, b] = await makeImages(page, [
    { width: 400, height: 300, seed: 11 },
    { width: 320, height: 240, seed: 12 },
  ]);
  const images = [jpeg('street.jpg', a!), jpeg('park.jpg', b!)];
  await app.importFiles(images);
  await app.importFinished();
  const canvas = new CanvasDriver(page);

  await app.imageItem('street.jpg').click();
  await page.getByRole('combobox', { name: 'Split' }).selectOption('train');
  await canvas.calibrate();
  await page.getByRole('button', { name: 'Box tool' }).click();
  await canvas.drag([100, 100], [300, 250]);

  await app.imageItem('park.jpg').click();
  await page.getByRole('combobox', { name: 'Split' }).selectOption('val');
  await canvas.calibrate();
  await page.getByRole('button', { name: 'Polygon tool' }).click();
  for (const [x, y] of [
    [40, 40],
    [200, 50],
    [220, 180],
    [60, 200],
  ] as const)
    await canvas.click(x, y);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('list', { name: 'Annotations' }).getByRole('listitem')).toHaveCount(1);
  await expect(app.saveStatus).toHaveText('Saved');
  return { app, images };
}

export interface ProjectShape {
  readonly image: string;
  readonly annotator: string;
  readonly className: string;
  readonly shape: { kind: 'box'; x: number; y: number; w: number; h: number } | { kind: 'polygon'; points: number[] };
}

/** The shapes of the project with this name, as stored in IndexedDB, with image file names and class names. */
/** `newest`: of several projects with this name, the one made last. */
export async function projectShapes(page: Page, projectName: string, newest = false): Promise<ProjectShape[]> {
  return page.evaluate(
    ({ name, newest }) =>
      new Promise<ProjectShape[]>((resolve, reject) => {
        const open = indexedDB.open('tally');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['projects', 'images', 'shapeLog', 'layers']);
          const projects = tx.objectStore('projects').getAll();
          const images = tx.objectStore('images').getAll();
          const log = tx.objectStore('shapeLog').getAll();
          const layers = tx.objectStore('layers').getAll();
          tx.oncomplete = () => {
            type P = { id: string; name: string; createdAt: number; classes: { id: string; name: string }[] };
            const named = (projects.result as P[]).filter((p) => p.name === name).sort((a, b) => a.createdAt - b.createdAt);
            const project = newest ? named.at(-1) : named[0];
            if (!project) return reject(new Error(`no project ${name}`));
            const fileOf = new Map((images.result as { id: string; projectId: string; fileName: string }[]).map((i) => [i.id, i.fileName]));
            const classOf = new Map(project.classes.map((c) => [c.id, c.name]));
            // Whose shape: the name of the layer it points at.
            const layerOf = new Map((layers.result as { id: string; projectId: string; name: string }[]).filter((l) => l.projectId === project.id).map((l) => [l.id, l.name]));
            type Stored = { id: string; projectId: string; imageId: string; layerId: string; classId: string; shape: ProjectShape['shape'] };
            // The shapes are a log (entries in key order: each layer's in seq order): replayed, the last word on an id counts.
            const shapes = new Map<string, Stored>();
            for (const e of log.result as { projectId: string; imageId: string; layerId: string; shapes: Stored[]; removed: string[] }[]) {
              if (e.projectId !== project.id) continue;
              for (const id of e.removed) shapes.delete(`${e.imageId}/${e.layerId}/${id}`);
              for (const a of e.shapes) shapes.set(`${e.imageId}/${e.layerId}/${a.id}`, a);
            }
            const out = [...shapes.values()]
              .map((a) => ({ image: fileOf.get(a.imageId) ?? '?', annotator: layerOf.get(a.layerId) ?? '?', className: classOf.get(a.classId) ?? '?', shape: a.shape }));
            db.close();
            resolve(out.sort((x, y) => x.image.localeCompare(y.image) || x.annotator.localeCompare(y.annotator) || x.className.localeCompare(y.className) || JSON.stringify(x.shape).localeCompare(JSON.stringify(y.shape))));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { name: projectName, newest },
  );
}

/**
 * A zip holding one entry of `size` zero bytes, deflated (level 9: 1 GiB becomes about 1 MB),
 * written to `path`: a zip bomb's shape, made by streaming, never holding the entry whole.
 */
export async function writeZeroZip(path: string, entryName: string, size: number): Promise<void> {
  const { createDeflateRaw, crc32 } = await import('node:zlib');
  const { writeFileSync } = await import('node:fs');
  const chunk = Buffer.alloc(1 << 20);
  const deflate = createDeflateRaw({ level: 9, memLevel: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const ended = new Promise((resolve) => deflate.on('end', resolve));
  let crc = 0;
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  const data = Buffer.concat(parts);
  const name = Buffer.from(entryName, 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0x0800, 6); // UTF-8 name
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42); // local header offset
  const directoryStart = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(directoryStart, 16);
  writeFileSync(path, Buffer.concat([local, name, data, central, name, end]));
}

/** Each image's split in the project with this name, by file name, as stored in IndexedDB. */
export async function projectSplits(page: Page, projectName: string): Promise<Record<string, string>> {
  return page.evaluate(
    (name) =>
      new Promise<Record<string, string>>((resolve, reject) => {
        const open = indexedDB.open('tally');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['projects', 'images']);
          const projects = tx.objectStore('projects').getAll();
          const images = tx.objectStore('images').getAll();
          tx.oncomplete = () => {
            const project = (projects.result as { id: string; name: string }[]).find((p) => p.name === name);
            db.close();
            if (!project) return reject(new Error(`no project ${name}`));
            const own = (images.result as { projectId: string; fileName: string; split: string }[]).filter((i) => i.projectId === project.id);
            resolve(Object.fromEntries(own.map((i) => [i.fileName, i.split]).sort()));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    projectName,
  );
}
