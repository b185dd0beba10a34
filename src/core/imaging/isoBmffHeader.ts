/** AVIF/HEIF (ISO base media file format) headers: brand, size from `ispe`, orientation from `irot`/`imir`. */
import { byteAt, fourCC, u16be, u24be, u32be } from './headerBytes';
import { image, unsupported, type HeaderResult } from './headerResult';

// ---------------------------------------------------------------------------
// ISO base media file format (ISO/IEC 14496-12) containers: AVIF and HEIF.

interface Box {
  type: string;
  /** Offset of the payload (after the size/type/largesize fields). */
  body: number;
  /** Offset one past the box, clamped to the bytes we have. */
  end: number;
}

/** Children of the range [start, end); stops at the first box whose header does not fit. */
function boxes(b: Uint8Array, start: number, end: number): Box[] {
  const out: Box[] = [];
  let pos = start;
  const limit = Math.min(end, b.length);
  // A box is at least 8 bytes, so this also bounds the iteration count.
  while (pos + 8 <= limit) {
    let size = u32be(b, pos);
    const type = fourCC(b, pos + 4);
    let header = 8;
    if (size === 1) {
      const hi = u32be(b, pos + 8);
      const lo = u32be(b, pos + 12);
      if (hi < 0 || lo < 0) break;
      size = hi * 0x100000000 + lo;
      header = 16;
    } else if (size === 0) {
      size = limit - pos; // "extends to the end of the file"
    }
    if (size < header) break;
    const boxEnd = Math.min(pos + size, limit);
    out.push({ type, body: pos + header, end: boxEnd });
    if (pos + size >= limit) break;
    pos += size;
  }
  return out;
}

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

/** Returns null for ISO-BMFF files that are not still images (e.g. MP4 video). */
export function readIsoBmff(b: Uint8Array): HeaderResult | null {
  const ftypSize = u32be(b, 0);
  const brands = new Set<string>();
  brands.add(fourCC(b, 8));
  const ftypEnd = Math.min(ftypSize < 16 ? 16 : ftypSize, b.length);
  for (let o = 16; o + 4 <= ftypEnd; o += 4) brands.add(fourCC(b, o));
  const isAvif = [...AVIF_BRANDS].some((x) => brands.has(x));
  if (!isAvif) return [...HEIF_BRANDS].some((x) => brands.has(x)) ? unsupported('heic') : null;
  return readAvif(b);
}

/** Best effort: the size comes from the primary item's `ispe`, or failing that the largest `ispe` present. */
function readAvif(b: Uint8Array): HeaderResult {
  const meta = boxes(b, 0, b.length).find((x) => x.type === 'meta');
  if (meta === undefined) return image('avif', null, null, 1);
  const metaChildren = boxes(b, meta.body + 4, meta.end); // meta is a FullBox: skip version+flags
  let primary = -1;
  const pitm = metaChildren.find((x) => x.type === 'pitm');
  if (pitm !== undefined) {
    primary = byteAt(b, pitm.body) === 0 ? u16be(b, pitm.body + 4) : u32be(b, pitm.body + 4);
  }
  const iprp = metaChildren.find((x) => x.type === 'iprp');
  if (iprp === undefined) return image('avif', null, null, 1);
  const iprpChildren = boxes(b, iprp.body, iprp.end);
  const ipco = iprpChildren.find((x) => x.type === 'ipco');
  if (ipco === undefined) return image('avif', null, null, 1);
  const properties = boxes(b, ipco.body, ipco.end);

  const primaryProps = primary >= 0 ? primaryAssociations(b, iprpChildren, primary) : [];
  let width: number | null = null;
  let height: number | null = null;
  let orientation = 1;
  for (const index of primaryProps) {
    const prop = properties[index - 1]; // property indices are 1-based; 0 means "none"
    if (prop === undefined) continue;
    if (prop.type === 'ispe' && width === null) {
      const w = u32be(b, prop.body + 4);
      const h = u32be(b, prop.body + 8);
      if (w > 0 && h > 0 && prop.body + 12 <= prop.end) {
        width = w;
        height = h;
      }
    } else if (prop.type === 'irot' && prop.body < prop.end) {
      // angle × 90° anti-clockwise.
      const angle = byteAt(b, prop.body) & 3;
      orientation = composeOrientation(orientation, [1, 8, 3, 6][angle] ?? 1);
    } else if (prop.type === 'imir' && prop.body < prop.end) {
      // ISO/IEC 23008-12:2022: axis 0 exchanges top and bottom (EXIF 4), 1 left and right (EXIF 2).
      const axis = byteAt(b, prop.body) & 1;
      orientation = composeOrientation(orientation, axis === 0 ? 4 : 2);
    }
  }
  if (width === null) {
    let bestArea = 0;
    for (const prop of properties) {
      if (prop.type !== 'ispe' || prop.body + 12 > prop.end) continue;
      const w = u32be(b, prop.body + 4);
      const h = u32be(b, prop.body + 8);
      // Largest, so that the megapixel guard errs on the side of refusing.
      if (w > 0 && h > 0 && w * h > bestArea) {
        bestArea = w * h;
        width = w;
        height = h;
      }
    }
  }
  return image('avif', width, height, orientation);
}

/** Property indices (1-based, in ipma order) associated with `itemId`, across all ipma boxes. */
function primaryAssociations(b: Uint8Array, iprpChildren: readonly Box[], itemId: number): number[] {
  const out: number[] = [];
  for (const ipma of iprpChildren) {
    if (ipma.type !== 'ipma') continue;
    const version = byteAt(b, ipma.body);
    const flags = u24be(b, ipma.body + 1);
    if (version < 0 || flags < 0) continue;
    const end = ipma.end;
    const entryCount = u32be(b, ipma.body + 4);
    let pos = ipma.body + 8;
    for (let e = 0; e < entryCount && pos < end; e++) {
      const id = version < 1 ? u16be(b, pos) : u32be(b, pos);
      pos += version < 1 ? 2 : 4;
      const n = byteAt(b, pos);
      pos++;
      if (id < 0 || n < 0) return out;
      const wide = (flags & 1) === 1;
      for (let a = 0; a < n; a++) {
        // The top bit is the "essential" flag; the rest is the property index.
        const v = wide ? u16be(b, pos) : byteAt(b, pos);
        pos += wide ? 2 : 1;
        if (v < 0 || pos > end) return out;
        if (id === itemId) out.push(wide ? v & 0x7fff : v & 0x7f);
      }
    }
  }
  return out;
}

/**
 * EXIF orientations as 2×2 integer matrices [a, b, c, d] mapping stored
 * coordinates (x, y; y down, origin at the centre) to displayed ones:
 * x' = a·x + b·y, y' = c·x + d·y. Index = orientation.
 */
const ORIENTATION_MATRICES: readonly (readonly [number, number, number, number])[] = [
  [1, 0, 0, 1], // 0: unused
  [1, 0, 0, 1], // 1: as stored
  [-1, 0, 0, 1], // 2: mirror left↔right
  [-1, 0, 0, -1], // 3: rotate 180°
  [1, 0, 0, -1], // 4: mirror top↔bottom
  [0, 1, 1, 0], // 5: transpose
  [0, -1, 1, 0], // 6: rotate 90° clockwise
  [0, -1, -1, 0], // 7: transverse
  [0, 1, -1, 0], // 8: rotate 90° anti-clockwise
];

/** The orientation equivalent to applying `first` and then `then`. */
function composeOrientation(first: number, then: number): number {
  const p = ORIENTATION_MATRICES[first];
  const q = ORIENTATION_MATRICES[then];
  if (p === undefined || q === undefined) return 1;
  // q · p
  const m = [q[0] * p[0] + q[1] * p[2], q[0] * p[1] + q[1] * p[3], q[2] * p[0] + q[3] * p[2], q[2] * p[1] + q[3] * p[3]];
  for (let o = 1; o <= 8; o++) {
    const r = ORIENTATION_MATRICES[o];
    if (r !== undefined && r[0] === m[0] && r[1] === m[1] && r[2] === m[2] && r[3] === m[3]) return o;
  }
  return 1;
}
