import type { Change, RecordUpdate, Table } from '../core/change';
import type { Annotation, ClassId, Dismissal, ImageId, ImageRecord, Layer, Project, ProjectId, ReviewDecision } from '../core/model';
import { restoreAnnotation, restoreLayer } from '../core/validate';
import type { Result } from '../core/result';
import type { TallyDb } from './db';
import { openedKey, prefixRange, type LastOpened, type Setting } from './schema';
import { compactedEntry, foldLog, shapeClock, shapeLogEntries, sortById, type FoldedRun, type ShapeClock } from './shapeLog';
import type { Write } from './writes';

export interface ProjectSummary {
  readonly project: Project;
  readonly imageCount: number;
  readonly annotationCount: number;
  /** Images marked done (background included). */
  readonly doneCount: number;
  /** When it was last opened in this browser, and the image that was open (null: never). */
  readonly lastOpened: LastOpened | null;
  /** The image to show as the project's picture: the one open last, else the first; null without images. */
  readonly coverImageId: ImageId | null;
}

/** A stored record that could not be used as it is (left out of what was read, still on disk). */
export interface BadRecord {
  readonly store: 'shapeLog' | 'layers';
  readonly reason: string;
}

/** A layer on an image whose shapes took more log entries than this is compacted when read (annotationsOfImage). */
export const COMPACT_AT = 32;

export interface RepositoryOptions {
  readonly onBadRecord?: (bad: BadRecord) => void;
  /**
   * Compact long runs of shape log entries met by annotationsOfImage (one readwrite transaction
   * each, after the read). The page's repository does; workers' only read.
   */
  readonly compact?: boolean;
  /** The clock that later writes take their seqs from: every entry read is shown to it. */
  readonly clock?: ShapeClock;
}

/**
 * Reads. Every method is one readonly transaction; writes go through the WriteQueue. Annotations
 * and layers are checked as they are read (core/validate restore*): what can be restored is,
 * what cannot is left out and reported to `onBadRecord` — never trusted blindly. Annotations are
 * stored as a log (shapeLog.ts) and folded here.
 */
export class Repository {
  private readonly onBadRecord: (bad: BadRecord) => void;
  private readonly clock: ShapeClock;
  private readonly compact: boolean;

  constructor(
    readonly db: TallyDb,
    options: RepositoryOptions = {},
  ) {
    this.onBadRecord = options.onBadRecord ?? ((bad) => console.warn(`Tally: a stored record in ${bad.store} was left out: ${bad.reason}`));
    this.clock = options.clock ?? shapeClock;
    this.compact = options.compact ?? false;
  }

  private restored<T>(store: BadRecord['store'], raw: readonly unknown[], restore: (r: unknown) => Result<T>): T[] {
    const out: T[] = [];
    for (const r of raw) {
      const checked = restore(r);
      if (checked.ok) out.push(checked.value);
      else this.onBadRecord({ store, reason: checked.message });
    }
    return out;
  }

  /** Shows the clock the newest stored shape log entry, so this page's entries go after every stored one (call once at start-up). */
  async startClock(): Promise<void> {
    const newest = await this.db.transaction('shapeLog').store.index('bySeq').openKeyCursor(null, 'prev');
    if (newest) this.clock.observe(newest.key);
  }

  /** All projects, the one opened last first (then the newest), with counts, progress and a cover image. */
  async listProjects(): Promise<ProjectSummary[]> {
    const tx = this.db.transaction(['projects', 'images', 'settings'], 'readonly');
    const projects = await tx.objectStore('projects').getAll();
    const images = tx.objectStore('images');
    // The shape count is the images' counts summed (every change of shapes keeps its image's count).
    const shapeCount = async (projectId: string): Promise<number> => (await images.getAll(prefixRange([projectId]))).reduce((n, i) => n + i.annotationCount, 0);
    const summaries = await Promise.all(
      projects.map(async (project): Promise<ProjectSummary> => {
        const [imageCount, annotationCount, doneCount, opened, first] = await Promise.all([
          images.count(prefixRange([project.id])),
          shapeCount(project.id),
          images.index('byStatus').count([project.id, 'done']),
          tx.objectStore('settings').get(openedKey(project.id)),
          images.index('bySeq').openCursor(IDBKeyRange.bound([project.id, -Infinity], [project.id, Infinity])),
        ]);
        const lastOpened = (opened?.value as LastOpened | undefined) ?? null;
        const lastImage = lastOpened?.imageId ? await images.getKey([project.id, lastOpened.imageId]) : undefined;
        const coverImageId = lastImage ? (lastOpened!.imageId as ImageId) : (first?.value.id ?? null);
        return { project, imageCount, annotationCount, doneCount, lastOpened, coverImageId };
      }),
    );
    const recency = (s: ProjectSummary) => s.lastOpened?.at ?? s.project.createdAt;
    return summaries.sort((a, b) => recency(b) - recency(a));
  }

  /** Where a project was left (null: never opened here). */
  async lastOpened(projectId: ProjectId): Promise<LastOpened | null> {
    const s = await this.db.get('settings', openedKey(projectId));
    return (s?.value as LastOpened | undefined) ?? null;
  }

  getProject(id: ProjectId): Promise<Project | undefined> {
    return this.db.get('projects', id);
  }

  /** A project's images in import order. */
  listImages(projectId: ProjectId): Promise<ImageRecord[]> {
    return this.db.getAllFromIndex('images', 'bySeq', IDBKeyRange.bound([projectId, -Infinity], [projectId, Infinity]));
  }

  async getImageBlob(projectId: ProjectId, imageId: ImageId): Promise<Blob | undefined> {
    return (await this.db.get('imageBlobs', [projectId, imageId]))?.blob;
  }

  /** The stored bytes of several images in one transaction; images without them are left out. */
  async getImageBlobs(projectId: ProjectId, imageIds: readonly ImageId[]): Promise<Map<ImageId, Blob>> {
    const store = this.db.transaction('imageBlobs').store;
    const found = await Promise.all(imageIds.map((id) => store.get([projectId, id])));
    const out = new Map<ImageId, Blob>();
    found.forEach((b, i) => b && out.set(imageIds[i]!, b.blob));
    return out;
  }

  /** Thumbnails of several images in one transaction; images without one are left out. */
  async getThumbnails(projectId: ProjectId, imageIds: readonly ImageId[]): Promise<Map<ImageId, Blob>> {
    const store = this.db.transaction('thumbnails').store;
    const found = await Promise.all(imageIds.map((id) => store.get([projectId, id])));
    const out = new Map<ImageId, Blob>();
    found.forEach((t, i) => t && out.set(imageIds[i]!, t.blob));
    return out;
  }

  /** The project record and some of its image records as stored, in one transaction (missing images left out). */
  async records(projectId: ProjectId, imageIds: readonly ImageId[]): Promise<{ project: Project | null; images: ImageRecord[] }> {
    const tx = this.db.transaction(['projects', 'images'], 'readonly');
    const [project, ...images] = await Promise.all([tx.objectStore('projects').get(projectId), ...imageIds.map((id) => tx.objectStore('images').get([projectId, id]))]);
    return { project: project ?? null, images: images.filter((i): i is ImageRecord => i !== undefined) };
  }

  /** An image's shapes (all layers), by id. Long runs of log entries are compacted afterwards (option `compact`). */
  async annotationsOfImage(projectId: ProjectId, imageId: ImageId): Promise<Annotation[]> {
    const runs = this.folded(await this.db.getAll('shapeLog', prefixRange([projectId, imageId])));
    const out: Annotation[] = [];
    const long: FoldedRun[] = [];
    for (const run of runs) {
      const { shapes, bad } = this.restoredRun(run);
      for (const a of shapes) out.push(a);
      if (this.compact && run.entries > COMPACT_AT && bad === 0) long.push(run);
    }
    if (long.length > 0) void this.compactRuns(long).catch((e: unknown) => console.warn('Tally: compacting stored shapes failed (nothing is lost)', e));
    return sortById(out);
  }

  /** Every annotation of a project (all layers), image by image in key order, each image's by id. */
  async listAnnotations(projectId: ProjectId): Promise<Annotation[]> {
    return this.byImage(this.folded(await this.db.getAll('shapeLog', prefixRange([projectId]))));
  }

  /** The shapes of one class: the entries that ever held it lead to their layers, which are folded whole. */
  async annotationsOfClass(projectId: ProjectId, classId: ClassId): Promise<Annotation[]> {
    const tx = this.db.transaction('shapeLog');
    const keys = await tx.store.index('byClass').getAllKeys([projectId, classId]);
    const runs = new Map(keys.map(([p, i, l]) => [`${i}\u0000${l}`, [p, i, l] as const]));
    const entries = await Promise.all([...runs.values()].map((prefix) => tx.store.getAll(prefixRange(prefix))));
    return this.byImage(this.folded(entries.flat())).filter((a) => a.classId === classId);
  }

  private folded(entries: readonly unknown[]): FoldedRun[] {
    return foldLog(entries, (reason) => this.onBadRecord({ store: 'shapeLog', reason }), this.clock);
  }

  private restoredRun(run: FoldedRun): { shapes: Annotation[]; bad: number } {
    const shapes = this.restored('shapeLog', run.shapes, restoreAnnotation);
    return { shapes, bad: run.shapes.length - shapes.length };
  }

  /** Runs (in key order) as one list: image by image, each image's shapes by id. */
  private byImage(runs: readonly FoldedRun[]): Annotation[] {
    const out: Annotation[] = [];
    let image: Annotation[] = [];
    let imageKey = '';
    for (const run of runs) {
      const key = `${run.projectId}\u0000${run.imageId}`;
      if (key !== imageKey) {
        for (const a of sortById(image)) out.push(a);
        image = [];
        imageKey = key;
      }
      for (const a of this.restoredRun(run).shapes) image.push(a);
    }
    for (const a of sortById(image)) out.push(a);
    return out;
  }

  /**
   * Each run's entries become one, in one readwrite transaction: read again (entries saved since
   * the read are included), folded, the old entries deleted and the folded one put under the last
   * one's key. Atomic: if the page closes meanwhile, the old entries stay as they were.
   */
  private async compactRuns(runs: readonly FoldedRun[]): Promise<void> {
    const tx = this.db.transaction('shapeLog', 'readwrite');
    for (const { projectId, imageId, layerId } of runs) {
      const prefix = [projectId, imageId, layerId];
      const [run] = foldLog(await tx.store.getAll(prefixRange(prefix)), () => undefined);
      if (!run || run.entries <= 1) continue;
      const shapes: Annotation[] = [];
      for (const raw of run.shapes) {
        const checked = restoreAnnotation(raw);
        if (!checked.ok) break;
        shapes.push(checked.value);
      }
      if (shapes.length !== run.shapes.length) continue; // a record that cannot be read stays as it is stored
      await tx.store.delete(IDBKeyRange.bound([...prefix, -Infinity], [...prefix, run.lastSeq]));
      await tx.store.put(compactedEntry(run, shapes));
    }
    await tx.done;
  }

  /** A project's layers (annotators', consensus), oldest first. */
  async listLayers(projectId: ProjectId): Promise<Layer[]> {
    const layers = this.restored('layers', await this.db.getAll('layers', prefixRange([projectId])), restoreLayer);
    return layers.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** The review decisions of a project, or of one image. */
  listDecisions(projectId: ProjectId, imageId?: ImageId): Promise<ReviewDecision[]> {
    if (imageId !== undefined) return this.db.getAllFromIndex('reviewDecisions', 'byImage', [projectId, imageId]);
    return this.db.getAll('reviewDecisions', prefixRange([projectId]));
  }

  /** The checker issues dismissed in a project. */
  listDismissals(projectId: ProjectId): Promise<Dismissal[]> {
    return this.db.getAll('dismissals', prefixRange([projectId]));
  }

  async getSetting(key: 'annotatorName'): Promise<string | undefined> {
    const s = await this.db.get('settings', key);
    return typeof s?.value === 'string' ? s.value : undefined;
  }
}

// --- Writes: pure functions from records to idempotent writes ---------------------------------

function keyedWrite(u: RecordUpdate<Exclude<Table, 'annotations'>>): Write[] {
  switch (u.table) {
    case 'projects': {
      if (u.after) return [{ op: 'put', store: 'projects', value: u.after }];
      return u.before ? [{ op: 'delete', store: 'projects', key: u.before.id }] : [];
    }
    case 'images': {
      const out: Write[] = [];
      const { before, after } = u;
      if (before && (!after || after.projectId !== before.projectId || after.id !== before.id)) {
        out.push({ op: 'delete', store: 'images', key: [before.projectId, before.id] });
      }
      if (after) out.push({ op: 'put', store: 'images', value: after });
      return out;
    }
    case 'dismissals': {
      if (u.after) return [{ op: 'put', store: 'dismissals', value: u.after }];
      return u.before ? [{ op: 'delete', store: 'dismissals', key: [u.before.projectId, u.before.id] }] : [];
    }
    case 'layers': {
      if (u.after) return [{ op: 'put', store: 'layers', value: u.after }];
      return u.before ? [{ op: 'delete', store: 'layers', key: [u.before.projectId, u.before.id] }] : [];
    }
    case 'reviewDecisions': {
      if (u.after) return [{ op: 'put', store: 'reviewDecisions', value: u.after }];
      return u.before ? [{ op: 'delete', store: 'reviewDecisions', key: [u.before.projectId, u.before.id] }] : [];
    }
  }
}

/**
 * The writes that make the disk match a Change's `after` side: the records in the Change's
 * order, then one shape log entry per layer and image whose shapes it changed (seqs from `clock`).
 */
export function writesForChange(change: Change, clock: ShapeClock = shapeClock): Write[] {
  const out: Write[] = [];
  const shapes: RecordUpdate<'annotations'>[] = [];
  for (const u of change.updates) {
    if (u.table === 'annotations') shapes.push(u);
    else out.push(...keyedWrite(u));
  }
  for (const value of shapeLogEntries(shapes, clock)) out.push({ op: 'put', store: 'shapeLog', value });
  return out;
}

/**
 * The bytes and thumbnail of an image. They go in the same transaction as the Change that adds
 * its record, so an image is never listed without its pixels.
 */
export function writesForImageFiles(image: ImageRecord, bytes: Blob, thumbnail: Blob): Write[] {
  const ids = { projectId: image.projectId, imageId: image.id };
  return [
    { op: 'put', store: 'imageBlobs', value: { ...ids, blob: bytes } },
    { op: 'put', store: 'thumbnails', value: { ...ids, blob: thumbnail } },
  ];
}

/** Everything of a project, gone in one transaction. */
export function writesForDeleteProject(projectId: ProjectId): Write[] {
  return [
    { op: 'deletePrefix', store: 'shapeLog', prefix: [projectId] },
    { op: 'deletePrefix', store: 'dismissals', prefix: [projectId] },
    { op: 'deletePrefix', store: 'layers', prefix: [projectId] },
    { op: 'deletePrefix', store: 'reviewDecisions', prefix: [projectId] },
    { op: 'deletePrefix', store: 'thumbnails', prefix: [projectId] },
    { op: 'deletePrefix', store: 'imageBlobs', prefix: [projectId] },
    { op: 'deletePrefix', store: 'images', prefix: [projectId] },
    { op: 'delete', store: 'projects', key: projectId },
    { op: 'delete', store: 'settings', key: openedKey(projectId) },
  ];
}

export const writesForSetting = (setting: Setting): Write[] => [{ op: 'put', store: 'settings', value: setting }];
