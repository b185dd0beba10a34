// open-10k: a project of 10,000 images, opened from the project list and scrolled end to end.
import { createProject, elapsedSinceStart, frameWhen, markStartOn, openHome } from '../app.mjs';
import { firstPage, launchProfile, tempDir, withProfile } from '../browser.mjs';
import { collect, heapAfterGcMB, openCdp, percentile, startFrameRecorder, stopFrameRecorder, taskDurationMs } from '../metrics.mjs';
import { timedImport } from './import.mjs';

export const PROJECT_NAME = 'Bench 10k';
const SCROLL_STEPS = 100;

/**
 * Builds the profile every run starts from: a project holding `paths` imported through the UI.
 * Returns its directory, `remove()` to delete it, and seed10kImportMs, the time from choosing the
 * files to all of them stored (same clock as import-1000's allStoredMs).
 */
export async function seedBigProject(baseURL, paths) {
  const { dir, remove } = tempDir('tally-bench-seed-');
  try {
    const context = await launchProfile(dir, baseURL);
    try {
      const page = await firstPage(context);
      await openHome(page);
      await createProject(page, PROJECT_NAME);
      const { allStoredMs } = await timedImport(page, paths, 60 * 60_000);
      return { dir, remove, seed10kImportMs: allStoredMs };
    } finally {
      await context.close(); // the profile must be closed before it is copied
    }
  } catch (e) {
    remove();
    throw e;
  }
}

/**
 * In the page: resolves once the list has scrolled away from `from` (unless `from` is null), has
 * held still for two frames, and every row in the DOM shows its loaded thumbnail, i.e. the step's
 * work is done. Resolves with the scroll position, or null after 5 s without settling.
 */
function settle(el, from) {
  return new Promise((resolve) => {
    const deadline = performance.now() + 5000;
    let last = el.scrollTop;
    let still = 0;
    const tick = () => {
      const top = el.scrollTop;
      still = top === last ? still + 1 : 0;
      last = top;
      const rows = el.querySelectorAll('[aria-label="Images"] > li');
      const thumbs = [...el.querySelectorAll('[aria-label="Images"] > li img')].filter((img) => img.complete && img.naturalWidth > 0);
      if ((from === null || top !== from) && still >= 2 && rows.length > 0 && thumbs.length === rows.length) resolve(top);
      else if (performance.now() > deadline) resolve(null);
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/**
 * Scrolls the image list from top to bottom in SCROLL_STEPS mouse-wheel steps over the list. With
 * 10,000 rows each step jumps about 100 rows, so every step brings a whole new set of rows and
 * thumbnails: the heavy end of scrolling (like dragging the scrollbar). A step ends when the list
 * is still and every row shows its thumbnail. Returns scrollBusyMsPerStep (renderer main-thread
 * busy ms per step, from CDP TaskDuration, so it includes the few frames of waiting per step) and
 * scrollFrameP95Ms (95th percentile of the intervals between animation frames while scrolling).
 */
async function scrollThrough(page, cdp) {
  const scroller = page.getByTestId('image-scroll');
  const box = await scroller.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const range = await scroller.evaluate((el) => el.scrollHeight - el.clientHeight);
  const step = Math.ceil(range / SCROLL_STEPS);
  // Start from a quiet page: the first rows' thumbnails belong to opening, not to scrolling.
  let top = await scroller.evaluate(settle, null);
  if (top !== 0) throw new Error(`the list did not settle at the top before scrolling (${top})`);

  await startFrameRecorder(page);
  const busyBefore = await taskDurationMs(cdp);
  for (let i = 0; i < SCROLL_STEPS; i++) {
    await page.mouse.wheel(0, step);
    const at = await scroller.evaluate(settle, top);
    if (at === null) throw new Error(`scroll step ${i + 1} did not settle within 5 s (scrolled, still, thumbnails loaded)`);
    top = at;
  }
  const busy = (await taskDurationMs(cdp)) - busyBefore;
  const intervals = await stopFrameRecorder(page);
  if (top < range - 1) throw new Error(`the list scrolled to ${top} px of ${range} px`);
  return { scrollBusyMsPerStep: busy / SCROLL_STEPS, scrollFrameP95Ms: percentile(intervals, 95) };
}

/**
 * One run on a copy of the seeded profile. Returns, per run:
 * - openProjectMs: from the click on the project's link to the first frame in which the image
 *   list has a row and the canvas shows an image (the project is usable);
 * - the scroll figures above;
 * - heapMB: the page's JS heap after the scroll and a forced GC, in MB (2^20 bytes).
 */
export function runOpen10k(baseURL, seedDir) {
  return withProfile(
    baseURL,
    async (page, context) => {
      const cdp = await openCdp(context, page);
      await openHome(page);
      const link = page.getByRole('link', { name: PROJECT_NAME, exact: true });
      await link.waitFor();
      await markStartOn(page, 'click', 'a');
      const usable = await frameWhen(page, 'projectUsable', 60_000);
      await link.click();
      await usable.done;
      const { projectUsable } = await elapsedSinceStart(page);
      const scroll = await scrollThrough(page, cdp);
      const heapMB = await heapAfterGcMB(cdp);
      return { openProjectMs: projectUsable, ...scroll, heapMB };
    },
    { copyFrom: seedDir },
  );
}

/**
 * The open-10k scenario: one profile seeded through the UI per bench invocation, then `runs`
 * fresh copies of it, each opened, scrolled and measured.
 */
export const open10k = {
  name: 'open-10k',
  /** Which image sets of data.mjs it imports. */
  needs: ['small'],
  async run({ baseURL, runs, data, log }) {
    const { paths, meanBytes } = data.small;
    log(`open-10k: seeding a profile with ${paths.length} images through the UI…`);
    const seed = await seedBigProject(baseURL, paths);
    log(`open-10k: seeded in ${(seed.seed10kImportMs / 1000).toFixed(1)} s`);
    try {
      const results = [];
      for (let i = 0; i < runs; i++) {
        const r = await runOpen10k(baseURL, seed.dir);
        log(
          `open-10k run ${i + 1}/${runs}: usable ${r.openProjectMs.toFixed(0)} ms, scroll ${r.scrollBusyMsPerStep.toFixed(1)} ms/step ` +
            `(p95 frame ${r.scrollFrameP95Ms.toFixed(1)} ms), heap ${r.heapMB.toFixed(1)} MB`,
        );
        results.push(r);
      }
      return {
        data: { images: paths.length, meanKB: Number((meanBytes / 1024).toFixed(1)) },
        values: { seed10kImportMs: [seed.seed10kImportMs], ...collect(results) },
      };
    } finally {
      seed.remove();
    }
  },
  figures: {
    /** Importing the 10,000 small files through the UI, choice → all stored (ms; one run, it seeds the profile). */
    seed10kImportMs: { unit: 'ms', target: null, digits: 0 },
    /** Click on the project's link → first frame with a listed image and an image on the canvas (ms). */
    openProjectMs: { unit: 'ms', target: 1000, digits: 0 },
    /** Renderer main-thread busy time per mouse-wheel step through the list (ms per step; no target yet). */
    scrollBusyMsPerStep: { unit: 'ms/step', target: null, digits: 1 },
    /** 95th percentile of the intervals between animation frames while scrolling (ms; 16.7 is every frame). */
    scrollFrameP95Ms: { unit: 'ms', target: null, digits: 1 },
    /** The page's JS heap after the scroll and a forced GC (MB = 2^20 bytes). */
    heapMB: { unit: 'MB', target: 150, digits: 1 },
  },
};
