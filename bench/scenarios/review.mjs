// review-10k: Review on 10,000 images × 10 objects × 3 annotators (about 300,000 shapes), through
// the UI: the Review button → the agreement figures and the review queue on screen; then the
// queue's first (worst) image chosen → drawn on the canvas with its disagreements listed in the
// Annotations panel. The main thread's longest task is recorded throughout.
import { writeFileSync } from 'node:fs';
import { createProject, elapsedSinceStart, frameWhen, markStartAt, markStartOn, openHome } from '../app.mjs';
import { withProfile } from '../browser.mjs';
import { collect, collectSeedGarbage, openCdp, watchWorkers } from '../metrics.mjs';

const IMAGES = 10_000;
const PER_IMAGE = 10;
const ANNOTATORS = ['ana', 'bruno', 'chen'];
const CLASSES = ['car', 'person', 'bicycle'];
const SIZE = { width: 1280, height: 720 };
const PROJECT = 'Bench review';

/**
 * Runs in the page: writes IMAGES image records and, for each, PER_IMAGE objects drawn by every
 * annotator — the first annotator's box as it is, the others' moved by up to ±3 px — with, per
 * annotator after the first, one class in twenty changed, one object in thirty left out (missing)
 * and one image in ten with an extra box of their own; straight into IndexedDB in Tally's
 * persisted format (schema 4: one layer per annotator, shapes pointing at it). No image bytes.
 * Self-contained (a seeded PRNG, no imports). Returns the number of shapes written and the first image's id.
 */
async function seed({ name, images, perImage, annotators, classes, size }) {
  let s = 424242;
  // mulberry32 (a full 2^32 period: hashes do not repeat, which the unique sha256 index refuses).
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
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
  const layerIds = annotators.map(() => crypto.randomUUID());
  let written = 0;
  let firstImage = null;
  for (let start = 0; start < images; start += 500) {
    const tx = db.transaction(['projects', 'images', 'shapeLog', 'layers'], 'readwrite');
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = (e) => reject(e.target.error ?? tx.error);
    });
    if (start === 0) {
      annotators.forEach((annotator, a) => tx.objectStore('layers').put({ id: layerIds[a], projectId: project.id, name: annotator, kind: 'annotator', revision: 1, createdAt: now + a, updatedAt: now + a }));
      tx.objectStore('projects').put({ ...project, classes: classes.map((c, i) => ({ id: classIds[i], name: c, color: colors[i], attributes: [] })) });
    }
    for (let i = start; i < Math.min(images, start + 500); i++) {
      const id = crypto.randomUUID();
      firstImage ??= id;
      const shapes = [];
      const add = (a, cls, box, k) =>
        shapes.push({
          id: crypto.randomUUID(),
          projectId: project.id,
          imageId: id,
          layerId: layerIds[a],
          revision: 1,
          classId: classIds[cls],
          shape: { kind: 'box', ...box },
          attributes: {},
          source: 'imported',
          createdAt: now + i * 100 + k * 3 + a,
          updatedAt: now,
        });
      const randomBox = () => {
        const w = 20 + Math.floor(rand() * 200);
        const h = 20 + Math.floor(rand() * 200);
        return { x: Math.floor(rand() * (size.width - w - 6)) + 3, y: Math.floor(rand() * (size.height - h - 6)) + 3, w, h };
      };
      for (let k = 0; k < perImage; k++) {
        const { x, y, w, h } = randomBox();
        const c = Math.floor(rand() * classes.length);
        annotators.forEach((_, a) => {
          if (a > 0 && rand() < 1 / 30) return; // missing from this annotator
          const jitter = () => (a === 0 ? 0 : Math.round((rand() - 0.5) * 6));
          const cls = a > 0 && rand() < 0.05 ? (c + a) % classes.length : c;
          add(a, cls, { x: x + jitter(), y: y + jitter(), w, h }, k);
        });
      }
      annotators.forEach((_, a) => {
        if (a > 0 && rand() < 0.1) add(a, Math.floor(rand() * classes.length), randomBox(), perImage); // an extra box
      });
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
        annotationCount: shapes.length,
      });
      // Schema 5: each layer's shapes on an image are one shape log entry.
      layerIds.forEach((layerId) => {
        const mine = shapes.filter((x) => x.layerId === layerId).sort((p, q) => (p.id < q.id ? -1 : 1));
        const classKeys = [...new Set(mine.map((x) => x.classId))].sort().map((c) => [project.id, c]);
        if (mine.length > 0) tx.objectStore('shapeLog').put({ projectId: project.id, imageId: id, layerId, seq: now * 1000 + i, shapes: mine, removed: [], classKeys });
      });
      written += shapes.length;
    }
    await done;
  }
  db.close();
  return { written, firstImage };
}

/**
 * Runs in the page: stores a photo-sized JPEG (1280 × 720, gradient, translucent boxes and noise,
 * about 100 KB like the bench's other images) as the bytes of image `imageId` of the project, as
 * the import would. The seed writes records only (10,000 images' bytes would be a gigabyte), so
 * each image the scenario opens gets its bytes this way first. Returns the image's shape count.
 */
async function storeImageBytes({ name, imageId }) {
  const request = (req) =>
    new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  let s = 77;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const canvas = new OffscreenCanvas(1280, 720);
  const g = canvas.getContext('2d');
  const gradient = g.createLinearGradient(0, 0, 1280, 720);
  gradient.addColorStop(0, '#4a6b8a');
  gradient.addColorStop(1, '#c9b48f');
  g.fillStyle = gradient;
  g.fillRect(0, 0, 1280, 720);
  for (let k = 0; k < 80; k++) {
    g.fillStyle = `hsla(${Math.floor(rand() * 360)}, 60%, 50%, 0.4)`;
    g.fillRect(rand() * 1280, rand() * 720, 20 + rand() * 200, 20 + rand() * 200);
  }
  const pixels = g.getImageData(0, 0, 1280, 720);
  for (let i = 0; i < pixels.data.length; i += 4) {
    const n = (rand() - 0.5) * 12;
    pixels.data[i] += n;
    pixels.data[i + 1] += n;
    pixels.data[i + 2] += n;
  }
  g.putImageData(pixels, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
  const db = await request(indexedDB.open('tally'));
  const project = (await request(db.transaction('projects').objectStore('projects').getAll())).find((p) => p.name === name);
  const tx = db.transaction(['imageBlobs', 'images'], 'readwrite');
  tx.objectStore('imageBlobs').put({ projectId: project.id, imageId, blob });
  const record = await request(tx.objectStore('images').get([project.id, imageId]));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  return { bytes: blob.size, shapes: record.annotationCount };
}

/**
 * Before the app loads: every answer of a worker to an `agreement` call is kept (window.__benchAgreement,
 * with the page-clock time it arrived, window.__benchAgreementAt), so the scenario reads the worker's
 * own compute time and the queue from the reply the app gets. The listener is added
 * as each Worker is constructed, before the app's own; it reads the same deserialized message.
 */
function keepAgreementReplies() {
  const Native = window.Worker;
  const calls = new Set();
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      const post = this.postMessage.bind(this);
      this.postMessage = (message, transfer) => {
        if (message && message.rpc === 'call' && message.kind === 'agreement') {
          calls.add(message.id);
          window.__benchAgreementSentAt = performance.now();
        }
        return post(message, transfer);
      };
      this.addEventListener('message', (e) => {
        const d = e.data;
        if (d && d.rpc === 'done' && calls.has(d.id)) {
          window.__benchAgreementAt = performance.now();
          window.__benchAgreement = d.result;
        }
      });
    }
  };
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

async function runOnce(baseURL, shot) {
  return withProfile(baseURL, async (page, context) => {
    await context.addInitScript(keepAgreementReplies);
    await openHome(page);
    await createProject(page, PROJECT);
    const { written: shapes, firstImage } = await page.evaluate(seed, { name: PROJECT, images: IMAGES, perImage: PER_IMAGE, annotators: ANNOTATORS, classes: CLASSES, size: SIZE });
    await page.evaluate(storeImageBytes, { name: PROJECT, imageId: firstImage }); // the image the project opens on
    await page.reload();
    await collectSeedGarbage(context, page);
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="Images"] > li').length > 0, null, { timeout: 120_000 });
    // The check worker reads the project ahead once it opens; Review clicked earlier waits for it.
    const readAhead = await page.waitForFunction(() => document.querySelector('[data-check-read-ms]')?.getAttribute('data-check-read-ms'), null, { timeout: 300_000 });
    const readAheadMs = Number(await readAhead.jsonValue());
    await page.evaluate(watchLongTasks);

    // REVIEW_PROFILE=<file>: a CPU profile of the page's main thread from the click to the figures (and 1 s after).
    const cdp = process.env.REVIEW_PROFILE ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }

    // REVIEW_WORKER_PROFILE=<file>: a CPU profile of the check worker over the same span.
    const workers = process.env.REVIEW_WORKER_PROFILE ? await watchWorkers(await openCdp(context, page)) : null;
    if (workers) {
      for (let i = 0; i < 50; i++) {
        if (await workers.heap(/check/)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await workers.send(/check/, 'Profiler.enable');
      await workers.send(/check/, 'Profiler.setSamplingInterval', { interval: 100 });
      await workers.send(/check/, 'Profiler.start');
    }

    // REVIEW_TRACE=<file>: a Chromium trace (DevTools' Performance panel) of the page over the same span.
    const tracer = process.env.REVIEW_TRACE ? await context.newCDPSession(page) : null;
    const traceEvents = [];
    if (tracer) {
      tracer.on('Tracing.dataCollected', (e) => traceEvents.push(...e.value));
      await tracer.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8', 'toplevel'] } });
    }

    // The Review button → the first frame showing the figures and the queue.
    await markStartOn(page, 'click', 'button[title^="Where annotators disagree"]');
    const shown = await frameWhen(page, 'reviewShown', 120_000);
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await shown.done;
    const { reviewShown: reviewMs } = await elapsedSinceStart(page);
    if (cdp) {
      await page.waitForTimeout(1000);
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(process.env.REVIEW_PROFILE, JSON.stringify(profile));
    }
    if (tracer) {
      const complete = new Promise((resolve) => tracer.once('Tracing.tracingComplete', resolve));
      await tracer.send('Tracing.end');
      await complete;
      writeFileSync(process.env.REVIEW_TRACE, JSON.stringify({ traceEvents }));
    }
    if (workers) {
      await page.waitForTimeout(1000);
      const { profile } = await workers.send(/check/, 'Profiler.stop');
      writeFileSync(process.env.REVIEW_WORKER_PROFILE, JSON.stringify(profile));
    }
    const reply = await page.evaluate(() => ({
      elapsedMs: window.__benchAgreement.elapsedMs,
      readMs: window.__benchAgreement.readMs,
      sentMs: window.__benchAgreementSentAt - window.__benchStart,
      arrivedMs: window.__benchAgreementAt - window.__benchStart,
      images: window.__benchAgreement.report.packed.meanF1.length, // the summary as packed for the trip (workers/agreementTransport.ts)
    }));
    const longestDuringReviewMs = await page.evaluate(() => window.__benchLongest);
    if (process.env.LONG_TASKS) console.error('LONG', JSON.stringify(await page.evaluate(() => ({ start: window.__benchStart, done: window.__benchDone, long: window.__benchLong }))));
    if (shot) await page.screenshot({ path: `${shot}-figures.png` });
    // REVIEW_DUMP=<file>: the page's HTML with the figures shown, to study their layout offline.
    if (process.env.REVIEW_DUMP) writeFileSync(process.env.REVIEW_DUMP, await page.evaluate(() => document.documentElement.outerHTML));
    await page.evaluate(() => (window.__benchLongest = 0));

    // The queue's first (worst) image → drawn on the canvas with its disagreements listed.
    const first = page.getByRole('table').filter({ has: page.locator('caption', { hasText: 'Review queue' }) }).locator('tbody tr').first().getByRole('button');
    const imageId = await page.evaluate(() => {
      const { packed } = window.__benchAgreement.report;
      return packed.ids.split('\n')[packed.queue[0]];
    });
    const { shapes: imageShapes } = await page.evaluate(storeImageBytes, { name: PROJECT, imageId });
    await page.evaluate((want) => (window.__benchReviewImage = want), { imageId, shapes: imageShapes });
    await page.evaluate(() => (window.__benchLongest = 0));
    await markStartAt(page, first, 'click');
    const drawn = await frameWhen(page, 'reviewImageShown', 60_000);
    await first.click();
    await drawn.done.catch(async (e) => {
      const state = await page.evaluate(() => {
        const canvas = document.querySelector('[aria-label="Annotation canvas"]');
        return {
          want: window.__benchReviewImage,
          shown: canvas?.getAttribute('data-shown-image'),
          painted: canvas?.getAttribute('data-painted-shapes'),
          dialog: !!document.querySelector('dialog[open]'),
          rows: document.querySelectorAll('[aria-label="Disagreements"] [aria-label="Objects by annotator"] > li').length,
        };
      });
      if (shot) await page.screenshot({ path: `${shot}-failed.png` });
      throw new Error(`the first queue image was not shown with its disagreements: ${JSON.stringify(state)} (${e.message})`);
    });
    const { reviewImageShown: firstImageMs } = await elapsedSinceStart(page);
    const longestDuringImageMs = await page.evaluate(() => window.__benchLongest);
    if (shot) await page.screenshot({ path: `${shot}-image.png` });
    return { shapes, figures: { readAheadMs, reviewMs, workerAgreementMs: reply.elapsedMs, callSentMs: reply.sentMs, workerReadMs: reply.readMs, replyArrivedMs: reply.arrivedMs, longestDuringReviewMs, firstImageMs, longestDuringImageMs }, compared: reply.images };
  });
}

export const review10k = {
  name: 'review-10k',
  needs: [],
  async run({ baseURL, runs, log }) {
    const results = [];
    let shapes = 0;
    let compared = 0;
    for (let i = 0; i < runs; i++) {
      const r = await runOnce(baseURL, i === 0 ? process.env.REVIEW_SHOT : undefined);
      const f = r.figures;
      shapes = r.shapes;
      compared = r.compared;
      log(
        `review-10k run ${i + 1}/${runs}: read ahead ${f.readAheadMs} ms, Review → figures ${f.reviewMs.toFixed(0)} ms (call sent at ${f.callSentMs.toFixed(0)} ms, worker read ${f.workerReadMs?.toFixed(0)} ms + compare ${f.workerAgreementMs.toFixed(0)} ms, reply at ${f.replyArrivedMs.toFixed(0)} ms), longest task ${f.longestDuringReviewMs.toFixed(0)} ms; first queue image drawn with its disagreements ${f.firstImageMs.toFixed(0)} ms, longest task ${f.longestDuringImageMs.toFixed(0)} ms`,
      );
      results.push(f);
    }
    return { data: { images: IMAGES, objectsPerImage: PER_IMAGE, annotators: ANNOTATORS.length, shapes, imagesCompared: compared }, values: collect(results) };
  },
  figures: {
    /** The worker reads the project (about 300,000 shapes) from IndexedDB, in the background, once it opens. */
    readAheadMs: { unit: 'ms', target: null, digits: 0 },
    /** Click on Review → the figures and the queue on screen, the project read ahead. */
    reviewMs: { unit: 'ms', target: 2000, digits: 0 },
    /** Of it, the comparison in the worker (its own count, from its reply). */
    callSentMs: { unit: 'ms', target: null, digits: 0 },
    workerReadMs: { unit: 'ms', target: null, digits: 0 },
    workerAgreementMs: { unit: 'ms', target: null, digits: 0 },
    /** Click → the worker's reply received by the page (the comparison, plus the reply's structured clone). */
    replyArrivedMs: { unit: 'ms', target: null, digits: 0 },
    /** The longest main-thread task from the click to the figures on screen (0: none over 50 ms). */
    longestDuringReviewMs: { unit: 'ms', target: 50, digits: 0 },
    /** Click on the queue's first image → that image drawn on the canvas with its disagreements listed. */
    firstImageMs: { unit: 'ms', target: 300, digits: 0 },
    /** The longest main-thread task while the first image opens. */
    longestDuringImageMs: { unit: 'ms', target: null, digits: 0 },
  },
};
