import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync, unzlibSync, zlibSync } from 'fflate';
import { expect, test, type Page } from './fixtures';
import { Tally, makeImages, putRecords, readStores, type FilePayload, type StoredRecord } from './support';

const issues = (page: Page) => page.getByRole('table', { name: 'Issues' });
const row = (page: Page, type: string) => issues(page).getByRole('row').filter({ hasText: type });

/** An almost black PNG (a few dark grey specks), drawn and encoded by the browser. */
async function darkPng(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(320, 240);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = 'rgb(6, 6, 8)';
    ctx.fillRect(0, 0, 320, 240);
    ctx.fillStyle = 'rgb(30, 30, 34)';
    for (let i = 0; i < 40; i++) ctx.fillRect((i * 97) % 317, (i * 53) % 237, 3, 3);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(bin);
  });
  return Buffer.from(b64, 'base64');
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/**
 * The same PNG re-encoded: its image data inflated and deflated again at another compression
 * level, in one IDAT chunk. Other file bytes (other SHA-256), the very same pixels.
 */
function reencodePng(png: Buffer): Buffer {
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    chunks.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  const recompressed = Buffer.from(zlibSync(unzlibSync(idat), { level: 1 }));
  const out: Buffer[] = [png.subarray(0, 8)];
  let wroteData = false;
  for (const c of chunks) {
    if (c.type === 'IDAT' && wroteData) continue;
    const data = c.type === 'IDAT' ? recompressed : c.data;
    wroteData ||= c.type === 'IDAT';
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(c.type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    out.push(head, data, crc);
  }
  return Buffer.concat(out);
}

async function start(page: Page, project: string, annotator: string): Promise<Tally> {
  const app = new Tally(page);
  await app.open();
  await app.createProject(project);
  await page.getByRole('textbox', { name: 'Annotator name' }).fill(annotator);
  await page.getByRole('button', { name: 'Save name' }).click();
  return app;
}

test('pixels measured at import: an almost black image is too dark, and a PNG and its re-encoding in train and val are exact copies', async ({ page }) => {
  const app = await start(page, 'Pixels', 'ana');
  const [scene, other] = await makeImages(page, [
    { width: 480, height: 360, seed: 31, type: 'image/png' },
    { width: 480, height: 360, seed: 32 },
  ]);
  const copy = reencodePng(scene!);
  expect(copy.equals(scene!)).toBe(false);
  const files: FilePayload[] = [
    { name: 'scene.png', mimeType: 'image/png', buffer: scene! },
    { name: 'scene-copy.png', mimeType: 'image/png', buffer: copy },
    { name: 'night.png', mimeType: 'image/png', buffer: await darkPng(page) },
    { name: 'road.jpg', mimeType: 'image/jpeg', buffer: other! },
  ];
  await app.importFiles(files);
  await app.importFinished();
  await expect(app.imageList.getByRole('listitem')).toHaveCount(4); // different bytes: both PNGs are stored
  for (const [name, split] of [
    ['scene.png', 'train'],
    ['scene-copy.png', 'val'],
  ] as const) {
    await app.imageItem(name).click();
    await page.getByRole('combobox', { name: 'Split' }).selectOption(split);
    await expect(app.imageItem(name)).toContainText(split);
  }
  await expect(app.saveStatus).toHaveText('Saved');

  await page.getByRole('button', { name: 'Run check' }).click();
  await expect(issues(page)).toBeVisible();
  await expect(row(page, 'Too dark')).toHaveCount(1);
  await expect(row(page, 'Too dark')).toContainText('night.png');
  // Found by the pixel hash (the file hashes differ): "exact copies", not "near-certain duplicates".
  await expect(row(page, 'Leaky split')).toHaveCount(1);
  await expect(row(page, 'Leaky split')).toContainText(/2 exact copies sit in train and val \((scene\.png, scene-copy\.png|scene-copy\.png, scene\.png)\)/);
});

/** Plants two of bob's boxes on edge.jpg (320 × 240) straight into IndexedDB: one over the right edge, one wholly outside. */
async function plantOutside(page: Page): Promise<void> {
  const db = await readStores(page, ['projects', 'images']);
  const project = db.projects![0] as StoredRecord & { classes: StoredRecord[] };
  const image = db.images![0] as StoredRecord & { annotationCount: number };
  // bob's layer (he has drawn nothing yet: it is made here, as his first shape would make it).
  const bob = { id: 'layer-bob', projectId: project.id, name: 'bob', kind: 'annotator', revision: 1, createdAt: 9, updatedAt: 9 };
  const base = { projectId: project.id, imageId: image.id, layerId: bob.id, revision: 1, classId: project.classes[0]!.id, attributes: {}, source: 'manual', createdAt: 9, updatedAt: 9 };
  await putRecords(page, {
    layers: [bob],
    annotations: [
      { ...base, id: 'planted-over-edge', shape: { kind: 'box', x: 280, y: 100, w: 80, h: 50 } },
      { ...base, id: 'planted-outside', shape: { kind: 'box', x: 400, y: 20, w: 40, h: 30 } },
    ],
    images: [{ ...image, annotationCount: image.annotationCount + 2 }],
  });
}

test('Export names the open errors of the chosen layer and splits, and manifest.json carries the check summary', async ({ page }) => {
  const app = await start(page, 'Edges', 'bob');
  const [img] = await makeImages(page, [{ width: 320, height: 240, seed: 12 }]);
  await app.importFiles([{ name: 'edge.jpg', mimeType: 'image/jpeg', buffer: img! }]);
  await app.importFinished();
  await page.getByRole('button', { name: 'Add class' }).click();
  await page.keyboard.type('car');
  await page.keyboard.press('Enter');
  await expect(app.saveStatus).toHaveText('Saved');

  const dialog = page.getByRole('dialog', { name: 'Export' });
  const checkLine = dialog.getByRole('region', { name: 'Consistency check' });
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(checkLine).toHaveText('Not checked yet: Run check to find problems before exporting.');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await plantOutside(page);
  await page.reload();
  await expect(app.imageList).toBeVisible();
  await page.getByRole('button', { name: 'Run check' }).click();
  await expect(row(page, 'Out of image')).toHaveCount(2);

  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByRole('combobox', { name: 'Annotations from' })).toHaveValue('bob');
  await expect(checkLine).toHaveText('Consistency check: 1 open error in bob’s layer and the chosen splits — Out of image (1); 1 warning. Fix them in Issues, or export as they are.');
  await expect(dialog.getByRole('region', { name: 'What the zip will hold' })).toBeVisible();
  // At 1280 × 720 the line and Download are both in view.
  await page.setViewportSize({ width: 1280, height: 720 });
  await expect(checkLine).toBeInViewport();
  await expect(dialog.getByRole('button', { name: 'Download' })).toBeInViewport();
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download' }).click(); // not blocked by the errors
  const download = await downloading;
  await expect(dialog.getByRole('status')).toContainText('Read back and verified');
  const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { annotationsFrom: string; check: Record<string, unknown> };
  expect(manifest.annotationsFrom).toBe('bob');
  expect(manifest.check).toMatchObject({ checked: true, layer: 'bob', splits: ['unassigned'], open: { error: 1, warning: 1 }, dismissed: 0, errorsByRule: { 'out-of-image': 1 } });
  expect(manifest.check.byRule).toMatchObject({ 'out-of-image': 2 });
  expect(Date.parse(manifest.check.checkedAt as string)).not.toBeNaN();
});
