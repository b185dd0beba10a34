import { expect, test } from '@playwright/test';

/**
 * Temporary: photographs the Review figures (scripts/review-preview/) at the two laptop sizes and
 * drives its controls as a user would. Run against a dev server:
 *   TALLY_URL=http://127.0.0.1:<port> SCREENS_MATCH=review-preview.spec.ts \
 *     npx playwright test -c scripts/screenshots.config.ts
 */
const PAGE = '/scripts/review-preview/index.html';

for (const [width, height] of [
  [1280, 720],
  [1440, 900],
] as const) {
  test(`review figures at ${width}×${height}`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto(PAGE);
    const figures = page.getByRole('region', { name: 'Review figures' });
    await expect(figures).toBeVisible();
    await page.screenshot({ path: `docs/review-figures-${width}x${height}.png`, fullPage: true });
  });
}

test('the queue opens images, the settings are controlled fields', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(PAGE);
  const queue = page.getByRole('table', { name: /Review queue/ });
  const first = queue.getByRole('row').nth(1);
  await first.getByRole('button').click();
  const opened = await first.getByRole('button').textContent();
  await expect(page.getByLabel('Opened image')).toHaveText(opened!);
  await expect(first).toHaveAttribute('aria-current', 'true');
  // A click anywhere on a row opens it too.
  await queue.getByRole('row').nth(3).getByRole('cell').nth(2).click();
  await expect(page.getByLabel('Opened image')).toHaveText((await queue.getByRole('row').nth(3).getByRole('button').textContent())!);

  const tau = page.getByRole('spinbutton', { name: 'IoU threshold τ' });
  await tau.fill('0.4');
  await expect(page.getByLabel('Settings in force')).toHaveText('{"iouThreshold":0.4,"lowOverlapThreshold":0.8,"quorum":0}');
  // Above τ_low: refused, marked invalid, the value in force stays.
  await tau.fill('0.9');
  await expect(tau).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Settings in force')).toContainText('"iouThreshold":0.4');
  await tau.blur();
  await expect(tau).toHaveValue('0.4');
  await page.getByRole('spinbutton', { name: 'Low overlap τ_low' }).fill('0.9');
  await page.getByRole('spinbutton', { name: 'Quorum' }).fill('3');
  await expect(page.getByLabel('Settings in force')).toHaveText('{"iouThreshold":0.4,"lowOverlapThreshold":0.9,"quorum":3}');

  await page.getByRole('combobox', { name: 'Confusion of' }).selectOption({ label: 'alice vs bob' });
  await expect(page.getByRole('table', { name: /Confusion matrix: alice vs bob/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/review-after-clicks.png', fullPage: true });
});
