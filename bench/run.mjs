// `npm run bench`: builds Tally for production, serves it on 127.0.0.1, generates (or reuses) the
// test images, runs each scenario in fresh headless-Chromium profiles and prints one JSON object.
// Progress goes to stderr. Flags: --only <scenario>[,<scenario>…]  --runs <n> (default 3).
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchScratch } from './browser.mjs';
import { ensureImageSet, LARGE_SET, SMALL_SET } from './data.mjs';
import { figure } from './metrics.mjs';
import { markOwnProcesses, watchOtherLoad } from './quiet.mjs';
import { markdownTable } from './report.mjs';
import { exchange } from './scenarios/exchange.mjs';
import { import1000 } from './scenarios/import.mjs';
import { importBoxes } from './scenarios/importBoxes.mjs';
import { manyShapes } from './scenarios/manyShapes.mjs';
import { open10k } from './scenarios/open10k.mjs';
import { tabClose } from './scenarios/tabClose.mjs';
import { check10k } from './scenarios/check.mjs';
import { review10k } from './scenarios/review.mjs';
import { build, startPreview } from './server.mjs';

const SCENARIOS = [import1000, open10k, manyShapes, importBoxes, exchange, tabClose, check10k, review10k];
const IMAGE_SETS = { large: LARGE_SET, small: SMALL_SET };
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const PORT = 4174; // not 4173: the browser tests' server may be running

const log = (message) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

function options() {
  const { values } = parseArgs({ options: { only: { type: 'string' }, runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a positive integer, not ${values.runs}`);
  const names = values.only ? values.only.split(',').map((s) => s.trim()) : SCENARIOS.map((s) => s.name);
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return { runs, scenarios: SCENARIOS.filter((s) => names.includes(s.name)) };
}

async function machine() {
  const load = loadavg()[0];
  const browser = await launchScratch();
  const chromium = `Chromium ${browser.version()}`;
  await browser.close();
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium,
    /** 1-minute load average when the bench started: above ~0.5 on 2 cores, something else was running. */
    loadAverageAtStart: Number(load.toFixed(2)),
  };
}

/** Which code was measured: the commit, and whether src/ or index.html differed from it. */
function revision() {
  const git = (...args) => execFileSync('git', args, { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' }).trim();
  try {
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedChanges: git('status', '--porcelain', '--', 'src', 'index.html', 'vite.config.ts') !== '' };
  } catch {
    return null; // not a git checkout
  }
}

async function main() {
  const { runs, scenarios } = options();
  markOwnProcesses();
  mkdirSync(OUT, { recursive: true });
  const results = { date: new Date().toISOString(), revision: revision(), machine: await machine(), runs, scenarios: {} };

  const data = {};
  for (const key of new Set(scenarios.flatMap((s) => s.needs))) data[key] = await ensureImageSet(IMAGE_SETS[key], `${OUT}data`, log);

  await build(log);
  const server = await startPreview(PORT, log);
  // Killed from outside: still stop the server (browsers are closed by Playwright's own handlers).
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => void server.stop().finally(() => process.exit(130)));
  }
  let failed = false;
  try {
    for (const scenario of scenarios) {
      log(`${scenario.name}: ${runs} run(s)`);
      const others = watchOtherLoad();
      try {
        const { data: used, values } = await scenario.run({ baseURL: server.url, runs, data, log });
        const figures = Object.fromEntries(Object.entries(scenario.figures).map(([key, spec]) => [key, figure(values[key], spec)]));
        const otherCpuPercent = others.stop();
        if (otherCpuPercent > 5) log(`${scenario.name}: other processes used ${otherCpuPercent}% of the CPUs meanwhile; figures may be slow`);
        results.scenarios[scenario.name] = { data: used, otherCpuPercent, figures };
      } catch (e) {
        others.stop(); // its sampling timer would keep the bench alive
        failed = true;
        log(`${scenario.name} FAILED: ${e instanceof Error ? e.stack : String(e)}`);
        results.scenarios[scenario.name] = { error: e instanceof Error ? e.message : String(e) };
      }
    }
  } finally {
    await server.stop();
  }

  const json = JSON.stringify(results, null, 2);
  writeFileSync(`${OUT}results.json`, `${json}\n`);
  writeFileSync(`${OUT}table.md`, `${markdownTable(results)}\n`);
  log(`wrote bench/out/results.json and bench/out/table.md`);
  console.log(json);
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
