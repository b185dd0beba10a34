import type { RgbaImage } from '../core/imaging/perceptualHash';
import type { PixelStats } from '../core/model';
import { imageStats } from '../quality';
import { sha256Hex } from './sha256';

/**
 * What the checker measures of an image's pixels, computed once, at import, from the pixels the
 * import worker already decodes for the thumbnail and the perceptual hashes (one decode: no
 * second, full-size one). Stored on the image record (ImageRecord.pixelSha256, .pixelStats).
 */
export interface PixelFeatures {
  /**
   * SHA-256 (64 lowercase hex digits) of the image's full width and height (two unsigned 32-bit
   * little-endian integers) followed by its RGBA pixels at thumbnail size (transparent pixels
   * over mid grey, see processImage). So it is the hash of the decoded pixels AT THUMBNAIL SIZE:
   * equal for a PNG and a lossless re-encoding of it, never for images of different sizes, and
   * equal too for same-sized images whose differences vanish in a 160 px thumbnail (an edit of a
   * few pixels of a large photo). The checker's "exact copies" mean exactly that.
   */
  readonly pixelSha256: string;
  /** Brightness, blur and information of the same pixels (imageStats in src/quality). */
  readonly pixelStats: PixelStats;
}

/**
 * The features of an image from its thumbnail-sized pixels. `fullWidth` × `fullHeight` is the
 * image's size after EXIF orientation (ImageRecord.width, .height), in pixels.
 */
export async function pixelFeatures(thumbnail: RgbaImage, fullWidth: number, fullHeight: number): Promise<PixelFeatures> {
  const bytes = new Uint8Array(8 + thumbnail.data.length);
  const header = new DataView(bytes.buffer);
  header.setUint32(0, fullWidth, true);
  header.setUint32(4, fullHeight, true);
  bytes.set(thumbnail.data, 8);
  return { pixelSha256: await sha256Hex(bytes), pixelStats: imageStats(thumbnail) };
}
