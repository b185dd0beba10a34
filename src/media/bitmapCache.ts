import type { ImageId, ProjectId } from '../core/model';

/**
 * Decoded images for the canvas, with EXIF orientation applied: the open one and its neighbours,
 * decoded ahead so "next image" does not wait for a decode. Bounded by count and by pixels (a
 * 48-megapixel photo decodes to ~190 MB), oldest first; the image on screen is never evicted.
 * Evicted bitmaps are closed (their pixel memory is released at once rather than at the next GC).
 */
export class BitmapCache {
  private readonly entries = new Map<string, Promise<ImageBitmap | null>>();
  private readonly pixels = new Map<string, number>();
  /** The image last opened with `get` (on screen): kept whatever the budget. */
  private current: string | null = null;

  constructor(
    private readonly load: (projectId: ProjectId, imageId: ImageId) => Promise<Blob | undefined>,
    private readonly decode: (blob: Blob) => Promise<ImageBitmap> = (blob) => createImageBitmap(blob, { imageOrientation: 'from-image' }),
    private readonly capacity = 5,
    private readonly pixelBudget = 200_000_000,
  ) {}

  /** The bitmap of the image being opened (it becomes the one on screen). */
  get(projectId: ProjectId, imageId: ImageId): Promise<ImageBitmap | null> {
    const key = `${projectId}/${imageId}`;
    this.current = key;
    return this.fetch(key, projectId, imageId);
  }

  /** Decodes in the background; the promise is kept for when the image is opened. */
  prefetch(projectId: ProjectId, imageId: ImageId): void {
    void this.fetch(`${projectId}/${imageId}`, projectId, imageId);
  }

  private fetch(key: string, projectId: ProjectId, imageId: ImageId): Promise<ImageBitmap | null> {
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key);
    else {
      entry = this.load(projectId, imageId).then(
        (blob) => (blob ? this.decode(blob).catch(() => null) : null),
        () => null,
      );
      void entry.then((bitmap) => {
        if (!bitmap || this.entries.get(key) !== entry) return;
        this.pixels.set(key, bitmap.width * bitmap.height);
        this.evict(key);
      });
    }
    this.entries.set(key, entry); // most recent last
    this.evict(key);
    return entry;
  }

  private totalPixels(): number {
    let sum = 0;
    for (const n of this.pixels.values()) sum += n;
    return sum;
  }

  private evict(keep: string): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.capacity && this.totalPixels() <= this.pixelBudget) return;
      if (key === keep || key === this.current) continue;
      this.entries.delete(key);
      this.pixels.delete(key);
      void entry.then((bitmap) => bitmap?.close());
    }
  }
}
