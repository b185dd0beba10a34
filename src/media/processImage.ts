import { HEADER_BYTES, readImageHeader, type UnsupportedFormat } from '../core/imaging/imageHeader';
import { computeImageHashes } from '../core/imaging/perceptualHash';
import { sha256Hex } from './sha256';

/**
 * Everything Tally learns about an image on import, computed where it runs (an import worker):
 * header check and size limit before decoding, SHA-256 of the bytes, a decode with EXIF
 * orientation applied, a thumbnail, and perceptual hashes taken from the thumbnail's pixels.
 */
export interface ProcessedImage {
  /** Pixels after EXIF orientation. */
  readonly width: number;
  readonly height: number;
  readonly mimeType: string;
  readonly byteSize: number;
  readonly sha256: string;
  readonly phash: string;
  readonly phashMirrored: string;
  readonly dhash: string;
  readonly thumbnail: Blob;
}

export type ProcessOutcome = { readonly ok: true; readonly image: ProcessedImage } | { readonly ok: false; readonly reason: string };

export interface ProcessLimits {
  readonly maxMegapixels: number;
}

/** Longest side of a thumbnail, in pixels (list rows show them at up to 96 CSS px on 2× screens). */
export const THUMBNAIL_MAX_SIDE = 192;

const UNSUPPORTED_NAMES: Readonly<Record<UnsupportedFormat, string>> = {
  tiff: 'TIFF',
  heic: 'HEIC/HEIF',
  psd: 'Photoshop (PSD)',
  ico: 'ICO',
  svg: 'SVG',
  pdf: 'PDF',
  zip: 'ZIP',
};

const refuse = (reason: string): ProcessOutcome => ({ ok: false, reason });

export function megapixelsOf(width: number, height: number): string {
  const mp = (width * height) / 1e6;
  return mp >= 10 ? mp.toFixed(0) : mp.toFixed(1);
}

function overLimit(width: number, height: number, limits: ProcessLimits): string | null {
  if (width * height <= limits.maxMegapixels * 1e6) return null;
  return `${width} × ${height} pixels (${megapixelsOf(width, height)} MP) is over the ${limits.maxMegapixels} MP limit`;
}

export function thumbnailSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, THUMBNAIL_MAX_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export async function processImage(file: Blob, limits: ProcessLimits): Promise<ProcessOutcome> {
  if (file.size === 0) return refuse('the file is empty (0 bytes)');

  const head = readImageHeader(new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer()));
  if (head.kind === 'unknown') return refuse('not an image Tally can read (the contents are not JPEG, PNG, GIF, WebP, BMP or AVIF)');
  if (head.kind === 'unsupported') {
    return refuse(`${UNSUPPORTED_NAMES[head.format]} files are not supported; convert it to PNG or JPEG`);
  }
  if (head.kind === 'truncated') return refuse(`the ${head.format.toUpperCase()} file is cut off before its image size`);
  if (head.width !== null && head.height !== null) {
    const tooBig = overLimit(head.width, head.height, limits);
    if (tooBig) return refuse(tooBig);
  }

  const bytes = await file.arrayBuffer();
  const sha256 = await sha256Hex(bytes);

  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes], { type: head.mimeType }), { imageOrientation: 'from-image' });
  } catch {
    return refuse('the image data is corrupt or truncated (the browser could not decode it)');
  }
  try {
    const { width, height } = bitmap;
    const tooBig = overLimit(width, height, limits);
    if (tooBig) return refuse(tooBig);

    const size = thumbnailSize(width, height);
    const canvas = new OffscreenCanvas(size.width, size.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return refuse('the browser could not create a canvas to make a thumbnail');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, size.width, size.height);
    const pixels = ctx.getImageData(0, 0, size.width, size.height);
    const hashes = computeImageHashes({ width: size.width, height: size.height, data: pixels.data });
    const thumbnail = await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
    return {
      ok: true,
      image: { width, height, mimeType: head.mimeType, byteSize: file.size, sha256, ...hashes, thumbnail },
    };
  } finally {
    bitmap.close();
  }
}
