// Makes sure Playwright has a Chromium to drive before the browser tests or benchmarks run:
// $CHROMIUM_PATH or Debian's /usr/bin/chromium when present, else Playwright's own build,
// downloaded once with `npx playwright install chromium` (needs internet). Speaks on stderr so
// that the bench's JSON on stdout stays clean.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import { chromiumExecutable } from './chromium.mjs';

const system = chromiumExecutable();
if (system) {
  console.error(`Chromium: ${system}`);
} else if (existsSync(chromium.executablePath())) {
  console.error(`Chromium: Playwright's own (${chromium.executablePath()})`);
} else {
  console.error('No Chromium found: installing Playwright’s Chromium (npx playwright install chromium)…');
  try {
    execSync('npx playwright install chromium', { stdio: ['ignore', process.stderr, process.stderr] });
  } catch {
    console.error(
      'Could not download Chromium. Install one and retry: on Debian/Ubuntu `sudo apt-get install chromium`, ' +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
    process.exit(1);
  }
}
