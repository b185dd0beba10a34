// Free TCP ports on 127.0.0.1, so that the browser tests' and the benchmarks' servers never
// collide with `npm run preview` (4173), `npm run dev` (5173) or another Tally's test run.
// A port is free when the OS hands it out for port 0; it is closed again at once and the caller
// binds it with --strictPort (a server that loses the race fails loudly, naming the port).
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';

/** `count` distinct free ports, found asynchronously. @returns {Promise<number[]>} */
export async function freePorts(count = 1) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(undefined));
      });
    }
    return servers.map((s) => /** @type {import('node:net').AddressInfo} */ (s.address()).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(() => resolve(undefined)))));
  }
}

/**
 * The same, synchronously (in a child Node process), for config files that cannot await.
 * @returns {number[]}
 */
export function freePortsSync(count = 1) {
  const script = `import(${JSON.stringify(import.meta.url)}).then(async (m) => console.log((await m.freePorts(${count})).join(',')))`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const ports = out.trim().split(',').map(Number);
  if (ports.length !== count || ports.some((p) => !Number.isInteger(p) || p <= 0)) throw new Error(`Could not find ${count} free ports on 127.0.0.1 (got “${out.trim()}”)`);
  return ports;
}

/** Whether `port` on 127.0.0.1 can be bound now. @param {number} port @returns {Promise<boolean>} */
export function isPortFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
