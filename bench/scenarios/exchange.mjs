// exchange: export 1,000 images × 10 boxes as YOLO, Pascal VOC and COCO (click → download), import
// each zip back into a project holding the same 1,000 images (read + plan, then store), and export
// 10,000 images with their bytes (click → download, peak JS heap of the page and of the worker).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { clearWorkerMessages, createProject, elapsedSinceStart, frameWhen, markStartAt, markStartOn, openHome, openProject, recordWorkerMessages, workerMessages } from '../app.mjs';
import { firstPage, launchProfile, tempDir, withProfile } from '../browser.mjs';
import { collect, heapAfterGcMB, openCdp, sampleHeaps, watchWorkers } from '../metrics.mjs';
import { timedImport } from './import.mjs';
import { prng } from './manyShapes.mjs';
import { PROJECT_NAME as BIG_PROJECT, seedBigProject } from './open10k.mjs';

const SOURCE = 'Bench exchange';
const BOXES_PER_IMAGE = 10;
const IMAGE = { width: 1280, height: 720 };
const MIN_SIDE = 10;
const MAX_SIDE = 120;
const SEED = 4_000_001;
export const ANNOTATOR = 'bench';
export const CLASSES = [
  { name: 'car', color: '#e6194b' },
  { name: 'person', color: '#3cb44b' },
  { name: 'sign', color: '#4363d8' },
];
/** The formats timed, the project each is imported back into, and how to count the zip's label rows. */
/** How long the second export of each format waits after the preview is shown (a user reading it). */
const READING_MS = 2_000;
const FORMATS = [
  { key: 'yolo', label: 'YOLO', target: 'Bench import YOLO', rows: yoloRows },
  { key: 'voc', label: 'Pascal VOC', target: 'Bench import VOC', rows: vocRows },
  { key: 'coco', label: 'COCO', target: 'Bench import COCO', rows: cocoRows },
];
const BIG_FORMAT = 'Tally';
/**
 * TALLY_BENCH_EXCHANGE_QUICK=1 (while developing only): no 10,000-image project and no export of
 * it, so a run takes a minute, not five; its figures come out as NaN. The figures in
 * docs/PERFORMANCE.md are from full runs.
 */
const QUICK = process.env.TALLY_BENCH_EXCHANGE_QUICK === '1';
const EXCHANGE_WORKER = /exchange/;

function yoloRows(files) {
  let rows = 0;
  for (const [path, data] of files) {
    if (!/^labels\/.*\.txt$/.test(path)) continue;
    for (const line of strFromU8(data).split('\n')) {
      if (line.trim() === '') continue;
      if (line.trim().split(/\s+/).length !== 5) throw new Error(`${path}: "${line}" is not a YOLO box row`);
      rows++;
    }
  }
  return rows;
}

function vocRows(files) {
  let rows = 0;
  for (const [path, data] of files) if (/^Annotations\/.*\.xml$/.test(path)) rows += strFromU8(data).match(/<object>/g)?.length ?? 0;
  return rows;
}

function cocoRows(files) {
  let rows = 0;
  for (const [path, data] of files) if (/^annotations\/.*\.json$/.test(path)) rows += JSON.parse(strFromU8(data)).annotations.length;
  return rows;
}

/** BOXES_PER_IMAGE boxes per image as [x, y, w, h, classIndex], whole pixels, each inside the image. */
export function makeBoxes(images) {
  const rand = prng(SEED);
  const side = () => MIN_SIDE + Math.floor(rand() * (MAX_SIDE - MIN_SIDE + 1));
  const boxes = [];
  for (let i = 0; i < images * BOXES_PER_IMAGE; i++) {
    const w = side();
    const h = side();
    boxes.push([Math.floor(rand() * (IMAGE.width - w + 1)), Math.floor(rand() * (IMAGE.height - h + 1)), w, h, Math.floor(rand() * CLASSES.length)]);
  }
  return boxes;
}

/**
 * Runs in the page: in the project named `project` (its images in import order, all
 * IMAGE-sized), writes the classes into the project record, gives the images splits (every 10th
 * val, the one after it test, the rest train, as an 80/10/10 split would), and writes
 * `perImage` boxes on each image straight into IndexedDB in Tally's persisted format, with each
 * image record's annotationCount and status kept consistent. Self-contained.
 */
export async function seedAnnotations({ project: name, boxes, perImage, classes, annotator, size }) {
  const request = (req) =>
    new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const db = await request(indexedDB.open('tally'));
  try {
    const tx = db.transaction(['projects', 'images', 'shapeLog', 'layers'], 'readwrite');
    const committed = new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('the seeding transaction was aborted'));
    });
    const project = (await request(tx.objectStore('projects').getAll())).find((p) => p.name === name);
    if (!project) throw new Error(`no project ${name}`);
    if (project.classes.length !== 0) throw new Error(`${name} already has classes`);
    const range = IDBKeyRange.bound([project.id], [project.id, []]);
    const images = (await request(tx.objectStore('images').getAll(range))).sort((a, b) => a.seq - b.seq);
    if (images.length * perImage !== boxes.length) throw new Error(`${images.length} images in ${name}, expected ${boxes.length / perImage}`);
    const odd = images.find((i) => i.width !== size.width || i.height !== size.height);
    if (odd) throw new Error(`${odd.fileName} is ${odd.width}×${odd.height}, not ${size.width}×${size.height}`);
    const existing = await request(tx.objectStore('shapeLog').count(range));
    if (existing !== 0) throw new Error(`${name} already has ${existing} shape log entries`);

    const now = Date.now();
    const classIds = classes.map(() => crypto.randomUUID());
    tx.objectStore('projects').put({ ...project, classes: classes.map((c, i) => ({ id: classIds[i], name: c.name, color: c.color, attributes: [] })), updatedAt: now });
    // The annotator's layer (schema 4: shapes point at their layer); each image's shapes are one shape log entry (schema 5).
    const layerId = crypto.randomUUID();
    tx.objectStore('layers').put({ id: layerId, projectId: project.id, name: annotator, kind: 'annotator', revision: 1, createdAt: now, updatedAt: now });
    const store = tx.objectStore('shapeLog');
    images.forEach((image, i) => {
      const shapes = [];
      const split = i % 10 === 8 ? 'val' : i % 10 === 9 ? 'test' : 'train';
      tx.objectStore('images').put({ ...image, split, annotationCount: perImage, status: 'in_progress' });
      for (let k = 0; k < perImage; k++) {
        const [x, y, w, h, c] = boxes[i * perImage + k];
        const at = now - boxes.length + i * perImage + k;
        shapes.push({
          id: crypto.randomUUID(),
          projectId: project.id,
          imageId: image.id,
          layerId,
          revision: 1,
          classId: classIds[c],
          shape: { kind: 'box', x, y, w, h },
          attributes: {},
          source: 'imported',
          createdAt: at,
          updatedAt: at,
        });
      }
      shapes.sort((p, q) => (p.id < q.id ? -1 : 1));
      const classKeys = [...new Set(shapes.map((x) => x.classId))].sort().map((c) => [project.id, c]);
      store.put({ projectId: project.id, imageId: image.id, layerId, seq: now * 1000 + i, shapes, removed: [], classKeys });
    });
    await committed;
  } finally {
    db.close();
  }
}

/** Runs in the page: how many annotations the project named `name` holds, in all and by `annotator`. Self-contained. */
async function countAnnotations({ name, annotator }) {
  const request = (req) =>
    new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const db = await request(indexedDB.open('tally'));
  try {
    const tx = db.transaction(['projects', 'shapeLog', 'layers']);
    const project = (await request(tx.objectStore('projects').getAll())).find((p) => p.name === name);
    const log = await request(tx.objectStore('shapeLog').getAll(IDBKeyRange.bound([project.id], [project.id, []])));
    // The shape log replayed (entries in key order; the last word on an id counts).
    const folded = new Map();
    for (const e of log) {
      for (const id of e.removed) folded.delete(`${e.imageId}/${e.layerId}/${id}`);
      for (const a of e.shapes) folded.set(`${e.imageId}/${e.layerId}/${a.id}`, a);
    }
    const all = [...folded.values()];
    const layers = await request(tx.objectStore('layers').getAll(IDBKeyRange.bound([project.id], [project.id, []])));
    const theirs = new Set(layers.filter((l) => l.name === annotator).map((l) => l.id));
    const classIds = new Set(project.classes.map((c) => c.id));
    return { all: all.length, byAnnotator: all.filter((a) => theirs.has(a.layerId)).length, withKnownClass: all.filter((a) => classIds.has(a.classId)).length, classes: project.classes.length };
  } finally {
    db.close();
  }
}

/**
 * The profile every run starts from, seeded once: the open-10k project (10,000 thumbnails through
 * the UI, by open10k's own helper), then, in the same profile, SOURCE with the 1,000 photos through
 * the UI and 10 boxes per photo written into IndexedDB, and one empty project per format with the
 * same 1,000 photos, to import into.
 */
async function seedProfile(baseURL, { small, large }, log) {
  log(QUICK ? 'exchange: quick mode, without the 10,000-image project' : `exchange: seeding ${small.length} thumbnails (open-10k's project)…`);
  const seed = QUICK ? { ...tempDir('tally-bench-seed-'), seed10kImportMs: NaN } : await seedBigProject(baseURL, small);
  log(`exchange: 10k seeded in ${(seed.seed10kImportMs / 1000).toFixed(1)} s; adding ${FORMATS.length + 1} projects of ${large.length} photos…`);
  try {
    const context = await launchProfile(seed.dir, baseURL);
    try {
      const page = await firstPage(context);
      for (const name of [SOURCE, ...FORMATS.map((f) => f.target)]) {
        await openHome(page);
        await createProject(page, name);
        await timedImport(page, large, 5 * 60_000);
      }
      await openHome(page); // off the project's screen before its records change underneath it
      await page.evaluate(seedAnnotations, { project: SOURCE, boxes: makeBoxes(large.length), perImage: BOXES_PER_IMAGE, classes: CLASSES, annotator: ANNOTATOR, size: IMAGE });
      const n = await page.evaluate(countAnnotations, { name: SOURCE, annotator: ANNOTATOR });
      if (n.byAnnotator !== large.length * BOXES_PER_IMAGE) throw new Error(`seeded ${n.byAnnotator} boxes, expected ${large.length * BOXES_PER_IMAGE}`);
    } finally {
      await context.close();
    }
    return seed;
  } catch (e) {
    seed.remove();
    throw e;
  }
}

/**
 * Page epoch time minus Node epoch time (ms), from the quickest of a few round trips: lets a
 * Node-side event (the browser's download event) be placed on the page's clock.
 */
async function clockOffset(page) {
  let best = null;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.timeOrigin + performance.now();
    const p = await page.evaluate(() => performance.timeOrigin + performance.now());
    const t1 = performance.timeOrigin + performance.now();
    if (!best || t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: p - (t0 + t1) / 2 };
  }
  return best.offset;
}

/**
 * Opens Export on the open project, picks `format` (layer ANNOTATOR unless it is the package,
 * images or not), and times the click on Download, in the page clock:
 * - downloadMs: until the browser's download event (Playwright's `download`, received in Node
 *   and placed on the page clock by `clockOffset`, within a fraction of a millisecond);
 * - handedMs: until the app's own `<a download>` click (the Blob is ready and handed over);
 * - verifiedMs: until the first frame showing "… Read back and verified.";
 * - phases, from the exchange worker's messages as the page receives them: readSerializeMs (the
 *   click → its "Writing the archive" progress: waiting for pending saves, reading the project
 *   from IndexedDB, building the dataset, preparing, serializing), zipMs (→ "Checking the
 *   archive": hashing and deflating the files, writing the zip into Blob parts) and verifyMs
 *   (→ "done": reading the zip back, parsing it, comparing).
 * The zip is saved into `saveDir` under its suggested name. `during` (optional; may return a promise) is started just before the click and stopped at the download event.
 * Returns those, the download, and what `during.stop()` returned.
 */
export async function timedExport(page, format, saveDir, { includeImages, during, readingMs = 0 } = {}) {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  const formatSelect = dialog.getByRole('combobox', { name: 'Format' });
  // The format is chosen last, after another one: its preview (and the archive made ahead 300 ms
  // after it) starts from the click on it, also for COCO, the dialog's first choice.
  await formatSelect.selectOption({ label: format === 'CSV' ? 'YOLO' : 'CSV' });
  if (format !== 'Tally') await dialog.getByRole('combobox', { name: 'Annotations from' }).selectOption({ label: ANNOTATOR });
  await dialog.getByRole('checkbox', { name: 'Include images' }).setChecked(includeImages ?? false);
  await formatSelect.selectOption({ label: format });
  const formatId = await formatSelect.inputValue();
  const button = dialog.getByRole('button', { name: 'Download' });
  await button.waitFor();
  await page.waitForFunction((el) => !el.disabled, await button.elementHandle());

  await markStartAt(page, button, 'click');
  await page.evaluate(() => {
    window.__benchHanded = undefined;
    const onClick = (e) => {
      if (!(e.target instanceof HTMLAnchorElement) || !e.target.hasAttribute('download')) return;
      window.__benchHanded = performance.now();
      document.removeEventListener('click', onClick, true);
    };
    document.addEventListener('click', onClick, true);
  });
  const verified = await frameWhen(page, 'exportVerified', 5 * 60_000);
  await clearWorkerMessages(page);
  const offset = await clockOffset(page);
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  const downloading = page.waitForEvent('download', { timeout: 5 * 60_000 }).then((download) => ({ download, at: performance.timeOrigin + performance.now() }));
  // The click comes once the dialog shows what this choice's zip will hold (a user reads it
  // first): at once (nothing else between), or after `readingMs` more of reading.
  await dialog.getByRole('region', { name: 'What the zip will hold' }).getByText(`-${formatId}-`).waitFor();
  if (readingMs > 0) await page.waitForTimeout(readingMs);
  const sampler = await during?.();
  await button.click();
  const { download, at } = await downloading;
  const sampled = await sampler?.stop();
  await verified.done;
  const { exportVerified } = await elapsedSinceStart(page);
  const { start, handed } = await page.evaluate(() => ({ start: window.__benchStart, handed: window.__benchHanded }));
  const downloadMs = at + offset - timeOrigin - start;
  const log = (await workerMessages(page)).filter((m) => EXCHANGE_WORKER.test(m.worker));
  // Each phase's first message after the one before it: a preview still answering
  // when the messages were cleared must not be taken for the export's (a negative verify phase).
  const first = (kind, label, after) => log.find((m) => m.kind === kind && (label === undefined || m.label === label) && m.t >= after)?.t;
  const writing = first('progress', 'Writing the archive', start);
  const checking = writing === undefined ? undefined : first('progress', 'Checking the archive', writing);
  const exported = checking === undefined ? undefined : first('done', undefined, checking);
  if (writing === undefined || checking === undefined || exported === undefined) throw new Error(`the exchange worker's messages lack a phase: ${JSON.stringify(log.slice(0, 5))}`);
  const phases = { readSerializeMs: writing - start, zipMs: checking - writing, verifyMs: exported - checking };
  const failed = await dialog.getByRole('alert').count();
  if (failed) throw new Error(`export ${format} failed: ${await dialog.getByRole('alert').textContent()}`);
  // Saved under the browser's own name (the download's file is a bare UUID, which Import
  // annotations would not know for a zip).
  const path = join(saveDir, download.suggestedFilename());
  await download.saveAs(path);
  await dialog.getByRole('button', { name: 'Close' }).click();
  return { downloadMs, handedMs: handed - start, verifiedMs: exportVerified, phases, path, sampled };
}

/** The zip at `path` unzipped (files only), its size and its manifest. */
function readZip(path) {
  const bytes = readFileSync(path);
  const files = new Map(Object.entries(unzipSync(new Uint8Array(bytes))).filter(([p]) => !p.endsWith('/')));
  const manifest = JSON.parse(strFromU8(files.get('manifest.json')));
  return { bytes: bytes.length, files, manifest };
}

/**
 * In the open project: chooses the zip at `path` in Import annotations and times, in the page
 * clock, the file input's `change` → first frame with the dialog's summary ("read + plan"; of
 * which parsedMs until the worker's "parsed" message: reading the zip, detecting, parsing), then
 * the click on Import → first frame with the dialog closed and "Save status" reading Saved
 * ("store"). Checks the summary says `expected` shapes.
 */
async function timedAnnotationImport(page, path, expected) {
  await markStartOn(page, 'change', '[data-testid="import-annotations-input"]');
  const planned = await frameWhen(page, 'importPlanShown', 5 * 60_000);
  await clearWorkerMessages(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import annotations' }).click();
  await (await chooser).setFiles(path);
  await planned.done;
  const { importPlanShown: readPlanMs } = await elapsedSinceStart(page);
  const parsedAt = (await workerMessages(page)).find((m) => EXCHANGE_WORKER.test(m.worker) && m.kind === 'done')?.t;
  if (parsedAt === undefined) throw new Error('the exchange worker posted no "parsed" message');
  const parsedMs = parsedAt - (await page.evaluate(() => window.__benchStart));

  const dialog = page.getByRole('dialog', { name: 'Import annotations' });
  await dialog.getByRole('textbox', { name: 'Annotator' }).fill(ANNOTATOR);
  const plan = dialog.getByLabel('What will be imported');
  const wanted = `${expected.toLocaleString('en')} shapes to import`;
  await page.waitForFunction(([el, text]) => el.textContent.includes(text), [await plan.elementHandle(), wanted], { timeout: 30_000 }).catch(async () => {
    throw new Error(`the import summary does not say "${wanted}": ${(await plan.textContent())?.slice(0, 300)}`);
  });
  const importButton = dialog.getByRole('button', { name: 'Import', exact: true });
  await markStartAt(page, importButton, 'click');
  const stored = await frameWhen(page, 'annotationsStored', 5 * 60_000);
  await importButton.click();
  await stored.done;
  const { annotationsStored: storeMs } = await elapsedSinceStart(page);
  return { readPlanMs, parsedMs, storeMs };
}

/** One run on a fresh copy of the seeded profile; see the figures below. */
async function runExchange(baseURL, seedDir, shapes, log) {
  const { dir: saveDir, remove } = tempDir('tally-bench-zips-');
  try {
    return await withProfile(baseURL, (page, context) => measureRun(page, context, saveDir, shapes, log), { copyFrom: seedDir });
  } finally {
    remove();
  }
}

/** The measurements of one run, in the browser `runExchange` opened (see the figures below). */
async function measureRun(page, context, saveDir, shapes, log) {
  const cdp = await openCdp(context, page);
  const workers = await watchWorkers(cdp);
  await recordWorkerMessages(context);
  const out = {};
  const zips = {};
  await openProject(page, SOURCE);
  for (const f of FORMATS) {
    const r = await timedExport(page, f.label, saveDir);
    const zip = readZip(r.path);
    const rows = f.rows(zip.files);
    if (rows !== shapes || zip.manifest.counts.shapes !== shapes) throw new Error(`${f.label} zip holds ${rows} label rows (manifest: ${zip.manifest.counts.shapes} shapes), expected ${shapes}`);
    Object.assign(out, { [`${f.key}ExportMs`]: r.downloadMs, [`${f.key}HandedMs`]: r.handedMs, [`${f.key}VerifiedMs`]: r.verifiedMs, [`${f.key}ZipKB`]: zip.bytes / 1024 });
    for (const [phase, ms] of Object.entries(r.phases)) out[`${f.key}${phase[0].toUpperCase()}${phase.slice(1)}`] = ms;
    zips[f.key] = r.path;
    // The same export again, by a user who reads the dialog for READING_MS before the click.
    const read = await timedExport(page, f.label, saveDir, { readingMs: READING_MS });
    if (readZip(read.path).manifest.counts.shapes !== shapes) throw new Error(`${f.label} zip after reading: wrong shape count`);
    out[`${f.key}ExportAfterReadingMs`] = read.downloadMs;
  }

  for (const f of FORMATS) {
    await openProject(page, f.target);
    const r = await timedAnnotationImport(page, zips[f.key], shapes);
    await openHome(page);
    const n = await page.evaluate(countAnnotations, { name: f.target, annotator: ANNOTATOR });
    if (n.all !== shapes || n.byAnnotator !== shapes || n.withKnownClass !== shapes || n.classes !== CLASSES.length) {
      throw new Error(`after importing the ${f.label} zip, ${f.target} holds ${JSON.stringify(n)}; expected ${shapes} shapes of ${ANNOTATOR} in ${CLASSES.length} classes`);
    }
    Object.assign(out, { [`${f.key}ReadPlanMs`]: r.readPlanMs, [`${f.key}ParsedMs`]: r.parsedMs, [`${f.key}StoreMs`]: r.storeMs });
  }

  if (QUICK) {
    for (const key of Object.keys(exchange.figures)) if (key.startsWith('images10k')) out[key] = NaN;
    out.images10kCount = NaN;
    return out;
  }
  await openProject(page, BIG_PROJECT);
  // The page's isolate outlives navigations: collect the earlier pages' garbage first.
  const pageHeapBeforeMB = await heapAfterGcMB(cdp);
  const big = await timedExport(page, BIG_FORMAT, saveDir, { includeImages: true, during: () => sampleHeaps(cdp, workers, EXCHANGE_WORKER, 100) });
  const s = big.sampled;
  if (s.workerSamples === 0) log('exchange: the exchange worker could not be sampled; only the page heap is reported');
  const zipBytes = statSync(big.path).size;
  const zip = readZip(big.path);
  const images = [...zip.files.keys()].filter((p) => /\.jpe?g$/i.test(p)).length;
  if (images !== zip.manifest.counts.images) throw new Error(`the ${BIG_FORMAT} zip holds ${images} images, its manifest says ${zip.manifest.counts.images}`);
  const imageBytes = zip.manifest.files.filter((f) => /\.jpe?g$/i.test(f.path)).reduce((n, f) => n + f.bytes, 0);
  Object.assign(out, {
    images10kExportMs: big.downloadMs,
    images10kVerifiedMs: big.verifiedMs,
    images10kReadSerializeMs: big.phases.readSerializeMs,
    images10kZipMs: big.phases.zipMs,
    images10kVerifyMs: big.phases.verifyMs,
    images10kZipMB: zipBytes / 2 ** 20,
    images10kImageMB: imageBytes / 2 ** 20,
    images10kPageHeapBeforeMB: pageHeapBeforeMB,
    images10kPageHeapPeakMB: s.pageHeapMB,
    images10kPageArrayBuffersPeakMB: s.pageArrayBuffersMB,
    images10kWorkerHeapPeakMB: s.workerSamples ? s.workerHeapMB : NaN,
    images10kWorkerArrayBuffersPeakMB: s.workerSamples ? s.workerArrayBuffersMB : NaN,
    images10kHeapSamples: s.samples,
  });
  out.images10kCount = images;
  return out;
}



const ms = (target = null) => ({ unit: 'ms', target, digits: 0 });
/** The formats timed, with BENCHMARKS.md's export targets (ms). */
const EXPORTED = [
  { key: 'yolo', target: 150 },
  { key: 'voc', target: 200 },
  { key: 'coco', target: 150 },
];
/**
 * `<key>ExportMs`: Export dialog, no images, click on Download → the browser's download event;
 * `HandedMs`: → the app's `<a download>` click (page clock); `VerifiedMs`: → first frame showing
 * "Read back and verified"; `ExportAfterReadingMs`: the same export again, the click READING_MS
 * after the dialog shows what the zip will hold (the archive made ahead); of HandedMs, `ReadSerializeMs`: → the worker's "Writing the archive"
 * (pending saves, dataset, serialize), `ZipMs`: → "Checking the archive" (hashes, deflate, Blob
 * parts), `VerifyMs`: → "done" (read back, parsed, compared).
 */
const exportFigures = (key, target) => [
  [`${key}ExportMs`, ms(target)],
  [`${key}ExportAfterReadingMs`, ms()],
  [`${key}HandedMs`, ms()],
  [`${key}VerifiedMs`, ms()],
  [`${key}ZipKB`, { unit: 'KB', target: null, digits: 0 }],
  [`${key}ReadSerializeMs`, ms()],
  [`${key}ZipMs`, ms()],
  [`${key}VerifyMs`, ms()],
];
/**
 * Import annotations: `ReadPlanMs` the zip chosen → first frame with the summary (of it
 * `ParsedMs`: → the worker's "parsed" message); `StoreMs` click on Import → dialog closed and "Saved".
 */
const importFigures = (key) => [
  [`${key}ReadPlanMs`, ms()],
  [`${key}ParsedMs`, ms()],
  [`${key}StoreMs`, ms()],
];
export const exchange = {
  name: 'exchange',
  /** Which image sets of data.mjs it imports: the 1,000 photos, and open-10k's 10,000 thumbnails. */
  needs: QUICK ? ['large'] : ['large', 'small'],
  async run({ baseURL, runs, data, log }) {
    const large = data.large.paths;
    const small = data.small?.paths ?? [];
    const shapes = large.length * BOXES_PER_IMAGE;
    const seed = await seedProfile(baseURL, { small, large }, log);
    log(`exchange: profile seeded (${small.length} + ${(FORMATS.length + 1) * large.length} images, ${shapes} boxes)`);
    try {
      const results = [];
      for (let i = 0; i < runs; i++) {
        const r = await runExchange(baseURL, seed.dir, shapes, log);
        const ms = (x) => `${x.toFixed(0)} ms`;
        log(
          `exchange run ${i + 1}/${runs}: ` +
            FORMATS.map(
              (f) =>
                `${f.label} ${ms(r[`${f.key}ExportMs`])} (read+serialize ${ms(r[`${f.key}ReadSerializeMs`])}, zip ${ms(r[`${f.key}ZipMs`])}, verify ${ms(r[`${f.key}VerifyMs`])}; ` +
                `after reading ${ms(r[`${f.key}ExportAfterReadingMs`])}; handed ${ms(r[`${f.key}HandedMs`])}, verified ${ms(r[`${f.key}VerifiedMs`])}, ${r[`${f.key}ZipKB`].toFixed(0)} KB; ` +
                `import: read+plan ${ms(r[`${f.key}ReadPlanMs`])} (parsed ${ms(r[`${f.key}ParsedMs`])}), store ${ms(r[`${f.key}StoreMs`])})`,
            ).join('; ') +
            `; ${r.images10kCount} images: ${ms(r.images10kExportMs)} (read+serialize ${ms(r.images10kReadSerializeMs)}, zip ${ms(r.images10kZipMs)}, verify ${ms(r.images10kVerifyMs)}), zip ${r.images10kZipMB.toFixed(1)} MB (images ${r.images10kImageMB.toFixed(1)} MB), ` +
            `page heap ${r.images10kPageHeapBeforeMB.toFixed(1)} MB before, peak ${r.images10kPageHeapPeakMB.toFixed(1)} MB (+${r.images10kPageArrayBuffersPeakMB.toFixed(1)} MB ArrayBuffers), worker ${r.images10kWorkerHeapPeakMB.toFixed(1)} MB (+${r.images10kWorkerArrayBuffersPeakMB.toFixed(1)} MB ArrayBuffers), ${r.images10kHeapSamples} samples`,
        );
        delete r.images10kCount;
        results.push(r);
      }
      return {
        data: {
          images: large.length,
          width: IMAGE.width,
          height: IMAGE.height,
          boxesPerImage: BOXES_PER_IMAGE,
          boxes: shapes,
          boxSidesPx: [MIN_SIDE, MAX_SIDE],
          classes: CLASSES.length,
          seed: SEED,
          splits: '80/10/10 train/val/test',
          bigExport: QUICK ? null : { format: BIG_FORMAT, images: small.length, meanKB: Number((data.small.meanBytes / 1024).toFixed(1)) },
          seed10kImportMs: Math.round(seed.seed10kImportMs),
        },
        values: collect(results),
      };
    } finally {
      seed.remove();
    }
  },
  figures: {
    // Per format (yolo, voc, coco), in the table's order: the export figures, then the import.
    ...Object.fromEntries(EXPORTED.flatMap(({ key, target }) => exportFigures(key, target))),
    ...Object.fromEntries(EXPORTED.flatMap(({ key }) => importFigures(key))),
    /** Tally package with the 10,000 images' bytes: click on Download → download event (ms). */
    images10kExportMs: { unit: 'ms', target: null, digits: 0 },
    images10kVerifiedMs: { unit: 'ms', target: null, digits: 0 },
    images10kReadSerializeMs: { unit: 'ms', target: null, digits: 0 },
    /** Reading the 10,000 images' bytes from IndexedDB and storing them into the zip (ms). */
    images10kZipMs: { unit: 'ms', target: null, digits: 0 },
    images10kVerifyMs: { unit: 'ms', target: null, digits: 0 },
    images10kZipMB: { unit: 'MB', target: null, digits: 1 },
    /** Sum of the image files' bytes in that zip (MB = 2^20 bytes). */
    images10kImageMB: { unit: 'MB', target: null, digits: 1 },
    /** The page's JS heap after a forced GC, the 10,000-image project open, before the export (MB). */
    images10kPageHeapBeforeMB: { unit: 'MB', target: null, digits: 1 },
    /** Peak of the page's JSHeapUsedSize, sampled every 100 ms from the click to the download (MB). */
    images10kPageHeapPeakMB: { unit: 'MB', target: null, digits: 1 },
    /** Peak of the page's ArrayBuffer and external-string backing stores (outside the JS heap; MB). */
    images10kPageArrayBuffersPeakMB: { unit: 'MB', target: null, digits: 1 },
    /** Peak of the exchange worker's JS heap (Runtime.getHeapUsage usedSize; MB). */
    images10kWorkerHeapPeakMB: { unit: 'MB', target: null, digits: 1 },
    /** Peak of the exchange worker's ArrayBuffer and external-string backing stores (MB). */
    images10kWorkerArrayBuffersPeakMB: { unit: 'MB', target: null, digits: 1 },
    images10kHeapSamples: { unit: 'samples', target: null, digits: 0 },
  },
};
