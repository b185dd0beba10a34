import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './scripts/chromium.mjs';
import { freePortsSync } from './scripts/ports.mjs';
import type { GuardOptions } from './e2e/fixtures';

// Ports and the build folder are chosen once, when the runner loads this file, and handed to the
// test workers (which load it again) through the environment. Free ports at every run, so that
// `npm run preview` (4173), `npm run dev` (5173) or another Tally's tests never collide with these
// servers; a build folder of this run's own, so that neither `dist/` (what `npm run preview`
// serves) nor a second run beside this one is overwritten. Set TALLY_E2E_PORTS=prod,dev to pin them.
process.env.TALLY_E2E_PORTS ??= freePortsSync(2).join(',');
const [PROD_PORT, DEV_PORT] = process.env.TALLY_E2E_PORTS.split(',').map(Number) as [number, number];
// Named after this run's port (so no other run uses it at the same time); made by the build,
// removed by e2e/globalTeardown.ts.
process.env.TALLY_E2E_DIST ??= join(tmpdir(), `tally-e2e-dist-${PROD_PORT}`);
const DIST = process.env.TALLY_E2E_DIST;

const chromium = {
  ...devices['Desktop Chrome'],
  viewport: { width: 1400, height: 860 },
  launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
};

export default defineConfig<GuardOptions>({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  globalTeardown: './e2e/globalTeardown.ts',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Everything against the production build, as users get it, under its Content-Security-Policy
    // (sent as a header by `vite preview`): e2e/fixtures.ts fails a test on any violation and on
    // any request to another origin.
    { name: 'chromium', use: { ...chromium, baseURL: `http://127.0.0.1:${PROD_PORT}`, productionCsp: true } },
    // A few flows against the dev server too: React's development checks (StrictMode mounts
    // effects twice) catch bugs the production build hides from the tests but not from developers.
    // No CSP here (Vite's dev client runs inline scripts); requests to other origins still fail.
    {
      name: 'chromium-dev',
      testMatch: ['projects.spec.ts', 'classes.spec.ts', 'editor.spec.ts'],
      use: { ...chromium, baseURL: `http://127.0.0.1:${DEV_PORT}`, productionCsp: false },
    },
  ],
  webServer: [
    {
      command: `npx vite build --logLevel warn --outDir ${JSON.stringify(DIST)} --emptyOutDir && npx vite preview --outDir ${JSON.stringify(DIST)} --host 127.0.0.1 --port ${PROD_PORT} --strictPort`,
      url: `http://127.0.0.1:${PROD_PORT}`,
      reuseExistingServer: false, // a reused server would serve a stale build
      timeout: 180_000,
    },
    {
      command: `npx vite --host 127.0.0.1 --port ${DEV_PORT} --strictPort`,
      url: `http://127.0.0.1:${DEV_PORT}`,
      reuseExistingServer: false,
      timeout: 180_000,
    },
  ],
});
