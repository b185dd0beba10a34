// import-1000: a user picks 1,000 photos (about 100 KB each) in the file chooser of a new project.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseImages, createProject, elapsedSinceStart, frameWhen, importSummary, markStartOn, openHome } from '../app.mjs';
import { firstPage, launchProfile } from '../browser.mjs';

/**
 * Imports `paths` into the project open in `page`, timed in the page clock from the file input's
 * `change` event (the moment the user's choice reaches the page). Returns, in ms:
 * - firstImageShownMs: until the first frame with an image on the canvas (data-shown-image set);
 * - allStoredMs: until the first frame showing the import report with "Saved", i.e. every image's
 *   record, bytes, hashes and thumbnail committed to IndexedDB.
 * Throws unless the report says every file was imported (no duplicates, nothing refused).
 */
export async function timedImport(page, paths, timeoutMs) {
  await markStartOn(page, 'change', '[data-testid="import-images-input"]');
  const shown = await frameWhen(page, 'imageShown', timeoutMs);
  const stored = await frameWhen(page, 'importStored', timeoutMs);
  await chooseImages(page, paths);
  await Promise.all([shown.done, stored.done]);
  const summary = (await importSummary(page))?.trim();
  const expected = `Import finished: ${paths.length.toLocaleString('en')} images imported.`;
  if (summary !== expected) throw new Error(`import report reads "${summary}", expected "${expected}"`);
  const t = await elapsedSinceStart(page);
  return { firstImageShownMs: t.imageShown, allStoredMs: t.importStored };
}

/** A fresh profile on disk for each run, removed afterwards. */
export async function withFreshProfile(baseURL, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  try {
    const context = await launchProfile(dir, baseURL);
    try {
      return await fn(await firstPage(context), context, dir);
    } finally {
      await context.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One run: fresh profile, new project through the UI, then the timed import. */
export function runImport1000(baseURL, paths) {
  return withFreshProfile(baseURL, async (page) => {
    await openHome(page);
    await createProject(page, 'Bench import');
    return timedImport(page, paths, 5 * 60_000);
  });
}
