// How raw measurements become figures, and the in-page / CDP probes that take them.

/** Middle value (mean of the two middle ones for an even count). */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile, p in (0, 100]. */
export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
}

const round = (x, digits) => Number(x.toFixed(digits));

/**
 * A reported figure: median [min–max] of the runs, its unit, and whether the median meets the
 * target (every target here is an upper bound; `target: null` means reported only).
 */
export function figure(runs, { unit, target = null, digits = 1 }) {
  const m = median(runs);
  return {
    median: round(m, digits),
    min: round(Math.min(...runs), digits),
    max: round(Math.max(...runs), digits),
    runs: runs.map((r) => round(r, digits)),
    unit,
    target,
    met: target === null ? null : m <= target,
  };
}

/** Per-run values of each named figure, e.g. [{a: 1, b: 2}, {a: 3, b: 4}] → {a: [1, 3], b: [2, 4]}. */
export function collect(runResults) {
  const out = {};
  for (const r of runResults) for (const [k, v] of Object.entries(r)) (out[k] ??= []).push(v);
  return out;
}

// --- CDP: the renderer's own counters --------------------------------------------------------

/** A CDP session on the page with the Performance domain on (needed before getMetrics counts). */
export async function openCdp(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return cdp;
}

async function metric(cdp, name) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = metrics.find((x) => x.name === name);
  if (!m) throw new Error(`CDP Performance.getMetrics has no ${name}`);
  return m.value;
}

/** Cumulative renderer main-thread busy time, in ms (TaskDuration is reported in seconds). */
export async function taskDurationMs(cdp) {
  return (await metric(cdp, 'TaskDuration')) * 1000;
}

/** The page's JS heap after a forced full GC, in MB (2^20 bytes): what the app really keeps. */
export async function heapAfterGcMB(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await metric(cdp, 'JSHeapUsedSize')) / 2 ** 20;
}

/**
 * A full GC of the page's heap, then the session closed. Scenarios that seed IndexedDB from the
 * page (page.evaluate) call it after the reload: the seeding document's garbage (tens of
 * thousands of IndexedDB requests) stays in the renderer's heap across the reload, and its
 * collection, whenever V8 gets to it, took 250-350 ms of the main thread in one task (mostly
 * weak-handle processing), which the longtask observer does not see and which lands on whatever
 * is measured then. A user's tab has no such garbage.
 */
export async function collectSeedGarbage(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.detach();
}

// --- In the page: a frame-interval recorder --------------------------------------------------

/** Starts recording the time of every animation frame into window.__benchFrames. */
export function startFrameRecorder(page) {
  return page.evaluate(() => {
    const frames = [];
    window.__benchFrames = frames;
    const tick = (t) => {
      if (window.__benchFrames !== frames) return; // stopped
      frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Stops the recorder; returns the intervals between consecutive frames, in ms. */
export function stopFrameRecorder(page) {
  return page.evaluate(() => {
    const frames = window.__benchFrames ?? [];
    window.__benchFrames = null;
    return frames.slice(1).map((t, i) => t - frames[i]);
  });
}

// --- CDP: dedicated workers' heaps -----------------------------------------------------------

/**
 * Watches the page's dedicated workers through `cdp` (the page's session): auto-attaches to them
 * in non-flattened mode (Playwright's CDPSession cannot address flattened child sessions), so
 * each worker's own Runtime domain can be asked for its heap. Returns `heap(match)`: the heap of
 * the live worker whose URL or name matches `match`, or null when there is none.
 */
export async function watchWorkers(cdp) {
  const workers = new Map(); // sessionId → targetInfo
  const pending = new Map(); // message id → resolve
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') workers.set(e.sessionId, e.targetInfo);
  });
  cdp.on('Target.detachedFromTarget', (e) => workers.delete(e.sessionId));
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    if (m.id !== undefined && pending.has(m.id)) {
      pending.get(m.id)(m);
      pending.delete(m.id);
    }
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const call = (sessionId, method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch((e) => {
        pending.delete(id);
        reject(e);
      });
    });
  return {
    /** The worker's Runtime.getHeapUsage: usedSize (JS heap) and backingStorageSize (ArrayBuffers), bytes. */
    async heap(match) {
      for (const [sessionId, info] of workers) {
        if (match.test(info.url) || match.test(info.title)) {
          try {
            return await call(sessionId, 'Runtime.getHeapUsage');
          } catch {
            return null; // terminated meanwhile
          }
        }
      }
      return null;
    },
    /** Runs `method` in the matching worker (e.g. Profiler.start / Profiler.stop). */
    async send(match, method, params = {}) {
      for (const [sessionId, info] of workers) if (match.test(info.url) || match.test(info.title)) return call(sessionId, method, params);
      throw new Error(`no worker matches ${match}`);
    },
  };
}

/**
 * Samples, every `everyMs` until `stop()`, the page's JSHeapUsedSize (Performance.getMetrics) and
 * its ArrayBuffer backing stores, and the matching worker's JS heap and ArrayBuffer backing
 * stores (Runtime.getHeapUsage). `stop()` returns the peaks in MB (2^20 bytes), the samples taken,
 * and how many of them reached the worker.
 */
export function sampleHeaps(cdp, workers, match, everyMs = 100) {
  const peak = { pageHeapMB: 0, pageArrayBuffersMB: 0, workerHeapMB: 0, workerArrayBuffersMB: 0 };
  let samples = 0;
  let workerSamples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const next = Date.now() + everyMs;
      const [page, pageUsage, worker] = await Promise.all([metric(cdp, 'JSHeapUsedSize'), cdp.send('Runtime.getHeapUsage'), workers.heap(match)]);
      samples++;
      peak.pageHeapMB = Math.max(peak.pageHeapMB, page / 2 ** 20);
      peak.pageArrayBuffersMB = Math.max(peak.pageArrayBuffersMB, (pageUsage.backingStorageSize ?? 0) / 2 ** 20);
      if (worker) {
        workerSamples++;
        peak.workerHeapMB = Math.max(peak.workerHeapMB, worker.usedSize / 2 ** 20);
        peak.workerArrayBuffersMB = Math.max(peak.workerArrayBuffersMB, (worker.backingStorageSize ?? 0) / 2 ** 20);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { ...peak, samples, workerSamples };
    },
  };
}
