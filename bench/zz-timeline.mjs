import { readFileSync } from 'node:fs';
import { SourceMapConsumer } from 'source-map-js';
import { join } from 'node:path';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const bucket = Number(process.argv[3] ?? 5) * 1000;
const DIST = '/work/main/dist-bench/';
const cons = new Map();
const desc = (f) => {
  if (!f.url) return f.functionName || '(program)';
  let c = cons.get(f.url);
  if (c === undefined) { try { c = new SourceMapConsumer(JSON.parse(readFileSync(join(DIST, new URL(f.url).pathname) + '.map', 'utf8'))); } catch { c = null; } cons.set(f.url, c); }
  if (c) { const p = c.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber }); if (p.source) return `${f.functionName||p.name||'anon'}@${p.source.replace(/^.*?(src|node_modules)\//,'$1/')}:${p.line}`; }
  return f.functionName;
};
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const stackOf = (id) => { const s = []; for (let x = id; x !== undefined; x = parent.get(x)) s.push(desc(byId.get(x).callFrame)); return s; };
let t = prof.startTime; const rows = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  t += prof.timeDeltas[i];
  const b = Math.floor((t - prof.startTime) / bucket);
  const s = stackOf(prof.samples[i]);
  if (s[0] === '(idle)') continue;
  // the outermost frames below root that are in src/: a few levels
  const src = s.filter((x) => x.includes('src/'));
  const key = [s[0], ...src.slice(-4).reverse()].join(' < ');
  const m = rows.get(b) ?? new Map(); m.set(key, (m.get(key) ?? 0) + 1); rows.set(b, m);
}
for (const [b, m] of [...rows].sort((a, b) => a[0] - b[0])) {
  const top = [...m].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([k, v]) => `${v} ${k.slice(0, 200)}`);
  console.log(String(b * bucket / 1000).padStart(5), [...m.values()].reduce((a, b) => a + b, 0), '|', top.join(' || '));
}
if (process.argv[4]) {
  const want = process.argv[4]; const seen = new Map();
  for (let i = 0; i < prof.samples.length; i++) { const s = stackOf(prof.samples[i]); if (s[0] === want) { const k = s.slice(0, 8).join(' < '); seen.set(k, (seen.get(k) ?? 0) + 1); } }
  for (const [k, v] of [...seen].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(v, k);
}
