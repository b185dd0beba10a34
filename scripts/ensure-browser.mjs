// Makes sure Playwright has a Chromium to drive before the browser tests or benchmarks run:
// $CHROMIUM_PATH or Debian's /usr/bin/chromium when present, else Playwright's own build,
// downloaded once with `npx playwright install chromium` (needs internet).
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { chromium } from '@playwright/test';

const system = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
if (system) {
  console.log(`Browser tests use ${system}`);
} else if (existsSync(chromium.executablePath())) {
  console.log(`Browser tests use Playwright's Chromium (${chromium.executablePath()})`);
} else {
  console.log('No Chromium found: installing Playwright’s Chromium (npx playwright install chromium)…');
  try {
    execSync('npx playwright install chromium', { stdio: 'inherit' });
  } catch {
    console.error(
      'Could not download Chromium. Install one and retry: on Debian/Ubuntu `sudo apt-get install chromium`, ' +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
    process.exit(1);
  }
}
