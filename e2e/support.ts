import { chromium, expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumExecutable } from '../scripts/chromium.mjs';
import { guardContext } from './fixtures';

export interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export interface ImageSpec {
  width: number;
  height: number;
  /** Different seeds give different pictures; the same seed the same picture. */
  seed: number;
  type?: 'image/jpeg' | 'image/png';
  quality?: number;
}

/**
 * Real image files, drawn by the browser's own canvas and encoded by its own encoder: gradients,
 * shapes and noise from a seeded generator, so files are distinct, deterministic and decodable.
 */
export async function makeImages(page: Page, specs: readonly ImageSpec[]): Promise<Buffer[]> {
  const encoded = await page.evaluate(async (list) => {
    const out: string[] = [];
    for (const spec of list) {
      let s = spec.seed >>> 0 || 1;
      const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 2 ** 32);
      const canvas = new OffscreenCanvas(spec.width, spec.height);
      const ctx = canvas.getContext('2d')!;
      const g = ctx.createLinearGradient(0, 0, spec.width, spec.height);
      g.addColorStop(0, `hsl(${rand() * 360} 60% 50%)`);
      g.addColorStop(1, `hsl(${rand() * 360} 60% 30%)`);
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, spec.width, spec.height);
      for (let i = 0; i < 12; i++) {
        ctx.fillStyle = `hsl(${rand() * 360} 70% ${30 + rand() * 40}%)`;
        const w = (0.05 + rand() * 0.3) * spec.width;
        const h = (0.05 + rand() * 0.3) * spec.height;
        if (rand() < 0.5) ctx.fillRect(rand() * spec.width, rand() * spec.height, w, h);
        else {
          ctx.beginPath();
          ctx.ellipse(rand() * spec.width, rand() * spec.height, w / 2, h / 2, 0, 0, Math.PI * 2);
          ctx.fill();
        }
      }
      const blob = await canvas.convertToBlob({ type: spec.type ?? 'image/jpeg', quality: spec.quality ?? 0.85 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      out.push(btoa(bin));
    }
    return out;
  }, specs);
  return encoded.map((b64) => Buffer.from(b64, 'base64'));
}

export const jpeg = (name: string, buffer: Buffer): FilePayload => ({ name, mimeType: 'image/jpeg', buffer });

/** A fresh profile directory, so a browser can be closed and relaunched on the same data. */
export function tempProfile(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tally-profile-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A browser on a profile directory, under the running test's CSP and other-origin guard (fixtures.ts). */
export async function launchProfile(dir: string, baseURL: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumExecutable(),
    args: CHROMIUM_ARGS,
    baseURL,
    viewport: { width: 1400, height: 860 },
  });
  await guardContext(context);
  return context;
}

/** The app as a user sees it: controls found by role and accessible name (UI-CONTRACT.md). */
export class Tally {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  }

  async createProject(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'New project' }).click();
    await this.page.getByRole('textbox', { name: 'Project name' }).fill(name);
    await this.page.getByRole('button', { name: 'Create' }).click();
    await expect(this.imageList.or(this.page.getByText('No images yet'))).toBeVisible();
  }

  get imageList(): Locator {
    return this.page.getByRole('list', { name: 'Images' });
  }

  get saveStatus(): Locator {
    return this.page.getByLabel('Save status');
  }

  async importFiles(files: FilePayload[] | string[]): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByRole('button', { name: 'Import images' }).click();
    await (await chooser).setFiles(files);
  }

  async importFolder(dir: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByRole('button', { name: 'Import folder' }).click();
    await (await chooser).setFiles(dir);
  }

  /** Waits until the import has finished and everything is committed. */
  async importFinished(): Promise<void> {
    await expect(this.page.getByRole('region', { name: 'Import report' })).toBeVisible({ timeout: 60_000 });
    await expect(this.saveStatus).toHaveText('Saved');
  }

  imageItem(fileName: string): Locator {
    return this.imageList.getByRole('listitem').filter({ hasText: fileName });
  }

  /** The id of the image drawn on the canvas, once it is drawn. */
  get canvas(): Locator {
    return this.page.getByRole('region', { name: 'Annotation canvas' });
  }
}

/** A record as stored in Tally's IndexedDB (the tests read and plant them as plain objects). */
export type StoredRecord = Record<string, unknown> & { readonly id: string };

/** Every record of each named store of Tally's IndexedDB (one read transaction each). */
export async function readStores(page: Page, stores: readonly string[]): Promise<Record<string, StoredRecord[]>> {
  return page.evaluate(async (names) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('tally');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const out: Record<string, StoredRecord[]> = {};
    for (const name of names) {
      out[name] = await new Promise<StoredRecord[]>((ok, fail) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => ok(r.result as StoredRecord[]);
        r.onerror = () => fail(r.error);
      });
    }
    db.close();
    return out;
  }, stores);
}

/**
 * Puts records straight into Tally's IndexedDB, in one transaction: what the UI refuses to make
 * (a class differing only in case, a box outside its image); `annotations` are written as the app stores them (shape log entries). Reload or reopen the project after.
 */
export async function putRecords(page: Page, puts: Record<string, readonly object[]>): Promise<void> {
  const { annotations, ...rest } = puts;
  const records = annotations ? { ...rest, shapeLog: shapeLogOf(annotations as readonly SeededShape[]) } : rest;
  await page.evaluate(async (records) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('tally');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const tx = db.transaction(Object.keys(records), 'readwrite');
    for (const [store, list] of Object.entries(records)) for (const record of list) tx.objectStore(store).put(record);
    await new Promise((ok, fail) => {
      tx.oncomplete = ok;
      tx.onerror = () => fail(tx.error);
    });
    db.close();
  }, records);
}

interface SeededShape {
  readonly id: string;
  readonly projectId: string;
  readonly imageId: string;
  readonly layerId: string;
  readonly classId: string;
}

/**
 * Shapes as the app stores them since schema 5 (src/persistence/shapeLog.ts): one shape log entry
 * per layer and image, its shapes by id, and the classes among them for the byClass index.
 */
function shapeLogOf(shapes: readonly SeededShape[]): object[] {
  const runs = new Map<string, SeededShape[]>();
  for (const a of shapes) {
    const key = `${a.projectId}/${a.imageId}/${a.layerId}`;
    runs.set(key, [...(runs.get(key) ?? []), a]);
  }
  return [...runs.values()].map((run, i) => {
    const { projectId, imageId, layerId } = run[0]!;
    const sorted = [...run].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const classKeys = [...new Set(sorted.map((a) => a.classId))].sort().map((c) => [projectId, c]);
    return { projectId, imageId, layerId, seq: i + 1, shapes: sorted, removed: [], classKeys };
  });
}

/** The browser restarted on the profile in `dir`: its first page on the start page, then the project `name` opened. */
export async function reopenProject(dir: string, baseURL: string, name: string): Promise<{ context: BrowserContext; page: Page; app: Tally }> {
  const context = await launchProfile(dir, baseURL);
  const page = context.pages()[0] ?? (await context.newPage());
  const app = new Tally(page);
  await app.open();
  await page.getByRole('link', { name }).click();
  return { context, page, app };
}
