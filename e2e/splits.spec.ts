import { expect, test, type Page } from './fixtures';
import { Tally, jpeg, makeImages } from './support';

/** Steps through every image from the first, reading the Split select: file name → split. */
async function splitsByStepping(page: Page, app: Tally, count: number): Promise<Map<string, string>> {
  const position = page.getByText(/^\d+ \/ \d+$/);
  const current = app.imageList.locator('[aria-current="true"] .image-name');
  const split = page.getByRole('combobox', { name: 'Split' });
  await app.imageList.getByRole('listitem').first().click();
  const out = new Map<string, string>();
  for (let i = 1; i <= count; i++) {
    await expect(position).toHaveText(`${i} / ${count}`);
    out.set((await current.textContent()) ?? '', await split.inputValue());
    if (i < count) await page.getByRole('button', { name: 'Next image' }).click();
  }
  return out;
}

test('assign splits by ratio, near-duplicates kept together, one undo step', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Splits');
  // Nine different pictures, and the first one again encoded at another quality: other bytes,
  // (nearly) the same pHash.
  const specs = Array.from({ length: 9 }, (_, i) => ({ width: 320, height: 240, seed: 301 + i }));
  const imgs = await makeImages(page, [...specs, { width: 320, height: 240, seed: 301, quality: 0.6 }]);
  const files = imgs.map((b, i) => jpeg(i < 9 ? `s${i + 1}.jpg` : 's1-copy.jpg', b));
  await app.importFiles(files);
  await app.importFinished();
  await expect(app.imageList.getByRole('listitem')).toHaveCount(10);

  await page.getByRole('button', { name: 'Assign splits' }).click();
  const dialog = page.getByRole('dialog', { name: 'Assign splits' });
  await expect(dialog.getByRole('spinbutton', { name: 'Train' })).toHaveValue('80');
  await expect(dialog.getByRole('spinbutton', { name: 'Val' })).toHaveValue('10');
  await expect(dialog.getByRole('spinbutton', { name: 'Test' })).toHaveValue('10');
  await expect(dialog.getByRole('spinbutton', { name: 'Seed' })).toHaveValue('1');
  await expect(dialog).toContainText('10 unassigned images will be assigned, in 9 groups (1 duplicate group kept together).');

  // Ratios must add up to 100.
  await dialog.getByRole('spinbutton', { name: 'Test' }).fill('20');
  await expect(dialog.getByRole('alert')).toHaveText('The percentages add up to 110; they must add up to 100.');
  await expect(dialog.getByRole('button', { name: 'Assign', exact: true })).toBeDisabled();
  await dialog.getByRole('spinbutton', { name: 'Test' }).fill('10');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('spinbutton', { name: 'Seed' }).fill('7');

  await dialog.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Assigned' })).toHaveText(
    /Assigned 10 images: 8 train, 1 val, 1 test \(1 duplicate group kept together\)/,
  );
  await expect(app.saveStatus).toHaveText('Saved');
  await expect(page.getByText('8 train · 1 val · 1 test', { exact: true })).toBeVisible();

  const after = await splitsByStepping(page, app, 10);
  expect([...after.keys()].sort()).toEqual(files.map((f) => f.name).sort());
  expect([...after.values()].every((s) => s !== 'unassigned')).toBe(true);
  expect(after.get('s1-copy.jpg')).toBe(after.get('s1.jpg'));
  const counts = { train: 0, val: 0, test: 0 };
  for (const s of after.values()) counts[s as keyof typeof counts]++;
  expect(counts).toEqual({ train: 8, val: 1, test: 1 });

  // One undo step puts every image back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByText('0 train · 0 val · 0 test · 10 unassigned', { exact: true })).toBeVisible();
  await expect(app.saveStatus).toHaveText('Saved');
  const undone = await splitsByStepping(page, app, 10);
  expect([...undone.values()]).toEqual(Array.from({ length: 10 }, () => 'unassigned'));

  // A second tab is read-only: it sees the splits but cannot assign them.
  const second = await page.context().newPage();
  await second.goto(page.url());
  await expect(second.getByRole('status').filter({ hasText: 'Read-only.' })).toBeVisible();
  await expect(second.getByText('0 train · 0 val · 0 test · 10 unassigned', { exact: true })).toBeVisible();
  await expect(second.getByRole('button', { name: 'Assign splits' })).toBeDisabled();
});
