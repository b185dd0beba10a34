import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './scripts/chromium.mjs';

const PROD_PORT = 4173;
const DEV_PORT = 5174;

const chromium = {
  ...devices['Desktop Chrome'],
  viewport: { width: 1400, height: 860 },
  launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Everything against the production build, as users get it.
    { name: 'chromium', use: { ...chromium, baseURL: `http://127.0.0.1:${PROD_PORT}` } },
    // A few flows against the dev server too: React's development checks (StrictMode mounts
    // effects twice) catch bugs the production build hides from the tests but not from developers.
    {
      name: 'chromium-dev',
      testMatch: ['projects.spec.ts', 'classes.spec.ts', 'editor.spec.ts'],
      use: { ...chromium, baseURL: `http://127.0.0.1:${DEV_PORT}` },
    },
  ],
  webServer: [
    {
      command: `npx vite build --logLevel warn && npx vite preview --host 127.0.0.1 --port ${PROD_PORT} --strictPort`,
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
