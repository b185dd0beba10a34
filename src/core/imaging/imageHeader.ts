/**
 * Image format sniffing and header-only size reading.
 *
 * Tally must refuse non-images and over-large images before handing the bytes
 * to the browser's decoder (a 20,000×20,000 PNG decodes to 1.6 GB of RGBA), so
 * this module reads only the leading bytes of a file and never decodes pixels.
 *
 * Invariants:
 * - `readImageHeader` never throws, whatever the input; every read is
 *   bounds-checked and a failed read means "the data ends here".
 * - It never reads past `bytes.length` and never needs more than
 *   `HEADER_BYTES` bytes for the formats it supports (for a JPEG whose size
 *   marker sits after more than `HEADER_BYTES` of metadata it answers
 *   'truncated').
 * - Dimensions are in pixels, as stored in the file (before any orientation is
 *   applied).
 */
import { asciiAt, byteAt, fourCC, i32le, startsWith, u16be, u16le, u24le, u32be, u32le } from './headerBytes';
import { sized, truncated, unsupported, type HeaderResult } from './headerResult';
import { readIsoBmff } from './isoBmffHeader';

export type { HeaderResult, ImageFormat, UnsupportedFormat } from './headerResult';

/** How many leading bytes readImageHeader wants to see: callers read this many (or the whole file if smaller). */
export const HEADER_BYTES = 256 * 1024;

/** True when EXIF orientation 5–8 swaps width and height on display. */
export function orientationSwapsAxes(orientation: number): boolean {
  return orientation >= 5 && orientation <= 8;
}

/** Sniff the format of `bytes` (the first `HEADER_BYTES` of a file, or all of it) and read its pixel size. */
export function readImageHeader(bytes: Uint8Array): HeaderResult {
  const b = bytes;
  if (startsWith(b, 0, [0xff, 0xd8, 0xff])) return readJpeg(b);
  if (startsWith(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return readPng(b);
  if (asciiAt(b, 0, 'GIF87a') || asciiAt(b, 0, 'GIF89a')) return readGif(b);
  if (asciiAt(b, 0, 'RIFF') && asciiAt(b, 8, 'WEBP')) return readWebp(b);
  if (asciiAt(b, 4, 'ftyp')) {
    const bmff = readIsoBmff(b);
    if (bmff !== null) return bmff;
  }
  if (asciiAt(b, 0, 'BM')) {
    const bmp = readBmp(b);
    if (bmp !== null) return bmp;
  }
  if (startsWith(b, 0, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, 0, [0x4d, 0x4d, 0x00, 0x2a])) return unsupported('tiff');
  // BigTIFF (version 43) is still TIFF to the user.
  if (startsWith(b, 0, [0x49, 0x49, 0x2b, 0x00]) || startsWith(b, 0, [0x4d, 0x4d, 0x00, 0x2b])) return unsupported('tiff');
  if (asciiAt(b, 0, '8BPS')) return unsupported('psd');
  if (asciiAt(b, 0, '%PDF')) return unsupported('pdf');
  if (startsWith(b, 0, [0x50, 0x4b, 0x03, 0x04])) return unsupported('zip');
  // 00 00 01 00 is a weak signature; an icon directory with zero images is not an icon.
  if (startsWith(b, 0, [0x00, 0x00, 0x01, 0x00]) && u16le(b, 4) !== 0) return unsupported('ico');
  if (looksLikeSvg(b)) return unsupported('svg');
  return { kind: 'unknown' };
}

// ---------------------------------------------------------------------------
// JPEG (ITU-T T.81 Annex B marker syntax)

function isSofMarker(m: number): boolean {
  // C4 (DHT), C8 (JPG extension) and CC (DAC) share the range but carry no frame header.
  return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

function readJpeg(b: Uint8Array): HeaderResult {
  let pos = 2;
  let orientation = 1;
  let exifSeen = false;
  let width = -1;
  let height = -1;
  // Keep walking after the frame header until SOS: an Exif APP1 after SOF is
  // rare but the browser still honours it, and our orientation must match.
  while (pos < b.length) {
    // Garbage between segments is tolerated by decoders, so resynchronise on 0xFF.
    if (b[pos] !== 0xff) {
      pos++;
      continue;
    }
    while (b[pos] === 0xff) pos++; // fill bytes
    const marker = byteAt(b, pos);
    if (marker < 0) break;
    pos++;
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue; // no length field
    if (marker === 0xd9 || marker === 0xda) break; // EOI / SOS: no more header segments
    const length = u16be(b, pos);
    if (length < 2) break; // out of bounds (-1) or corrupt
    const start = pos + 2;
    const end = pos + length;
    if (width < 0 && isSofMarker(marker)) {
      // SOF payload: precision(1), height(2), width(2), ...
      const h = u16be(b, start + 1);
      const w = u16be(b, start + 3);
      if (h < 0 || w < 0) break;
      width = w;
      height = h;
    } else if (marker === 0xe1 && !exifSeen && asciiAt(b, start, 'Exif\0\0')) {
      exifSeen = true;
      orientation = exifOrientation(b, start + 6, Math.min(end, b.length));
    }
    pos = end;
  }
  if (width < 0) return truncated('jpeg');
  // A zero height means "defined later by a DNL marker", which browsers do not support.
  return sized('jpeg', width, height, orientation);
}

/**
 * EXIF orientation from a TIFF structure occupying [tiff, end) of `b`.
 * Returns 1 unless IFD0 holds tag 0x0112 as a single SHORT with value 1–8:
 * browsers ignore other encodings, and we must predict what they display.
 */
function exifOrientation(b: Uint8Array, tiff: number, end: number): number {
  if (end > b.length) end = b.length;
  let le: boolean;
  if (asciiAt(b, tiff, 'II')) le = true;
  else if (asciiAt(b, tiff, 'MM')) le = false;
  else return 1;
  const r16 = (o: number): number => (o + 2 > end ? -1 : le ? u16le(b, o) : u16be(b, o));
  const r32 = (o: number): number => (o + 4 > end ? -1 : le ? u32le(b, o) : u32be(b, o));
  if (r16(tiff + 2) !== 42) return 1;
  const ifdOffset = r32(tiff + 4);
  if (ifdOffset < 8) return 1; // out of bounds, or pointing into the TIFF header itself
  const ifd = tiff + ifdOffset;
  const count = r16(ifd);
  if (count < 0) return 1;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + 12 * i;
    const tag = r16(entry);
    if (tag < 0) return 1;
    if (tag !== 0x0112) continue;
    // SHORT (type 3) with count 1 is stored left-justified in the 4-byte value field.
    if (r16(entry + 2) !== 3 || r32(entry + 4) !== 1) return 1;
    const v = r16(entry + 8);
    return v >= 1 && v <= 8 ? v : 1;
  }
  return 1;
}

// ---------------------------------------------------------------------------
// PNG (ISO/IEC 15948, W3C PNG 3rd edition for eXIf)

function readPng(b: Uint8Array): HeaderResult {
  // IHDR must be the first chunk: length(4) 'IHDR' width(4) height(4).
  if (b.length < 24) return truncated('png');
  if (!asciiAt(b, 12, 'IHDR')) return truncated('png');
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  // PNG limits dimensions to 2^31-1; larger values mean corruption.
  if (width > 0x7fffffff || height > 0x7fffffff) return truncated('png');
  let orientation = 1;
  // eXIf is honoured by browsers only before IDAT; walk the chunks that precede it.
  let pos = 8;
  while (pos + 8 <= b.length) {
    const len = u32be(b, pos);
    const type = fourCC(b, pos + 4);
    if (len < 0 || len > 0x7fffffff || type === 'IDAT' || type === 'IEND') break;
    if (type === 'eXIf') {
      const start = pos + 8;
      // Some writers wrongly keep the JPEG APP1 prefix; tolerate it.
      const tiff = asciiAt(b, start, 'Exif\0\0') ? start + 6 : start;
      orientation = exifOrientation(b, tiff, Math.min(start + len, b.length));
      break;
    }
    pos += 12 + len; // length + type + data + CRC
  }
  return sized('png', width, height, orientation);
}

// ---------------------------------------------------------------------------
// GIF (GIF89a specification: logical screen descriptor follows the 6-byte signature)

function readGif(b: Uint8Array): HeaderResult {
  const width = u16le(b, 6);
  const height = u16le(b, 8);
  if (width < 0 || height < 0) return truncated('gif');
  return sized('gif', width, height, 1);
}

// ---------------------------------------------------------------------------
// WebP (RFC 9649): 'RIFF' size 'WEBP', then the first chunk at offset 12.

function readWebp(b: Uint8Array): HeaderResult {
  const chunk = fourCC(b, 12);
  const data = 20; // after fourCC(4) + chunk size(4)
  if (chunk === 'VP8 ') {
    // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height (top 2 bits: scale).
    const w = u16le(b, data + 6);
    const h = u16le(b, data + 8);
    if (w < 0 || h < 0) return truncated('webp');
    if (!startsWith(b, data + 3, [0x9d, 0x01, 0x2a])) return truncated('webp');
    return sized('webp', w & 0x3fff, h & 0x3fff, 1);
  }
  if (chunk === 'VP8L') {
    // Signature 0x2F, then 14 bits width-1 and 14 bits height-1, LSB first.
    const bits = u32le(b, data + 1);
    if (bits < 0) return truncated('webp');
    if (b[data] !== 0x2f) return truncated('webp');
    return sized('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, 1);
  }
  if (chunk === 'VP8X') {
    // Flags(1) + reserved(3), then 24-bit canvas width-1 and height-1.
    const w = u24le(b, data + 4);
    const h = u24le(b, data + 7);
    if (w < 0 || h < 0) return truncated('webp');
    return sized('webp', w + 1, h + 1, 1);
  }
  return truncated('webp');
}

// ---------------------------------------------------------------------------
// BMP: 14-byte file header, then a DIB header whose own size identifies its layout.

/** Returns null when the DIB header size is not a known one: 'BM' alone is too weak a signature. */
function readBmp(b: Uint8Array): HeaderResult | null {
  const dibSize = u32le(b, 14);
  if (dibSize < 0) return truncated('bmp');
  if (dibSize === 12) {
    // BITMAPCOREHEADER (OS/2 1.x): unsigned 16-bit dimensions.
    const w = u16le(b, 18);
    const h = u16le(b, 20);
    if (w < 0 || h < 0) return truncated('bmp');
    return sized('bmp', w, h, 1);
  }
  // 16/64: OS/2 2.x; 40: BITMAPINFOHEADER; 52/56: its bitfield variants; 108: V4; 124: V5.
  if (![16, 40, 52, 56, 64, 108, 124].includes(dibSize)) return null;
  const w = i32le(b, 18);
  const h = i32le(b, 22);
  if (w === null || h === null) return truncated('bmp');
  if (w <= 0) return truncated('bmp');
  // A negative height marks a top-down bitmap; the magnitude is the pixel height.
  return sized('bmp', w, Math.abs(h), 1);
}

// ---------------------------------------------------------------------------
// SVG: text, so only a heuristic. Optional UTF-8 BOM and whitespace, then
// markup ('<?xml', '<!DOCTYPE', a comment or '<svg'), with '<svg' somewhere
// in the first KiB.

function looksLikeSvg(b: Uint8Array): boolean {
  let pos = startsWith(b, 0, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (pos < b.length && (b[pos] === 0x20 || b[pos] === 0x09 || b[pos] === 0x0a || b[pos] === 0x0d)) pos++;
  if (b[pos] !== 0x3c) return false; // '<'
  const limit = Math.min(b.length, 1024) - 4;
  for (let o = pos; o <= limit; o++) {
    if (asciiAt(b, o, '<svg')) return true;
  }
  return false;
}
