import { existsSync } from 'node:fs';

/**
 * Which Chromium to drive. Playwright cannot download browsers on every machine (CI here has no
 * internet but the npm registry), so a system Chromium is used when there is one:
 * $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own download.
 */
export function chromiumExecutable(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

/** Flags that keep a headless Chromium quiet and deterministic on a machine without a GPU or network. */
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
