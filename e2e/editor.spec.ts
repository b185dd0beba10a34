import { expect, test, type Page } from './fixtures';
import { AnnotationsPanel, CanvasDriver, storedShapes } from './editor';
import { Tally, jpeg, launchProfile, makeImages, reopenProject, tempProfile } from './support';

async function projectWithImage(page: Page, name: string): Promise<{ app: Tally; canvas: CanvasDriver; panel: AnnotationsPanel }> {
  const app = new Tally(page);
  await app.open();
  await app.createProject(name);
  const [img] = await makeImages(page, [{ width: 400, height: 300, seed: 7 }]);
  await app.importFiles([jpeg('street.jpg', img!)]);
  await app.importFinished();
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();
  return { app, canvas, panel: new AnnotationsPanel(page) };
}

test('draw a box, read it back, resize it by a handle, undo and redo each step', async ({ page }) => {
  const { app, canvas, panel } = await projectWithImage(page, 'Boxes');
  await page.getByRole('button', { name: 'Box tool' }).click();
  await expect(page.getByRole('button', { name: 'Box tool' })).toHaveAttribute('aria-pressed', 'true');

  await canvas.drag([100, 100], [300, 250]);
  await expect(panel.items).toHaveCount(1);
  await expect(panel.items.first()).toContainText('box');
  await panel.expectBox([100, 100, 200, 150]);
  await expect(app.saveStatus).toHaveText('Saved');

  // Resize by the bottom-right handle, with the Select tool.
  await page.keyboard.press('v');
  await expect(page.getByRole('button', { name: 'Select tool' })).toHaveAttribute('aria-pressed', 'true');
  await canvas.drag([300, 250], [340, 280]);
  await panel.expectBox([100, 100, 240, 180]);

  await page.keyboard.press('Control+z');
  await panel.expectBox([100, 100, 200, 150]);
  await page.getByRole('button', { name: 'Undo' }).click(); // the box itself
  await expect(panel.items).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(panel.items).toHaveCount(1);
  await panel.items.first().click();
  await panel.expectBox([100, 100, 200, 150]);
  await page.getByRole('button', { name: 'Redo' }).click();
  await panel.expectBox([100, 100, 240, 180]);
  await expect(app.saveStatus).toHaveText('Saved');
  const stored = await storedShapes(page);
  expect(stored).toHaveLength(1);
  expect(stored[0]!.shape).toMatchObject({ kind: 'box' });

  // Typing a number moves the box; the whole typed number is one undo step.
  await panel.field('X').fill('120');
  await panel.field('X').press('Enter');
  await panel.expectBox([120, 100, 240, 180]);
  expect(await panel.field('X').inputValue()).toBe('120');
  await page.keyboard.press('Control+y'); // nothing to redo: no change
  await page.keyboard.press('Control+z');
  await panel.expectBox([100, 100, 240, 180]);
});

test('draw a polygon closed with Enter, move a vertex, undo and redo, Backspace and Escape while drawing', async ({ page }) => {
  const { app, canvas, panel } = await projectWithImage(page, 'Polygons');
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: 'Polygon tool' })).toHaveAttribute('aria-pressed', 'true');

  // Escape abandons a polygon; Backspace takes back a vertex.
  await canvas.click(50, 50);
  await canvas.click(90, 50);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await expect(panel.items).toHaveCount(0);

  await canvas.click(100, 60);
  await canvas.click(250, 60);
  // Panning with Space held in the middle of a polygon keeps the polygon.
  await canvas.move(200, 150);
  await page.keyboard.down(' ');
  await page.mouse.down();
  await canvas.move(170, 130, 5);
  await page.mouse.up();
  await page.keyboard.up(' ');
  await canvas.calibrate();
  await canvas.click(380, 290); // a vertex placed by mistake…
  await page.keyboard.press('Backspace'); // …and taken back
  await canvas.click(260, 200);
  await canvas.click(110, 210);
  await page.keyboard.press('Enter');
  await expect(panel.items).toHaveCount(1);
  await expect(panel.items.first()).toContainText('polygon');
  await expect(page.getByLabel('Vertex count')).toHaveText('4');
  await expect(app.saveStatus).toHaveText('Saved');
  const drawn = (await storedShapes(page))[0]!.shape;
  expect(drawn.kind).toBe('polygon');
  const pts = drawn.kind === 'polygon' ? drawn.points : [];
  const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 1.5);
  expect(near(pts, [100, 60, 250, 60, 260, 200, 110, 210])).toBe(true);

  // Move vertex 3 (260, 200) to (300, 240) with the Select tool; the polygon is still selected.
  await page.keyboard.press('v');
  await canvas.drag([260, 200], [300, 240]);
  await expect(app.saveStatus).toHaveText('Saved');
  const movedPts = ((await storedShapes(page))[0]!.shape as { points: number[] }).points;
  expect(near(movedPts, [100, 60, 250, 60, 300, 240, 110, 210])).toBe(true);

  await page.keyboard.press('Control+z');
  await expect(app.saveStatus).toHaveText('Saved');
  expect(((await storedShapes(page))[0]!.shape as { points: number[] }).points).toEqual(pts);
  await page.keyboard.press('Control+Shift+z');
  await expect(app.saveStatus).toHaveText('Saved');
  expect(((await storedShapes(page))[0]!.shape as { points: number[] }).points).toEqual(movedPts);

  // Double-click closes a polygon too (after fitting the image again: the pan moved it).
  await page.keyboard.press('f');
  await canvas.calibrate();
  await page.keyboard.press('p');
  await canvas.click(20, 20);
  await canvas.click(60, 20);
  await canvas.dblclick(40, 50);
  await expect(panel.items).toHaveCount(2);
  await expect(page.getByLabel('Vertex count')).toHaveText('3');
});

test('shapes survive a relaunch of the browser exactly as they were', async ({ baseURL }) => {
  const profile = tempProfile();
  try {
    let context = await launchProfile(profile.dir, baseURL!);
    let page = context.pages()[0] ?? (await context.newPage());
    const { app, canvas, panel } = await projectWithImage(page, 'Relaunch');
    await page.keyboard.press('b');
    await canvas.drag([100, 100], [300, 250]);
    await canvas.drag([20, 30], [80, 90]);
    await page.keyboard.press('p');
    for (const [x, y] of [[150, 20], [390, 20], [390, 120]] as const) await canvas.click(x, y);
    await page.keyboard.press('Enter');
    // An edit, a deletion and an undo: what is stored is what is on screen.
    await page.keyboard.press('v');
    await panel.items.nth(1).click();
    await page.getByRole('button', { name: 'Delete annotation' }).click();
    await expect(panel.items).toHaveCount(2);
    await page.keyboard.press('Control+z');
    await expect(panel.items).toHaveCount(3);
    await panel.items.first().click();
    await page.keyboard.press('Shift+ArrowRight'); // 10 px right
    await panel.expectBox([110, 100, 200, 150]);
    const numbers = await panel.boxNumbers();
    await expect(app.saveStatus).toHaveText('Saved');
    const before = await storedShapes(page);
    expect(before).toHaveLength(3);
    await context.close();

    const reopened = await reopenProject(profile.dir, baseURL!, 'Relaunch');
    ({ context, page } = reopened);
    const again = reopened.app;
    const panel2 = new AnnotationsPanel(page);
    await expect(panel2.items).toHaveCount(3);
    await expect(again.imageItem('street.jpg')).toContainText('3 shapes');
    expect(await storedShapes(page)).toEqual(before);
    await panel2.items.first().click();
    expect(await panel2.boxNumbers()).toEqual(numbers);
    await context.close();
  } finally {
    profile.remove();
  }
});
