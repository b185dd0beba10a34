// The production build, served locally: `vite build` into dist-bench/ (not dist/, which the
// browser tests build and serve at the same time) and `vite preview` on 127.0.0.1.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITE = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
const OUT_DIR = 'dist-bench';

/** Vite run directly with node (not through npx), so the child's pid is the server's pid. */
function vite(args, stdio) {
  return spawn(process.execPath, [VITE, ...args], { cwd: ROOT, stdio });
}

const exited = (child) =>
  new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

export async function build(log) {
  log(`build: vite build → ${OUT_DIR}/`);
  // Vite's output goes to stderr: stdout is kept for the bench's JSON.
  const { code } = await exited(vite(['build', '--outDir', OUT_DIR, '--emptyOutDir', '--logLevel', 'warn'], ['ignore', process.stderr, process.stderr]));
  if (code !== 0) throw new Error(`vite build failed (exit code ${code})`);
}

/** Starts `vite preview` and resolves once it answers; `stop()` ends that process only. */
export async function startPreview(port, log) {
  const url = `http://127.0.0.1:${port}`;
  const child = vite(['preview', '--outDir', OUT_DIR, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], ['ignore', 'ignore', process.stderr]);
  const exit = exited(child);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit.catch(() => undefined);
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with code ${child.exitCode} (is port ${port} taken?)`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`vite preview did not answer on ${url} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`server: ${url} (pid ${child.pid})`);
  return { url, stop };
}
