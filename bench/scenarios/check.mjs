// check-10k: the consistency checker on 10,000 images × 10 boxes × 2 annotators (200,000 shapes),
// through the UI: Run check → the Issues table shows the report; then one edit (an image's split)
// → the report follows it. The main thread's longest task is recorded throughout.
import { createProject, elapsedSinceStart, frameWhen, markStartOn, openHome } from '../app.mjs';
import { withProfile } from '../browser.mjs';
import { writeFileSync } from 'node:fs';
import { collect, collectSeedGarbage, openCdp, watchWorkers } from '../metrics.mjs';

const IMAGES = 10_000;
const PER_IMAGE = 10;
const ANNOTATORS = ['ana', 'bruno'];
const CLASSES = ['car', 'person', 'bicycle'];
const SIZE = { width: 1280, height: 720 };
const PROJECT = 'Bench check';

/**
 * Runs in the page: writes IMAGES image records (80/10/10 splits, random perceptual hashes, so
 * a handful of near duplicates) and, for each, PER_IMAGE boxes by the first annotator and the
 * same boxes by the second, moved by up to ±3 px with one class in twenty changed, straight into
 * IndexedDB in Tally's persisted format. No image bytes: the checker reads records only.
 * Self-contained (a seeded PRNG, no imports).
 */
async function seed({ name, images, perImage, annotators, classes, size }) {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const hex = (digits) => Array.from({ length: digits }, () => Math.floor(rand() * 16).toString(16)).join('');
  const request = (req) =>
    new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const db = await request(indexedDB.open('tally'));
  const project = (await request(db.transaction('projects').objectStore('projects').getAll())).find((p) => p.name === name);
  const classIds = classes.map(() => crypto.randomUUID());
  const colors = ['#e6194b', '#3cb44b', '#4363d8'];
  const now = Date.now();
  // One layer per annotator (schema 4: shapes point at their layer); since schema 5 each layer's
  // shapes on an image are one shape log entry.
  const layerIds = annotators.map(() => crypto.randomUUID());
  for (let start = 0; start < images; start += 500) {
    const tx = db.transaction(['projects', 'images', 'shapeLog', 'layers'], 'readwrite');
    if (start === 0) annotators.forEach((annotator, a) => tx.objectStore('layers').put({ id: layerIds[a], projectId: project.id, name: annotator, kind: 'annotator', revision: 1, createdAt: now + a, updatedAt: now + a }));
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    if (start === 0) tx.objectStore('projects').put({ ...project, classes: classes.map((c, i) => ({ id: classIds[i], name: c, color: colors[i], attributes: [] })) });
    for (let i = start; i < Math.min(images, start + 500); i++) {
      const id = crypto.randomUUID();
      tx.objectStore('images').put({
        id,
        projectId: project.id,
        fileName: `img${String(i).padStart(5, '0')}.jpg`,
        relativePath: `img${String(i).padStart(5, '0')}.jpg`,
        width: size.width,
        height: size.height,
        byteSize: 100_000,
        mimeType: 'image/jpeg',
        sha256: hex(64),
        phash: hex(16),
        phashMirrored: hex(16),
        dhash: hex(16),
        split: i % 10 === 8 ? 'val' : i % 10 === 9 ? 'test' : 'train',
        status: 'done',
        seq: i,
        addedAt: now,
        annotationCount: perImage * annotators.length,
      });
      const byLayer = annotators.map(() => []);
      for (let k = 0; k < perImage; k++) {
        const w = 20 + Math.floor(rand() * 200);
        const h = 20 + Math.floor(rand() * 200);
        const x = Math.floor(rand() * (size.width - w - 6)) + 3;
        const y = Math.floor(rand() * (size.height - h - 6)) + 3;
        const c = Math.floor(rand() * classes.length);
        annotators.forEach((annotator, a) => {
          const jitter = () => (a === 0 ? 0 : Math.round((rand() - 0.5) * 6));
          const cls = a > 0 && rand() < 0.05 ? (c + 1) % classes.length : c;
          byLayer[a].push({
            id: crypto.randomUUID(),
            projectId: project.id,
            imageId: id,
            layerId: layerIds[a],
            revision: 1,
            classId: classIds[cls],
            shape: { kind: 'box', x: x + jitter(), y: y + jitter(), w, h },
            attributes: {},
            source: 'imported',
            createdAt: now + i * 100 + k * 2 + a,
            updatedAt: now,
          });
        });
      }
      byLayer.forEach((shapes, a) => {
        shapes.sort((p, q) => (p.id < q.id ? -1 : 1));
        const classKeys = [...new Set(shapes.map((x) => x.classId))].sort().map((c) => [project.id, c]);
        tx.objectStore('shapeLog').put({ projectId: project.id, imageId: id, layerId: layerIds[a], seq: now * 1000 + i, shapes, removed: [], classKeys });
      });
    }
    await done;
  }
  db.close();
}

/** From here on, the longest main-thread task (PerformanceObserver 'longtask': tasks over 50 ms) in window.__benchLongest. */
function watchLongTasks() {
  window.__benchLongest = 0;
  window.__benchLong = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__benchLongest = Math.max(window.__benchLongest, e.duration);
      window.__benchLong.push([Math.round(e.startTime), Math.round(e.duration)]);
    }
  }).observe({ type: 'longtask', buffered: false });
}

async function runOnce(baseURL) {
  return withProfile(baseURL, async (page, context) => {
    await openHome(page);
    await createProject(page, PROJECT);
    await page.evaluate(seed, { name: PROJECT, images: IMAGES, perImage: PER_IMAGE, annotators: ANNOTATORS, classes: CLASSES, size: SIZE });
    await page.reload();
    await collectSeedGarbage(context, page);
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="Images"] > li').length > 0, null, { timeout: 120_000 });
    // The worker reads the project ahead of a check once it opens; a check clicked earlier waits for it.
    const readAhead = await page.waitForFunction(() => document.querySelector('[data-check-read-ms]')?.getAttribute('data-check-read-ms'), null, { timeout: 300_000 });
    const readAheadMs = Number(await readAhead.jsonValue());
    await page.evaluate(watchLongTasks);
    page.on('console', (m) => m.text().startsWith('check:') && console.error(m.text()));

    // The full check: the click on Run check → the first frame showing the report.
    await markStartOn(page, 'click', 'button[aria-label="Run check"]');
    const full = await frameWhen(page, 'checkDone', 120_000);
    await page.getByRole('button', { name: 'Run check' }).click();
    await full.done;
    const { checkDone: fullCheckMs } = await elapsedSinceStart(page);
    const panel = page.getByRole('region', { name: 'Consistency check' });
    const workerFullMs = Number(await panel.getAttribute('data-check-ms'));
    const longestDuringCheckMs = await page.evaluate(() => window.__benchLongest);
    if (process.env.LONG_TASKS) console.error('LONG', JSON.stringify(await page.evaluate(() => ({ start: window.__benchStart, done: window.__benchDone, long: window.__benchLong }))));
    await page.evaluate(() => (window.__benchLongest = 0));

    // One edit: the open image's split changes → the report follows it.
    await page.evaluate(() => {
      window.__benchCheckVersion = Number(document.querySelector('[aria-label="Consistency check"]').getAttribute('data-check-version'));
    });
    // CHECK_WORKER_PROFILE=<file>: a CPU profile of the check worker over the edit and its re-check.
    const workers = process.env.CHECK_WORKER_PROFILE ? await watchWorkers(await openCdp(context, page)) : null;
    if (workers) {
      for (let i = 0; i < 50 && !(await workers.heap(/check/)); i++) await new Promise((r) => setTimeout(r, 100));
      await workers.send(/check/, 'Profiler.enable');
      await workers.send(/check/, 'Profiler.setSamplingInterval', { interval: 100 });
      await workers.send(/check/, 'Profiler.start');
    }
    await markStartOn(page, 'change', 'select[aria-label="Split"]');
    const again = await frameWhen(page, 'recheckDone', 60_000);
    const split = page.getByRole('combobox', { name: 'Split' });
    await split.selectOption((await split.inputValue()) === 'val' ? 'test' : 'val');
    await again.done;
    const { recheckDone: editToReportMs } = await elapsedSinceStart(page);
    if (workers) writeFileSync(process.env.CHECK_WORKER_PROFILE, JSON.stringify((await workers.send(/check/, 'Profiler.stop')).profile));
    const workerRecheckMs = Number(await panel.getAttribute('data-check-ms'));
    const longestDuringEditMs = await page.evaluate(() => window.__benchLongest);
    return { readAheadMs, fullCheckMs, workerFullMs, workerRecheckMs, editToReportMs, longestDuringCheckMs, longestDuringEditMs };
  });
}

export const check10k = {
  name: 'check-10k',
  needs: [],
  async run({ baseURL, runs, log }) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const r = await runOnce(baseURL);
      log(
        `check-10k run ${i + 1}/${runs}: read ahead ${r.readAheadMs} ms, full ${r.fullCheckMs.toFixed(0)} ms (worker ${r.workerFullMs}), re-check ${r.workerRecheckMs} ms in the worker, ${r.editToReportMs.toFixed(0)} ms edit → report, longest task ${r.longestDuringCheckMs.toFixed(0)} ms during the check, ${r.longestDuringEditMs.toFixed(0)} ms during the edit`,
      );
      results.push(r);
    }
    return { data: { images: IMAGES, shapes: IMAGES * PER_IMAGE * ANNOTATORS.length, annotators: ANNOTATORS.length }, values: collect(results) };
  },
  figures: {
    /** The worker reads the project (200,000 shapes) from IndexedDB, in the background, once it opens. */
    readAheadMs: { unit: 'ms', target: null, digits: 0 },
    /** Click on Run check → the report on screen, the project read ahead. */
    fullCheckMs: { unit: 'ms', target: 2000, digits: 0 },
    /** The same, as the worker counts it. */
    workerFullMs: { unit: 'ms', target: null, digits: 0 },
    /** The incremental re-check after one edit, in the worker (re-read of the touched image + check). */
    workerRecheckMs: { unit: 'ms', target: 100, digits: 0 },
    /** The edit → the updated report on screen (the save, a short wait for more edits, the re-check). */
    editToReportMs: { unit: 'ms', target: null, digits: 0 },
    /** The longest main-thread task while the check ran (0: none over 50 ms). */
    longestDuringCheckMs: { unit: 'ms', target: 50, digits: 0 },
    /** The longest main-thread task from the edit to the updated report (the edit's own render included). */
    longestDuringEditMs: { unit: 'ms', target: 50, digits: 0 },
  },
};
