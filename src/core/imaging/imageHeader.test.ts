import { describe, it, expect } from 'vitest';
import { HEADER_BYTES, orientationSwapsAxes, readImageHeader, type HeaderResult } from './imageHeader';
import { mulberry32 } from '../../core/prng';

// ---------------------------------------------------------------------------
// Byte builders: each writes the smallest header the format's spec allows.

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const be16 = (v: number): number[] => [(v >>> 8) & 255, v & 255];
const le16 = (v: number): number[] => [v & 255, (v >>> 8) & 255];
const be32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const le32 = (v: number): number[] => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
const bytes = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

/** A JPEG marker segment: FF, marker, 16-bit length (counting itself), payload. */
function segment(marker: number, payload: number[]): number[] {
  return [0xff, marker, ...be16(payload.length + 2), ...payload];
}

/** A TIFF structure whose IFD0 holds one entry: orientation as (type, count, value). */
function tiff(order: 'II' | 'MM', orientation: number, type = 3, count = 1): number[] {
  const w16 = order === 'II' ? le16 : be16;
  const w32 = order === 'II' ? le32 : be32;
  // SHORT values sit in the first two bytes of the 4-byte value field.
  const value = type === 3 ? [...w16(orientation), 0, 0] : w32(orientation);
  return [
    ...ascii(order),
    ...w16(42),
    ...w32(8), // IFD0 right after the 8-byte header
    ...w16(2), // two entries: an unrelated tag first, so the loop must walk
    ...w16(0x010f), // Make
    ...w16(2),
    ...w32(4),
    ...ascii('Foo\0'),
    ...w16(0x0112),
    ...w16(type),
    ...w32(count),
    ...value,
    ...w32(0), // no next IFD
  ];
}

function exifApp1(order: 'II' | 'MM', orientation: number, type = 3, count = 1): number[] {
  return segment(0xe1, [...ascii('Exif\0\0'), ...tiff(order, orientation, type, count)]);
}

/** SOFn with 3 components; payload: precision, height, width, components. */
function sof(marker: number, width: number, height: number): number[] {
  return segment(marker, [8, ...be16(height), ...be16(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
}

const SOI = [0xff, 0xd8];
const JFIF = segment(0xe0, [...ascii('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
const SOS = segment(0xda, [1, 1, 0, 0, 63, 0]);
/** A DHT segment whose payload would read as 0x1234 × 0x5678 if mistaken for a frame header. */
const DHT = segment(0xc4, [0x00, 0x12, 0x34, 0x56, 0x78, 0, 0, 0]);

function pngChunk(type: string, data: number[]): number[] {
  return [...be32(data.length), ...ascii(type), ...data, 0, 0, 0, 0]; // CRC is not checked
}
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
function png(width: number, height: number, ...chunks: number[][]): Uint8Array {
  return bytes(PNG_SIG, pngChunk('IHDR', [...be32(width), ...be32(height), 8, 6, 0, 0, 0]), ...chunks);
}

function riff(chunk: string, data: number[]): Uint8Array {
  const body = [...ascii('WEBP'), ...ascii(chunk), ...le32(data.length), ...data];
  return bytes(ascii('RIFF'), le32(body.length), body);
}

function bmpInfo(width: number, height: number): Uint8Array {
  const dib = [...le32(40), ...le32(width), ...le32(height), ...le16(1), ...le16(24), ...le32(0), ...le32(0), ...le32(2835), ...le32(2835), ...le32(0), ...le32(0)];
  return bytes(ascii('BM'), le32(54), le32(0), le32(54), dib);
}

function bmpCore(width: number, height: number): Uint8Array {
  const dib = [...le32(12), ...le16(width), ...le16(height), ...le16(1), ...le16(24)];
  return bytes(ascii('BM'), le32(26), le32(0), le32(26), dib);
}

function box(type: string, ...payload: number[][]): number[] {
  const body = payload.flat();
  return [...be32(body.length + 8), ...ascii(type), ...body];
}
/** FullBox: version (1 byte) + flags (3 bytes) before the payload. */
function fullBox(type: string, version: number, flags: number, ...payload: number[][]): number[] {
  return box(type, [version, (flags >>> 16) & 255, (flags >>> 8) & 255, flags & 255], ...payload);
}
function ftyp(major: string, ...compatible: string[]): number[] {
  return box('ftyp', ascii(major), be32(0), ...compatible.map(ascii));
}
const ispe = (w: number, h: number): number[] => fullBox('ispe', 0, 0, be32(w), be32(h));

/**
 * AVIF: ftyp, then meta { hdlr, pitm(1), iprp { ipco { props }, ipma } }.
 * `assoc` lists the 1-based property indices associated with item 1.
 */
function avif(props: number[][], assoc: number[] | null, brands: string[] = ['avif', 'mif1', 'miaf']): Uint8Array {
  const [major = 'avif', ...compat] = brands;
  const ipma = assoc === null ? [] : fullBox('ipma', 0, 0, be32(1), be16(1), [assoc.length], assoc.map((i) => 0x80 | i));
  const meta = fullBox(
    'meta',
    0,
    0,
    fullBox('hdlr', 0, 0, be32(0), ascii('pict'), be32(0), be32(0), be32(0), [0]),
    fullBox('pitm', 0, 0, be16(1)),
    box('iprp', box('ipco', ...props), ipma),
  );
  return bytes(ftyp(major, ...compat), meta, box('mdat', [1, 2, 3]));
}

function img(format: string, width: number | null, height: number | null, orientation = 1): HeaderResult {
  return { kind: 'image', format, mimeType: `image/${format}`, width, height, orientation } as HeaderResult;
}

// ---------------------------------------------------------------------------

describe('readImageHeader: JPEG', () => {
  it('reads SOF0 size and EXIF orientation 6 in little-endian (II) order', () => {
    const b = bytes(SOI, exifApp1('II', 6), sof(0xc0, 640, 480), SOS);
    expect(readImageHeader(b)).toEqual(img('jpeg', 640, 480, 6));
  });

  it('reads SOF0 size and EXIF orientation 6 in big-endian (MM) order', () => {
    const b = bytes(SOI, JFIF, exifApp1('MM', 6), sof(0xc0, 640, 480), SOS);
    expect(readImageHeader(b)).toEqual(img('jpeg', 640, 480, 6));
  });

  it('takes the size from progressive SOF2 and skips DHT, whose code C4 sits inside the SOF range', () => {
    const b = bytes(SOI, DHT, sof(0xc2, 4032, 3024), SOS);
    expect(readImageHeader(b)).toEqual(img('jpeg', 4032, 3024, 1));
  });

  it('skips fill bytes before a marker', () => {
    const b = bytes(SOI, [0xff, 0xff, 0xff], sof(0xc1, 17, 9), SOS);
    expect(readImageHeader(b)).toEqual(img('jpeg', 17, 9, 1));
  });

  it('still finds an Exif APP1 that follows the frame header', () => {
    const b = bytes(SOI, sof(0xc0, 100, 50), exifApp1('II', 8), SOS);
    expect(readImageHeader(b)).toEqual(img('jpeg', 100, 50, 8));
  });

  it('returns the size even when the data ends right after the frame header', () => {
    expect(readImageHeader(bytes(SOI, exifApp1('MM', 3), sof(0xc0, 640, 480)))).toEqual(img('jpeg', 640, 480, 3));
  });

  it('ignores orientation that is out of range, not a SHORT, or not a single value', () => {
    expect(readImageHeader(bytes(SOI, exifApp1('II', 9), sof(0xc0, 8, 8), SOS))).toEqual(img('jpeg', 8, 8, 1));
    expect(readImageHeader(bytes(SOI, exifApp1('II', 0), sof(0xc0, 8, 8), SOS))).toEqual(img('jpeg', 8, 8, 1));
    expect(readImageHeader(bytes(SOI, exifApp1('MM', 6, 4), sof(0xc0, 8, 8), SOS))).toEqual(img('jpeg', 8, 8, 1));
    expect(readImageHeader(bytes(SOI, exifApp1('II', 6, 3, 2), sof(0xc0, 8, 8), SOS))).toEqual(img('jpeg', 8, 8, 1));
  });

  it('ignores an EXIF whose IFD offset points past the segment', () => {
    const t = tiff('II', 6);
    t.splice(4, 4, ...le32(5000));
    const b = bytes(SOI, segment(0xe1, [...ascii('Exif\0\0'), ...t]), sof(0xc0, 8, 8), SOS);
    expect(readImageHeader(b)).toEqual(img('jpeg', 8, 8, 1));
  });

  it('is truncated when only the signature is present', () => {
    expect(readImageHeader(bytes([0xff, 0xd8, 0xff]))).toEqual({ kind: 'truncated', format: 'jpeg' });
  });

  it('is truncated when a segment length runs past the end', () => {
    const b = bytes(SOI, [0xff, 0xe1, 0xff, 0xf0], ascii('Exif\0\0II'));
    expect(readImageHeader(b)).toEqual({ kind: 'truncated', format: 'jpeg' });
  });

  it('is truncated when the scan starts before any frame header', () => {
    expect(readImageHeader(bytes(SOI, JFIF, SOS, [1, 2, 3]))).toEqual({ kind: 'truncated', format: 'jpeg' });
  });

  it('is truncated when the frame header is cut inside its size fields', () => {
    const b = bytes(SOI, sof(0xc0, 640, 480)).subarray(0, 2 + 4 + 3);
    expect(readImageHeader(b)).toEqual({ kind: 'truncated', format: 'jpeg' });
  });

  it('is truncated for a zero-height frame (DNL) which browsers cannot decode', () => {
    expect(readImageHeader(bytes(SOI, sof(0xc0, 640, 0), SOS))).toEqual({ kind: 'truncated', format: 'jpeg' });
  });
});

describe('readImageHeader: PNG', () => {
  it('reads IHDR 1280×720', () => {
    expect(readImageHeader(png(1280, 720, pngChunk('IEND', [])))).toEqual(img('png', 1280, 720));
  });

  it('reads dimensions above 2^31 as corrupt, and 2^31-1 as valid', () => {
    expect(readImageHeader(png(0x80000000, 1))).toEqual({ kind: 'truncated', format: 'png' });
    expect(readImageHeader(png(0x7fffffff, 1))).toEqual(img('png', 0x7fffffff, 1));
  });

  it('honours an eXIf chunk before IDAT', () => {
    const b = png(20, 10, pngChunk('sRGB', [0]), pngChunk('eXIf', tiff('MM', 8)), pngChunk('IDAT', [0]));
    expect(readImageHeader(b)).toEqual(img('png', 20, 10, 8));
  });

  it('ignores an eXIf chunk after IDAT', () => {
    const b = png(20, 10, pngChunk('IDAT', [0]), pngChunk('eXIf', tiff('MM', 8)));
    expect(readImageHeader(b)).toEqual(img('png', 20, 10, 1));
  });

  it('is truncated with the signature only, or when the first chunk is not IHDR', () => {
    expect(readImageHeader(bytes(PNG_SIG))).toEqual({ kind: 'truncated', format: 'png' });
    expect(readImageHeader(bytes(PNG_SIG, pngChunk('IDAT', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])))).toEqual({
      kind: 'truncated',
      format: 'png',
    });
  });
});

describe('readImageHeader: GIF', () => {
  it('reads the logical screen size of a GIF89a (3×5)', () => {
    expect(readImageHeader(bytes(ascii('GIF89a'), le16(3), le16(5), [0, 0, 0]))).toEqual(img('gif', 3, 5));
  });

  it('reads a GIF87a with bytes above 0x7F in the size', () => {
    expect(readImageHeader(bytes(ascii('GIF87a'), le16(0x1234), le16(0xff01), [0, 0, 0]))).toEqual(img('gif', 0x1234, 0xff01));
  });

  it('is truncated when the size is cut off', () => {
    expect(readImageHeader(bytes(ascii('GIF89a'), [3, 0, 5]))).toEqual({ kind: 'truncated', format: 'gif' });
  });
});

describe('readImageHeader: WebP', () => {
  it('reads lossy VP8 and masks off the two scaling bits', () => {
    // Frame tag (key frame), start code, width 400 with horizontal scale 1, height 300.
    const data = [0x50, 0x12, 0x00, 0x9d, 0x01, 0x2a, ...le16(400 | (1 << 14)), ...le16(300), 0, 0];
    expect(readImageHeader(riff('VP8 ', data))).toEqual(img('webp', 400, 300));
  });

  it('rejects VP8 without the 9D 01 2A start code', () => {
    const data = [0x50, 0x12, 0x00, 0x9d, 0x01, 0x2b, ...le16(400), ...le16(300)];
    expect(readImageHeader(riff('VP8 ', data))).toEqual({ kind: 'truncated', format: 'webp' });
  });

  it('reads lossless VP8L 1000×750', () => {
    // 28 packed bits, LSB first: (1000-1) | (750-1) << 14 = 0x3E7 | 0xBB4000 = 0x00BB43E7.
    expect(readImageHeader(riff('VP8L', [0x2f, 0xe7, 0x43, 0xbb, 0x00]))).toEqual(img('webp', 1000, 750));
  });

  it('reads extended VP8X canvas 4000×3000', () => {
    // 24-bit LE canvas width-1 = 3999 = 0x000F9F, height-1 = 2999 = 0x000BB7.
    const data = [0x10, 0, 0, 0, 0x9f, 0x0f, 0x00, 0xb7, 0x0b, 0x00];
    expect(readImageHeader(riff('VP8X', data))).toEqual(img('webp', 4000, 3000));
  });

  it('is truncated with the RIFF/WEBP signature only, and RIFF of another kind is unknown', () => {
    expect(readImageHeader(bytes(ascii('RIFF'), le32(4), ascii('WEBP')))).toEqual({ kind: 'truncated', format: 'webp' });
    expect(readImageHeader(bytes(ascii('RIFF'), le32(4), ascii('WAVE'), ascii('fmt ')))).toEqual({ kind: 'unknown' });
  });
});

describe('readImageHeader: BMP', () => {
  it('reads BITMAPINFOHEADER with a negative (top-down) height', () => {
    expect(readImageHeader(bmpInfo(123, -45))).toEqual(img('bmp', 123, 45));
  });

  it('reads a bottom-up BITMAPINFOHEADER', () => {
    expect(readImageHeader(bmpInfo(70000, 2))).toEqual(img('bmp', 70000, 2));
  });

  it('reads BITMAPCOREHEADER with 16-bit dimensions', () => {
    expect(readImageHeader(bmpCore(77, 33))).toEqual(img('bmp', 77, 33));
  });

  it('is truncated when the DIB header is cut, unknown when "BM" is followed by no known DIB header', () => {
    expect(readImageHeader(bmpInfo(10, 10).subarray(0, 20))).toEqual({ kind: 'truncated', format: 'bmp' });
    expect(readImageHeader(bytes(ascii('BMW and other text files start like this')))).toEqual({ kind: 'unknown' });
  });
});

describe('readImageHeader: AVIF and HEIF', () => {
  it("reads the primary item's ispe and maps irot angle 1 (90° anti-clockwise) to EXIF 8", () => {
    const b = avif([ispe(1920, 1080), [0, 0, 0, 9, ...ascii('irot'), 1], ispe(160, 90)], [1, 2]);
    const r = readImageHeader(b);
    expect(r).toEqual(img('avif', 1920, 1080, 8));
    expect(orientationSwapsAxes(r.kind === 'image' ? r.orientation : 1)).toBe(true);
  });

  it('prefers the associated ispe over a larger unassociated one', () => {
    const b = avif([ispe(4000, 4000), ispe(300, 200)], [2]);
    expect(readImageHeader(b)).toEqual(img('avif', 300, 200));
  });

  it('composes irot then imir in association order (rotate 90° ACW, then mirror left↔right = transverse, EXIF 7)', () => {
    const irot = [0, 0, 0, 9, ...ascii('irot'), 1];
    const imirLeftRight = [0, 0, 0, 9, ...ascii('imir'), 1];
    expect(readImageHeader(avif([ispe(10, 20), irot, imirLeftRight], [1, 2, 3]))).toEqual(img('avif', 10, 20, 7));
    // imir axis 0 exchanges top and bottom: EXIF 4.
    const imirTopBottom = [0, 0, 0, 9, ...ascii('imir'), 0];
    expect(readImageHeader(avif([ispe(10, 20), imirTopBottom], [1, 2]))).toEqual(img('avif', 10, 20, 4));
  });

  it('falls back to the largest ispe when there is no ipma', () => {
    expect(readImageHeader(avif([ispe(160, 90), ispe(1920, 1080)], null))).toEqual(img('avif', 1920, 1080));
  });

  it('gives null dimensions when only ftyp is present', () => {
    expect(readImageHeader(bytes(ftyp('avif', 'mif1')))).toEqual(img('avif', null, null));
  });

  it('recognises avif as a compatible brand behind a mif1 major brand', () => {
    expect(readImageHeader(avif([ispe(64, 32)], [1], ['mif1', 'avif']))).toEqual(img('avif', 64, 32));
  });

  it('reports HEIC (heic, mif1 without avif) as unsupported and MP4 as unknown', () => {
    expect(readImageHeader(bytes(ftyp('heic', 'mif1', 'heic')))).toEqual({ kind: 'unsupported', format: 'heic' });
    expect(readImageHeader(bytes(ftyp('mif1', 'mif1')))).toEqual({ kind: 'unsupported', format: 'heic' });
    expect(readImageHeader(bytes(ftyp('isom', 'isom', 'mp41')))).toEqual({ kind: 'unknown' });
  });
});

describe('readImageHeader: unsupported and unknown', () => {
  const cases: [string, Uint8Array, string][] = [
    ['TIFF II', bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), 'tiff'],
    ['TIFF MM', bytes([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), 'tiff'],
    ['PSD', bytes(ascii('8BPS'), [0, 1]), 'psd'],
    ['ICO', bytes([0, 0, 1, 0, 1, 0, 16, 16]), 'ico'],
    ['PDF', bytes(ascii('%PDF-1.7\n')), 'pdf'],
    ['ZIP', bytes([0x50, 0x4b, 0x03, 0x04, 20, 0]), 'zip'],
    ['SVG with BOM, whitespace and XML declaration', bytes([0xef, 0xbb, 0xbf], ascii('\n  <?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')), 'svg'],
    ['bare SVG', bytes(ascii('<svg width="10" height="10"></svg>')), 'svg'],
  ];
  for (const [name, b, format] of cases) {
    it(`recognises ${name}`, () => {
      expect(readImageHeader(b)).toEqual({ kind: 'unsupported', format });
    });
  }

  it('does not call XML without <svg in the first KiB an SVG', () => {
    const late = `<?xml version="1.0"?><!--${' '.repeat(1100)}--><svg/>`;
    expect(readImageHeader(bytes(ascii('<?xml version="1.0"?><note/>')))).toEqual({ kind: 'unknown' });
    expect(readImageHeader(bytes(ascii(late)))).toEqual({ kind: 'unknown' });
  });

  it('returns unknown for empty input, text, and an ICO directory with no images', () => {
    expect(readImageHeader(new Uint8Array(0))).toEqual({ kind: 'unknown' });
    expect(readImageHeader(bytes(ascii('hello, world')))).toEqual({ kind: 'unknown' });
    expect(readImageHeader(bytes([0, 0, 1, 0, 0, 0]))).toEqual({ kind: 'unknown' });
  });
});

describe('orientationSwapsAxes', () => {
  it('is true exactly for 5–8', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(orientationSwapsAxes)).toEqual([false, false, false, false, false, true, true, true, true, false]);
  });

  it('HEADER_BYTES is 256 KiB', () => {
    expect(HEADER_BYTES).toBe(262144);
  });
});

// ---------------------------------------------------------------------------
// Robustness: arbitrary bytes must never throw and must always yield a
// well-formed result.


function expectWellFormed(r: HeaderResult): void {
  if (r.kind !== 'image') return;
  expect(r.orientation).toBeGreaterThanOrEqual(1);
  expect(r.orientation).toBeLessThanOrEqual(8);
  if (r.width === null || r.height === null) {
    expect(r.format).toBe('avif');
    expect(r.width).toBeNull();
    expect(r.height).toBeNull();
  } else {
    expect(Number.isInteger(r.width) && r.width >= 1).toBe(true);
    expect(Number.isInteger(r.height) && r.height >= 1).toBe(true);
  }
}

describe('readImageHeader: malformed input', () => {
  const valid: Uint8Array[] = [
    bytes(SOI, JFIF, exifApp1('II', 6), DHT, sof(0xc0, 640, 480), SOS),
    bytes(SOI, exifApp1('MM', 3), sof(0xc2, 64, 48), SOS),
    png(1280, 720, pngChunk('eXIf', tiff('II', 5)), pngChunk('IDAT', [1, 2])),
    bytes(ascii('GIF89a'), le16(3), le16(5), [0, 0, 0]),
    riff('VP8 ', [0x50, 0x12, 0x00, 0x9d, 0x01, 0x2a, ...le16(400), ...le16(300), 0, 0]),
    riff('VP8L', [0x2f, 0xe7, 0x43, 0xbb, 0x00]),
    riff('VP8X', [0x10, 0, 0, 0, 0x9f, 0x0f, 0x00, 0xb7, 0x0b, 0x00]),
    bmpInfo(123, -45),
    bmpCore(77, 33),
    avif([ispe(1920, 1080), [0, 0, 0, 9, ...ascii('irot'), 1], [0, 0, 0, 9, ...ascii('imir'), 1]], [1, 2, 3]),
  ];

  it('all seed headers parse as images', () => {
    for (const b of valid) expect(readImageHeader(b).kind).toBe('image');
  });

  it('never throws on 1,000 random byte strings', () => {
    const rand = mulberry32(12345);
    for (let n = 0; n < 1000; n++) {
      const len = Math.floor(rand() * 600);
      const b = new Uint8Array(len);
      for (let i = 0; i < len; i++) b[i] = Math.floor(rand() * 256);
      expectWellFormed(readImageHeader(b));
    }
  });

  it('never throws on 1,000 mutated or cut valid headers', () => {
    const rand = mulberry32(67890);
    const kinds = new Set<string>();
    for (let n = 0; n < 1000; n++) {
      const source = valid[n % valid.length] ?? new Uint8Array(0);
      let b = Uint8Array.from(source);
      const edits = 1 + Math.floor(rand() * 6);
      for (let e = 0; e < edits; e++) {
        // Bias towards bytes that land on lengths, offsets and sizes: set them to extremes.
        const at = Math.floor(rand() * b.length);
        const pick = rand();
        b[at] = pick < 0.3 ? 0xff : pick < 0.5 ? 0 : Math.floor(rand() * 256);
      }
      if (rand() < 0.3) b = b.subarray(0, Math.floor(rand() * b.length));
      const r = readImageHeader(b);
      kinds.add(r.kind);
      expectWellFormed(r);
    }
    // The mutations must actually reach the failure paths, or this test proves little.
    expect(kinds).toContain('image');
    expect(kinds).toContain('truncated');
  });
});
