// CPU profiles of the production build, for finding where a scenario's time goes (not a
// benchmark: the profiler itself slows the code down by a few per cent).
//
//   node bench/profile.mjs import          # import-5000-boxes: the click on Import → stored
//   node bench/profile.mjs export          # exchange: YOLO, VOC and COCO exports (in the worker)
//   node bench/profile.mjs export --no-build --formats YOLO
//   node bench/profile.mjs export --cold --formats YOLO   # the first export of a fresh worker, as each bench run makes it
//   node bench/profile.mjs export --cold --click --formats YOLO   # only from the click on Download to the download
//   node bench/profile.mjs export --cold --trace --formats YOLO   # a Chromium trace of the click instead
//   node bench/profile.mjs summarize <file.cpuprofile>…   # a profile saved by a scenario
//
// Builds into dist-bench/ as the bench does (or reuses it with --no-build), serves it, drives the
// app through its UI with bench/app.mjs, records CDP `Profiler` profiles (page main thread, and
// for exports the exchange worker too), writes them to bench/out/profiles/*.cpuprofile (open them
// in DevTools' Performance panel) and prints self and total time per function, mapped through
// the build's source maps to src/ files and names.
//
// --trace records a Chromium trace (CDP `Tracing`) from just before the click on Download to the
// download instead of CPU profiles, writes it to bench/out/profiles/export-<format>.trace.json
// (open it in DevTools' Performance panel or ui.perfetto.dev) and prints each thread's wall and CPU
// time (`dur` and `tdur` of its top-level events) and how much of that CPU went to V8's
// compilers (Maglev, TurboFan, lazy compiles): what a profile of one thread cannot show, e.g. an
// export waiting for CPU that the compilation of its own code uses. Starting the trace takes a few
// tens of milliseconds more before the click than starting the profilers.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SourceMapConsumer } from 'source-map-js';
import { chooseImages, createProject, frameWhen, markStartOn, openHome, openProject, recordWorkerMessages } from './app.mjs';
import { tempDir, withProfile } from './browser.mjs';
import { ensureImageSet, LARGE_SET } from './data.mjs';
import { openCdp, watchWorkers } from './metrics.mjs';
import { build, startPreview } from './server.mjs';
import { ANNOTATOR, CLASSES, makeBoxes as makeExchangeBoxes, seedAnnotations, timedExport } from './scenarios/exchange.mjs';
import { timedImport } from './scenarios/import.mjs';
import { makeBoxes } from './scenarios/manyShapes.mjs';

const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const DIST = fileURLToPath(new URL('../dist-bench/', import.meta.url));
const log = (message) => console.error(`[profile ${new Date().toISOString().slice(11, 19)}] ${message}`);

// --- Source maps -------------------------------------------------------------------------------

const consumers = new Map();
function consumerFor(url) {
  if (consumers.has(url)) return consumers.get(url);
  let c = null;
  try {
    const path = join(DIST, new URL(url).pathname);
    if (existsSync(`${path}.map`)) c = new SourceMapConsumer(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
  } catch {
    c = null;
  }
  consumers.set(url, c);
  return c;
}

/** `name (src/file.ts:line)` for a profile node's call frame. */
function describe(frame) {
  const { url, lineNumber, columnNumber, functionName } = frame;
  if (!url) return functionName || '(program)';
  const c = consumerFor(url);
  if (c) {
    const pos = c.originalPositionFor({ line: lineNumber + 1, column: columnNumber });
    if (pos.source) {
      const source = pos.source.replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, 'node_modules/');
      return `${functionName || pos.name || '(anonymous)'} (${source}:${pos.line})`;
    }
  }
  return `${functionName || '(anonymous)'} (${basename(url)}:${lineNumber + 1})`;
}

/** Self and total time per function (ms), the file's self time, and the profile's span. */
function summarize(profile, top = 30) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const total = new Map();
  const files = new Map();
  const label = new Map(profile.nodes.map((n) => [n.id, describe(n.callFrame)]));
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const id = profile.samples[i];
    const name = label.get(id);
    self.set(name, (self.get(name) ?? 0) + dt);
    const file = /\(([^:]+):\d+\)$/.exec(name)?.[1] ?? name;
    files.set(file, (files.get(file) ?? 0) + dt);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const l = label.get(at);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
  }
  void byId;
  const rows = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`);
  const idle = (self.get('(idle)') ?? 0) + (self.get('(program)') ?? 0);
  return [
    `span ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms, idle+program ${idle.toFixed(0)} ms, gc ${(self.get('(garbage collector)') ?? 0).toFixed(0)} ms`,
    '-- self time by function',
    ...rows(self),
    '-- self time by file',
    ...rows(files),
    '-- total time by function',
    ...rows(total),
  ].join('\n');
}

function save(name, profile) {
  mkdirSync(`${OUT}profiles`, { recursive: true });
  const path = `${OUT}profiles/${name}.cpuprofile`;
  writeFileSync(path, JSON.stringify(profile));
  log(`${name}: ${path}`);
  console.log(`\n===== ${name}\n${summarize(profile)}`);
}

// --- Chromium traces ---------------------------------------------------------------------------

const TRACE_CATEGORIES = ['toplevel', 'v8', 'v8.execute', 'disabled-by-default-v8.compile', 'devtools.timeline', 'blink.user_timing'];

/** Starts a Chromium trace through a page's CDP session (it records every process); `stop()` answers its events. */
async function startTrace(cdp) {
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories: TRACE_CATEGORIES } });
  return {
    async stop() {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      const { stream } = await complete;
      const parts = [];
      for (;;) {
        const { data, eof, base64Encoded } = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
        parts.push(base64Encoded ? Buffer.from(data, 'base64').toString('utf8') : data);
        if (eof) break;
      }
      await cdp.send('IO.close', { handle: stream });
      const parsed = JSON.parse(parts.join(''));
      return Array.isArray(parsed) ? parsed : parsed.traceEvents;
    },
  };
}

const COMPILE = /compile|maglev|turbofan|optimiz/i;

/**
 * Per thread: its top-level complete events' wall time (`dur`) and CPU time (`tdur`), and the CPU
 * time of its compile events (those not nested in another compile event), in ms; busiest first.
 */
function summarizeTrace(events) {
  const processNames = new Map();
  const threadNames = new Map();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') processNames.set(e.pid, e.args?.name ?? String(e.pid));
    if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? String(e.tid));
  }
  const complete = events.filter((e) => e.ph === 'X' && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts);
  // A trace holds hundreds of thousands of events: no spread into Math.max.
  const span = complete.length === 0 ? 0 : (complete.reduce((end, e) => Math.max(end, e.ts + e.dur), 0) - complete[0].ts) / 1000;
  const rows = new Map();
  for (const e of complete) {
    const key = `${e.pid}:${e.tid}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { name: `${processNames.get(e.pid) ?? e.pid} / ${threadNames.get(key) ?? e.tid}`, tasks: 0, wall: 0, cpu: 0, compiles: 0, compileCpu: 0, until: -Infinity, compileUntil: -Infinity }));
    if (e.ts >= r.until) {
      r.tasks++;
      r.wall += e.dur / 1000;
      r.cpu += (e.tdur ?? 0) / 1000;
      r.until = e.ts + e.dur;
    }
    if (COMPILE.test(e.name) && e.ts >= r.compileUntil) {
      r.compiles++;
      r.compileCpu += (e.tdur ?? e.dur) / 1000;
      r.compileUntil = e.ts + e.dur;
    }
  }
  const busiest = [...rows.values()].sort((a, b) => b.cpu + b.compileCpu - (a.cpu + a.compileCpu)).slice(0, 20);
  const ms = (v) => v.toFixed(1).padStart(8);
  return [
    `span ${span.toFixed(0)} ms; CPU of all threads ${[...rows.values()].reduce((n, r) => n + r.cpu, 0).toFixed(0)} ms, of it compiling ${[...rows.values()].reduce((n, r) => n + r.compileCpu, 0).toFixed(0)} ms`,
    `${'wall'.padStart(8)} ${'cpu'.padStart(8)} ${'compile'.padStart(8)}  tasks  compiles  process / thread`,
    ...busiest.map((r) => `${ms(r.wall)} ${ms(r.cpu)} ${ms(r.compileCpu)}  ${String(r.tasks).padStart(5)}  ${String(r.compiles).padStart(8)}  ${r.name}`),
  ].join('\n');
}

function saveTrace(name, events) {
  mkdirSync(`${OUT}profiles`, { recursive: true });
  const path = `${OUT}profiles/${name}.trace.json`;
  writeFileSync(path, JSON.stringify({ traceEvents: events }));
  log(`${name}: ${path}`);
  console.log(`\n===== ${name} (Chromium trace)\n${summarizeTrace(events)}`);
}

// --- import-5000-boxes ------------------------------------------------------------------------

async function profileImport(baseURL, photo) {
  const { dir, remove } = tempDir('tally-profile-coco-');
  try {
    const boxes = makeBoxes();
    const coco = join(dir, 'boxes.json');
    writeFileSync(
      coco,
      JSON.stringify({
        images: [{ id: 1, file_name: basename(photo), width: 1280, height: 720 }],
        categories: ['car', 'person', 'sign'].map((name, i) => ({ id: i + 1, name, supercategory: '' })),
        annotations: boxes.map(([x, y, w, h, c], i) => ({ id: i + 1, image_id: 1, category_id: c + 1, bbox: [x, y, w, h], area: w * h, iscrowd: 0, segmentation: [] })),
      }),
    );
    await withProfile(baseURL, async (page, context) => {
      await openHome(page);
      await createProject(page, 'Profile import boxes');
      await chooseImages(page, [photo]);
      await page.getByRole('region', { name: 'Import report' }).waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => document.querySelector('[aria-label="Save status"]')?.textContent === 'Saved');
      await page.locator('[aria-label="Annotation canvas"][data-shown-image]').waitFor();
      const cdp = await context.newCDPSession(page);
      const workers = await watchWorkers(cdp);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      // Clicking Import annotations starts the exchange worker (ExchangeController.warm); the
      // chooser is left unanswered. Its attach event may lag.
      const warmChooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Import annotations' }).click();
      await warmChooser;
      for (let i = 0; i < 50 && !(await workers.heap(/exchange/)); i++) await new Promise((r) => setTimeout(r, 100));
      await workers.send(/exchange/, 'Profiler.enable');
      await workers.send(/exchange/, 'Profiler.setSamplingInterval', { interval: 100 });

      await markStartOn(page, 'change', '[data-testid="import-annotations-input"]');
      const planned = await frameWhen(page, 'importPlanShown', 60_000);
      await cdp.send('Profiler.start');
      await workers.send(/exchange/, 'Profiler.start');
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Import annotations' }).click();
      await (await chooser).setFiles(coco);
      await planned.done;
      save('import-plan', (await cdp.send('Profiler.stop')).profile);
      save('import-plan-worker', (await workers.send(/exchange/, 'Profiler.stop')).profile);
      await page.getByRole('dialog', { name: 'Import annotations' }).getByRole('textbox', { name: 'Annotator' }).fill('bench');
      await page.evaluate((n) => (window.__benchExpectedShapes = n), boxes.length);
      await markStartOn(page, 'click', 'dialog button');
      const drawn = await frameWhen(page, 'shapesDrawn', 60_000);
      const stored = await frameWhen(page, 'annotationsStored', 60_000);
      await cdp.send('Profiler.start');
      await page.getByRole('dialog', { name: 'Import annotations' }).getByRole('button', { name: 'Import', exact: true }).click();
      await Promise.all([drawn.done, stored.done]);
      save('import-apply', (await cdp.send('Profiler.stop')).profile);
      const t = await page.evaluate(() => Object.fromEntries(Object.entries(window.__benchDone).map(([k, v]) => [k, v - window.__benchStart])));
      const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('tally:annotations:')).map((m) => [m.name.slice(18), m.startTime - window.__benchStart])));
      console.log(`\nclick → drawn ${t.shapesDrawn.toFixed(0)} ms, → stored ${t.annotationsStored.toFixed(0)} ms; marks ${JSON.stringify(Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v)])))}`);
    });
  } finally {
    remove();
  }
}

// --- exchange exports -------------------------------------------------------------------------

async function profileExports(baseURL, photos, formats, { cold, clickOnly, trace }) {
  const { dir: saveDir, remove } = tempDir('tally-profile-zips-');
  try {
    await withProfile(baseURL, async (page, context) => {
      await recordWorkerMessages(context);
      await openHome(page);
      await createProject(page, 'Bench exchange');
      await timedImport(page, photos, 5 * 60_000);
      await openHome(page);
      await page.evaluate(seedAnnotations, { project: 'Bench exchange', boxes: makeExchangeBoxes(photos.length), perImage: 10, classes: CLASSES, annotator: ANNOTATOR, size: { width: 1280, height: 720 } });
      await openProject(page, 'Bench exchange');
      const cdp = await openCdp(context, page);
      const workers = await watchWorkers(cdp);
      await cdp.send('Profiler.enable');
      if (cold) {
        // Only the worker started (opening the dialog starts it): the profiled export runs its
        // code for the first time, as the bench's runs do (each in a fresh browser).
        await page.getByRole('button', { name: 'Export', exact: true }).click();
        const dialog = page.getByRole('dialog', { name: 'Export' });
        await dialog.getByRole('combobox', { name: 'Format' }).waitFor();
        await dialog.getByRole('button', { name: 'Close' }).click();
      } else {
        // Once unprofiled: the worker starts, its code is compiled, the dialog's first read is done.
        for (const format of formats) await timedExport(page, format, saveDir);
      }
      const startProfiles = () => Promise.all([cdp.send('Profiler.start'), workers.send(/exchange/, 'Profiler.start')]);
      for (const format of formats) {
        const key = format.replace(/\W/g, '').toLowerCase();
        if (trace) {
          // Only what the click waits for, in every process and thread.
          let tracing = null;
          const r = await timedExport(page, format, saveDir, { during: async () => ((tracing = await startTrace(cdp)), { stop: async () => undefined }) });
          saveTrace(`export-${key}`, await tracing.stop());
          console.log(`\n${format}: download ${r.downloadMs.toFixed(0)} ms`);
          continue;
        }
        // Started before the dialog opens (the profiles include opening it and its previews), or
        // with --click just before the click on Download (only what the click waits for; the
        // start must be quick: 300 ms after the preview the dialog has the archive made ahead).
        await workers.send(/exchange/, 'Profiler.enable');
        await workers.send(/exchange/, 'Profiler.setSamplingInterval', { interval: 100 });
        if (!clickOnly) await startProfiles();
        const r = await timedExport(page, format, saveDir, clickOnly ? { during: async () => (await startProfiles(), { stop: async () => undefined }) } : {});
        save(`export-${key}-page`, (await cdp.send('Profiler.stop')).profile);
        save(`export-${key}-worker`, (await workers.send(/exchange/, 'Profiler.stop')).profile);
        console.log(`\n${format}: download ${r.downloadMs.toFixed(0)} ms (read+serialize ${r.phases.readSerializeMs.toFixed(0)}, zip ${r.phases.zipMs.toFixed(0)}, verify ${r.phases.verifyMs.toFixed(0)})`);
      }
    });
  } finally {
    remove();
  }
}

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'no-build': { type: 'boolean' }, cold: { type: 'boolean' }, click: { type: 'boolean' }, trace: { type: 'boolean' }, formats: { type: 'string', default: 'YOLO,Pascal VOC,COCO' }, images: { type: 'string', default: '1000' } } });
  const what = positionals[0];
  if (what === 'summarize') {
    // A profile saved elsewhere (e.g. review-10k's REVIEW_WORKER_PROFILE), mapped through dist-bench/.
    for (const file of positionals.slice(1)) console.log(`\n===== ${file}\n${summarize(JSON.parse(readFileSync(file, 'utf8')), 45)}`);
    return;
  }
  if (what !== 'import' && what !== 'export') throw new Error('usage: node bench/profile.mjs import|export|summarize [--no-build] [--cold] [--click | --trace] [--formats YOLO,COCO] [--images 1000]');
  const large = await ensureImageSet(LARGE_SET, `${OUT}data`, log);
  if (!values['no-build']) await build(log);
  const server = await startPreview(4175, log);
  try {
    if (what === 'import') await profileImport(server.url, large.paths[0]);
    else await profileExports(server.url, large.paths.slice(0, Number(values.images)), values.formats.split(','), { cold: values.cold === true, clickOnly: values.click === true, trace: values.trace === true });
  } finally {
    await server.stop();
  }
}

await main();
