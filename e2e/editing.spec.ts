import { expect, test } from './fixtures';
import { AnnotationsPanel, CanvasDriver, storedShapes } from './editor';
import { Tally, jpeg, makeImages } from './support';

test('copy and paste shapes between images, mark done (jumps on) and background, hide and lock', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Workflow');
  const imgs = await makeImages(page, [
    { width: 400, height: 300, seed: 21 },
    { width: 400, height: 300, seed: 22 },
    { width: 400, height: 300, seed: 23 },
  ]);
  await app.importFiles(imgs.map((b, i) => jpeg(`w${i + 1}.jpg`, b)));
  await app.importFinished();
  const canvas = new CanvasDriver(page);
  const panel = new AnnotationsPanel(page);
  await canvas.calibrate();

  // A project without classes: the first shape brings "Class 1" with it.
  await page.keyboard.press('b');
  await canvas.drag([50, 50], [150, 120]);
  await expect(panel.items).toHaveCount(1);
  await expect(panel.items.first()).toContainText('Class 1 box');
  await expect(page.getByRole('button', { name: /^Class 1/ })).toBeVisible();

  await page.keyboard.press('Control+c');
  await page.keyboard.press('d');
  await expect(app.imageList.locator('[aria-current="true"]')).toContainText('w2.jpg');
  await expect(panel.items).toHaveCount(0);
  await page.keyboard.press('Control+v');
  await expect(panel.items).toHaveCount(1);
  await panel.expectBox([50, 50, 100, 70]); // same place on the other image
  await page.keyboard.press('Control+v'); // again on the same image: offset so it is visible
  await expect(panel.items).toHaveCount(2);
  await panel.expectBox([60, 60, 100, 70]);

  // Hide one shape: it cannot be picked on the canvas. Lock the other: it cannot be moved.
  await panel.items.nth(1).getByRole('button', { name: 'Hide shape' }).click();
  await panel.items.first().getByRole('button', { name: 'Lock shape' }).click();
  await page.keyboard.press('v');
  await canvas.click(100, 85); // on the locked box (the hidden one lies on it too)
  await canvas.drag([100, 85], [200, 185]);
  await panel.items.first().click();
  await panel.expectBox([50, 50, 100, 70]);
  await expect(page.getByRole('button', { name: 'Delete annotation' })).toBeDisabled();
  await panel.items.first().getByRole('button', { name: 'Unlock shape' }).click();
  await panel.items.first().click();
  await canvas.drag([100, 85], [200, 185]);
  await panel.expectBox([150, 150, 100, 70]);
  await panel.items.nth(1).getByRole('button', { name: 'Show shape' }).click();
  // Hiding a class hides its shapes from the canvas: a click there picks nothing.
  await page.getByRole('checkbox', { name: "Show this class's shapes" }).uncheck();
  await page.keyboard.press('Escape');
  await canvas.click(200, 185);
  await expect(page.getByRole('button', { name: 'Delete annotation' })).toHaveCount(0);
  await page.getByRole('checkbox', { name: "Show this class's shapes" }).check();
  await canvas.click(200, 185);
  await expect(page.getByRole('button', { name: 'Delete annotation' })).toBeVisible();

  // Mark done: the image is done, and the next unfinished one (w3) opens.
  await page.getByRole('button', { name: 'Mark done' }).click();
  await expect(app.imageItem('w2.jpg')).toContainText('Done · 2 shapes');
  await expect(app.imageList.locator('[aria-current="true"]')).toContainText('w3.jpg');
  // Background: done and empty on purpose; then the next unfinished image, w1 (wrapping round).
  await page.getByRole('button', { name: 'Mark background' }).click();
  await expect(app.imageItem('w3.jpg')).toContainText('Done · background');
  await expect(app.imageList.locator('[aria-current="true"]')).toContainText('w1.jpg');
  await page.keyboard.press('Control+Enter');
  await expect(app.imageItem('w1.jpg')).toContainText('Done · 1 shape');
  await expect(app.saveStatus).toHaveText('Saved');
  expect(await storedShapes(page)).toHaveLength(3);

  // Undo follows the history across images: the last shape edit was on w2.
  await page.keyboard.press('Control+z'); // mark done of w1
  await page.keyboard.press('Control+z'); // background of w3
  await page.keyboard.press('Control+z'); // mark done of w2
  await page.keyboard.press('Control+z'); // the move on w2
  await expect(app.imageList.locator('[aria-current="true"]')).toContainText('w2.jpg');
  await panel.items.first().click();
  await panel.expectBox([50, 50, 100, 70]);

  // With the Select tool, a number key gives the selected shape that class.
  await page.getByRole('button', { name: 'Add class' }).click();
  await page.getByRole('textbox', { name: 'Class name' }).fill('truck');
  await page.getByRole('textbox', { name: 'Class name' }).blur();
  await page.keyboard.press('v');
  await panel.items.first().click();
  await page.keyboard.press('2');
  await expect(panel.items.first()).toContainText('truck box');
  await expect(page.getByRole('combobox', { name: 'Class' })).toHaveValue(await page.getByRole('combobox', { name: 'Class' }).locator('option', { hasText: 'truck' }).getAttribute('value') ?? '');
  await page.keyboard.press('Control+z');
  await expect(panel.items.first()).toContainText('Class 1 box');

  // A class renamed by typing is stored when the field is left, as one undo step, and the name
  // field follows the undo.
  await page.getByRole('button', { name: /^Class 1/ }).click();
  await page.getByRole('textbox', { name: 'Class name' }).fill('');
  await page.getByRole('textbox', { name: 'Class name' }).pressSequentially('vehicle');
  await expect(page.getByRole('button', { name: /^Class 1/ })).toBeVisible(); // nothing half typed is stored
  await page.getByRole('textbox', { name: 'Class name' }).blur();
  await expect(page.getByRole('button', { name: /^vehicle/ })).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(page.getByRole('button', { name: /^Class 1/ })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Class name' })).toHaveValue('Class 1');
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByRole('textbox', { name: 'Class name' })).toHaveValue('vehicle');
});

test('a 8,000 × 6,000 image opens, zooms at the pointer, pans with Space and takes a box', async ({ page }) => {
  test.slow();
  const app = new Tally(page);
  await app.open();
  await app.createProject('Big');
  const [big] = await makeImages(page, [{ width: 8000, height: 6000, seed: 5, quality: 0.6 }]);
  await app.importFiles([jpeg('big.jpg', big!)]);
  await app.importFinished();
  await expect(page.getByText('8000 × 6000')).toBeVisible();
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();

  // Zoom in at image point (4000, 3000): it stays under the pointer.
  const centre = canvas.at(4000, 3000);
  await page.mouse.move(Math.round(centre.x), Math.round(centre.y)); // wheel events carry whole pixels
  const before = await canvas.readout.textContent();
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -200);
  await expect(canvas.readout).toHaveText(before!);
  await canvas.calibrate();
  // Space-drag pans: the image point under the pointer moves with it.
  await canvas.move(4000, 3000);
  await page.keyboard.down(' ');
  await page.mouse.down();
  const from = canvas.at(4000, 3000);
  await page.mouse.move(from.x - 150, from.y - 100, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.up(' ');
  await canvas.calibrate();
  const moved = canvas.at(4000, 3000);
  expect(Math.abs(moved.x - (from.x - 150))).toBeLessThan(2);
  expect(Math.abs(moved.y - (from.y - 100))).toBeLessThan(2);

  await page.keyboard.press('b');
  await canvas.drag([3900, 2900], [4100, 3050]);
  const panel = new AnnotationsPanel(page);
  await expect(panel.items).toHaveCount(1);
  await panel.expectBox([3900, 2900, 200, 150], 2);
  await page.getByRole('button', { name: 'Fit image' }).click();
  await canvas.calibrate();
  expect(canvas.at(8000, 6000).x - canvas.at(0, 0).x).toBeLessThan((await canvas.region.boundingBox())!.width);
});

test('Space presses a focused button, and pans when the pointer is over the canvas', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Space');
  const [img] = await makeImages(page, [{ width: 400, height: 300, seed: 31 }]);
  await app.importFiles([jpeg('s.jpg', img!)]);
  await app.importFinished();
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();

  await page.mouse.move(5, 5); // off the canvas
  await page.getByRole('button', { name: 'Add class' }).focus();
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: /^Class 1/ })).toBeVisible();

  // The same focused button, the pointer over the image: Space-drag pans instead.
  await page.getByRole('button', { name: 'Fit image' }).focus();
  await canvas.move(200, 150);
  const before = canvas.at(200, 150);
  await page.keyboard.down(' ');
  await page.mouse.down();
  await page.mouse.move(before.x + 60, before.y + 40, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up(' ');
  await canvas.calibrate();
  const after = canvas.at(200, 150);
  expect(Math.abs(after.x - before.x - 60)).toBeLessThanOrEqual(1.5);
  expect(Math.abs(after.y - before.y - 40)).toBeLessThanOrEqual(1.5);
  await expect(page.getByRole('button', { name: /^Class 2/ })).toHaveCount(0);
});

test('a new class takes its name from keys typed right after Add class, none lost', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Typing');
  // The name field has the focus as soon as the click has been handled (not a frame later, when
  // a fast typist's first letters would already have gone elsewhere).
  const focusedAfterClick = await page.getByRole('button', { name: 'Add class' }).evaluate((button: HTMLElement) => {
    button.click();
    return document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id ?? null;
  });
  expect(['Class name', 'class-name-field']).toContain(focusedAfterClick);
  await page.keyboard.type('sign');
  await page.keyboard.press('Enter');
  for (const name of ['signal', 'sidewalk']) {
    await page.getByRole('button', { name: 'Add class' }).click();
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
  }
  await expect(page.getByRole('list', { name: 'Classes' }).getByRole('button')).toHaveText([/^sign\s*1/, /^signal\s*2/, /^sidewalk\s*3/]);
});
