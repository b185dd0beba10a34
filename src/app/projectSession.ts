import { createDocument } from '../core/document';
import type { ImageId, ImageRecord, ProjectId } from '../core/model';
import { writesForSetting } from '../persistence/repository';
import { openedKey } from '../persistence/schema';
import { holdProjectLock, type ProjectLock } from '../persistence/projectLock';
import { initialSession, pushNotice, type EditMode } from '../state/stores';
import type { Services } from './services';

/**
 * Opening a project: take the edit lock (or start read-only), load the project and its image
 * records into the document store, and keep a read-only view in step with the editing tab.
 */
export class ProjectSession {
  private lock: ProjectLock | null = null;
  private unsubscribe: () => void = () => undefined;
  private openId: ProjectId | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly services: Services,
    /** What else forgets the project when it closes (the checker's report). */
    private readonly onClose: () => void = () => undefined,
  ) {}

  get projectId(): ProjectId | null {
    return this.openId;
  }

  async open(projectId: ProjectId): Promise<boolean> {
    if (this.openId === projectId) return true;
    await this.close();
    this.openId = projectId;
    const { stores } = this.services;
    const lock = holdProjectLock(projectId, () => void this.becomeEditor(projectId));
    this.lock = lock;
    // Reading needs no lock: read while the lock decides whether this tab edits (the document
    // appears only with its mode, so nothing is editable before the lock has answered).
    const loaded = await this.load(projectId, lock.initialMode);
    if (this.openId !== projectId) return false; // closed while waiting
    if (!loaded) {
      pushNotice(stores, 'error', 'That project does not exist (it may have been deleted in another tab).');
      await this.close();
      return false;
    }
    const unfollow = this.services.broadcast.subscribe((m) => {
      if (m.projectIds.includes(projectId) && stores.document.getState().mode === 'read-only') this.scheduleRefresh(projectId, m.imageIds, m.projectChanged ?? true);
    });
    // A different image: its shapes come up, the selection and any half-drawn shape go, and
    // the project remembers it (reopening starts there).
    this.remember(projectId, stores.session.getState().currentImageId);
    const unwatch = stores.session.subscribe((s, prev) => {
      if (s.currentImageId !== prev.currentImageId) {
        stores.session.setState({ selection: [] });
        void this.services.editor.showImage(s.currentImageId);
        this.remember(projectId, s.currentImageId);
      }
    });
    this.unsubscribe = () => {
      unfollow();
      unwatch();
    };
    return true;
  }

  /** Leaves the project: lets pending writes land, then hands the lock to a waiting tab. */
  async close(): Promise<void> {
    const lock = this.lock;
    this.lock = null;
    this.openId = null;
    this.unsubscribe();
    this.unsubscribe = () => undefined;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    const { stores, queue } = this.services;
    stores.document.setState({ doc: null, mode: 'edit' });
    stores.session.setState((s) => ({ ...initialSession, annotatorName: s.annotatorName, settingsOpen: s.settingsOpen, shortcutsOpen: s.shortcutsOpen, tool: s.tool, clipboard: s.clipboard }));
    this.services.editor.reset();
    this.onClose();
    if (lock) {
      await queue.whenIdle();
      lock.release();
    }
  }

  /** Notes where the project was left, for reopening it and for the start page. */
  private remember(projectId: ProjectId, imageId: ImageId | null): void {
    if (this.openId !== projectId) return;
    void this.services.queue.enqueue(writesForSetting({ key: openedKey(projectId), value: { imageId, at: Date.now() } })).catch(() => undefined);
  }

  /** Reads the project into the stores; with `mode`, shows it in that mode (else keeps the current one). */
  private async load(projectId: ProjectId, mode?: Promise<EditMode>): Promise<boolean> {
    const { repo, stores } = this.services;
    const [project, images, layers, lastOpened] = await Promise.all([repo.getProject(projectId), repo.listImages(projectId), repo.listLayers(projectId), repo.lastOpened(projectId)]);
    if (!project || this.openId !== projectId) return false;
    const doc = createDocument(project, images, layers);
    const session = stores.session.getState();
    const open = [session.currentImageId, lastOpened?.imageId ?? null].find((id): id is ImageId => id !== null && doc.imageIndex.has(id as ImageId)) ?? firstToOpen(doc.images);
    // What is in memory may be older than what was just read: start from disk again. The open
    // image's shapes and pixels are asked for first, so they load while React renders the page.
    this.services.editor.reset();
    if (open !== null) this.services.bitmaps.prefetch(projectId, open);
    void this.services.editor.showImage(open, projectId);
    const editMode = mode ? await mode : stores.document.getState().mode;
    if (this.openId !== projectId) return false;
    stores.document.setState({ doc, mode: editMode });
    const activeClass = project.classes.some((c) => c.id === session.activeClassId) ? session.activeClassId : (project.classes[0]?.id ?? null);
    stores.session.setState({ currentImageId: open, activeClassId: activeClass });
    return true;
  }

  private async becomeEditor(projectId: ProjectId): Promise<void> {
    if (this.openId !== projectId) return;
    // The other tab has left: read what it saved, then take over.
    await this.load(projectId);
    this.services.stores.document.setState({ mode: 'edit' });
    pushNotice(this.services.stores, 'info', 'The other tab closed this project; you can edit it here now.');
  }

  /** Images and project changes heard from the editing tab since the last refresh. */
  private followed: { imageIds: Set<ImageId> | null; projectChanged: boolean } = { imageIds: new Set(), projectChanged: false };

  private scheduleRefresh(projectId: ProjectId, imageIds: readonly string[] | undefined, projectChanged: boolean): void {
    const f = this.followed;
    if (!imageIds) f.imageIds = null; // unknown: every image
    else if (f.imageIds) for (const id of imageIds) f.imageIds.add(id as ImageId);
    f.projectChanged ||= projectChanged;
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      const heard = this.followed;
      this.followed = { imageIds: new Set(), projectChanged: false };
      void this.load(projectId).then((loaded) => {
        if (!loaded) return;
        const doc = this.services.stores.document.getState().doc;
        // Published on the change feed as the other tab's: the checker re-checks those images.
        this.services.editor.followRemote(heard.imageIds ?? (doc?.images.map((i) => i.id) ?? []), heard.projectChanged || heard.imageIds === null);
      });
    }, 150);
  }
}

/** Where a project never opened here starts: the first image that is not done, else the first. */
function firstToOpen(images: readonly ImageRecord[]): ImageId | null {
  return (images.find((i) => i.status !== 'done') ?? images[0])?.id ?? null;
}
