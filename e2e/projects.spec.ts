import { expect, test } from './fixtures';
import { Tally } from './support';

test('projects: create, list with counts, rename, delete only after confirming', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await expect(page.getByText('No projects yet.')).toBeVisible();

  // An empty name is refused in the dialog.
  await page.getByRole('button', { name: 'New project' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toHaveText('Project name cannot be empty.');
  await page.getByRole('textbox', { name: 'Project name' }).fill('Harbour');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Harbour' })).toBeVisible();
  await page.getByRole('link', { name: 'Projects' }).click();
  await app.createProject('<b>Fields</b>');
  await page.getByRole('link', { name: 'Projects' }).click();

  const projects = page.getByRole('list', { name: 'Projects' });
  await expect(projects.getByRole('link')).toHaveText(['<b>Fields</b>', 'Harbour']);
  await expect(projects.getByRole('listitem').filter({ hasText: 'Harbour' })).toContainText('0 images · 0 shapes · 0 classes');

  const harbour = projects.getByRole('listitem').filter({ hasText: 'Harbour' });
  await harbour.getByRole('button', { name: 'Rename project' }).click();
  await page.getByRole('textbox', { name: 'Project name' }).fill('Harbour 2026');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(projects.getByRole('link', { name: 'Harbour 2026' })).toBeVisible();

  const fields = projects.getByRole('listitem').filter({ hasText: 'Fields' });
  await fields.getByRole('button', { name: 'Delete project' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(projects.getByRole('link', { name: '<b>Fields</b>' })).toBeVisible();
  await fields.getByRole('button', { name: 'Delete project' }).click();
  await expect(page.getByRole('dialog')).toContainText('It cannot be undone');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(projects.getByRole('link')).toHaveText(['Harbour 2026']);

  await expect(app.saveStatus).toHaveText('Saved');
  await page.reload();
  await expect(projects.getByRole('link')).toHaveText(['Harbour 2026']);
});

test('the annotator name is asked on first use, kept, and changed in Settings', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Who');
  const prompt = page.getByRole('form', { name: 'Who is annotating?' });
  await expect(prompt).toBeVisible();
  await prompt.getByRole('textbox', { name: 'Annotator name' }).fill('consensus');
  await prompt.getByRole('button', { name: 'Save name' }).click();
  await expect(prompt.getByRole('alert')).toContainText('reserved');
  await prompt.getByRole('textbox', { name: 'Annotator name' }).fill('Ana');
  await prompt.getByRole('button', { name: 'Save name' }).click();
  await expect(prompt).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole('button', { name: 'Add class' })).toBeVisible();
  await expect(prompt).toHaveCount(0);
  await page.getByRole('button', { name: 'Settings' }).click();
  const field = page.getByRole('dialog', { name: 'Settings' }).getByRole('textbox', { name: 'Annotator name' });
  await expect(field).toHaveValue('Ana');
  await field.fill('Bea');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('textbox', { name: 'Annotator name' })).toHaveValue('Bea');
  await expect(page.getByRole('dialog', { name: 'Settings' })).toContainText(/used of .* available/);
});

test('the ? key lists the keyboard shortcuts', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Keys');
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toContainText('Next image');
  await expect(dialog).toContainText('Previous image');
  await expect(dialog).toContainText('1 – 9Pick the 1st–9th class');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(dialog).toBeVisible();
});
