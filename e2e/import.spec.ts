import { expect, test, type Page } from './fixtures';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { pngDeclaring, tiffHeader, withExifOrientation } from './files';
import { Tally, jpeg, makeImages } from './support';

async function newProject(page: Page, name = 'Imports'): Promise<Tally> {
  const app = new Tally(page);
  await app.open();
  await app.createProject(name);
  return app;
}

const report = (page: Page) => page.getByRole('region', { name: 'Import report' });

test('bad files are refused by name and reason; images already stored are untouched', async ({ page }) => {
  const app = await newProject(page);
  const [a, b] = await makeImages(page, [
    { width: 400, height: 300, seed: 11 },
    { width: 400, height: 300, seed: 12 },
  ]);
  await app.importFiles([jpeg('first.jpg', a!)]);
  await app.importFinished();
  await page.getByRole('button', { name: 'Dismiss' }).click();

  await app.importFiles([
    jpeg('second.jpg', b!),
    jpeg('copy-of-first.jpg', a!),
    jpeg('empty.jpg', Buffer.alloc(0)),
    { name: 'huge.png', mimeType: 'image/png', buffer: pngDeclaring(20_000, 20_000) },
    { name: 'scan.tif', mimeType: 'image/tiff', buffer: tiffHeader() },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') },
    { name: '<script>alert(1)</script>.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<html>nope</html>') },
  ]);
  await app.importFinished();
  const r = report(page);
  await expect(r.getByRole('alert')).toHaveText('Import finished: 1 image imported, 1 duplicate not stored again, 5 files refused.');
  await expect(r).toContainText('empty.jpg: the file is empty (0 bytes)');
  await expect(r).toContainText('huge.png: 20000 × 20000 pixels (400 MP) is over the 100 MP limit');
  await expect(r).toContainText('scan.tif: TIFF files are not supported; convert it to PNG or JPEG');
  await expect(r).toContainText('notes.txt: not an image or a .zip of images (.txt)');
  await expect(r).toContainText('<script>alert(1)</script>.jpg: not an image Tally can read');
  await r.getByText('Duplicates (1)').click();
  await expect(r).toContainText('copy-of-first.jpg: same bytes as first.jpg; not stored again');

  await expect(app.imageList.getByRole('listitem')).toHaveCount(2);
  await expect(app.imageItem('first.jpg')).toBeVisible();
  await expect(app.imageItem('second.jpg')).toBeVisible();
  // Nothing else changed, and it is all on disk.
  await page.reload();
  await expect(app.imageList.getByRole('listitem')).toHaveCount(2);
});

test('a zip of images keeps its folders, and an entry that climbs out with ../ is refused', async ({ page }) => {
  const app = await newProject(page, 'Zipped');
  const [a, b, c] = await makeImages(page, [
    { width: 300, height: 200, seed: 21 },
    { width: 300, height: 200, seed: 22 },
    { width: 300, height: 200, seed: 23 },
  ]);
  const zip = zipSync(
    {
      'day/img10.jpg': [new Uint8Array(b!), { level: 0 }],
      'day/img2.jpg': [new Uint8Array(a!), { level: 6 }],
      '../evil.jpg': [new Uint8Array(c!), { level: 0 }],
      'README.txt': new TextEncoder().encode('labels later'),
      '__MACOSX/day/._img2.jpg': new Uint8Array([0, 5, 22, 7]),
    },
    {},
  );
  await app.importFiles([{ name: 'photos.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) }]);
  await app.importFinished();
  const r = report(page);
  await expect(r.getByRole('alert')).toHaveText('Import finished: 2 images imported, 1 file refused, 1 other file skipped.');
  await expect(r).toContainText("photos.zip › ../evil.jpg: climbs out of the archive with '..'");
  // Natural order: img2 before img10; the folder is kept in the path.
  await expect(app.imageList.getByRole('listitem')).toHaveText([/img2\.jpg/, /img10\.jpg/]);
  await expect(app.imageItem('img2.jpg').getByTitle('day/img2.jpg')).toBeVisible();
});

test('a 50-image folder import shows progress to the end and lists every image', async ({ page, context }) => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-folder-'));
  try {
    const app = await newProject(page, 'Folder');
    const specs = Array.from({ length: 50 }, (_, i) => ({ width: 1280, height: 720, seed: 100 + i }));
    const images = await makeImages(page, specs);
    mkdirSync(join(dir, 'drive', 'left'), { recursive: true });
    images.forEach((buf, i) => writeFileSync(join(dir, 'drive', i % 2 ? 'left' : '', `frame_${i + 1}.jpg`), buf));
    writeFileSync(join(dir, 'drive', 'notes.txt'), 'not an image');

    // Record every state of the progress bar while the import runs.
    await page.evaluate(() => {
      const seen: Array<[string | null, string | null]> = [];
      (window as unknown as { __progress: typeof seen }).__progress = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[role=progressbar]');
        // Determinate states only (it is indeterminate while the folder is being listed).
        if (bar?.hasAttribute('aria-valuenow')) seen.push([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuemax')]);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow', 'aria-valuemax'] });
    });
    // As on a slower machine, so the progress bar has time to move (it renders at most 10 times a second).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
    await app.importFolder(join(dir, 'drive'));
    await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
    await app.importFinished();
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await expect(report(page).getByRole('alert').or(report(page).getByRole('status'))).toHaveText(
      'Import finished: 50 images imported, 1 other file skipped.',
    );

    const progress = await page.evaluate(() => (window as unknown as { __progress: Array<[string, string]> }).__progress);
    const values = progress.map(([now]) => Number(now));
    expect(new Set(progress.map(([, max]) => max))).toEqual(new Set(['50']));
    expect(values.at(-1)).toBe(50);
    expect(new Set(values).size).toBeGreaterThanOrEqual(4); // it moved in steps, not in one jump
    expect(values).toEqual([...values].sort((x, y) => x - y)); // and never backwards

    await expect(page.getByRole('heading', { name: /Images/ })).toContainText('50');
    // The list is virtualized: the rows in view exist, and each says it is one of 50.
    await expect(app.imageList.getByRole('listitem').first()).toHaveAttribute('aria-setsize', '50');
    await expect(app.imageItem('frame_1.jpg')).toBeVisible();
    await page.getByTestId('image-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(app.imageItem('frame_50.jpg')).toBeVisible();
    await expect(app.imageItem('frame_50.jpg').getByTitle('left/frame_50.jpg')).toBeVisible();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('EXIF orientation is applied to the stored size', async ({ page }) => {
  const app = await newProject(page, 'Phones');
  const [raw] = await makeImages(page, [{ width: 400, height: 300, seed: 31 }]);
  await app.importFiles([jpeg('portrait.jpg', withExifOrientation(raw!, 6))]);
  await app.importFinished();
  await expect(page.getByText('300 × 400')).toBeVisible();
});

test('files dropped on the window are imported', async ({ page }) => {
  const app = await newProject(page, 'Dropped');
  const [a] = await makeImages(page, [{ width: 200, height: 100, seed: 41 }]);
  const dataTransfer = await page.evaluateHandle((b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'dropped.jpg', { type: 'image/jpeg' }));
    return dt;
  }, a!.toString('base64'));
  await page.locator('.drop-zone').dispatchEvent('dragenter', { dataTransfer });
  await expect(page.getByText('Drop images, folders or .zip files to import them')).toBeVisible();
  await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer });
  await app.importFinished();
  await expect(app.imageItem('dropped.jpg')).toBeVisible();
});

test('Cancel stops the import and keeps what was stored', async ({ page }) => {
  const app = await newProject(page, 'Cancelled');
  const images = await makeImages(
    page,
    Array.from({ length: 60 }, (_, i) => ({ width: 640, height: 480, seed: 500 + i })),
  );
  // Press Cancel the moment the first image is stored, from inside the page: a click sent from
  // the test could arrive after the last image on a fast machine, or take many seconds on a busy
  // one. What is checked is what Cancel does, wherever in the import it lands.
  await page.evaluate(() => {
    const observer = new MutationObserver(() => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Import progress"]');
      if (!bar || Number(bar.getAttribute('aria-valuenow')) < 1) return;
      const cancel = [...document.querySelectorAll<HTMLButtonElement>('section[aria-label="Import"] button')].find(
        (b) => b.textContent?.trim() === 'Cancel',
      );
      if (!cancel) return;
      observer.disconnect();
      cancel.click();
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await app.importFiles(images.map((buf, i) => jpeg(`shot_${i}.jpg`, buf)));
  await app.importFinished();
  const text = (await report(page).getByText(/^Import cancelled/).textContent())!;
  const stored = Number(/Import cancelled: (\d+) images? imported/.exec(text)![1]);
  expect(stored).toBeGreaterThan(0);
  expect(stored).toBeLessThan(60);
  expect(text).toContain(`${60 - stored} files not attempted`);
  await page.reload();
  await expect(page.getByRole('heading', { name: /Images/ })).toContainText(String(stored));
});
