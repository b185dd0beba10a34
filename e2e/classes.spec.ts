import { expect, test } from './fixtures';
import { Tally, jpeg, makeImages, putRecords, readStores, type StoredRecord } from './support';

test('label classes: add, name on Enter, refuse a clash, recolour, reorder, pick by number key, delete', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Classes');
  const nameBox = page.getByRole('textbox', { name: 'Class name' });

  await page.getByRole('button', { name: 'Add class' }).click();
  await expect(nameBox).toBeFocused();
  await expect(nameBox).toHaveValue('Class 1');
  await nameBox.fill('car');
  await nameBox.press('Enter');
  await expect(page.getByRole('button', { name: 'car 1' })).toHaveAttribute('aria-pressed', 'true');

  await page.getByRole('button', { name: 'Add class' }).click();
  await nameBox.fill('CAR');
  await expect(page.getByRole('alert')).toHaveText('A class named “car” already exists.');
  await nameBox.fill('person');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await nameBox.press('Enter');
  await page.getByRole('button', { name: 'Add class' }).click();
  await nameBox.fill('<script>alert(1)</script>');
  await nameBox.press('Enter');
  await expect(page.getByRole('button', { name: '<script>alert(1)</script> 3' })).toBeVisible();

  // Keys 1–9 pick classes (when no field has the focus).
  await page.keyboard.press('1');
  await expect(page.getByRole('button', { name: 'car 1' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('2');
  await expect(page.getByRole('button', { name: 'person 2' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'car 1' })).toHaveAttribute('aria-pressed', 'false');

  // Recolour and reorder the active class (person): moving it up gives it key 1. The editor opens
  // for the chosen class only, and follows the choice.
  await expect(nameBox).toHaveCount(0);
  await page.getByRole('button', { name: 'Edit class' }).click();
  await expect(nameBox).toHaveValue('person');
  await page.getByLabel('Class color').fill('#00aa55');
  await page.getByRole('button', { name: 'Move class up' }).click();
  await expect(page.getByRole('list', { name: 'Classes' }).getByRole('button')).toHaveText([/^person\s*1/, /^car\s*2/, /^<script>alert\(1\)<\/script>\s*3/]);
  await page.keyboard.press('2');
  await expect(page.getByRole('button', { name: 'car 2' })).toHaveAttribute('aria-pressed', 'true');

  // Delete the third class (no shapes use it, so no question).
  await page.keyboard.press('3');
  await page.getByRole('button', { name: 'Delete class' }).click();
  await expect(page.getByRole('list', { name: 'Classes' }).getByRole('button')).toHaveCount(2);

  await expect(app.saveStatus).toHaveText('Saved');
  await page.reload();
  await expect(page.getByRole('list', { name: 'Classes' }).getByRole('button')).toHaveText([/^person\s*1/, /^car\s*2/]);
  const swatch = page.getByRole('button', { name: 'person 1' }).locator('.swatch');
  await expect(swatch).toHaveCSS('background-color', 'rgb(0, 170, 85)');
});

test('deleting a class that shapes use asks first, then removes the shapes and updates the counts', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Used classes');
  const [img] = await makeImages(page, [{ width: 320, height: 240, seed: 71 }]);
  await app.importFiles([jpeg('street.jpg', img!)]);
  await app.importFinished();
  await page.getByRole('button', { name: 'Add class' }).click();
  await page.getByRole('textbox', { name: 'Class name' }).fill('car');
  await page.getByRole('textbox', { name: 'Class name' }).press('Enter');
  await expect(page.getByRole('button', { name: 'car 1' })).toBeVisible();
  await expect(app.saveStatus).toHaveText('Saved');

  // The box tool arrives with the editor; until then, put two shapes in IndexedDB the way it will.
  const db = await readStores(page, ['projects', 'images']);
  const project = db.projects![0] as StoredRecord & { classes: StoredRecord[] };
  const image = db.images![0]!;
  await putRecords(page, {
    layers: [{ id: 'layer-seeded-ana', projectId: project.id, name: 'Ana', kind: 'annotator', revision: 1, createdAt: 1, updatedAt: 1 }],
    annotations: [1, 2].map((n) => ({
      id: `seeded-${n}`,
      projectId: project.id,
      imageId: image.id,
      layerId: 'layer-seeded-ana',
      revision: 1,
      classId: project.classes[0]!.id,
      shape: { kind: 'box', x: 10 * n, y: 10, w: 40, h: 30 },
      attributes: {},
      source: 'manual',
      createdAt: 1,
      updatedAt: 1,
    })),
    images: [{ ...image, annotationCount: 2 }],
  });
  await page.reload();
  await expect(app.imageItem('street.jpg')).toContainText('2 shapes');

  await page.getByRole('button', { name: 'Edit class' }).click();
  await page.getByRole('button', { name: 'Delete class' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “car”?' });
  await expect(dialog).toContainText('2 shapes use this class. Deleting the class deletes them too.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'car 1' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete class' }).click();
  await dialog.getByRole('button', { name: 'Delete class and shapes' }).click();
  await expect(page.getByRole('list', { name: 'Classes' })).toHaveCount(0);
  await expect(app.imageItem('street.jpg')).toContainText('0 shapes');
  await expect(app.saveStatus).toHaveText('Saved');
  await page.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('list', { name: 'Projects' })).toContainText('1 image · 0 shapes · 0 classes');
});
