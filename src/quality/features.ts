/**
 * The checker's per-image features as the image records carry them: the pixel hash and the
 * pixel statistics measured at import (src/media/pixelFeatures.ts). Images imported before Tally
 * measured them, and those whose stored features are malformed (validate.ts drops them), have
 * none: the exact-pixel-duplicate and image-property rules skip those images.
 */
import type { ImageId, ImageRecord } from '../core/model';
import { validPixelFeatures } from '../core/validate';
import type { ImageFeatures } from './types';

export function imageFeaturesOf(images: readonly ImageRecord[]): Map<ImageId, ImageFeatures> {
  const out = new Map<ImageId, ImageFeatures>();
  for (const image of images) {
    if (image.pixelSha256 === undefined && image.pixelStats === undefined) continue;
    const { pixelSha256, pixelStats } = validPixelFeatures(image);
    if (pixelSha256 === undefined && pixelStats === undefined) continue;
    out.set(image.id, { ...(pixelSha256 !== undefined ? { pixelSha256 } : {}), ...(pixelStats ? { stats: pixelStats } : {}) });
  }
  return out;
}
