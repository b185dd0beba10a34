// Driving Tally as a user does (controls by role and accessible name, UI-CONTRACT.md), plus the
// page-clock probes the scenarios time with: a start mark set by the user's own event, and the
// first animation frame in which a completion condition holds.

export async function openHome(page) {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
}

/** Creates a project through the dialog and waits for its (empty) screen. */
export async function createProject(page, name) {
  await page.getByRole('button', { name: 'New project' }).click();
  await page.getByRole('textbox', { name: 'Project name' }).fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('list', { name: 'Images' }).or(page.getByText('No images yet')).waitFor();
}

/**
 * The completion conditions the scenarios wait for, by name. Runs in the page (installed by
 * `markStartOn`), on every animation frame, so it must stay self-contained and cheap.
 */
function conditionHolds(name) {
  const shownImage = () => !!document.querySelector('[aria-label="Annotation canvas"]')?.getAttribute('data-shown-image');
  /**
   * The Annotations list (virtualized, so counted by its rows' aria-setsize) holds
   * window.__benchExpectedShapes shapes, the canvas shows an image, and the shapes layer (the 2nd
   * of Konva's three layer canvases) has paint in a 16 × 16 block at its centre. Konva paints in
   * a requestAnimationFrame callback registered after this poller's, so the paint is seen in the
   * frame after the one that drew it.
   */
  const shapesDrawn = () => {
    const expected = window.__benchExpectedShapes;
    if (typeof expected !== 'number') throw new Error('set window.__benchExpectedShapes before waiting for shapesDrawn');
    const row = document.querySelector('[aria-label="Annotations"] > li');
    if (!shownImage() || row?.getAttribute('aria-setsize') !== String(expected)) return false;
    // The canvas reports how many shapes its last paint showed (set while painting, so this
    // holds from the frame after the one Konva drew in).
    return document.querySelector('[aria-label="Annotation canvas"]')?.getAttribute('data-painted-shapes') === String(expected);
  };
  switch (name) {
    case 'imageShown':
      return shownImage();
    case 'importStored':
      return !!document.querySelector('[aria-label="Import report"]') && document.querySelector('[aria-label="Save status"]')?.textContent === 'Saved';
    case 'projectUsable':
      return !!document.querySelector('[aria-label="Images"] > li') && shownImage();
    case 'shapesDrawn':
      return shapesDrawn();
    case 'exportVerified':
      // The Export dialog's status after the download was handed to the browser.
      return [...document.querySelectorAll('dialog [role="status"]')].some((el) => el.textContent.includes('Read back and verified'));
    case 'importPlanShown':
      return !!document.querySelector('[aria-label="What will be imported"]');
    case 'checkDone': {
      // The Issues panel shows a report, and nothing is being checked.
      const panel = document.querySelector('[aria-label="Consistency check"]');
      return !!panel && panel.getAttribute('data-check-version') !== '' && panel.getAttribute('data-check-busy') === 'false';
    }
    case 'recheckDone': {
      // A newer report than the one shown when the clock started (window.__benchCheckVersion).
      const panel = document.querySelector('[aria-label="Consistency check"]');
      return !!panel && Number(panel.getAttribute('data-check-version')) > window.__benchCheckVersion && panel.getAttribute('data-check-busy') === 'false';
    }
    case 'reviewShown': {
      // The Review view shows the figures (not dimmed: no newer computation under way) and the queue's first row.
      const figures = document.querySelector('[aria-label="Review figures"]');
      return !!figures && figures.getAttribute('aria-busy') === 'false' && !!figures.querySelector('.rv-queue tbody tr');
    }
    case 'reviewImageShown': {
      // window.__benchReviewImage = {imageId, shapes}: the Review view closed, the canvas shows
      // that image with all its shapes painted and its open disagreements marked, and the
      // Annotations panel's review lists its objects by annotator, every shape of the image in
      // one of them (the panel is only ever shown for the image on the canvas).
      const want = window.__benchReviewImage;
      const canvas = document.querySelector('[aria-label="Annotation canvas"]');
      if (!canvas || canvas.getAttribute('data-shown-image') !== want.imageId || canvas.getAttribute('data-painted-shapes') !== String(want.shapes)) return false;
      if (document.querySelector('dialog[open]')) return false;
      const panel = document.querySelector('[aria-label="Disagreements"]');
      if (panel?.querySelectorAll('[aria-label="Objects by annotator"] > li .disagreement-member').length !== want.shapes) return false;
      // The canvas marks the open disagreements the panel counts ("7 open"; data-disagreements is
      // set as the markers are handed to the canvas, which paints them in that frame).
      const open = /^(\d+) open$/.exec(panel.querySelector('.disagreements-head .muted')?.textContent ?? '')?.[1] ?? '0';
      return canvas.getAttribute('data-disagreements') === open;
    }
    case 'annotationsStored':
      // The Import annotations dialog closes once its Change is committed; "Saved" then holds.
      return !document.querySelector('[aria-label="What will be imported"]') && document.querySelector('[aria-label="Save status"]')?.textContent === 'Saved';
    default:
      throw new Error(`unknown condition ${name}`);
  }
}

/**
 * Arms the start mark: `performance.now()` at the first `type` event (capture phase, on document,
 * so before the app's own handlers) whose target is inside `selector`, kept in window.__benchStart.
 */
export async function markStartOn(page, type, selector) {
  await page.evaluate(`window.__benchHolds = ${conditionHolds.toString()}`);
  await page.evaluate(
    ({ type, selector }) => {
      window.__benchStart = undefined;
      window.__benchDone = {};
      window.__benchArmed = {};
      const onEvent = (e) => {
        if (!(e.target instanceof Element) || !e.target.closest(selector)) return;
        window.__benchStart = performance.now();
        document.removeEventListener(type, onEvent, true);
      };
      document.addEventListener(type, onEvent, true);
    },
    { type, selector },
  );
}

/**
 * Resolves when `condition` first holds in an animation frame after the start mark, and records
 * that frame's `performance.now()` in window.__benchDone[condition]. Returns `{ done }` once the
 * poller runs in the page, so the action is never taken before the clock is watching.
 */
export async function frameWhen(page, condition, timeoutMs) {
  const done = page.waitForFunction(
    (condition) => {
      window.__benchArmed[condition] = true;
      if (window.__benchStart === undefined) return false;
      if (window.__benchDone[condition] !== undefined) return true;
      if (!window.__benchHolds(condition)) return false;
      window.__benchDone[condition] = performance.now();
      return true;
    },
    condition,
    { polling: 'raf', timeout: timeoutMs },
  );
  done.catch(() => undefined); // the caller awaits it; this only keeps an early failure from going unhandled
  await page.waitForFunction((condition) => window.__benchArmed[condition] === true, condition);
  return { done }; // wrapped: an async function returning the promise itself would wait for it
}

/** Milliseconds from the start mark to each completed condition, in the page clock. */
export function elapsedSinceStart(page) {
  return page.evaluate(() => Object.fromEntries(Object.entries(window.__benchDone).map(([k, t]) => [k, t - window.__benchStart])));
}

/** Opens a project from the home page by its link and waits until it is usable (a listed image, an image on the canvas). */
export async function openProject(page, name) {
  await openHome(page);
  await page.getByRole('link', { name, exact: true }).click();
  await page.waitForFunction(() => !!document.querySelector('[aria-label="Images"] > li') && !!document.querySelector('[aria-label="Annotation canvas"]')?.getAttribute('data-shown-image'), null, { polling: 'raf', timeout: 60_000 });
}

/**
 * Marks `locator`'s element as the one whose event starts the clock (see `markStartOn`), for
 * controls that have no selector of their own, e.g. a dialog's "Download" button.
 */
export async function markStartAt(page, locator, type) {
  await page.evaluate(() => document.querySelectorAll('[data-bench-start]').forEach((el) => el.removeAttribute('data-bench-start')));
  await locator.evaluate((el) => el.setAttribute('data-bench-start', ''));
  await markStartOn(page, type, '[data-bench-start]');
}

/** Chooses files in the "Import images" file chooser, as a user picking them would. */
export async function chooseImages(page, paths) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import images' }).click();
  await (await chooser).setFiles(paths);
}

/** The import report's summary line, e.g. "Import finished: 1,000 images imported." */
export function importSummary(page) {
  const report = page.getByRole('region', { name: 'Import report' });
  return report.getByRole('status').or(report.getByRole('alert')).first().textContent();
}

/**
 * From the next page load on, timestamps (page clock) every rpc message that the page's workers
 * post (src/workers/rpc.ts: `progress` with its label, `done`, `failed`), into
 * window.__benchWorkerLog as `{t, worker, kind, label}`, so a scenario can split a worker job into
 * its phases without changing the app: the listener is added as each Worker is constructed,
 * before the app's own.
 */
export function recordWorkerMessages(context) {
  return context.addInitScript(() => {
    const Native = window.Worker;
    window.__benchWorkerLog = [];
    window.Worker = class extends Native {
      constructor(url, options) {
        super(url, options);
        const worker = options?.name ?? String(url);
        this.addEventListener('message', (e) => {
          const d = e.data;
          if (d && typeof d === 'object' && typeof d.rpc === 'string') window.__benchWorkerLog.push({ t: performance.now(), worker, kind: d.rpc, label: d.progress?.label ?? null });
        });
      }
    };
  });
}

/** Empties the log of `recordWorkerMessages`. */
export function clearWorkerMessages(page) {
  return page.evaluate(() => {
    window.__benchWorkerLog = [];
  });
}

/** The log of `recordWorkerMessages` since it was last cleared. */
export function workerMessages(page) {
  return page.evaluate(() => window.__benchWorkerLog);
}
