/**
 * One editor per project across tabs (Web Locks). The first tab to open a project edits it; a
 * second tab opens it read-only and waits in line, and becomes the editor by itself when the
 * first tab leaves the project or closes. Writes from a read-only tab are refused by the editor,
 * so two tabs can never overwrite each other's work.
 */
export type LockMode = 'edit' | 'read-only';

export interface ProjectLock {
  /** Resolves with the mode the tab starts in. */
  readonly initialMode: Promise<LockMode>;
  /** Gives the project back (leaving the project view, or a read-only tab giving up its place in line). */
  release(): void;
}

export const projectLockName = (projectId: string): string => `tally:project:${projectId}`;

/**
 * @param onEditable called when a tab that started read-only becomes the editor.
 * @param locks injectable for tests; defaults to navigator.locks.
 */
export function holdProjectLock(projectId: string, onEditable: () => void, locks: LockManager = navigator.locks): ProjectLock {
  const name = projectLockName(projectId);
  let releaseHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (releaseHeld = resolve));
  const abort = new AbortController();
  let released = false;

  const initialMode = new Promise<LockMode>((resolveMode) => {
    void locks
      .request(name, { ifAvailable: true }, async (lock) => {
        if (lock) {
          resolveMode('edit');
          await held;
          return;
        }
        resolveMode('read-only');
        // Wait in line without blocking this callback (it must return for the null lock).
        void locks
          .request(name, { signal: abort.signal }, async () => {
            if (released) return;
            onEditable();
            await held;
          })
          .catch(() => undefined); // aborted by release()
      })
      .catch(() => resolveMode('read-only'));
  });

  return {
    initialMode,
    release() {
      released = true;
      abort.abort();
      releaseHeld();
    },
  };
}

/**
 * Runs `fn` holding the project's lock, but only if no tab has the project open; returns false
 * (without running it) otherwise. For changes made from the project list.
 */
export async function withProjectLockIfFree(projectId: string, fn: () => Promise<void>, locks: LockManager = navigator.locks): Promise<boolean> {
  return locks.request(projectLockName(projectId), { ifAvailable: true }, async (lock) => {
    if (!lock) return false;
    await fn();
    return true;
  });
}
