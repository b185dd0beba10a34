import { expect, test, type Browser, type Page } from './fixtures';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeZeroZip } from './exchange';
import { Tally, jpeg, makeImages } from './support';

/** A project with one image, street.jpg (400×300). */
async function oneImageProject(page: Page, name = 'Failures'): Promise<Tally> {
  const app = new Tally(page);
  await app.open();
  await app.createProject(name);
  const [a] = await makeImages(page, [{ width: 400, height: 300, seed: 11 }]);
  await app.importFiles([jpeg('street.jpg', a!)]);
  await app.importFinished();
  return app;
}

const cocoFile = () => ({
  name: 'boxes.json',
  mimeType: 'application/json',
  buffer: Buffer.from(
    JSON.stringify({
      images: [{ id: 1, file_name: 'street.jpg', width: 400, height: 300 }],
      categories: [{ id: 1, name: 'car' }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [10, 20, 30, 40], area: 1200, iscrowd: 0, segmentation: [] }],
    }),
  ),
});

test('a project open and the page idle, the exchange worker is started before Import or Export is pressed', async ({ page }) => {
  // A quick Import annotations then finds it loaded (the bench's summary of 5,000 boxes: ~50 ms sooner).
  const started = page.waitForEvent('worker', { predicate: (w) => /exchange\.worker/.test(w.url()), timeout: 15_000 });
  await oneImageProject(page, 'Warm');
  await started;
});

test.describe('with no service worker', () => {
  // The installed app's service worker serves the worker script from its cache, where page.route
  // cannot reach (and where a redeploy cannot rename it away): the failure is made without it, as
  // on a first visit or in a browser that keeps no service workers.
  test.use({ serviceWorkers: 'block' });

test('Import annotations says within seconds that the exchange worker could not load, and what to do', async ({ page }) => {
  // As after a redeploy that renamed the hashed worker file, or with the server gone. Routed
  // before the project opens: the page starts the worker once it is idle after opening one.
  await page.route(/exchange\.worker[^/]*\.js/, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not found' }));
  await oneImageProject(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import annotations' }).click();
  await (await chooser).setFiles([cocoFile()]);
  const dialog = page.getByRole('dialog', { name: 'Import annotations' });
  await expect(dialog.getByRole('alert')).toContainText('The exchange worker could not start: its script did not load', { timeout: 5_000 });
  await expect(dialog.getByRole('alert')).toContainText('Reload the page');
  await expect(dialog.getByRole('progressbar')).toHaveCount(0);
  // Later requests get the same answer at once, and Export says it too.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Export' }).getByRole('alert')).toContainText('could not start', { timeout: 5_000 });
});
});

/** The renderer processes' ids (the page and its workers run in one of them). */
async function rendererPids(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
}

/** A Linux process's resident and peak resident memory, MB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

test('a 1 MB zip holding a 1 GiB entry named big.png is refused without the page growing by 100 MB', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'tally-bomb-'));
  try {
    const zip = join(dir, 'big.zip');
    await writeZeroZip(zip, 'big.png', 1024 ** 3);
    expect(statSync(zip).size).toBeLessThan(1.5 * 2 ** 20);
    const app = new Tally(page);
    await app.open();
    await app.createProject('Bomb');
    // Peak resident memory of the renderers, measured by the kernel: everything the page and its
    // workers hold (JS heaps and ArrayBuffers alike), including what was freed before we look.
    const pids = await rendererPids(browser);
    expect(pids.length).toBeGreaterThan(0);
    const before = new Map(pids.map((pid) => [pid, memoryOf(pid)]));
    for (const pid of pids) writeFileSync(`/proc/${pid}/clear_refs`, '5'); // the peak restarts from now
    await app.importFiles([zip]);
    await app.importFinished();
    const r = page.getByRole('region', { name: 'Import report' });
    await expect(r).toContainText('big.zip › big.png: not an image Tally can read');
    const growth = Math.max(...pids.map((pid) => memoryOf(pid).peak - before.get(pid)!.rss));
    expect(growth, `peak renderer memory grew by ${growth.toFixed(0)} MB`).toBeLessThan(100);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
