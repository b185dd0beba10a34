import { HEADER_BYTES, orientationSwapsAxes, readImageHeader, type HeaderResult, type UnsupportedFormat } from '../core/imaging/imageHeader';
import { computeImageHashes } from '../core/imaging/perceptualHash';
import { pixelFeatures, type PixelFeatures } from './pixelFeatures';
import { sha256Hex } from './sha256';

/**
 * Everything Tally learns about an image on import, computed where it runs (an import worker):
 * header check and size limit before decoding, SHA-256 of the bytes, a decode with EXIF
 * orientation applied, a thumbnail, and perceptual hashes, the pixel hash and the pixel statistics
 * (pixelFeatures.ts) taken from the thumbnail's pixels.
 */
export interface ProcessedImage extends PixelFeatures {
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

/** Longest side of a thumbnail, in pixels (list rows show them at 44 CSS px: sharp up to 3× screens). */
export const THUMBNAIL_MAX_SIDE = 160;

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

/**
 * The checks made on a file's first bytes (up to HEADER_BYTES) before the rest is read: a
 * refusal, or the header to go on with. Lets a caller that must inflate or fetch the rest (a zip
 * entry) refuse a non-image without ever holding it whole.
 */
export function screenHeader(first: Uint8Array, byteSize: number, limits: ProcessLimits): { readonly ok: false; readonly reason: string } | { readonly ok: true; readonly head: Extract<HeaderResult, { kind: 'image' }> } {
  if (byteSize === 0) return { ok: false, reason: 'the file is empty (0 bytes)' };
  const head = readImageHeader(first);
  if (head.kind === 'unknown') return { ok: false, reason: 'not an image Tally can read (the contents are not JPEG, PNG, GIF, WebP, BMP or AVIF)' };
  if (head.kind === 'unsupported') return { ok: false, reason: `${UNSUPPORTED_NAMES[head.format]} files are not supported; convert it to PNG or JPEG` };
  if (head.kind === 'truncated') return { ok: false, reason: `the ${head.format.toUpperCase()} file is cut off before its image size` };
  if (head.width !== null && head.height !== null) {
    const tooBig = overLimit(head.width, head.height, limits);
    if (tooBig) return { ok: false, reason: tooBig };
  }
  return { ok: true, head };
}

export async function processImage(file: Blob, limits: ProcessLimits): Promise<ProcessOutcome> {
  const screened = screenHeader(file.size === 0 ? new Uint8Array(0) : new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer()), file.size, limits);
  if (!screened.ok) return refuse(screened.reason);
  const { head } = screened;

  const bytes = await file.arrayBuffer();
  const sha256 = await sha256Hex(bytes);

  let decoded: Decoded;
  try {
    decoded = await decodeForThumbnail(bytes, head.mimeType, head.width, head.height, head.orientation);
  } catch {
    return refuse('the image data is corrupt or truncated (the browser could not decode it)');
  }
  const { bitmap, width, height } = decoded;
  try {
    const tooBig = overLimit(width, height, limits);
    if (tooBig) return refuse(tooBig);

    const size = thumbnailSize(width, height);
    const canvas = new OffscreenCanvas(size.width, size.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return refuse('the browser could not create a canvas to make a thumbnail');
    ctx.fillStyle = '#808080'; // transparent pixels hash and show as mid grey, whatever the encoder does with alpha
    ctx.fillRect(0, 0, size.width, size.height);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, size.width, size.height);
    const pixels = ctx.getImageData(0, 0, size.width, size.height);
    const rgba = { width: size.width, height: size.height, data: pixels.data };
    const hashes = computeImageHashes(rgba);
    const features = await pixelFeatures(rgba, width, height);
    // JPEG: a third of WebP's encoding time, and thumbnails have no alpha left to keep.
    const thumbnail = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.82 });
    return {
      ok: true,
      image: { width, height, mimeType: head.mimeType, byteSize: file.size, sha256, ...hashes, ...features, thumbnail },
    };
  } finally {
    bitmap.close();
  }
}

interface Decoded {
  /** Oriented, at least thumbnail-sized (possibly full-sized) pixels. */
  readonly bitmap: ImageBitmap;
  /** Full size in pixels after EXIF orientation. */
  readonly width: number;
  readonly height: number;
}

/**
 * Decodes just enough for a thumbnail. Where the browser has WebCodecs' ImageDecoder and the
 * header gave the size, JPEGs decode at 1/2–1/8 scale (libjpeg's DCT scaling: every coefficient is
 * still read, so corrupt data still fails, but far less is computed); the full size is the
 * header's, turned by the orientation the decoder applies. Elsewhere, a full decode.
 */
async function decodeForThumbnail(bytes: ArrayBuffer, mimeType: string, rawWidth: number | null, rawHeight: number | null, orientation: number): Promise<Decoded> {
  if (rawWidth !== null && rawHeight !== null && (await scaledDecodeSupported(mimeType))) {
    const target = thumbnailSize(rawWidth, rawHeight);
    const decoder = new ImageDecoder({ data: bytes, type: mimeType, desiredWidth: target.width, desiredHeight: target.height, preferAnimation: false });
    try {
      const { image } = await decoder.decode({ frameIndex: 0, completeFramesOnly: true });
      try {
        // VideoFrame.rotation (newer than the DOM types) is what the browser applies; the EXIF
        // orientation read from the header stands in where it is missing.
        const rotation = (image as VideoFrame & { readonly rotation?: number }).rotation;
        const turned = rotation === undefined ? orientationSwapsAxes(orientation) : rotation === 90 || rotation === 270;
        const bitmap = await createImageBitmap(image); // applies the frame's rotation and flip
        return { bitmap, width: turned ? rawHeight : rawWidth, height: turned ? rawWidth : rawHeight };
      } finally {
        image.close();
      }
    } finally {
      decoder.close();
    }
  }
  const bitmap = await createImageBitmap(new Blob([bytes], { type: mimeType }), { imageOrientation: 'from-image' });
  return { bitmap, width: bitmap.width, height: bitmap.height };
}

const supported = new Map<string, Promise<boolean>>();
function scaledDecodeSupported(mimeType: string): Promise<boolean> {
  if (typeof ImageDecoder === 'undefined') return Promise.resolve(false);
  let answer = supported.get(mimeType);
  if (!answer) {
    answer = ImageDecoder.isTypeSupported(mimeType).catch(() => false);
    supported.set(mimeType, answer);
  }
  return answer;
}
