import { expect, test } from '@playwright/test';
import { CanvasDriver } from '../e2e/editor';
import { Tally, jpeg, makeImages } from '../e2e/support';
test('dbg', async ({ page }) => {
  test.setTimeout(180_000);
  page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
  page.on('console', (m) => m.type() === 'error' && console.log('CONSOLE', m.text()));
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new Tally(page);
  await app.open();
  await app.createProject('Check');
  await page.getByRole('textbox', { name: 'Annotator name' }).fill('ana');
  await page.getByRole('button', { name: 'Save name' }).click();
  const imgs = await makeImages(page, [1, 2, 3].map((seed) => ({ width: 640, height: 480, seed })));
  await app.importFiles([jpeg('a.jpg', imgs[0]!), jpeg('b.jpg', imgs[1]!), jpeg('c.jpg', imgs[2]!)]);
  await app.importFinished();
  for (const name of ['car', 'cars', 'person', 'tree']) {
    await page.getByRole('button', { name: 'Add class' }).click();
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
  }
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();
  await page.keyboard.press('1');
  await page.keyboard.press('b');
  await canvas.drag([100, 100], [300, 250]);
  await page.keyboard.press('2');
  await canvas.drag([101, 101], [301, 251]);
  await canvas.drag([500, 300], [700, 500]);
  await expect(app.saveStatus).toHaveText('Saved');
  await page.getByRole('button', { name: 'Run check' }).click();
  await expect(page.getByRole('table', { name: 'Issues' })).toBeVisible();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/check1.png' });
  await page.getByRole('table', { name: 'Issues' }).getByRole('row').nth(1).click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: '/tmp/check2.png' });
});
