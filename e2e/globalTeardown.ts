import { rmSync } from 'node:fs';
import { basename } from 'node:path';

/** Removes this run's build folder (playwright.config.ts made it under the OS's temp folder). */
export default function globalTeardown(): void {
  const dist = process.env.TALLY_E2E_DIST;
  if (dist && basename(dist).startsWith('tally-e2e-dist-')) rmSync(dist, { recursive: true, force: true });
}
