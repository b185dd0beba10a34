import { expect, test } from '@playwright/test';
import { Tally, jpeg, makeImages } from './support';

/** A project with one image, street.jpg (400×300). */
async function oneImageProject(page: import('@playwright/test').Page, name = 'Failures'): Promise<Tally> {
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

test('Import annotations says within seconds that the exchange worker could not load, and what to do', async ({ page }) => {
  await oneImageProject(page);
  // As after a redeploy that renamed the hashed worker file, or with the server gone.
  await page.route(/exchange\.worker[^/]*\.js/, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not found' }));
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
