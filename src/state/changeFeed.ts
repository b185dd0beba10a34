import { updatesOf, type Change } from '../core/change';
import type { ImageId, ProjectId } from '../core/model';
import type { EnqueueOptions } from '../persistence/writeQueue';
import type { Write } from '../persistence/writes';

/**
 * Where a document change came from. Subscribers decide by it: history records `user`, `fix`
 * and `import` steps that are undoable; the write queue writes what is not on disk yet; the tab
 * broadcast tells other tabs about what this tab wrote; the checker re-checks what was touched,
 * whatever the source.
 */
export type ChangeSource =
  /** An edit by the person at this tab. */
  | 'user'
  | 'undo'
  | 'redo'
  /** Images or annotations brought in from files. */
  | 'import'
  /** A one-step fix chosen in the Issues table. */
  | 'fix'
  /** Bookkeeping nobody asked for (facts computed about images): never an undo step. */
  | 'system'
  /** Another tab wrote it; this tab only follows. */
  | 'remote'
  /** The screen put back in step with the disk after a refused write. */
  | 'resync';

/** One document change, published once. */
export interface DocumentEvent {
  readonly projectId: ProjectId;
  readonly source: ChangeSource;
  /** The records before and after (empty for `remote`: the other tab knows them, this one reads them). */
  readonly change: Change;
  /** Images whose record or shapes changed. */
  readonly imageIds: ReadonlySet<ImageId>;
  /** The project record changed (classes, settings): project-wide views must refresh. */
  readonly projectChanged: boolean;
  /** What it did, in the user's words (`draw box on street.jpg`). */
  readonly label: string;
  /** An undo step to record (its label is the Undo button's: `draw box`), or null. */
  readonly undo: { readonly label: string; readonly imageId: ImageId | null; readonly coalesce: string | undefined } | null;
  /** What the write queue must write ([] when it is on disk already: remote, resync, stored by an import beforehand). */
  readonly writes: readonly Write[];
  readonly writeOptions: EnqueueOptions;
}

/** An event as subscribers get it: with its save, settled when the writes are on disk (or refused). */
export interface PublishedEvent extends DocumentEvent {
  readonly saved: Promise<void>;
}

export type FeedListener = (event: PublishedEvent) => void;

/** Writes an event's writes (the write queue); resolves when they are on disk. */
export type FeedSink = (writes: readonly Write[], options: EnqueueOptions) => Promise<void>;

/** The images and project record a Change touches. */
export function touchedBy(change: Change): { imageIds: Set<ImageId>; projectChanged: boolean } {
  const imageIds = new Set<ImageId>();
  for (const u of updatesOf(change, 'images')) imageIds.add((u.after ?? u.before)!.id);
  for (const u of updatesOf(change, 'annotations')) imageIds.add((u.after ?? u.before)!.imageId);
  // A review decision is about an image (a rejection changes no shape, yet the image's review did change).
  for (const u of updatesOf(change, 'reviewDecisions')) imageIds.add((u.after ?? u.before)!.imageId);
  // A renamed layer renames shapes everywhere: project-wide views refresh.
  return { imageIds, projectChanged: updatesOf(change, 'projects').length > 0 || updatesOf(change, 'layers').length > 0 };
}

/**
 * The one feed of document changes: every change — an edit, an undo, an import, a fix, a change
 * followed from another tab — is published here once, tagged with its source. Its writes go to
 * the write queue first (the feed's sink), in publication order; then history, the tab broadcast
 * and the checker hear of it, each with the save's promise. Listeners run in subscription order.
 */
export class ChangeFeed {
  private readonly listeners: FeedListener[] = [];

  constructor(private readonly sink: FeedSink) {}

  subscribe(listener: FeedListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** Writes the event's writes and tells every listener; returns the save (it rejects if the write was refused). */
  publish(event: DocumentEvent): Promise<void> {
    // A refused edit is named in the Save status until dismissed; an import reports its own failures.
    const named = event.source === 'import' ? {} : { label: event.label };
    const saved = event.writes.length > 0 ? this.sink(event.writes, { ...named, ...event.writeOptions }) : Promise.resolve();
    const published: PublishedEvent = { ...event, saved };
    for (const l of [...this.listeners]) l(published);
    return saved;
  }
}
