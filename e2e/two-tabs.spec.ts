import { expect, test } from './fixtures';
import { Tally, jpeg, makeImages } from './support';

/**
 * Tally's choice for two tabs on one project: the first tab edits, a second opens it read-only
 * (Web Locks) and follows the first tab's saved changes; it becomes the editor when the first
 * tab leaves. Neither can overwrite the other's work.
 */
test('a second tab opens the project read-only, follows the editor, and takes over when it closes', async ({ context }) => {
  const first = await context.newPage();
  const editor = new Tally(first);
  await editor.open();
  await editor.createProject('Shared');
  const [img] = await makeImages(first, [{ width: 320, height: 240, seed: 7 }]);
  await editor.importFiles([jpeg('one.jpg', img!)]);
  await editor.importFinished();
  const projectUrl = first.url();

  const second = await context.newPage();
  await second.goto(projectUrl);
  const viewer = new Tally(second);
  await expect(second.getByRole('status').filter({ hasText: 'Read-only.' })).toContainText('open for editing in another tab');
  await expect(viewer.imageItem('one.jpg')).toBeVisible();
  for (const name of ['Import images', 'Import folder', 'Add class']) {
    await expect(second.getByRole('button', { name })).toBeDisabled();
  }
  await expect(second.getByRole('combobox', { name: 'Split' })).toBeDisabled();
  // The first tab is unaffected.
  await expect(first.getByRole('button', { name: 'Add class' })).toBeEnabled();
  await expect(first.getByRole('status').filter({ hasText: 'Read-only.' })).toHaveCount(0);

  // The editor's saved changes reach the read-only tab.
  await first.getByRole('button', { name: 'Add class' }).click();
  await first.getByRole('textbox', { name: 'Class name' }).fill('car');
  await first.getByRole('textbox', { name: 'Class name' }).press('Enter');
  await expect(editor.saveStatus).toHaveText('Saved');
  await expect(second.getByRole('button', { name: /^car/ })).toBeVisible();

  // Deleting the project from the list of a third tab is refused while it is open.
  const third = await context.newPage();
  const lister = new Tally(third);
  await lister.open();
  await third.getByRole('button', { name: 'Delete project' }).click();
  await third.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(third.getByRole('dialog').getByRole('alert')).toHaveText('“Shared” is open in another tab. Close it there first.');
  await third.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // The editor closes its tab: the read-only tab becomes the editor, with everything saved.
  await first.close();
  await expect(second.getByRole('status').filter({ hasText: 'Read-only.' })).toHaveCount(0);
  await expect(second.getByRole('button', { name: 'Add class' })).toBeEnabled();
  await second.getByRole('button', { name: 'Add class' }).click();
  await second.getByRole('textbox', { name: 'Class name' }).fill('person');
  await second.getByRole('textbox', { name: 'Class name' }).press('Enter');
  await expect(viewer.saveStatus).toHaveText('Saved');
  await second.reload();
  await expect(second.getByRole('button', { name: /^car/ })).toBeVisible();
  await expect(second.getByRole('button', { name: /^person/ })).toBeVisible();
});

test('leaving the project for the project list hands editing to the waiting tab', async ({ context }) => {
  const first = await context.newPage();
  await new Tally(first).open();
  await new Tally(first).createProject('Handover');
  const second = await context.newPage();
  await second.goto(first.url());
  await expect(second.getByRole('status').filter({ hasText: 'Read-only.' })).toBeVisible();
  await first.getByRole('link', { name: 'Projects' }).click();
  await expect(second.getByRole('button', { name: 'Add class' })).toBeEnabled();
  // Back in the first tab, it is now the one that waits.
  await first.getByRole('link', { name: 'Handover' }).click();
  await expect(first.getByRole('status').filter({ hasText: 'Read-only.' })).toBeVisible();
});
