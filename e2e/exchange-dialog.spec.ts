import { expect, test } from './fixtures';
import { Exchange, sourceProject, text } from './exchange';

test('the Export dialog says before Download what the zip will hold: layout, size with and without images, conversions', async ({ page }) => {
  await sourceProject(page);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  const holds = dialog.getByRole('region', { name: 'What the zip will hold' });
  await dialog.getByRole('combobox', { name: 'Format' }).selectOption({ label: 'YOLO' });

  // Nothing has been downloaded: all of this is said before the click.
  await expect(holds).toContainText('source-yolo-');
  await expect(holds).toContainText('2 images, 2 shapes');
  await expect(holds).toContainText(/Estimated size\s*about [\d.]+ (bytes|KB) without images, [\d.]+ KB with images/);
  const layout = holds.getByRole('list', { name: 'Layout' });
  await expect(layout).toContainText('data.yaml');
  await expect(layout).toContainText('labels/train/street.txt');
  await expect(layout).toContainText('labels/val/park.txt');
  await expect(layout).toContainText('manifest.json');
  await expect(layout).not.toContainText('images/');
  const changes = holds.getByRole('list', { name: 'Changes' });
  await expect(changes).toContainText('1 polygon written as bounding boxes');

  // With images, the image folders are in the layout and the name says so.
  await dialog.getByRole('checkbox', { name: 'Include images' }).check();
  await expect(layout).toContainText(/images\/train\/ — 1 image/);
  await expect(holds).toContainText('source-yolo-');
  await expect(holds.locator('.mono').first()).toHaveText(/-images\.zip$/);

  // Without a val split, val points at train: said plainly.
  await dialog.getByRole('checkbox', { name: /^Val/ }).uncheck();
  await expect(changes).toContainText('data.yaml: no image is in the val split, so val: points at images/train');
  await expect(changes).toContainText('its validation scores will be measured on these training images');
  await expect(holds).toContainText('1 image, 1 shape');

  // COCO: the box segmentation is a choice that says what each is for.
  await dialog.getByRole('checkbox', { name: /^Val/ }).check();
  await dialog.getByRole('combobox', { name: 'Format' }).selectOption({ label: 'COCO' });
  const segmentation = dialog.getByRole('combobox', { name: 'Box segmentation' });
  await expect(segmentation.getByRole('option')).toHaveText([/^Empty \[\] — for detection training/, /^4-corner polygon — for mask training/]);
  await expect(changes).toContainText('Nothing: every shape is written as it is.');
  await expect(layout).toContainText('annotations/instances_train.json');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // And the choice is written: the box's segmentation is its 4 corners (the default stays []).
  const exchange = new Exchange(page);
  const segmentationOf = (files: Map<string, Uint8Array>) => (JSON.parse(text(files, 'annotations/instances_train.json')) as { annotations: { segmentation: unknown; bbox: number[] }[] }).annotations[0]!;
  expect(segmentationOf((await exchange.export('COCO')).files).segmentation).toEqual([]);
  const corners = segmentationOf((await exchange.export('COCO', { boxCorners: true })).files);
  const [x, y, w, h] = corners.bbox as [number, number, number, number];
  expect(corners.segmentation).toEqual([[x, y, +(x + w).toFixed(2), y, +(x + w).toFixed(2), +(y + h).toFixed(2), x, +(y + h).toFixed(2)]]);
});

test('Download after reading the dialog hands over the archive as the project is now: an edit and a check since are in the next one', async ({ page }) => {
  const { app } = await sourceProject(page);
  const exchange = new Exchange(page);
  const manifestOf = (files: Map<string, Uint8Array>) => JSON.parse(text(files, 'manifest.json')) as { check: { checked: boolean }; counts: { shapes: number } };

  const first = await exchange.export('YOLO', { readMs: 1_500 });
  expect([...first.files.keys()]).toContain('labels/val/park.txt');
  expect(manifestOf(first.files).check).toEqual({ checked: false });

  // park.jpg moves to test, then the project is checked.
  await app.imageItem('park.jpg').click();
  await page.getByRole('combobox', { name: 'Split' }).selectOption('test');
  await expect(app.saveStatus).toHaveText('Saved');
  await page.getByRole('button', { name: 'Run check' }).click();
  await expect(page.getByRole('table', { name: 'Issues' })).toBeVisible();

  for (const readMs of [1_500, 0]) {
    const next = await exchange.export('YOLO', { readMs });
    const paths = [...next.files.keys()];
    expect(paths).toContain('labels/test/park.txt');
    expect(paths).not.toContain('labels/val/park.txt');
    expect(manifestOf(next.files).check.checked).toBe(true);
    expect(manifestOf(next.files).counts.shapes).toBe(2);
  }
});
