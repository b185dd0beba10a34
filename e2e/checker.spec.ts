import { expect, test, type Page } from './fixtures';
import { CanvasDriver } from './editor';
import { Tally, launchProfile, makeImages, reopenProject, putRecords, readStores, tempProfile, type FilePayload, type StoredRecord } from './support';

/**
 * Plants what the UI refuses to make, straight into Tally's IndexedDB: a class "Car" beside
 * "car" with one shape, a box over street.jpg's right edge, and street.jpg, street-again.jpg and
 * street-small.jpg (one picture) in train, val and test.
 */
async function plant(page: Page): Promise<void> {
  type Project = StoredRecord & { classes: StoredRecord[] };
  type Image = StoredRecord & { fileName: string; annotationCount: number };
  const db = await readStores(page, ['projects', 'images', 'layers']);
  const project = db.projects![0] as Project;
  const byName = Object.fromEntries((db.images as Image[]).map((i) => [i.fileName, i]));
  const street = byName['street.jpg']!;
  // ana's layer (made when she drew); the planted shapes are hers too.
  const ana = db.layers!.find((l) => String(l.name).toLowerCase() === 'ana') ?? { id: 'layer-ana', projectId: project.id, name: 'ana', kind: 'annotator', revision: 1, createdAt: 9, updatedAt: 9 };
  const base = { projectId: project.id, imageId: street.id, layerId: ana.id, attributes: {}, source: 'manual', revision: 1, createdAt: 9, updatedAt: 9 };
  await putRecords(page, {
    layers: [ana],
    projects: [{ ...project, classes: [...project.classes, { id: 'class-Car', name: 'Car', color: '#ff8800', attributes: [] }] }],
    annotations: [
      { ...base, id: 'planted-car', classId: 'class-Car', shape: { kind: 'box', x: 20, y: 20, w: 40, h: 40 } },
      { ...base, id: 'planted-edge', classId: project.classes[0]!.id, shape: { kind: 'box', x: 600, y: 400, w: 80, h: 50 } },
    ],
    images: [
      { ...street, split: 'train', annotationCount: street.annotationCount + 2 },
      { ...byName['street-again.jpg'], split: 'val' },
      { ...byName['street-small.jpg'], split: 'test' },
    ],
  });
}

/** A picture as two files with the same pixels but different bytes (JPEG at two qualities), and a half-size copy. */
async function copies(page: Page): Promise<FilePayload[]> {
  const [a, b] = await makeImages(page, [
    { width: 640, height: 480, seed: 77, quality: 0.92 },
    { width: 640, height: 480, seed: 77, quality: 0.8 },
  ]);
  const [small] = await makeImages(page, [{ width: 320, height: 240, seed: 77, quality: 0.9 }]);
  return [
    { name: 'street.jpg', mimeType: 'image/jpeg', buffer: a! },
    { name: 'street-again.jpg', mimeType: 'image/jpeg', buffer: b! },
    { name: 'street-small.jpg', mimeType: 'image/jpeg', buffer: small! },
  ];
}

const issues = (page: Page) => page.getByRole('table', { name: 'Issues' });
const row = (page: Page, type: string) => issues(page).getByRole('row').filter({ hasText: type });

test('the checker reports planted problems, its fixes work and undo, and a dismissal survives a browser restart', async ({ baseURL }) => {
  test.slow();
  const profile = tempProfile();
  try {
    let context = await launchProfile(profile.dir, baseURL!);
    let page = context.pages()[0] ?? (await context.newPage());
    const app = new Tally(page);
    await app.open();
    await app.createProject('Planted');
    await page.getByRole('textbox', { name: 'Annotator name' }).fill('ana');
    await page.getByRole('button', { name: 'Save name' }).click();
    const [other] = await makeImages(page, [{ width: 640, height: 480, seed: 5 }]);
    await app.importFiles([...(await copies(page)), { name: 'road.jpg', mimeType: 'image/jpeg', buffer: other! }]);
    await app.importFinished();
    for (const name of ['car', 'person', 'tree']) {
      await page.getByRole('button', { name: 'Add class' }).click();
      await page.keyboard.type(name);
      await page.keyboard.press('Enter');
    }
    // On road.jpg, two boxes of different classes on one object (a stacked conflict), and more cars than anything.
    await app.imageItem('road.jpg').click();
    const canvas = new CanvasDriver(page);
    await canvas.calibrate();
    await page.keyboard.press('b');
    await page.keyboard.press('1');
    await canvas.drag([100, 100], [300, 250]);
    await canvas.drag([400, 300], [500, 400]);
    await page.keyboard.press('2');
    await canvas.drag([101, 101], [301, 251]);
    await expect(app.saveStatus).toHaveText('Saved');

    await plant(page);
    await page.reload();
    await expect(app.imageList).toBeVisible();

    await page.getByRole('button', { name: 'Run check' }).click();
    await expect(issues(page)).toBeVisible();
    await expect(issues(page).getByRole('columnheader')).toHaveText([/Type/, /Severity/, /Image/, /Details/, /Actions/]);
    await expect(row(page, 'Class name variants')).toContainText('“car”');
    await expect(row(page, 'Class name variants')).toContainText('“Car”');
    await expect(row(page, 'Leaky split').first()).toContainText(/train|val|test/);
    await expect(row(page, 'Stacked conflict')).toContainText('road.jpg');
    await expect(row(page, 'Out of image')).toContainText('street.jpg');
    await expect(row(page, 'Unlabeled image').filter({ hasText: 'street-again.jpg' })).toHaveCount(1);
    await expect(row(page, 'Unused class')).toContainText('“tree”');

    // Choosing a row opens its image with the shapes concerned selected.
    await row(page, 'Stacked conflict').getByRole('cell').first().click();
    await expect(page.getByRole('heading', { name: /2 shapes selected/ })).toBeVisible();

    // Merge the variants: one class is left; undo brings both back.
    const classButtons = page.getByRole('list', { name: 'Classes' }).getByRole('button');
    await expect(classButtons).toHaveCount(4);
    await row(page, 'Class name variants').getByRole('button', { name: /^Fix: merge/ }).click();
    await expect(classButtons).toHaveCount(3);
    await expect(row(page, 'Class name variants')).toHaveCount(0);
    await page.keyboard.press('Control+z');
    await expect(classButtons).toHaveCount(4);
    await expect(row(page, 'Class name variants')).toHaveCount(1);

    // Move the duplicate group into one split (train first): every copy is in train; undo.
    await row(page, 'Leaky split').first().getByRole('button', { name: 'Fix: move group to train' }).click();
    for (const name of ['street.jpg', 'street-again.jpg', 'street-small.jpg']) await expect(app.imageItem(name)).toContainText('train');
    await expect(row(page, 'Leaky split')).toHaveCount(0);
    await page.keyboard.press('Control+z');
    await expect(app.imageItem('street-again.jpg')).toContainText('val');
    await expect(app.imageItem('street-small.jpg')).toContainText('test');
    await expect(row(page, 'Leaky split').first()).toBeVisible();

    // Dismiss the unused class with a reason.
    await row(page, 'Unused class').getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('dialog').getByRole('textbox', { name: 'Reason' }).fill('trees come in the spring batch');
    await page.getByRole('dialog').getByRole('button', { name: 'Dismiss' }).click();
    await expect(row(page, 'Unused class')).toHaveCount(0);
    await expect(app.saveStatus).toHaveText('Saved');
    await context.close();

    // A browser restart: the dismissal is still there, with its reason, and the issue stays out of the open list.
    ({ context, page } = await reopenProject(profile.dir, baseURL!, 'Planted'));
    await page.getByRole('button', { name: 'Run check' }).click();
    await expect(row(page, 'Stacked conflict')).toBeVisible();
    await expect(row(page, 'Unused class')).toHaveCount(0);
    await page.getByRole('checkbox', { name: /Dismissed/ }).check();
    await expect(row(page, 'Unused class')).toContainText('trees come in the spring batch');
    await context.close();
  } finally {
    profile.remove();
  }
});

test('keys step through the issues, and edits are re-checked without a new run', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Keys');
  await page.getByRole('textbox', { name: 'Annotator name' }).fill('ana');
  await page.getByRole('button', { name: 'Save name' }).click();
  const images = await makeImages(page, [1, 2, 3].map((seed) => ({ width: 320, height: 240, seed: 40 + seed })));
  await app.importFiles(images.map((b, i) => ({ name: `k${i + 1}.jpg`, mimeType: 'image/jpeg', buffer: b })));
  await app.importFinished();
  await page.getByRole('button', { name: 'Run check' }).click();
  await expect(row(page, 'Unlabeled image')).toHaveCount(3);
  const chosen = issues(page).locator('[aria-selected="true"]');
  await page.keyboard.press('j');
  await expect(chosen).toHaveCount(1);
  const first = await chosen.textContent();
  await page.keyboard.press('j');
  await expect(chosen).not.toHaveText(first!);
  await page.keyboard.press('k');
  await expect(chosen).toHaveText(first!);
  // Draw on the image that is open: its "unlabeled" issue goes away by itself.
  const open = (await app.imageList.locator('[aria-current="true"]').textContent())!.match(/k\d\.jpg/)![0];
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();
  await page.keyboard.press('b');
  await canvas.drag([20, 20], [120, 100]);
  await expect(row(page, 'Unlabeled image')).toHaveCount(2);
  await expect(row(page, 'Unlabeled image').filter({ hasText: open })).toHaveCount(0);
});

test('every threshold is a project setting: a changed one re-checks at once and is kept', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Thresholds');
  await page.getByRole('textbox', { name: 'Annotator name' }).fill('ana');
  await page.getByRole('button', { name: 'Save name' }).click();
  const [img] = await makeImages(page, [{ width: 320, height: 240, seed: 8 }]);
  await app.importFiles([{ name: 't.jpg', mimeType: 'image/jpeg', buffer: img! }]);
  await app.importFinished();
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();
  await page.keyboard.press('b');
  await canvas.drag([50, 50], [80, 80]); // 30 × 30
  await page.getByRole('button', { name: 'Run check' }).click();
  await expect(issues(page)).toBeVisible();
  await expect(row(page, 'Tiny box')).toHaveCount(0);
  await page.getByRole('button', { name: 'Checker settings' }).click();
  const field = page.getByRole('spinbutton', { name: /Tiny box/ });
  await expect(field).toHaveValue('2');
  await field.fill('50');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(row(page, 'Tiny box')).toHaveCount(1);
  // An invalid value is refused with the field named.
  await page.getByRole('button', { name: 'Checker settings' }).click();
  await page.getByRole('spinbutton', { name: /Low overlap/ }).fill('3');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText('lowOverlapIoU');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(app.saveStatus).toHaveText('Saved');
  await page.reload();
  await page.getByRole('button', { name: 'Run check' }).click();
  await page.getByRole('button', { name: 'Checker settings' }).click();
  await expect(page.getByRole('spinbutton', { name: /Tiny box/ })).toHaveValue('50');
});
