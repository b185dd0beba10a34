/** The browser's storage budget: how full it is, why a write failed, and asking to keep data. */
import { formatBytes } from '../core/units';

export interface StorageUse {
  readonly usedBytes: number;
  readonly quotaBytes: number;
}

export async function estimateStorage(): Promise<StorageUse | null> {
  try {
    const { usage, quota } = await navigator.storage.estimate();
    return usage === undefined || quota === undefined ? null : { usedBytes: usage, quotaBytes: quota };
  } catch {
    return null;
  }
}

const nameOf = (e: unknown): string => (e instanceof DOMException || e instanceof Error ? e.name : '');

/** "browser storage is full (1.9 GB used of 2 GB available)." */
export async function describeStorageFull(estimate: () => Promise<StorageUse | null> = estimateStorage): Promise<string> {
  const use = await estimate();
  const amount = use ? ` (${formatBytes(use.usedBytes)} used of ${formatBytes(use.quotaBytes)} available)` : '';
  return `browser storage is full${amount}.`;
}

/**
 * A sentence for the Save status when a write failed; it says what the user can do. A permanent
 * failure (`permanent`) is not retried: it says why the browser refused the data.
 */
export async function describeWriteError(error: unknown, permanent = false, estimate: () => Promise<StorageUse | null> = estimateStorage): Promise<string> {
  const name = nameOf(error);
  if (permanent) {
    const detail = error instanceof Error || error instanceof DOMException ? error.message : String(error);
    if (name === 'QuotaExceededError') return describeStorageFull(estimate);
    return `the browser refused the data (${[name, detail].filter(Boolean).join(': ') || 'no reason given'}).`;
  }
  if (name === 'QuotaExceededError') {
    return `Not saved: ${await describeStorageFull(estimate)} Delete images or projects you no longer need; Tally keeps retrying.`;
  }
  if (name === 'InvalidStateError') return 'Not saved: the database was closed (Tally was updated in another tab). Reload this tab.';
  const detail = error instanceof Error || error instanceof DOMException ? error.message : String(error);
  return `Not saved: ${detail || name || 'the browser refused the write'}. Retrying…`;
}

/**
 * Asks the browser not to evict Tally's data under storage pressure. Chrome decides without a
 * prompt; the answer is shown in Settings.
 */
export async function requestPersistence(): Promise<boolean> {
  try {
    if (await navigator.storage.persisted()) return true;
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}
