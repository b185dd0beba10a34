import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './fixtures';
import { AnnotationsPanel, CanvasDriver, storedShapes } from './editor';
import { Exchange } from './exchange';
import { Tally, jpeg, launchProfile, makeImages, tempProfile } from './support';
import { startPreview } from '../scripts/preview.mjs';

// These tests start their own `vite preview` of the build the e2e server made (playwright.config.ts
// puts its folder in TALLY_E2E_DIST), so that they can stop it: the app must then come from the
// service worker's precache alone. Each server has an origin (port) of its own, hence a service
// worker of its own.
const DIST = process.env.TALLY_E2E_DIST!;

/** Waits until the service worker has installed (precached everything) and is active. */
async function serviceWorkerActive(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state)).toBe('activated');
}

async function openHome(page: Page, url: string): Promise<Tally> {
  await page.goto(`${url}/`);
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  return new Tally(page);
}

/** Creates a project with one 400×300 image and a box drawn at 100,100 → 300,250. */
async function projectWithBox(page: Page, app: Tally, name: string): Promise<{ canvas: CanvasDriver; panel: AnnotationsPanel }> {
  await app.createProject(name);
  const [img] = await makeImages(page, [{ width: 400, height: 300, seed: 5 }]);
  await app.importFiles([jpeg('street.jpg', img!)]);
  await app.importFinished();
  const canvas = new CanvasDriver(page);
  const panel = new AnnotationsPanel(page);
  await canvas.calibrate();
  await page.getByRole('button', { name: 'Box tool' }).click();
  await canvas.drag([100, 100], [300, 250]);
  await expect(panel.items).toHaveCount(1);
  await expect(app.saveStatus).toHaveText('Saved');
  return { canvas, panel };
}

test('after one visit Tally opens and works with no network and no server', async ({ page, context, guard }) => {
  const server = await startPreview({ outDir: DIST });
  guard.allowOrigin(server.url);
  let stopped = false;
  try {
    const app = await openHome(page, server.url);
    const { panel } = await projectWithBox(page, app, 'Offline');
    await panel.expectBox([100, 100, 200, 150]);
    await serviceWorkerActive(page);

    // Take the network away: the browser offline, and the server gone.
    await server.stop();
    stopped = true;
    await context.setOffline(true);
    await expect(fetch(server.url)).rejects.toThrow();

    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await expect(app.imageItem('street.jpg')).toBeVisible();
    const canvas = new CanvasDriver(page);
    await canvas.calibrate(); // the image is drawn: its bytes came from IndexedDB
    await expect(panel.items).toHaveCount(1);
    await panel.items.first().click();
    await panel.expectBox([100, 100, 200, 150]);

    // A new box is drawn and saved.
    await page.getByRole('button', { name: 'Box tool' }).click();
    await canvas.drag([20, 30], [80, 90]);
    await expect(panel.items).toHaveCount(2);
    await expect(app.saveStatus).toHaveText('Saved');
    // Stored in image pixels as dragged (to within a pixel: the drag is made in screen pixels).
    const boxes = (await storedShapes(page)).map(({ shape: s }) => (s.kind === 'box' ? [s.x, s.y, s.w, s.h] : []));
    const near = (got: number[] | undefined, want: number[]) => got !== undefined && got.length === 4 && got.every((v, i) => Math.abs(v - want[i]!) <= 1.5);
    const sorted = boxes.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    expect(near(sorted[0], [20, 30, 60, 60]) && near(sorted[1], [100, 100, 200, 150])).toBe(true);

    // Both workers come from the precache too: an image import and an export still run.
    const [second] = await makeImages(page, [{ width: 320, height: 240, seed: 6 }]);
    await app.importFiles([jpeg('park.jpg', second!)]);
    await app.importFinished();
    await expect(app.imageItem('park.jpg')).toBeVisible();
    const exported = await new Exchange(page).export('COCO');
    expect([...exported.files.keys()].some((path) => path.endsWith('.json'))).toBe(true);
  } finally {
    await context.setOffline(false);
    if (!stopped) await server.stop();
  }
});

test('Tally is installable: manifest, icons and a service worker, as Chromium judges it', async ({ guard }) => {
  const server = await startPreview({ outDir: DIST });
  guard.allowOrigin(server.url);
  const profile = tempProfile(); // Chromium does not offer to install from an incognito context
  const context = await launchProfile(profile.dir, server.url);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await openHome(page, server.url);
    await serviceWorkerActive(page);
    const manifest = (await (await page.request.get(`${server.url}/manifest.webmanifest`)).json()) as {
      name: string;
      display: string;
      icons: { src: string; sizes: string; type: string }[];
    };
    expect(manifest).toMatchObject({ name: 'Tally', display: 'standalone', start_url: '/' });
    for (const icon of manifest.icons.filter((i) => i.type === 'image/png')) {
      const res = await page.request.get(`${server.url}${icon.src}`);
      expect(res.headers()['content-type']).toBe('image/png');
      const png = await res.body();
      const [w, h] = icon.sizes.split('x').map(Number);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([w, h]);
    }
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
    await server.stop();
    profile.remove();
  }
});

/**
 * A copy of the build that can be "redeployed": each next build differs in index.html (a marker
 * meta tag naming it) and so in its service worker's precache list, as a real new build would.
 */
function deployableCopy(): { dir: string; publish(build: string): void; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tally-e2e-deploy-'));
  cpSync(DIST, dir, { recursive: true });
  const originalHtml = readFileSync(join(dir, 'index.html'), 'utf8');
  const originalSw = readFileSync(join(dir, 'sw.js'), 'utf8');
  return {
    dir,
    publish(build) {
      writeFileSync(join(dir, 'index.html'), originalHtml.replace('<title>', `<meta name="tally-build" content="${build}" />\n    <title>`));
      const sw = originalSw.replace(/(\{url:"index\.html",revision:")([0-9a-f]+)(")/, `$1${build}$3`);
      if (sw === originalSw) throw new Error('sw.js has no precache entry for index.html in the expected form');
      writeFileSync(join(dir, 'sw.js'), sw);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Asks the browser to look for a new service worker now (as it does on its own on navigations). */
const checkForUpdate = (page: Page) => page.evaluate(async () => void (await (await navigator.serviceWorker.getRegistration())!.update()));

/**
 * Holds a read-write transaction on the shapes' store, so that the app's next write waits
 * (its save status stays "Saving…") until `release` is called.
 */
async function holdWrites(page: Page): Promise<{ release(): Promise<void> }> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('tally');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('shapeLog', 'readwrite').objectStore('shapeLog');
          const w = window as unknown as { __releaseWrites?: boolean };
          w.__releaseWrites = false;
          // Keep the transaction alive with one request after another until released.
          const spin = () => {
            store.count().onsuccess = () => {
              if (w.__releaseWrites) db.close();
              else spin();
            };
          };
          spin();
          resolve();
        };
      }),
  );
  return {
    release: () => page.evaluate(() => void ((window as unknown as { __releaseWrites?: boolean }).__releaseWrites = true)),
  };
}

async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => void ((window as unknown as { __samePage?: boolean }).__samePage = true));
}
const samePage = (page: Page) => page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage === true);

test('a new build is announced; it reloads only when the user agrees, and not while an edit is unsaved', async ({ page, guard }) => {
  const deploy = deployableCopy();
  const server = await startPreview({ outDir: deploy.dir });
  guard.allowOrigin(server.url);
  try {
    const app = await openHome(page, server.url);
    const { canvas, panel } = await projectWithBox(page, app, 'Update');
    await serviceWorkerActive(page);
    // A returning user: the page is served by the service worker (a tab opened before any
    // worker was installed is not controlled, and an update takes over the next load at once).
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await expect(panel.items).toHaveCount(1);
    const prompt = page.getByRole('region', { name: 'Update available' });
    const reload = prompt.getByRole('button', { name: 'Reload to update' });
    await expect(prompt).toBeHidden();

    deploy.publish('next-1');
    await markPage(page);
    await checkForUpdate(page);
    await expect(prompt).toContainText('A new version of Tally is ready.');
    expect(await samePage(page)).toBe(true); // announced, not reloaded

    // Later: the prompt goes, the page stays.
    await prompt.getByRole('button', { name: 'Later' }).click();
    await expect(prompt).toBeHidden();
    expect(await samePage(page)).toBe(true);

    // Another build comes out: it is announced again.
    deploy.publish('next-2');
    await checkForUpdate(page);
    await expect(prompt).toContainText('A new version of Tally is ready.');

    // An edit that is not on disk yet holds the reload back, and the prompt says why.
    const held = await holdWrites(page);
    await canvas.calibrate();
    await canvas.drag([20, 30], [80, 90]);
    await expect(app.saveStatus).toHaveText('Saving…');
    await expect(prompt).toContainText('Reloading waits until your edits are saved.');
    await expect(reload).toBeDisabled();
    await held.release();
    await expect(app.saveStatus).toHaveText('Saved');
    await expect(reload).toBeEnabled();
    expect(await samePage(page)).toBe(true);
    await expect(page.locator('meta[name="tally-build"]')).toHaveCount(0);

    // Agreed: the page reloads into the newest build, with everything saved still there.
    await reload.click();
    await expect(page.locator('meta[name="tally-build"]')).toHaveAttribute('content', 'next-2');
    expect(await samePage(page)).toBe(false);
    await expect(prompt).toBeHidden();
    await expect(app.imageItem('street.jpg')).toBeVisible();
    await expect(panel.items).toHaveCount(2);
  } finally {
    await server.stop();
    deploy.remove();
  }
});
