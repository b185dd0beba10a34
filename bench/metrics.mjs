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
