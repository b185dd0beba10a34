// tab-close: a box is drawn and the tab is closed 0–30 ms later (the edit still `Saving…`), in a
// tab in front and in one sent to the background with its CPU slowed 4×. Counts the edits that a
// fresh tab does not find in IndexedDB afterwards.
import { createProject, openHome } from '../app.mjs';
import { withProfile } from '../browser.mjs';
import { collect } from '../metrics.mjs';

const DELAYS_MS = process.env.TAB_DELAYS ? process.env.TAB_DELAYS.split(',').map(Number) : [0, 5, 10, 15, 20, 30];

/** A 640 × 480 PNG drawn by the browser (no files needed). */
async function makeImage(page) {
  const b64 = await page.evaluate(async () => {
    const c = new OffscreenCanvas(640, 480);
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#557799';
    ctx.fillRect(0, 0, 640, 480);
    const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let s = '';
    for (const x of bytes) s += String.fromCharCode(x);
    return btoa(s);
  });
  return { name: 'tab-close.png', mimeType: 'image/png', buffer: Buffer.from(b64, 'base64') };
}

function storedCount(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('tally');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('shapeLog').objectStore('shapeLog').getAll();
          req.onsuccess = () => {
            open.result.close();
            // The shape log replayed (entries in key order; the last word on an id counts).
            const shapes = new Set();
            for (const e of req.result) {
              for (const id of e.removed) shapes.delete(`${e.imageId}/${e.layerId}/${id}`);
              for (const a of e.shapes) shapes.add(`${e.imageId}/${e.layerId}/${a.id}`);
            }
            resolve(shapes.size);
          };
        };
      }),
  );
}

async function shownImage(page) {
  await page.waitForFunction(() => !!document.querySelector('[aria-label="Annotation canvas"]')?.getAttribute('data-shown-image'), null, { timeout: 30_000 });
}

/** One trial: open the project, draw a box, close the tab `delay` ms later; true when the box was lost. */
async function trial(context, url, delay, background) {
  const page = await context.newPage();
  await page.goto(url);
  await shownImage(page);
  const before = await storedCount(page);
  const box = await page.getByRole('region', { name: 'Annotation canvas' }).boundingBox();
  const x = box.x + box.width / 2 - 40 + (before % 20);
  const y = box.y + box.height / 2 - 30;
  await page.keyboard.press('b');
  let other = null;
  if (background) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    other = await context.newPage();
    await other.bringToFront();
  }
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 60, y + 40, { steps: 3 });
  await page.mouse.up();
  if (delay) await new Promise((r) => setTimeout(r, delay));
  await page.close();
  const check = await context.newPage();
  await check.goto(url);
  await shownImage(check);
  const after = await storedCount(check);
  await check.close();
  await other?.close();
  return after !== before + 1;
}

async function runOnce(baseURL) {
  return withProfile(baseURL, async (page, context) => {
    await openHome(page);
    await createProject(page, 'Tab close');
    await page.getByRole('textbox', { name: 'Annotator name' }).fill('bench');
    await page.getByRole('button', { name: 'Save name' }).click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import images' }).click();
    await (await chooser).setFiles([await makeImage(page)]);
    await shownImage(page);
    await page.waitForFunction(() => document.querySelector('[aria-label="Save status"]')?.textContent === 'Saved');
    const url = page.url();
    // This tab leaves the project: each trial's tab must be the one that edits it.
    await openHome(page);
    let lostFront = 0;
    let lostBackground = 0;
    for (const delay of DELAYS_MS) {
      if (await trial(context, url, delay, false)) lostFront++;
      if (await trial(context, url, delay, true)) lostBackground++;
    }
    return { lostFront, lostBackground };
  });
}

export const tabClose = {
  name: 'tab-close',
  needs: [],
  async run({ baseURL, runs, log }) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const r = await runOnce(baseURL);
      log(`tab-close run ${i + 1}/${runs}: lost ${r.lostFront} of ${DELAYS_MS.length} in front, ${r.lostBackground} of ${DELAYS_MS.length} in the background`);
      results.push(r);
    }
    return { data: { trialsPerRun: DELAYS_MS.length, delaysMs: DELAYS_MS }, values: collect(results) };
  },
  figures: {
    /** Boxes lost when the tab in front is closed 0–30 ms after drawing (of `trialsPerRun`). */
    lostFront: { unit: 'edits', target: 0, digits: 0 },
    /** Same, the tab in the background with its CPU slowed 4×. */
    lostBackground: { unit: 'edits', target: 0, digits: 0 },
  },
};
