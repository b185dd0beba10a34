import { expect, test } from './fixtures';
import { Tally, jpeg, makeImages } from './support';

test('previous/next by button and keys, split and status per image, filter by status', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Navigate');
  const imgs = await makeImages(page, [
    { width: 300, height: 200, seed: 61 },
    { width: 310, height: 200, seed: 62 },
    { width: 320, height: 200, seed: 63 },
  ]);
  await app.importFiles(imgs.map((b, i) => jpeg(`n${i + 1}.jpg`, b)));
  await app.importFinished();
  const position = page.getByText(/^\d+ \/ \d+$/);
  const current = app.imageList.locator('[aria-current="true"]');
  await expect(position).toHaveText('1 / 3');
  await expect(page.getByRole('button', { name: 'Previous image' })).toBeDisabled();

  await page.getByRole('button', { name: 'Next image' }).click();
  await expect(position).toHaveText('2 / 3');
  await expect(current).toContainText('n2.jpg');
  await page.keyboard.press('d');
  await expect(position).toHaveText('3 / 3');
  await expect(page.getByRole('button', { name: 'Next image' })).toBeDisabled();
  await page.keyboard.press('d'); // at the end: stays
  await expect(position).toHaveText('3 / 3');
  await page.keyboard.press('ArrowLeft');
  await expect(position).toHaveText('2 / 3');
  await page.keyboard.press('a');
  await expect(position).toHaveText('1 / 3');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByText('310 × 200')).toBeVisible();
  await expect(app.canvas).toHaveAttribute('data-shown-image', /.+/);

  // Split and status of the open image (n2).
  await page.getByRole('combobox', { name: 'Split' }).selectOption('val');
  await page.getByRole('combobox', { name: 'Image status' }).selectOption('done');
  await expect(current).toContainText('Done · background · val');

  // Filter: only done images; navigation stays within the filter.
  await page.getByRole('combobox', { name: 'Filter images' }).selectOption('done');
  await expect(app.imageList.getByRole('listitem')).toHaveCount(1);
  await expect(position).toHaveText('1 / 1');
  await page.getByRole('combobox', { name: 'Filter images' }).selectOption('new');
  await expect(app.imageList.getByRole('listitem')).toHaveText([/n1\.jpg/, /n3\.jpg/]);
  await expect(current).toContainText('n1.jpg'); // the open image moved into the filtered list

  await expect(app.saveStatus).toHaveText('Saved');
  await page.reload();
  await app.imageItem('n2.jpg').click();
  await expect(page.getByRole('combobox', { name: 'Split' })).toHaveValue('val');
  await expect(page.getByRole('combobox', { name: 'Image status' })).toHaveValue('done');
});
