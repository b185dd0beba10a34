import { expect, test } from './fixtures';
import { CSP_HEADER, CSP_META } from '../scripts/csp.mjs';

// Every test runs under the production policy and the guard of fixtures.ts; these show that the
// policy is the one served, that it refuses what it should, and that the guard sees it happen
// (each test takes the violations it provoked, so only unexpected ones fail it).

test('the production build is served with its Content-Security-Policy, as a header and in the page', async ({ page }) => {
  const response = await page.goto('/');
  expect(response!.headers()['content-security-policy']).toBe(CSP_HEADER);
  expect(CSP_HEADER).toContain("frame-ancestors 'none'");
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', CSP_META);
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  // The workers' scripts carry it too (a worker runs under the policy of its own response).
  const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  for (const url of scripts.filter((u) => u.endsWith('.js'))) {
    expect((await page.request.get(url)).headers()['content-security-policy'], url).toBe(CSP_HEADER);
  }
});

test('inline script and eval are refused, and the guard reports each refusal', async ({ page, guard }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();

  const inlineRan = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'document.body.dataset.inlineRan = "yes"';
    document.head.append(script);
    return document.body.dataset.inlineRan === 'yes';
  });
  expect(inlineRan).toBe(false);
  await expect.poll(() => guard.takeViolations().join('\n')).toMatch(/script-src/);

  // Later, from a task of the page's own: DevTools' evaluation (page.evaluate) may eval itself.
  const evaluated = await page.evaluate(
    () =>
      new Promise<string>((resolve) =>
        setTimeout(() => {
          try {
            resolve(String((0, eval)('6 * 7')));
          } catch (e) {
            resolve(e instanceof Error ? e.name : String(e));
          }
        }),
      ),
  );
  expect(evaluated).toBe('EvalError');
  await expect.poll(() => guard.takeViolations().join('\n')).toMatch(/script-src|eval/);
});

test('a request to another origin is refused by the policy, and one that is made fails the guard', async ({ page, context, guard }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();

  // connect-src 'self': the browser refuses before any request leaves.
  const fetched = await page.evaluate(() => fetch('http://127.0.0.2:9/').then(
    () => 'fetched',
    (e: unknown) => (e instanceof Error ? e.name : String(e)),
  ));
  expect(fetched).toBe('TypeError');
  await expect.poll(() => guard.takeViolations().join('\n')).toMatch(/connect-src/);
  expect(guard.takeForeignRequests()).toEqual([]);

  // A request the policy cannot stop (a top-level navigation) is caught by the guard.
  const other = await context.newPage();
  await other.goto('http://127.0.0.2:9/').catch(() => undefined);
  expect(guard.takeForeignRequests()).toEqual(['GET http://127.0.0.2:9/']);
  await other.close();
});

test('another page cannot frame Tally (frame-ancestors, sent as a header)', async ({ page, baseURL, guard }) => {
  await page.setContent(`<iframe title="framed" src="${baseURL}/"></iframe>`);
  await expect.poll(() => guard.takeViolations().join('\n')).toMatch(/frame-ancestors/);
  await expect(page.frameLocator('iframe').getByRole('heading', { name: 'Projects' })).toHaveCount(0);
});
