import type { ImageId, ProjectId } from '../core/model';

/**
 * Object URLs for thumbnails, loaded on demand and kept for the most recently used `capacity`
 * images (rows scrolled out of a 10,000-image list must not pin their blobs forever).
 */
export class ThumbnailCache {
  private readonly urls = new Map<string, Promise<string | null>>();

  constructor(
    private readonly load: (projectId: ProjectId, imageId: ImageId) => Promise<Blob | undefined>,
    private readonly capacity = 600,
  ) {}

  get(projectId: ProjectId, imageId: ImageId): Promise<string | null> {
    const key = `${projectId}/${imageId}`;
    const hit = this.urls.get(key);
    if (hit) {
      this.urls.delete(key); // re-insert: Map order is recency order
      this.urls.set(key, hit);
      return hit;
    }
    const url = this.load(projectId, imageId).then((blob) => (blob ? URL.createObjectURL(blob) : null), () => null);
    this.urls.set(key, url);
    this.evict();
    return url;
  }

  /** Drops (and revokes) every URL of a deleted project. */
  forgetProject(projectId: ProjectId): void {
    for (const [key, url] of this.urls) {
      if (key.startsWith(`${projectId}/`)) {
        this.urls.delete(key);
        void url.then((u) => u && URL.revokeObjectURL(u));
      }
    }
  }

  private evict(): void {
    while (this.urls.size > this.capacity) {
      const [key, url] = this.urls.entries().next().value as [string, Promise<string | null>];
      this.urls.delete(key);
      void url.then((u) => u && URL.revokeObjectURL(u));
    }
  }
}
