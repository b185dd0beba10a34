import { applyChange } from '../core/document';
import { isEmptyChange, type Change } from '../core/change';
import { writesForChange } from '../persistence/repository';
import type { EnqueueOptions, WriteQueue } from '../persistence/writeQueue';
import type { Write } from '../persistence/writes';
import type { Stores } from './stores';

/**
 * The one way a document changes: apply a Change to the open document in memory and hand its
 * writes to the queue in the same call, so what the user sees and what is being saved never
 * diverge. A read-only tab commits nothing.
 */
export class Editor {
  constructor(
    private readonly stores: Stores,
    private readonly queue: WriteQueue,
  ) {}

  get canEdit(): boolean {
    const { doc, mode } = this.stores.document.getState();
    return doc !== null && mode === 'edit';
  }

  /**
   * Applies and saves `change`. Returns the save promise, or null when refused because this tab
   * is read-only.
   */
  commit(change: Change): Promise<void> | null {
    if (!this.canEdit) return null;
    if (isEmptyChange(change)) return Promise.resolve();
    this.stores.document.setState((s) => (s.doc ? { doc: applyChange(s.doc, change) } : s));
    return this.queue.enqueue(writesForChange(change));
  }

  /**
   * Saves without showing (with writes that are not records, like image bytes): for imports, where nothing may appear in the list before its bytes are
   * on disk. Resolves false (saving nothing) when this tab is read-only; show the change with
   * `applySaved` once this resolves true.
   */
  async save(change: Change, extraWrites: readonly Write[], options?: EnqueueOptions): Promise<boolean> {
    if (!this.canEdit) return false;
    await this.queue.enqueue([...extraWrites, ...writesForChange(change)], options);
    return true;
  }

  /** Shows changes that `save` has committed (several at once: one store update, one render). */
  applySaved(change: Change): void {
    if (isEmptyChange(change)) return;
    this.stores.document.setState((s) => (s.doc ? { doc: applyChange(s.doc, change) } : s));
  }
}
