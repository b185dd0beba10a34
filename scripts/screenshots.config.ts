import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium.mjs';

/**
 * `npm run screenshots`: the pictures in docs/ (the project screen at 1440×900 and 1280×720, the
 * keyboard overlay), taken from the dev server at $TALLY_URL (default http://127.0.0.1:5173).
 */
export default defineConfig({
  testDir: '.',
  testMatch: process.env.SCREENS_MATCH ?? 'screenshots.spec.ts',
  outputDir: '../test-results/screenshots',
  reporter: [['list']],
  timeout: 120_000,
  use: {
    ...devices['Desktop Chrome'],
    baseURL: process.env.TALLY_URL ?? 'http://127.0.0.1:5173',
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
  },
});
