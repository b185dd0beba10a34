// Was the machine quiet? CPU time used by processes other than the bench's own (its Node process,
// vite and every Chromium process it launched) while a scenario ran, sampled from Linux's /proc.
// "Own" is recognised by an environment variable the bench's children inherit, or by an own
// parent when first seen (Chromium's processes outlive their parents' bookkeeping and its zygotes
// drop the environment). Elsewhere than Linux it reports null.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const MARK = 'TALLY_BENCH_OWNER';
const TICKS_PER_S = 100; // USER_HZ on Linux
const SAMPLE_MS = 250;

/** Call once, before starting any child process: children inherit the mark. */
export function markOwnProcesses() {
  process.env[MARK] = String(process.pid);
}

const ownership = new Map(); // "pid/starttime" → own?

/** The bench's own: marked, or started by an own process (Chromium's zygotes drop the environment). */
function isOwn(pid, procs) {
  const p = procs.get(pid);
  if (!p) return false;
  let own = ownership.get(p.key);
  if (own === undefined) {
    ownership.set(p.key, false); // guards against a cycle while deciding
    try {
      own = pid === process.pid || readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${MARK}=${process.pid}`);
    } catch {
      own = false; // gone, or not ours to read
    }
    own ||= p.ppid > 1 && isOwn(p.ppid, procs);
    ownership.set(p.key, own);
  }
  return own;
}

/** utime + stime of every process not started by the bench, by "pid/starttime". */
function otherTicks() {
  const procs = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(pid), { key: `${pid}/${f[19]}`, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // exited meanwhile
    }
  }
  const out = new Map();
  for (const [pid, p] of procs) if (!isOwn(pid, procs)) out.set(p.key, p.ticks);
  return out;
}

/**
 * Starts sampling; `stop()` returns the share of the machine's CPU capacity (percent of all
 * cores) that other processes used meanwhile. Near 0 means the figures come from a quiet machine.
 * A process that starts and ends between two samples is missed, so this is a lower bound.
 */
export function watchOtherLoad() {
  if (!existsSync('/proc/self/environ')) return { stop: () => null };
  const t0 = Date.now();
  let last = otherTicks();
  let ticks = 0;
  const sample = () => {
    const now = otherTicks();
    for (const [key, t] of now) ticks += t - (last.get(key) ?? t); // new processes count from their first sample
    last = now;
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const wallS = (Date.now() - t0) / 1000;
      return Number(((100 * ticks) / TICKS_PER_S / (wallS * cpus().length)).toFixed(1));
    },
  };
}
