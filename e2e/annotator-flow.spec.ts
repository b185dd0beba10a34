import { expect, test, type Page } from './fixtures';
import { AnnotationsPanel, CanvasDriver, storedShapes } from './editor';
import { Tally, jpeg, makeImages } from './support';

/** A project with `n` images (320 × 240), named img1.jpg …, the first one open, the annotator named. */
async function project(page: Page, n = 3, name = 'Flow'): Promise<Tally> {
  const app = new Tally(page);
  await app.open();
  await app.createProject(name);
  await page.getByRole('textbox', { name: 'Annotator name' }).fill('ana');
  await page.getByRole('button', { name: 'Save name' }).click();
  const images = await makeImages(page, Array.from({ length: n }, (_, i) => ({ width: 320, height: 240, seed: 900 + i })));
  await app.importFiles(images.map((b, i) => jpeg(`img${i + 1}.jpg`, b)));
  await app.importFinished();
  return app;
}

const current = (app: Tally) => app.imageList.locator('[aria-current="true"]');
const pressed = (page: Page, name: string) => expect(page.getByRole('button', { name, exact: true })).toHaveAttribute('aria-pressed', 'true');

test('editor keys keep working after any control in the side panels was used', async ({ page }) => {
  const app = await project(page);
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();
  await page.keyboard.press('b');
  await canvas.drag([40, 40], [120, 110]);

  // Ticking Occluded leaves the focus on the checkbox; D still opens the next image.
  const occluded = page.getByRole('checkbox', { name: 'Occluded' });
  await occluded.check();
  await expect(occluded).toBeFocused();
  await page.keyboard.press('d');
  await expect(current(app)).toContainText('img2.jpg');

  // The Split select keeps the focus; B still picks the Box tool.
  await page.keyboard.press('v');
  await pressed(page, 'Select tool');
  await page.getByRole('combobox', { name: 'Split' }).focus();
  await page.getByRole('combobox', { name: 'Split' }).selectOption('train');
  await expect(page.getByRole('combobox', { name: 'Split' })).toBeFocused();
  await page.keyboard.press('b');
  await pressed(page, 'Box tool');

  // A class's eye checkbox: P still picks the Polygon tool.
  await page.getByRole('checkbox', { name: "Show this class's shapes" }).first().uncheck();
  await page.keyboard.press('p');
  await pressed(page, 'Polygon tool');
  await page.getByRole('checkbox', { name: "Show this class's shapes" }).first().check();

  // The filter select: Ctrl+Enter still marks the image done (and the next unfinished opens).
  await page.getByRole('combobox', { name: 'Filter images' }).selectOption('all');
  await page.keyboard.press('Control+Enter');
  await expect(app.imageItem('img2.jpg')).toContainText('Done');
  await expect(current(app)).toContainText('img3.jpg');

  // The colour picker: number keys still pick classes.
  await page.getByRole('button', { name: 'Add class' }).click();
  await page.keyboard.type('person');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Edit class' }).click();
  await page.getByLabel('Class color').focus();
  await page.keyboard.press('1');
  await expect(page.getByRole('button', { name: /^Class 1/ })).toHaveAttribute('aria-pressed', 'true');

  // Back on img1, Delete deletes the selected box though the focus is on a checkbox.
  await page.keyboard.press('a');
  await page.keyboard.press('a');
  await expect(current(app)).toContainText('img1.jpg');
  const panel = new AnnotationsPanel(page);
  await panel.items.first().click();
  await page.getByRole('checkbox', { name: 'Truncated' }).check();
  await page.keyboard.press('Delete');
  await expect(panel.items).toHaveCount(0);

  // Space and Enter keep their own meaning on a focused checkbox: Space ticks it.
  await page.keyboard.press('Control+z');
  await panel.items.first().click();
  await page.getByRole('checkbox', { name: 'Difficult' }).focus();
  await page.keyboard.press(' ');
  await expect(page.getByRole('checkbox', { name: 'Difficult' })).toBeChecked();

  // Text fields keep typing keys; Escape leaves them, back to the canvas, and keys answer again.
  await page.getByRole('spinbutton', { name: 'Width', exact: true }).focus();
  await page.keyboard.press('d');
  await expect(current(app)).toContainText('img1.jpg');
  await page.keyboard.press('Escape');
  await expect(canvas.region).toBeFocused();
  await page.keyboard.press('d');
  await expect(current(app)).toContainText('img2.jpg');
});

test('a class name is stored only when valid, on Enter or when the field is left; Escape keeps the stored name', async ({ page }) => {
  const app = await project(page, 1, 'Names');
  const nameBox = page.getByRole('textbox', { name: 'Class name' });
  const classButtons = page.getByRole('list', { name: 'Classes' }).getByRole('button');
  await page.getByRole('button', { name: 'Add class' }).click();
  await page.keyboard.type('car');
  await page.keyboard.press('Enter');
  await expect(classButtons).toHaveText([/^car\s*1/]);

  await page.getByRole('button', { name: 'Add class' }).click();
  await page.keyboard.type('Car'); // C, Ca, Car: each keystroke a valid name before the clash
  await expect(page.getByRole('alert')).toHaveText('A class named “car” already exists.');
  await page.keyboard.press('Enter'); // refused: the field keeps what was typed
  await expect(nameBox).toHaveValue('Car');
  await expect(classButtons).toHaveText([/^car\s*1/, /^Class 2\s*2/]);
  // Leaving the field does not store it either; the reason stays beside it.
  await canvasClick(page);
  await expect(nameBox).toHaveValue('Car');
  await expect(page.getByRole('alert')).toHaveText('A class named “car” already exists.');
  await nameBox.focus();
  await page.keyboard.press('Escape');
  await expect(nameBox).toHaveCount(0);
  await expect(classButtons).toHaveText([/^car\s*1/, /^Class 2\s*2/]);
  await expect(app.saveStatus).toHaveText('Saved');
  const stored = await page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const open = indexedDB.open('tally');
        open.onsuccess = () => {
          const req = open.result.transaction('projects').objectStore('projects').getAll();
          req.onsuccess = () => {
            resolve((req.result as { classes: { name: string }[] }[]).flatMap((p) => p.classes.map((c) => c.name)));
            open.result.close();
          };
        };
      }),
  );
  expect(stored).toEqual(['car', 'Class 2']);

  // An empty name is refused the same way.
  await page.getByRole('button', { name: 'Edit class' }).click();
  await nameBox.fill('  ');
  await nameBox.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Class name');
  await expect(classButtons).toHaveText([/^car\s*1/, /^Class 2\s*2/]);
});

async function canvasClick(page: Page): Promise<void> {
  const box = (await page.getByRole('region', { name: 'Annotation canvas' }).boundingBox())!;
  await page.mouse.click(box.x + 5, box.y + 5);
}

/** A PNG, mid-grey, with one red 10 × 10 square whose top-left pixel is (mx, my). */
async function markerImage(page: Page, width: number, height: number, mx: number, my: number): Promise<Buffer> {
  const b64 = await page.evaluate(
    async ({ width, height, mx, my }) => {
      const c = new OffscreenCanvas(width, height);
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#808080';
      ctx.fillRect(0, 0, width, height);
      ctx.fillStyle = '#ff0000';
      ctx.fillRect(mx, my, 10, 10);
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let s = '';
      for (const x of bytes) s += String.fromCharCode(x);
      return btoa(s);
    },
    { width, height, mx, my },
  );
  return Buffer.from(b64, 'base64');
}

/** Where the red square is on the page: found in a screenshot of the canvas, as a person would see it. */
async function findMarker(page: Page): Promise<{ x: number; y: number }> {
  const region = page.getByRole('region', { name: 'Annotation canvas' });
  await page.mouse.move(1, 1); // no crosshair or hover outline in the picture
  const box = (await region.boundingBox())!;
  const shot = (await region.screenshot()).toString('base64');
  const centre = await page.evaluate(async (png) => {
    // Decoded without fetch (the CSP allows no connection to data: URLs).
    const bytes = Uint8Array.from(atob(png), (ch) => ch.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (data[i]! > 200 && data[i + 1]! < 60 && data[i + 2]! < 60) {
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    return n === 0 ? null : { x: sx / n + 0.5, y: sy / n + 0.5 };
  }, shot);
  if (!centre) throw new Error('the red marker is not on the canvas');
  return { x: box.x + centre.x, y: box.y + centre.y };
}

async function readAt(page: Page, p: { x: number; y: number }): Promise<[number, number]> {
  await page.mouse.move(p.x, p.y);
  const text = (await page.getByLabel('Cursor position').textContent()) ?? '';
  const m = /^(\d+), (\d+)$/.exec(text);
  if (!m) throw new Error(`Cursor position reads “${text}”`);
  return [Number(m[1]), Number(m[2])];
}

test('the cursor readout stays exact when the canvas moves: the name banner goes, the window is resized', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Readout');
  // The marker's centre is pixel (305, 205) of an 800 × 600 image.
  await app.importFiles([{ name: 'marker.png', mimeType: 'image/png', buffer: await markerImage(page, 800, 600, 300, 200) }]);
  await app.importFinished();
  const region = page.getByRole('region', { name: 'Annotation canvas' });
  await expect(region).toHaveAttribute('data-shown-image', /.+/);
  const expectNear = ([x, y]: [number, number]) => {
    expect(Math.abs(x - 305)).toBeLessThanOrEqual(1);
    expect(Math.abs(y - 205)).toBeLessThanOrEqual(1);
  };
  expectNear(await readAt(page, await findMarker(page)));
  // Hovering while the banner is there, then saving a name: the banner goes and the canvas moves up.
  const before = (await region.boundingBox())!;
  await page.getByRole('textbox', { name: 'Annotator name' }).fill('ana');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('form', { name: 'Who is annotating?' })).toHaveCount(0);
  await expect.poll(async () => (await region.boundingBox())!.y).toBeLessThan(before.y - 20);
  expectNear(await readAt(page, await findMarker(page)));
  // Drawing lands where the pointer is too: a box dragged from the marker starts at (305, 205).
  const m = await findMarker(page);
  await page.keyboard.press('b');
  await page.mouse.move(m.x, m.y);
  await page.mouse.down();
  await page.mouse.move(m.x + 60, m.y + 40, { steps: 5 });
  await page.mouse.up();
  const panel = new AnnotationsPanel(page);
  const [x, y] = await panel.boxNumbers();
  expect(Math.abs(x - 305)).toBeLessThanOrEqual(1.5);
  expect(Math.abs(y - 205)).toBeLessThanOrEqual(1.5);
  await page.keyboard.press('Control+z'); // the box's red outline would be taken for the marker
  await expect(panel.items).toHaveCount(0);
  // A smaller window.
  await page.setViewportSize({ width: 1280, height: 720 });
  await expect.poll(async () => (await region.boundingBox())!.width).toBeLessThan(before.width);
  expectNear(await readAt(page, await findMarker(page)));
});

/** Records every text the Save status shows from now on. */
async function recordSaveStatus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __statuses: string[] };
    w.__statuses = [];
    const el = document.querySelector('[aria-label="Save status"]')!;
    w.__statuses.push(el.textContent ?? '');
    new MutationObserver(() => w.__statuses.push(document.querySelector('[aria-label="Save status"]')?.textContent ?? '')).observe(el.parentElement!, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

test('a write the browser refuses is said in Save status, never Saved, and taken back off the screen', async ({ page }) => {
  // The next `put` into the shapes' store, once armed, throws as IndexedDB does for data it cannot store.
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    const w = window as unknown as { __failNextPut: boolean };
    w.__failNextPut = false;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (w.__failNextPut && this.name === 'shapeLog') {
        w.__failNextPut = false;
        throw new DOMException('injected by the test', 'DataCloneError');
      }
      return put.apply(this, args);
    };
  });
  const app = await project(page, 1, 'Refused');
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();
  const panel = new AnnotationsPanel(page);
  await page.keyboard.press('b');
  await canvas.drag([20, 20], [100, 90]);
  await expect(panel.items).toHaveCount(1);
  await expect(app.saveStatus).toHaveText('Saved');

  await recordSaveStatus(page);
  await page.evaluate(() => ((window as unknown as { __failNextPut: boolean }).__failNextPut = true));
  await canvas.drag([150, 100], [250, 200]);
  await expect(app.saveStatus).toHaveText('Not saved: draw box on img1.jpg — the browser refused the data (DataCloneError: injected by the test).');
  // The screen matches the disk: the refused box is gone; the first one is on disk and on screen.
  await expect(panel.items).toHaveCount(1);
  expect(await storedShapes(page)).toHaveLength(1);
  const seen = await page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
  expect(seen.slice(1)).not.toContain('Saved');
  // The undo history holds only what was saved: Undo takes back the first box.
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toHaveAttribute('title', 'Undo draw box (Ctrl+Z)');
  await page.keyboard.press('Control+z');
  await expect(panel.items).toHaveCount(0);
  await expect(app.saveStatus).not.toHaveText('Saved'); // still said, until dismissed
  await page.getByRole('button', { name: 'Dismiss save error' }).click();
  await expect(app.saveStatus).toHaveText('Saved');
  expect(await storedShapes(page)).toHaveLength(0);
});

test('the editor says why a key did nothing, and notices fade or stay as they should', async ({ page }) => {
  const app = await project(page, 3, 'Feedback');
  const notices = page.getByRole('region', { name: 'Notices' });
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();

  // A polygon of two vertices cannot close: Enter says so.
  await page.keyboard.press('p');
  await canvas.click(50, 50);
  await canvas.click(150, 50);
  await page.keyboard.press('Enter');
  await expect(notices).toContainText('A polygon needs at least 3 vertices; 2 vertices are placed.');
  await page.keyboard.press('Escape');

  // Ctrl+Enter on an image without shapes says it was marked background.
  await page.keyboard.press('Control+Enter');
  await expect(notices).toContainText('img1.jpg has no shapes: marked as background');
  await expect(app.imageItem('img1.jpg')).toContainText('Done · background');

  // Information fades by itself; an error stays until dismissed; three at most.
  await page.keyboard.press('b');
  await canvas.drag([20, 20], [80, 80]); // img2 now has a shape
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Mark background' }).click(); // refused: it has shapes
  const errors = notices.getByRole('alert');
  await expect(errors).toHaveCount(1); // the same message is not stacked
  await expect(notices.getByText('A polygon needs')).toHaveCount(0, { timeout: 15_000 });
  await expect(errors).toHaveCount(1);
  await expect(errors).toContainText('img2.jpg has shapes');
  await errors.getByRole('button', { name: 'Dismiss' }).click();
  await expect(errors).toHaveCount(0);

  // Notices never cover the cursor readout or the toolbar.
  await page.keyboard.press('p');
  await canvas.click(50, 50);
  await page.keyboard.press('Enter');
  const note = (await notices.locator('.notice').first().boundingBox())!;
  for (const other of [page.getByLabel('Cursor position'), page.getByRole('toolbar', { name: 'Tools' })]) {
    const o = (await other.boundingBox())!;
    const overlaps = note.x < o.x + o.width && o.x < note.x + note.width && note.y < o.y + o.height && o.y < note.y + note.height;
    expect(overlaps).toBe(false);
  }
});

test('with no images, Import annotations and Export say why they cannot act; the folder button says what it imports', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Empty');
  const notices = page.getByRole('region', { name: 'Notices' });
  const importAnnotations = page.getByRole('button', { name: 'Import annotations' });
  await expect(importAnnotations).toHaveAttribute('aria-disabled', 'true');
  await expect(importAnnotations).toHaveAttribute('title', /Import images first/);
  // aria-disabled: announced as unavailable, yet a press says why (Playwright waits for enabled controls: force the click a user can make).
  await importAnnotations.click({ force: true });
  await expect(notices).toContainText('Import images first: annotations are matched to the project’s images.');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Import annotation folder' })).toHaveAttribute('aria-disabled', 'true');
  await page.getByRole('button', { name: 'Export', exact: true }).click({ force: true });
  await expect(notices).toContainText('Nothing to export yet: import images first.');
  await expect(page.getByRole('dialog', { name: 'Export' })).toHaveCount(0);

  // With an image, both act.
  const [img] = await makeImages(page, [{ width: 320, height: 240, seed: 5 }]);
  await app.importFiles([jpeg('one.jpg', img!)]);
  await app.importFinished();
  await expect(importAnnotations).toHaveAttribute('aria-disabled', 'false');
  await expect(page.getByRole('button', { name: 'Import annotation folder' })).toHaveAttribute('title', /unzipped export/);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Export' })).toBeVisible();
});

test('reopening a project opens the image left open; the start page shows progress, when it was opened and a picture', async ({ page }) => {
  const app = await project(page, 3, 'Reopen');
  await app.imageItem('img3.jpg').click();
  await expect(current(app)).toContainText('img3.jpg');
  await page.keyboard.press('Control+Enter'); // img3 done (background), img1 opens
  await app.imageItem('img2.jpg').click();
  await expect(app.saveStatus).toHaveText('Saved');
  await page.getByRole('link', { name: 'Projects' }).click();
  const row = page.getByRole('listitem').filter({ hasText: 'Reopen' });
  await expect(row).toContainText('1 / 3 done');
  await expect(row).toContainText('opened just now');
  await expect(row.locator('img')).toHaveAttribute('src', /^blob:/);
  await page.getByRole('link', { name: 'Reopen' }).click();
  await expect(current(app)).toContainText('img2.jpg');
  await page.reload();
  await expect(current(app)).toContainText('img2.jpg');
});

test('the Annotations list tells shapes apart and outlines the hovered one on the canvas; the hover label names class and annotator', async ({ page }) => {
  await project(page, 1, 'Rows');
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();
  const panel = new AnnotationsPanel(page);
  await page.keyboard.press('b');
  await canvas.drag([20, 20], [100, 80]);
  await canvas.drag([150, 100], [200, 200]);
  await page.keyboard.press('p');
  for (const [x, y] of [[250, 20], [300, 30], [280, 90], [240, 60]] as const) await canvas.click(x, y);
  await page.keyboard.press('Enter');
  await expect(panel.items).toHaveText([/^#1\s*Class 1 box \d+×\d+ · ana$/, /^#2\s*Class 1 box \d+×\d+ · ana$/, /^#3\s*Class 1 polygon 4 pts · ana$/]);
  const region = page.getByRole('region', { name: 'Annotation canvas' });
  await panel.items.nth(1).hover();
  const ids = (await storedShapes(page)).map((s) => s.id);
  await expect(region).toHaveAttribute('data-hover-shape', new RegExp(`^(${ids.join('|')})$`));
  const hovered = await region.getAttribute('data-hover-shape');
  const second = (await storedShapes(page)).find((s) => s.id === hovered)!;
  expect(second.shape.kind).toBe('box');
  if (second.shape.kind === 'box') expect([Math.round(second.shape.w / 5), Math.round(second.shape.h / 5)]).toEqual([10, 20]); // the 50 × 100 one
});

for (const [width, height] of [
  [1440, 900],
  [1280, 720],
] as const) {
  test(`at ${width}×${height} the top bar and the toolbar keep one row, the file name is readable, and the ? overlay fits`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    const app = new Tally(page);
    await app.open();
    await app.createProject('A project with a rather long name for a laptop');
    const [img] = await makeImages(page, [{ width: 640, height: 480, seed: 1 }]);
    await app.importFiles([jpeg('lisbon_tram_stop_and_square_001.jpg', img!)]);
    await app.importFinished();
    // One row: every button overlaps every other vertically.
    const oneRow = async (container: string) => {
      const rects = await page.locator(container).locator('button:visible').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
      return rects.length > 3 && Math.max(...rects.map((r) => r.top)) < Math.min(...rects.map((r) => r.bottom));
    };
    expect(await oneRow('.topbar')).toBe(true);
    expect(await oneRow('[role="toolbar"][aria-label="Tools"]')).toBe(true);
    // The end of the file name (its number and extension) is shown whole.
    const end = page.locator('.nav-file .file-name-end');
    await expect(end).toHaveText(/_001\.jpg$/);
    expect(await end.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().width > 0)).toBe(true);

    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    const box = (await dialog.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(height);
    expect(await dialog.evaluate((d) => d.scrollTop)).toBe(0);
    expect(await dialog.evaluate((d) => d.scrollHeight <= d.clientHeight + 1)).toBe(true); // everything shows without scrolling
    // No key label wraps onto a second line.
    const heights = await dialog.locator('kbd').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().height)));
    expect(Math.max(...heights) - Math.min(...heights)).toBeLessThanOrEqual(1);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });
}
