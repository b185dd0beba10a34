import { expect, test } from '@playwright/test';
import { Tally } from './support';

test('label classes: add, rename as typed, refuse a clash, recolour, reorder, pick by number key, delete', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Classes');
  const nameBox = page.getByRole('textbox', { name: 'Class name' });

  await page.getByRole('button', { name: 'Add class' }).click();
  await expect(nameBox).toBeFocused();
  await expect(nameBox).toHaveValue('Class 1');
  await nameBox.fill('car');
  await expect(page.getByRole('button', { name: 'car 1' })).toHaveAttribute('aria-pressed', 'true');

  await page.getByRole('button', { name: 'Add class' }).click();
  await nameBox.fill('CAR');
  await expect(page.getByRole('alert')).toHaveText('A class named “car” already exists.');
  await nameBox.fill('person');
  await expect(page.getByRole('alert')).toHaveCount(0);
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

  // Recolour and reorder the active class (person): moving it up gives it key 1.
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
