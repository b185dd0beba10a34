import type { ImageId, ProjectId } from '../core/model';

/**
 * Object URLs for thumbnails, loaded on demand and kept for the most recently used `capacity`
 * images (rows scrolled out of a 10,000-image list must not pin their blobs forever).
 *
 * Requests made in the same frame are read together (one IndexedDB transaction), and listeners
 * hear once per batch, so a list that brings in thirty rows renders once, not thirty times.
 */
export class ThumbnailCache {
  /** key → object URL, or null when the image has no thumbnail. Map order is recency order. */
  private readonly urls = new Map<string, string | null>();
  private readonly wanted = new Map<string, { projectId: ProjectId; imageId: ImageId }>();
  private readonly listeners = new Set<() => void>();
  private flushScheduled = false;

  constructor(
    private readonly loadMany: (projectId: ProjectId, imageIds: readonly ImageId[]) => Promise<ReadonlyMap<ImageId, Blob>>,
    private readonly capacity = 600,
    private readonly schedule: (fn: () => void) => void = (fn) => void setTimeout(fn, 0),
  ) {}

  /** The URL if loaded (null: no thumbnail), undefined if not loaded yet. */
  peek(projectId: ProjectId, imageId: ImageId): string | null | undefined {
    return this.urls.get(key(projectId, imageId));
  }

  /** Asks for a thumbnail; subscribers hear when it (and the others asked for meanwhile) are in. */
  request(projectId: ProjectId, imageId: ImageId): void {
    const k = key(projectId, imageId);
    if (this.urls.has(k)) {
      const url = this.urls.get(k)!;
      this.urls.delete(k); // touch: most recent last
      this.urls.set(k, url);
      return;
    }
    this.wanted.set(k, { projectId, imageId });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.schedule(() => void this.flush());
    }
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Drops (and revokes) every URL of a deleted project. */
  forgetProject(projectId: ProjectId): void {
    for (const [k, url] of this.urls) {
      if (k.startsWith(`${projectId}/`)) {
        this.urls.delete(k);
        if (url) URL.revokeObjectURL(url);
      }
    }
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const byProject = new Map<ProjectId, ImageId[]>();
    for (const { projectId, imageId } of this.wanted.values()) byProject.set(projectId, [...(byProject.get(projectId) ?? []), imageId]);
    this.wanted.clear();
    await Promise.all(
      [...byProject].map(async ([projectId, ids]) => {
        const blobs = await this.loadMany(projectId, ids).catch(() => new Map<ImageId, Blob>());
        for (const id of ids) {
          const blob = blobs.get(id);
          this.urls.set(key(projectId, id), blob ? URL.createObjectURL(blob) : null);
        }
      }),
    );
    this.evict();
    for (const l of this.listeners) l();
  }

  private evict(): void {
    for (const [k, url] of this.urls) {
      if (this.urls.size <= this.capacity) return;
      this.urls.delete(k);
      if (url) URL.revokeObjectURL(url);
    }
  }
}

const key = (projectId: ProjectId, imageId: ImageId): string => `${projectId}/${imageId}`;
