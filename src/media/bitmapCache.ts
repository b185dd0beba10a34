import type { ImageId, ProjectId } from '../core/model';

/**
 * Decoded images for the canvas, with EXIF orientation applied: the open one and its neighbours,
 * decoded ahead so "next image" does not wait for a decode. Evicted bitmaps are closed (their
 * pixel memory is released at once rather than at the next GC).
 */
export class BitmapCache {
  private readonly entries = new Map<string, Promise<ImageBitmap | null>>();

  constructor(
    private readonly load: (projectId: ProjectId, imageId: ImageId) => Promise<Blob | undefined>,
    private readonly capacity = 5,
  ) {}

  get(projectId: ProjectId, imageId: ImageId): Promise<ImageBitmap | null> {
    const key = `${projectId}/${imageId}`;
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key);
    else {
      entry = this.load(projectId, imageId).then(
        (blob) => (blob ? createImageBitmap(blob, { imageOrientation: 'from-image' }).catch(() => null) : null),
        () => null,
      );
    }
    this.entries.set(key, entry); // most recent last
    this.evict(key);
    return entry;
  }

  /** Decodes in the background; the promise is kept for when the image is opened. */
  prefetch(projectId: ProjectId, imageId: ImageId): void {
    void this.get(projectId, imageId);
  }

  private evict(keep: string): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.capacity) return;
      if (key === keep) continue;
      this.entries.delete(key);
      void entry.then((bitmap) => bitmap?.close());
    }
  }
}
