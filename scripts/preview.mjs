// `vite preview` of a built folder, started as a child process that can be stopped on its own:
// for the benchmarks (bench/server.mjs) and the browser tests that take the server away
// (e2e/offline.spec.ts). It serves the production Content-Security-Policy header (vite.config.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePorts, isPortFree } from './ports.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITE = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));

/**
 * Starts `vite preview --outDir <outDir>` on 127.0.0.1 and resolves once it answers.
 * `port`: the port to use; when omitted or taken, a free one is found instead.
 * `stop()` ends that process only (SIGTERM, then SIGKILL after 3 s).
 * @param {{ outDir: string, port?: number, log?: (line: string) => void }} options
 * @returns {Promise<{ url: string, port: number, stop(): Promise<void> }>}
 */
export async function startPreview({ outDir, port, log = () => undefined }) {
  const chosen = port !== undefined && (await isPortFree(port)) ? port : (await freePorts(1))[0];
  if (port !== undefined && chosen !== port) log(`port ${port} is taken: using ${chosen}`);
  const url = `http://127.0.0.1:${chosen}`;
  // Vite run directly with node (not through npx), so the child's pid is the server's pid.
  const child = spawn(process.execPath, [VITE, 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(chosen), '--strictPort'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exit = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
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
    if (child.exitCode !== null) throw new Error(`vite preview exited with code ${child.exitCode} on port ${chosen}: ${stderr.trim()}`);
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
  return { url, port: chosen, stop };
}

