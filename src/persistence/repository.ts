import type { Change, RecordUpdate } from '../core/change';
import type { Annotation, ClassId, Dismissal, ImageId, ImageRecord, Layer, Project, ProjectId, ReviewDecision } from '../core/model';
import { restoreAnnotation, restoreLayer } from '../core/validate';
import type { Result } from '../core/result';
import type { TallyDb } from './db';
import { openedKey, prefixRange, type LastOpened, type Setting } from './schema';
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
  readonly store: 'annotations' | 'layers';
  readonly reason: string;
}

/**
 * Reads. Every method is one readonly transaction; writes go through the WriteQueue. Annotations
 * and layers are checked as they are read (core/validate restore*): what can be restored is,
 * what cannot is left out and reported to `onBadRecord` — never trusted blindly.
 */
export class Repository {
  constructor(
    readonly db: TallyDb,
    private readonly onBadRecord: (bad: BadRecord) => void = (bad) => console.warn(`Tally: a stored record in ${bad.store} was left out: ${bad.reason}`),
  ) {}

  private restored<T>(store: BadRecord['store'], raw: readonly unknown[], restore: (r: unknown) => Result<T>): T[] {
    const out: T[] = [];
    for (const r of raw) {
      const checked = restore(r);
      if (checked.ok) out.push(checked.value);
      else this.onBadRecord({ store, reason: checked.message });
    }
    return out;
  }

  /** All projects, the one opened last first (then the newest), with counts, progress and a cover image. */
  async listProjects(): Promise<ProjectSummary[]> {
    const tx = this.db.transaction(['projects', 'images', 'annotations', 'settings'], 'readonly');
    const projects = await tx.objectStore('projects').getAll();
    const images = tx.objectStore('images');
    const summaries = await Promise.all(
      projects.map(async (project): Promise<ProjectSummary> => {
        const [imageCount, annotationCount, doneCount, opened, first] = await Promise.all([
          images.count(prefixRange([project.id])),
          tx.objectStore('annotations').count(prefixRange([project.id])),
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

  async annotationsOfImage(projectId: ProjectId, imageId: ImageId): Promise<Annotation[]> {
    return this.restored('annotations', await this.db.getAll('annotations', prefixRange([projectId, imageId])), restoreAnnotation);
  }

  /** Every annotation of a project (all images, all layers), in key order. */
  async listAnnotations(projectId: ProjectId): Promise<Annotation[]> {
    return this.restored('annotations', await this.db.getAll('annotations', prefixRange([projectId])), restoreAnnotation);
  }

  async annotationsOfClass(projectId: ProjectId, classId: ClassId): Promise<Annotation[]> {
    return this.restored('annotations', await this.db.getAllFromIndex('annotations', 'byClass', [projectId, classId]), restoreAnnotation);
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

function keyedWrite(u: RecordUpdate): Write[] {
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
    case 'annotations': {
      const out: Write[] = [];
      const { before, after } = u;
      const moved = before && after && (before.projectId !== after.projectId || before.imageId !== after.imageId || before.id !== after.id);
      if (before && (!after || moved)) {
        out.push({ op: 'delete', store: 'annotations', key: [before.projectId, before.imageId, before.id] });
      }
      if (after) out.push({ op: 'put', store: 'annotations', value: after });
      return out;
    }
  }
}

/** The writes that make the disk match a Change's `after` side, in the Change's order. */
export const writesForChange = (change: Change): Write[] => change.updates.flatMap(keyedWrite);

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
    { op: 'deletePrefix', store: 'annotations', prefix: [projectId] },
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
