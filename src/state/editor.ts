import { applyChange } from '../core/document';
import { added, isEmptyChange, removed, updated, updatesOf, type Change, type RecordUpdate } from '../core/change';
import { emptyHistory, recordCoalesced, redo, undo, withoutChange, type History } from '../core/history';
import type { Annotation, AnnotationId, ImageId, ImageRecord, Project, ProjectId } from '../core/model';
import { fail, ok, type Result } from '../core/result';
import { writesForChange } from '../persistence/repository';
import { PermanentWriteError, type EnqueueOptions, type WriteQueue } from '../persistence/writeQueue';
import type { Write } from '../persistence/writes';
import { ChangeFeed, touchedBy, type ChangeSource, type DocumentEvent } from './changeFeed';
import type { Stores } from './stores';

export interface CommitOptions {
  /** Who made it (default `user`): a fix from the Issues table says `fix`, bookkeeping `system`. */
  readonly source?: Extract<ChangeSource, 'user' | 'fix' | 'import' | 'system'>;
  /** Record an undo step (default true; never for `system`). */
  readonly undoable?: boolean;
  /** The image whose shapes the change edits: undo shows it before undoing. */
  readonly imageId?: ImageId | null;
  /** What the step did, e.g. `draw box` (Undo's tooltip). */
  readonly label?: string;
  /** Consecutive commits with the same key are one undo step (typing into a field). */
  readonly coalesce?: string;
}

/** Reads one image's annotations from storage (the repository, or a fake in tests). */
export type AnnotationLoader = (projectId: ProjectId, imageId: ImageId) => Promise<Annotation[]>;

/** What the editor reads back from storage (the repository, or a fake in tests). */
export interface DocumentReader {
  readonly annotations: AnnotationLoader;
  /** The stored project record and the stored versions of some of its images (missing ones left out). */
  records(projectId: ProjectId, imageIds: readonly ImageId[]): Promise<{ readonly project: Project | null; readonly images: readonly ImageRecord[] }>;
}

/** Images whose annotations stay in memory once shown (most recently shown kept). */
const CACHE_IMAGES = 64;

/**
 * The one way a document changes: apply a Change to what is in memory (document store, shown
 * annotations) and publish it on the change feed in the same call — the feed writes it through
 * the queue and tells history, the tab broadcast and the checker — so what the user sees and what
 * is being saved never diverge. A read-only tab commits nothing.
 */
export class Editor {
  /** Every document change, published once (see ChangeFeed). */
  readonly feed: ChangeFeed;
  private history: History = emptyHistory;
  /** Annotations per image, kept current by every commit (insertion order = recency). */
  private readonly cache = new Map<ImageId, readonly Annotation[]>();
  /** The last save touching each image's annotations, so a reload from disk waits for it. */
  private readonly pending = new Map<ImageId, Promise<void>>();
  /** Reads of annotations under way, by image (one read per image at a time). */
  private readonly reading = new Map<ImageId, Promise<readonly Annotation[] | null>>();
  /** Bumped by reset: a read started before it may be older than what is on disk now. */
  private generation = 0;

  constructor(
    private readonly stores: Stores,
    private readonly queue: WriteQueue,
    private readonly reader: DocumentReader,
  ) {
    this.feed = new ChangeFeed((writes, options) => this.queue.enqueue(writes, options));
    // History: an undoable step is recorded as it is published.
    this.feed.subscribe((e) => {
      if (!e.undo) return;
      this.history = recordCoalesced(this.history, { change: e.change, imageId: e.undo.imageId, label: e.undo.label, coalesce: e.undo.coalesce });
      this.publishHistory();
    });
  }

  get canEdit(): boolean {
    const { doc, mode } = this.stores.document.getState();
    return doc !== null && mode === 'edit';
  }

  /**
   * Applies and saves `change`. Returns the save promise, or null when refused because this tab
   * is read-only.
   */
  commit(change: Change, options: CommitOptions = {}): Promise<void> | null {
    if (!this.canEdit) return null;
    if (isEmptyChange(change)) return Promise.resolve();
    const source = options.source ?? 'user';
    const imageId = options.imageId ?? null;
    const label = options.label ?? 'edit';
    const undoable = options.undoable !== false && source !== 'system';
    return this.apply(change, {
      source,
      label: this.describe(label, imageId),
      undo: undoable ? { label, imageId, coalesce: options.coalesce } : null,
    });
  }

  /**
   * Writes a change to a project that is not open here (renaming one from the project list):
   * nothing in memory changes and no undo step is recorded, but it goes the one way every
   * document change goes, through the feed.
   */
  commitElsewhere(change: Change, label: string): Promise<void> {
    const open = this.stores.document.getState().doc?.project.id;
    const projectId = projectOf(change);
    if (projectId === null || projectId === open) return Promise.reject(new Error('commitElsewhere is for projects that are not open here'));
    return this.feed.publish({ ...eventOf(change, projectId, 'user', label, null), writes: writesForChange(change) });
  }

  /**
   * Another tab wrote to the open project (this tab follows it read-only): the checker and
   * anything else watching hear which images changed. Nothing is written.
   */
  followRemote(imageIds: Iterable<ImageId>, projectChanged: boolean): void {
    const doc = this.stores.document.getState().doc;
    if (!doc) return;
    void this.feed.publish({
      projectId: doc.project.id,
      source: 'remote',
      change: { updates: [] },
      imageIds: new Set(imageIds),
      projectChanged,
      label: 'changes from another tab',
      undo: null,
      writes: [],
      writeOptions: {},
    });
  }

  /**
   * Goes up with every change this editor makes or saves (and on reset): a copy of the project
   * taken at one revision is still current while the revision is the same (the export reuses
   * the snapshot it read when its dialog opened).
   */
  revision = 0;

  /** `draw box on street.jpg`: what a step did, for the Save status if the disk refuses it. */
  private describe(label: string, imageId: ImageId | null): string {
    const doc = this.stores.document.getState().doc;
    const at = imageId === null ? undefined : doc?.imageIndex.get(imageId);
    const image = at === undefined ? undefined : doc?.images[at];
    return image ? `${label} on ${image.fileName}` : label;
  }

  /** Shows a change and publishes it (the feed writes it): what commit, undo and redo share. */
  private apply(change: Change, how: { source: ChangeSource; label: string; undo: DocumentEvent['undo'] }): Promise<void> {
    this.revision++;
    this.stores.document.setState((s) => (s.doc ? { doc: applyChange(s.doc, change) } : s));
    this.applyToAnnotations(change);
    const projectId = this.stores.document.getState().doc?.project.id ?? projectOf(change);
    const saved = this.feed.publish({ ...eventOf(change, projectId!, how.source, how.label, how.undo), writes: writesForChange(change) });
    const settled = saved.catch((e: unknown) => {
      if (e instanceof PermanentWriteError) return this.refused(change);
    });
    for (const u of updatesOf(change, 'annotations')) {
      const imageId = (u.after ?? u.before)!.imageId;
      this.pending.set(imageId, settled);
    }
    return saved;
  }

  async undo(): Promise<Result<null>> {
    return this.step('undo');
  }

  async redo(): Promise<Result<null>> {
    return this.step('redo');
  }

  private async step(direction: 'undo' | 'redo'): Promise<Result<null>> {
    if (!this.canEdit) return fail('This tab is read-only.');
    const next = direction === 'undo' ? undo(this.history) : redo(this.history);
    if (!next) return ok(null);
    const { entry, apply } = next;
    if (entry.imageId !== null && entry.imageId !== this.stores.session.getState().currentImageId) {
      this.stores.session.setState({ currentImageId: entry.imageId, selection: [] });
      await this.showImage(entry.imageId);
    }
    if (!this.matches(apply)) {
      // Something changed those records outside this history (it should not happen): refuse
      // rather than overwrite newer work with older.
      this.history = emptyHistory;
      this.publishHistory();
      return fail(`Cannot ${direction} “${entry.label}”: the shapes have changed since. The undo history was cleared.`);
    }
    this.history = next.history;
    this.publishHistory();
    void this.apply(apply, { source: direction, label: this.describe(`${direction} ${entry.label}`, entry.imageId), undo: null });
    const touched = updatesOf(apply, 'annotations')
      .filter((u) => u.after !== null && u.after.imageId === this.stores.session.getState().currentImageId)
      .map((u) => u.after!.id);
    this.stores.session.setState({ selection: touched });
    return ok(null);
  }

  /** Does the document in memory hold exactly each update's `before`? */
  private matches(change: Change): boolean {
    const doc = this.stores.document.getState().doc;
    if (!doc) return false;
    for (const u of change.updates) {
      let now: unknown;
      if (u.table === 'projects') now = (u.before ?? u.after)!.id === doc.project.id ? doc.project : null;
      else if (u.table === 'images') {
        const id = (u.before ?? u.after)!.id;
        const at = doc.imageIndex.get(id);
        now = at === undefined ? null : doc.images[at];
      } else if (u.table === 'dismissals' || u.table === 'reviewDecisions') {
        continue; // not held in memory: only this editor writes them
      } else if (u.table === 'layers') {
        const id = (u.before ?? u.after)!.id;
        now = doc.layers.find((l) => l.id === id) ?? null;
      } else {
        const rec = (u.before ?? u.after)!;
        const list = this.cache.get(rec.imageId);
        if (!list) continue; // not in memory: nothing but this editor can have changed it
        now = list.find((a) => a.id === rec.id) ?? null;
      }
      if (now !== u.before && JSON.stringify(now) !== JSON.stringify(u.before)) return false;
    }
    return true;
  }

  private publishHistory(): void {
    const last = <T>(xs: readonly T[]): T | undefined => xs[xs.length - 1];
    this.stores.history.setState({ undoLabel: last(this.history.past)?.label ?? null, redoLabel: last(this.history.future)?.label ?? null });
  }

  private applyToAnnotations(change: Change): void {
    const byImage = new Map<ImageId, { removed: Set<AnnotationId>; upserts: Annotation[] }>();
    for (const u of updatesOf(change, 'annotations')) {
      const imageId = (u.after ?? u.before)!.imageId;
      let entry = byImage.get(imageId);
      if (!entry) byImage.set(imageId, (entry = { removed: new Set(), upserts: [] }));
      if (u.after) entry.upserts.push(u.after);
      else entry.removed.add(u.before!.id);
    }
    const shown = this.stores.annotations.getState();
    for (const [imageId, edits] of byImage) {
      const list = this.cache.get(imageId);
      if (!list) {
        // Its shapes are being read: the read may predate this change, so it is applied on arrival.
        this.lateEdits.get(imageId)?.push(edits);
        continue;
      }
      const next = withEdits(list, edits);
      this.cache.set(imageId, next);
      if (shown.imageId === imageId) this.stores.annotations.setState({ items: next });
    }
    // Deleted shapes leave the selection.
    const { selection } = this.stores.session.getState();
    const gone = new Set(updatesOf(change, 'annotations').filter((u) => u.after === null).map((u) => u.before!.id));
    if (gone.size > 0 && selection.some((id) => gone.has(id))) {
      this.stores.session.setState({ selection: selection.filter((id) => !gone.has(id)) });
    }
  }

  /** The annotations of `imageId` as they are now (null until loaded). */
  annotationsOf(imageId: ImageId): readonly Annotation[] | null {
    return this.cache.get(imageId) ?? null;
  }

  /** Puts an image's annotations on screen: at once from memory, else after reading them. */
  async showImage(imageId: ImageId | null, projectId = this.stores.document.getState().doc?.project.id): Promise<void> {
    if (imageId === null) {
      this.stores.annotations.setState({ imageId: null, items: [] });
      return;
    }
    const cached = this.cache.get(imageId);
    this.stores.annotations.setState({ imageId, items: cached ?? null });
    if (cached) {
      this.cache.delete(imageId);
      this.cache.set(imageId, cached);
      return;
    }
    if (projectId === undefined) return;
    const items = await this.read(projectId, imageId);
    // Shown only if that image is still the one on screen (the user may have moved on).
    if (items && this.stores.annotations.getState().imageId === imageId) this.stores.annotations.setState({ imageId, items });
  }

  /**
   * Reads an image's annotations once, however many callers ask at the same time (an undo that
   * opens another image asks, and so does the image switch it causes), after any save of that
   * image's annotations has landed. Null when a reset happened meanwhile: the read may be older
   * than what is on disk now, and a newer one is under way.
   */
  /** Per image being read: the edits made to it meanwhile (applied to what the read returns). */
  private readonly lateEdits = new Map<ImageId, AnnotationEdits[]>();

  private read(projectId: ProjectId, imageId: ImageId): Promise<readonly Annotation[] | null> {
    const running = this.reading.get(imageId);
    if (running) return running;
    const generation = this.generation;
    const late: AnnotationEdits[] = [];
    this.lateEdits.set(imageId, late);
    const reading = (async () => {
      await this.pending.get(imageId);
      const loaded = await this.reader.annotations(projectId, imageId);
      if (this.lateEdits.get(imageId) === late) this.lateEdits.delete(imageId);
      if (generation !== this.generation) return null;
      // Edits made while reading (a paste onto an image still loading) win over what was read.
      const items = late.reduce(withEdits, loaded).sort((a, b) => a.createdAt - b.createdAt);
      this.remember(imageId, items);
      return items;
    })().finally(() => {
      if (this.reading.get(imageId) === reading) this.reading.delete(imageId);
    });
    this.reading.set(imageId, reading);
    return reading;
  }

  private remember(imageId: ImageId, items: readonly Annotation[]): void {
    this.cache.set(imageId, items);
    while (this.cache.size > CACHE_IMAGES) {
      const oldest = this.cache.keys().next().value as ImageId;
      this.cache.delete(oldest);
    }
  }

  /**
   * The disk refused `change` for good (the queue says so in the Save status). Put the screen back
   * in step with the disk: the steps built on it leave the history at once, and once every
   * write queued meanwhile has landed, the records it touched are read back and shown as stored.
   */
  private async refused(change: Change): Promise<void> {
    this.history = withoutChange(this.history, change);
    this.publishHistory();
    const generation = this.generation;
    await this.queue.whenIdle();
    const doc = this.stores.document.getState().doc;
    if (!doc || generation !== this.generation) return;
    const projectId = doc.project.id;
    const imageIds = [...new Set(updatesOf(change, 'images').map((u) => (u.after ?? u.before)!.id))];
    const shapes = updatesOf(change, 'annotations').map((u) => (u.after ?? u.before)!);
    const shownImages = [...new Set(shapes.map((a) => a.imageId))].filter((id) => this.cache.has(id));
    const [stored, ...storedShapes] = await Promise.all([
      this.reader.records(projectId, imageIds),
      ...shownImages.map((id) => this.reader.annotations(projectId, id)),
    ]);
    const now = this.stores.document.getState().doc;
    if (!now || now.project.id !== projectId || generation !== this.generation) return;
    const updates: RecordUpdate[] = [];
    const resync = <K extends 'projects' | 'images' | 'annotations'>(table: K, mem: RecordUpdate<K>['before'], disk: RecordUpdate<K>['before']) => {
      if (mem === disk || JSON.stringify(mem) === JSON.stringify(disk)) return;
      updates.push((mem === null ? added(table, disk!) : disk === null ? removed(table, mem) : updated(table, mem, disk)) as RecordUpdate);
    };
    if (updatesOf(change, 'projects').length > 0 && stored.project) resync('projects', now.project, stored.project);
    const storedImages = new Map(stored.images.map((i) => [i.id, i]));
    for (const id of imageIds) {
      const at = now.imageIndex.get(id);
      resync('images', at === undefined ? null : now.images[at]!, storedImages.get(id) ?? null);
    }
    const onDisk = new Map(storedShapes.flat().map((a) => [a.id, a]));
    for (const a of shapes) {
      if (!shownImages.includes(a.imageId)) continue;
      const mem = this.cache.get(a.imageId)?.find((x) => x.id === a.id) ?? null;
      resync('annotations', mem, onDisk.get(a.id) ?? null);
    }
    if (updates.length === 0) return;
    const back: Change = { updates };
    this.revision++;
    this.stores.document.setState((s) => (s.doc ? { doc: applyChange(s.doc, back) } : s));
    this.applyToAnnotations(back);
    void this.feed.publish({ ...eventOf(back, projectId, 'resync', 'put back as stored', null), writes: [] });
  }

  /** Forgets everything in memory (project closed, or reloaded from another tab's writes). */
  reset(): void {
    this.revision++;
    this.history = emptyHistory;
    this.publishHistory();
    this.cache.clear();
    this.reading.clear();
    this.generation++;
    this.stores.annotations.setState({ imageId: null, items: null });
  }

  /**
   * Saves without showing (with writes that are not records, like image bytes): for imports, where nothing may appear in the list before its bytes are
   * on disk. Resolves false (saving nothing) when this tab is read-only; show the change with
   * `applySaved` once this resolves true.
   */
  async save(change: Change, extraWrites: readonly Write[], options: EnqueueOptions = {}): Promise<boolean> {
    const doc = this.stores.document.getState().doc;
    if (!this.canEdit || !doc) return false;
    this.revision++;
    await this.feed.publish({
      ...eventOf(change, doc.project.id, 'import', 'import', null),
      writes: [...extraWrites, ...writesForChange(change)],
      writeOptions: options,
    });
    return true;
  }

  /** Shows changes that `save` has committed (several at once: one store update, one render). */
  applySaved(change: Change): void {
    if (isEmptyChange(change)) return;
    this.stores.document.setState((s) => (s.doc ? { doc: applyChange(s.doc, change) } : s));
  }
}

/** One commit's edits to one image's shapes: the ids deleted, and the records added or replaced. */
interface AnnotationEdits {
  readonly removed: ReadonlySet<AnnotationId>;
  readonly upserts: readonly Annotation[];
}

/**
 * `list` with `edits` applied, as a new array: deleted shapes left out, replaced ones swapped in
 * place, new ones appended in the order given. `list` itself is not changed.
 */
function withEdits(list: readonly Annotation[], { removed, upserts }: AnnotationEdits): Annotation[] {
  const replaced = new Map(upserts.map((a) => [a.id, a]));
  const next: Annotation[] = [];
  for (const a of list) {
    if (removed.has(a.id)) continue;
    const r = replaced.get(a.id);
    next.push(r ?? a);
    if (r) replaced.delete(a.id);
  }
  // What was not in the list is new (in the order given).
  for (const a of upserts) if (replaced.get(a.id) === a) next.push(a);
  return next;
}

/** The project a change's records belong to (null for an empty change). */
function projectOf(change: Change): ProjectId | null {
  const u = change.updates[0];
  if (!u) return null;
  const rec = (u.after ?? u.before)!;
  return u.table === 'projects' ? (rec as Project).id : (rec as ImageRecord | Annotation).projectId;
}

/** The feed event of a change (its writes filled in by the caller). */
function eventOf(change: Change, projectId: ProjectId, source: ChangeSource, label: string, undo: DocumentEvent['undo']): Omit<DocumentEvent, 'writes'> & { writes: readonly Write[]; writeOptions: EnqueueOptions } {
  const { imageIds, projectChanged } = touchedBy(change);
  return { projectId, source, change, imageIds, projectChanged, label, undo, writes: [], writeOptions: {} };
}
