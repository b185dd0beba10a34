/** What a header read concludes, and the constructors the format readers share. */

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif';

/** Formats we recognise by signature but the browser cannot decode (reported to the user by name). */
export type UnsupportedFormat = 'tiff' | 'heic' | 'psd' | 'ico' | 'svg' | 'pdf' | 'zip';

/**
 * What the leading bytes of a file say about it.
 *
 * - `image`: a supported format. `width`/`height` are the stored (un-rotated)
 *   pixel dimensions, both ≥ 1; they are `null` only for AVIF when no `ispe`
 *   property could be found in the bytes given. `orientation` is the EXIF
 *   orientation 1–8 that the browser will apply on decode (1 when absent or
 *   invalid); for AVIF it is derived from the `irot`/`imir` properties.
 * - `unsupported`: a recognised format the browser cannot decode.
 * - `unknown`: no signature matched.
 * - `truncated`: the signature matched but no valid size could be read, either
 *   because the bytes end before the size field or because the header is
 *   corrupt (a zero dimension, a missing mandatory chunk). Both mean the same to
 *   the caller: the file claims to be this format but cannot be trusted.
 */
export type HeaderResult =
  | { kind: 'image'; format: ImageFormat; mimeType: string; width: number | null; height: number | null; orientation: number }
  | { kind: 'unsupported'; format: UnsupportedFormat }
  | { kind: 'unknown' }
  | { kind: 'truncated'; format: ImageFormat }; // signature matched but the header ends before the size

const MIME: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  avif: 'image/avif',
};

export function image(format: ImageFormat, width: number | null, height: number | null, orientation: number): HeaderResult {
  return { kind: 'image', format, mimeType: MIME[format], width, height, orientation };
}

export function truncated(format: ImageFormat): HeaderResult {
  return { kind: 'truncated', format };
}

export function unsupported(format: UnsupportedFormat): HeaderResult {
  return { kind: 'unsupported', format };
}

/** A size is usable only if both sides are at least one pixel. */
export function sized(format: ImageFormat, width: number, height: number, orientation: number): HeaderResult {
  if (width < 1 || height < 1) return truncated(format);
  return image(format, width, height, orientation);
}
