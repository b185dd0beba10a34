import { expect, test, type Page } from './fixtures';
import { CanvasDriver } from './editor';
import { Exchange, text } from './exchange';
import { Tally, jpeg, launchProfile, makeImages, reopenProject, tempProfile } from './support';

/** bob's COCO file for one.jpg: one box as alice drew it, one with another class, one alice did not draw. */
const BOB = {
  images: [{ id: 1, file_name: 'one.jpg', width: 320, height: 240 }],
  categories: [
    { id: 1, name: 'Class 1' },
    { id: 2, name: 'car' },
  ],
  annotations: [
    { id: 1, image_id: 1, category_id: 1, bbox: [21, 20, 80, 60], area: 4800, iscrowd: 0, segmentation: [] },
    { id: 2, image_id: 1, category_id: 2, bbox: [150, 30, 80, 80], area: 6400, iscrowd: 0, segmentation: [] },
    { id: 3, image_id: 1, category_id: 1, bbox: [40, 150, 60, 50], area: 3000, iscrowd: 0, segmentation: [] },
  ],
};

/** alice draws two boxes on one.jpg of a new project; bob's COCO file (BOB) is imported as bob's layer. */
async function aliceDrawsBobImports(page: Page, project: string): Promise<Tally> {
  const app = new Tally(page);
  await app.open();
  await app.createProject(project);
  await page.getByRole('textbox', { name: 'Annotator name' }).fill('alice');
  await page.getByRole('button', { name: 'Save name' }).click();
  const [img] = await makeImages(page, [{ width: 320, height: 240, seed: 61 }]);
  await app.importFiles([jpeg('one.jpg', img!)]);
  await app.importFinished();
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();
  await page.keyboard.press('b');
  await canvas.drag([20, 20], [100, 80]);
  await canvas.drag([150, 30], [230, 110]);
  await expect(app.saveStatus).toHaveText('Saved');

  const exchange = new Exchange(page);
  await exchange.chooseAnnotations([{ name: 'bob.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(BOB)) }]);
  await expect(exchange.importDialog.getByRole('textbox', { name: 'Annotator' })).toHaveValue(''); // not alice
  await exchange.confirmImport('bob');
  return app;
}

const panel = (page: Page) => page.getByRole('region', { name: 'Disagreements' });
const row = (page: Page, kind: RegExp) => panel(page).getByRole('listitem').filter({ hasText: kind });

test('the lead settles every disagreement into the Consensus layer, finds the decisions after a restart, and exports exactly them', async ({ baseURL }) => {
  const profile = tempProfile();
  try {
    let context = await launchProfile(profile.dir, baseURL!);
    let page = context.pages()[0] ?? (await context.newPage());
    const app = await aliceDrawsBobImports(page, 'Settle');

    // Three objects: one agreed, one label mismatch, one only bob drew.
    await expect(panel(page)).toContainText('2 open');
    await expect(row(page, /label mismatch/)).toContainText('alice: Class 1');
    await expect(row(page, /label mismatch/)).toContainText('bob: car');
    await expect(row(page, /only bob drew it/)).toContainText('bob: Class 1');

    // On the canvas: each layer in its annotator's colour, and the two open disagreements marked.
    const stage = page.getByRole('region', { name: 'Annotation canvas' });
    await expect(stage).toHaveAttribute('data-colour-by', 'annotator');
    await expect(stage).toHaveAttribute('data-disagreements', '2');
    // N and Shift+N step through them (top first: the label mismatch), marking the panel's row.
    const focusedRow = panel(page).locator('li[aria-current="true"]');
    await page.keyboard.press('n');
    await expect(focusedRow).toContainText('label mismatch · IoU');
    await page.keyboard.press('n');
    await expect(focusedRow).toContainText('only bob drew it');
    await page.keyboard.press('Shift+N');
    await expect(focusedRow).toContainText('label mismatch');
    await expect(stage).not.toHaveAttribute('data-focused-disagreement', '');
    await page.screenshot({ path: test.info().outputPath('review-overlay.png') });
    // Side by side: one pane per layer, then back to the overlay.
    await panel(page).getByRole('checkbox', { name: 'Side by side' }).check();
    const panes = page.getByRole('region', { name: 'Side by side' });
    await expect(panes.getByRole('figure')).toHaveCount(2);
    await expect(panes.getByRole('figure', { name: "alice's layer" })).toContainText('2 shapes');
    await expect(panes.getByRole('figure', { name: "bob's layer" })).toContainText('3 shapes');
    await page.screenshot({ path: test.info().outputPath('review-side-by-side.png') });
    await panel(page).getByRole('checkbox', { name: 'Side by side' }).uncheck();
    await expect(panes).toHaveCount(0);

    await panel(page).getByRole('button', { name: 'Accept all agreed (1)' }).click();
    await row(page, /label mismatch/).getByRole('button', { name: "Accept bob's shape" }).click();
    await expect(panel(page)).toContainText('1 open');
    // Exporting the Consensus now says, before Download, that one disagreement is still open.
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const exportDialog = new Exchange(page).exportDialog;
    await exportDialog.getByRole('combobox', { name: 'Annotations from' }).selectOption({ label: 'Consensus' });
    await expect(exportDialog.getByRole('region', { name: 'Review status' })).toContainText('1 disagreement still open on 1 image');
    await exportDialog.getByRole('button', { name: 'Close' }).click();
    await row(page, /only bob drew it/).getByRole('button', { name: 'Reject' }).click();
    await expect(panel(page)).toContainText('nothing open');
    await expect(page.getByRole('region', { name: 'Annotation canvas' })).toHaveAttribute('data-disagreements', '0');
    // Each decision is a step of its own: undo the last, and it is open again; redo.
    await page.keyboard.press('Control+z');
    await expect(panel(page)).toContainText('1 open');
    await page.keyboard.press('Control+Shift+z');
    await expect(panel(page)).toContainText('nothing open');
    await expect(app.saveStatus).toHaveText('Saved');
    await context.close();

    // After a restart every decision is there.
    ({ context, page } = await reopenProject(profile.dir, baseURL!, 'Settle'));
    await expect(panel(page)).toContainText('nothing open');
    await expect(row(page, /label mismatch/)).toContainText('settled: accepted by alice');
    await expect(row(page, /only bob drew it/)).toContainText('settled: rejected by alice');

    // The Consensus exports exactly the settled shapes: the agreed box and bob's car.
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const settledDialog = new Exchange(page).exportDialog;
    await settledDialog.getByRole('combobox', { name: 'Annotations from' }).selectOption({ label: 'Consensus' });
    await expect(settledDialog.getByRole('region', { name: 'Review status' })).toContainText('every disagreement is settled');
    await settledDialog.getByRole('button', { name: 'Close' }).click();
    const { files } = await new Exchange(page).export('COCO', { from: 'Consensus' });
    const coco = JSON.parse(text(files, 'annotations/instances_default.json')) as { annotations: { bbox: number[]; category_id: number }[]; categories: { id: number; name: string }[] };
    const nameOf = new Map(coco.categories.map((c) => [c.id, c.name]));
    const got = coco.annotations.map((a) => ({ cls: nameOf.get(a.category_id), bbox: a.bbox })).sort((a, b) => a.bbox[0]! - b.bbox[0]!);
    expect(got.map((g) => g.cls)).toEqual(['Class 1', 'car']);
    got[0]!.bbox.forEach((v, k) => expect(Math.abs(v - [20, 20, 80, 60][k]!)).toBeLessThanOrEqual(1.5));
    expect(got[1]!.bbox).toEqual([150, 30, 80, 80]);
    await context.close();
  } finally {
    profile.remove();
  }
});

test('Accept and redraw puts the merged shape in the Consensus layer, selected, and the lead adjusts it like any shape', async ({ page }) => {
  await aliceDrawsBobImports(page, 'Redraw');
  const canvas = page.getByRole('region', { name: 'Annotation canvas' });
  await row(page, /label mismatch/).getByRole('button', { name: 'Accept and redraw' }).click();
  await expect(row(page, /label mismatch/)).toContainText('settled: redrawn by alice');
  // The new Consensus shape is selected with the Select tool: 1 sets its class, arrows move it.
  const shapes = page.getByRole('list', { name: 'Annotations' });
  const consensusRow = shapes.getByRole('listitem').filter({ hasText: '· Consensus' });
  await expect(consensusRow).toHaveCount(1);
  await expect(consensusRow.locator('[aria-current="true"]')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Select tool' })).toHaveAttribute('aria-pressed', 'true');
  // It starts in one of the two voted classes (the vote split); a class key moves it to the other.
  const initial = ((await consensusRow.textContent()) ?? '').includes('car') ? 'car' : 'Class 1';
  const [key, other] = initial === 'car' ? ['1', 'Class 1'] : ['2', 'car'];
  await canvas.focus();
  await page.keyboard.press(key);
  await expect(consensusRow).toContainText(other);
  // One undo takes back the class change; the next, the redraw itself.
  await page.keyboard.press('Control+z');
  await expect(consensusRow).toContainText(initial);
  await page.keyboard.press('Control+z');
  await expect(consensusRow).toHaveCount(0);
  await expect(panel(page)).toContainText('2 open');
});
