import { expect, test, type Page } from '@playwright/test';
import { CanvasDriver } from '../e2e/editor';
import { Tally, jpeg, makeImages } from '../e2e/support';

/** A project as an annotator has it mid-way: 12 images, 8 classes, a few shapes, one selected. */
async function stage(page: Page): Promise<void> {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Street scenes, Lisbon 2026');
  await page.getByRole('textbox', { name: 'Annotator name' }).fill('ana');
  await page.getByRole('button', { name: 'Save name' }).click();
  const specs = Array.from({ length: 12 }, (_, i) => ({ width: 1280, height: 720, seed: 500 + i }));
  const images = await makeImages(page, specs);
  await app.importFiles(images.map((b, i) => jpeg(`lisbon_tram_stop_${String(i + 1).padStart(3, '0')}.jpg`, b)));
  await app.importFinished();
  for (const name of ['car', 'person', 'bicycle', 'bus', 'tram', 'traffic light', 'stop sign', 'dog']) {
    await page.getByRole('button', { name: 'Add class' }).click();
    await page.getByRole('textbox', { name: 'Class name' }).fill(name);
    await page.getByRole('textbox', { name: 'Class name' }).press('Enter');
  }
  await page.screenshot({ path: '/tmp/before-calibrate.png' });
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();
  await page.keyboard.press('1');
  await canvas.drag([100, 300], [420, 520]);
  await page.keyboard.press('2');
  await canvas.drag([700, 200], [790, 560]);
  await canvas.drag([900, 250], [980, 580]);
  await page.keyboard.press('5');
  await page.keyboard.press('p');
  for (const [x, y] of [[450, 150], [650, 140], [680, 330], [470, 350]] as const) await canvas.click(x, y);
  await page.keyboard.press('Enter');
  await page.keyboard.press('v');
  await canvas.click(750, 400);
  await canvas.move(300, 420);
  await expect(app.saveStatus).toHaveText('Saved');
}

for (const [width, height] of [
  [1440, 900],
  [1280, 720],
] as const) {
  test(`project screen at ${width}×${height}`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await stage(page);
    await page.screenshot({ path: `docs/screen-${width}x${height}.png` });
    if (width === 1440) await page.screenshot({ path: 'docs/screenshot.png' });
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await page.screenshot({ path: `docs/shortcuts-${width}x${height}.png` });
  });
}
