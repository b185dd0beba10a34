// How the bench drives Chromium: the same binary and flags as the browser tests
// (scripts/chromium.mjs), on fresh on-disk profiles.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../scripts/chromium.mjs';

export { CHROMIUM_ARGS, chromiumExecutable };

/** Same viewport as the browser tests, so the image list shows the same number of rows. */
export const VIEWPORT = { width: 1400, height: 860 };

/**
 * A browser on an on-disk profile. Not an incognito context: there IndexedDB lives in memory,
 * which would make storing images look cheaper than it is for a user.
 */
export function launchProfile(profileDir, baseURL) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumExecutable(),
    args: CHROMIUM_ARGS,
    baseURL,
    viewport: VIEWPORT,
  });
}

/** A throwaway browser without a profile, for generating test images. */
export function launchScratch() {
  return chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
}

/** The one page a persistent context opens with. */
export async function firstPage(context) {
  return context.pages()[0] ?? (await context.newPage());
}

const liveDirs = new Set();
// Also on Ctrl-C or SIGTERM (the bench exits through process.exit then, skipping `finally`s).
process.on('exit', () => {
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

/** A new empty directory under the system temp dir, deleted by `remove()` or when the bench exits. */
export function tempDir(prefix = 'tally-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  liveDirs.add(dir);
  return {
    dir,
    remove() {
      rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    },
  };
}

/**
 * Runs `fn(page, context)` in a browser on a new profile directory (a copy of `copyFrom` when
 * given, e.g. a profile seeded with a big project), then closes the browser and deletes the copy.
 */
export async function withProfile(baseURL, fn, { copyFrom } = {}) {
  const { dir, remove } = tempDir();
  try {
    if (copyFrom) cpSync(copyFrom, dir, { recursive: true });
    const context = await launchProfile(dir, baseURL);
    try {
      return await fn(await firstPage(context), context);
    } finally {
      await context.close();
    }
  } finally {
    remove();
  }
}
