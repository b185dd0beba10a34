// import-1000: a user picks 1,000 photos (about 100 KB each) in the file chooser of a new project.
import { chooseImages, createProject, elapsedSinceStart, frameWhen, importSummary, markStartOn, openHome } from '../app.mjs';
import { withProfile } from '../browser.mjs';
import { collect } from '../metrics.mjs';

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

/** One run: fresh profile, new project through the UI, then the timed import. */
export function runImport1000(baseURL, paths) {
  return withProfile(baseURL, async (page) => {
    await openHome(page);
    await createProject(page, 'Bench import');
    return timedImport(page, paths, 5 * 60_000);
  });
}

/**
 * The import-1000 scenario: `runs` fresh profiles, each importing the same 1,000 photos.
 * `run` returns each figure's per-run values; `figures` says what they mean and what they must beat.
 */
export const import1000 = {
  name: 'import-1000',
  /** Which image sets of data.mjs it imports. */
  needs: ['large'],
  async run({ baseURL, runs, data, log }) {
    const { paths, meanBytes } = data.large;
    const results = [];
    for (let i = 0; i < runs; i++) {
      const r = await runImport1000(baseURL, paths);
      log(`import-1000 run ${i + 1}/${runs}: first image ${r.firstImageShownMs.toFixed(0)} ms, all stored ${r.allStoredMs.toFixed(0)} ms`);
      results.push(r);
    }
    return { data: { images: paths.length, meanKB: Math.round(meanBytes / 1024) }, values: collect(results) };
  },
  figures: {
    /** Choosing the files → first frame with an image drawn on the canvas (ms). */
    firstImageShownMs: { unit: 'ms', target: 600, digits: 0 },
    /** Choosing the files → first frame with the import report and "Saved": everything committed (ms). */
    allStoredMs: { unit: 'ms', target: 10_000, digits: 0 },
  },
};
