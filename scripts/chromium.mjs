// Which Chromium the browser tests and the benchmarks drive, and how. Plain ESM (with JSDoc
// types) so that Playwright's TypeScript config, the specs and the plain-Node bench share it.
import { existsSync } from 'node:fs';

/**
 * $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else undefined (Playwright's own download).
 * Playwright cannot download browsers on every machine (CI here reaches only the npm registry).
 * @returns {string | undefined}
 */
export function chromiumExecutable() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

/** Flags that keep headless Chromium quiet and deterministic on a machine without a GPU or network. */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-default-apps',
  '--no-default-browser-check',
];
