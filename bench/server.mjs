// The production build, served locally: `vite build` into dist-bench/ (not dist/, which
// `npm run preview` serves, nor the browser tests' own build) and `vite preview` on 127.0.0.1.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startPreview as startVitePreview } from '../scripts/preview.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITE = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
const OUT_DIR = 'dist-bench';

export async function build(log) {
  log(`build: vite build → ${OUT_DIR}/`);
  // Vite's output goes to stderr: stdout is kept for the bench's JSON.
  const child = spawn(process.execPath, [VITE, 'build', '--outDir', OUT_DIR, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', process.stderr, process.stderr] });
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`vite build failed (exit code ${code})`);
}

/**
 * Starts `vite preview` of dist-bench/ on `port`, or on a free port when that one is taken (by
 * `npm run preview`, the browser tests or another Tally); resolves once it answers. `stop()`
 * ends that process only.
 */
export function startPreview(port, log) {
  return startVitePreview({ outDir: OUT_DIR, port, log });
}
