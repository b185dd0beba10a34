/**
 * The archive of the Export dialog's current choice, written and read back while the dialog is
 * open, so that Download hands over an archive already verified instead of starting the work at
 * the click. Only annotation-only exports are made ahead (a few MB at most); with images, the
 * work starts at Download as before.
 *
 * An archive made ahead is handed over only for the very plan Download would use (the same
 * object: the same snapshot of the project, the same choice, the same creation time in the
 * manifest) and the same consistency-check summary for manifest.json; anything else is built
 * anew at Download. An export that finds the archive still being made waits for it and reports
 * its progress from then on (the steps it has passed first). A build that no export has taken is
 * stopped when the choice changes; one that fails is never handed over (the export builds anew,
 * and so reports its own failure).
 */
import type { ExchangeProgress } from '../workers/exchangeApi';

/** An export's progress, as the exchange worker reports it. */
export type AheadProgress = ExchangeProgress;

interface Entry<P, R> {
  readonly plan: P;
  readonly check: string;
  readonly abort: AbortController;
  readonly seen: AheadProgress[];
  readonly result: Promise<R>;
  /** How many exports wait for it now: while any does, a new choice does not stop it. */
  takers: number;
  readonly listeners: Set<(p: AheadProgress) => void>;
}

export type AheadBuild<R> = (signal: AbortSignal, onProgress: (p: AheadProgress) => void) => Promise<R>;

export class ExportAhead<P extends object, R> {
  private current: Entry<P, R> | null = null;

  /** Whether an archive for this plan and check is made or being made. */
  has(plan: P, check: string): boolean {
    return this.current !== null && this.current.plan === plan && this.current.check === check;
  }

  /** Starts making the archive of `plan` with `check`, unless it is made or being made already. Another build not taken is stopped. */
  start(plan: P, check: string, build: AheadBuild<R>): void {
    if (this.has(plan, check)) return;
    this.drop();
    const abort = new AbortController();
    const seen: AheadProgress[] = [];
    const listeners = new Set<(p: AheadProgress) => void>();
    const result = build(abort.signal, (p) => {
      seen.push(p);
      for (const listen of listeners) listen(p);
    });
    const entry: Entry<P, R> = { plan, check, abort, seen, result, takers: 0, listeners };
    this.current = entry;
    // A failed build is forgotten (never handed over); nobody need be waiting for it.
    entry.result.catch(() => {
      if (this.current === entry) this.current = null;
    });
  }

  /** Stops and forgets a build no export waits for, unless it is for `keep` (the choice did not change). */
  drop(keep?: P): void {
    const c = this.current;
    if (!c || c.takers > 0 || c.plan === keep) return;
    c.abort.abort();
    this.current = null;
  }

  /**
   * The archive for this plan and check: the one made ahead (waited for, see `take`), else one
   * built now by `build`, which is then kept as if made ahead (the dialog shown again after the
   * download asks for nothing more to be built; a second Download gets the same archive). A
   * build made ahead that fails is replaced by one built now, which reports its own failure;
   * Cancel (`signal`) is not.
   */
  async takeOrBuild(plan: P, check: string, onProgress: (p: AheadProgress) => void, signal: AbortSignal, build: () => Promise<R>): Promise<R> {
    const made = this.take(plan, check, onProgress, signal);
    if (made) {
      try {
        return await made;
      } catch (e) {
        if (signal.aborted) throw e;
      }
    }
    const result = await build();
    this.start(plan, check, () => Promise.resolve(result));
    return result;
  }

  /**
   * The archive made ahead for this plan and check, or null (build it now). The caller sees the
   * progress so far at once, then the rest; its `signal` (Cancel) stops the build.
   */
  take(plan: P, check: string, onProgress: (p: AheadProgress) => void, signal?: AbortSignal): Promise<R> | null {
    const c = this.current;
    if (!c || !this.has(plan, check)) return null;
    for (const p of c.seen) onProgress(p);
    c.listeners.add(onProgress);
    c.takers++;
    const cancel = (): void => c.abort.abort();
    signal?.addEventListener('abort', cancel, { once: true });
    return c.result.finally(() => {
      c.takers--;
      c.listeners.delete(onProgress);
      signal?.removeEventListener('abort', cancel);
    });
  }
}
