/**
 * A zip written into a Blob, entry by entry, so that an export with 10,000 images never holds
 * more than a batch of images and a few megabytes of output in the JS heap: output is folded
 * into Blob parts (which the browser keeps out of the heap, on disk if it must) every
 * FLUSH_BYTES. Every entry's bytes are in hand when it is added, so each is laid out at once —
 * local header with its CRC-32 and sizes, then its data — with no stream per file: an export of
 * 1,000 label files is 1,000 small copies. Images are stored byte-for-byte (method 0, never
 * recompressed); text under DEFLATE_FROM is stored too, bigger text deflated (level 1).
 *
 * Names are UTF-8 (flag bit 11). No Zip64 records: an archive over 4 GiB or 65,535 entries is
 * refused up front (see checkZipLimits) rather than written broken.
 */
import { deflateSync } from 'fflate';
import { crc32 } from '../formats/archive/zipReader';

const FLUSH_BYTES = 8 * 1024 * 1024;
/** Files from this size on are deflated; smaller ones stored (see addText). */
export const DEFLATE_FROM = 32 * 1024;
export const MAX_ZIP_BYTES = 0xffff_ffff - 64 * 1024 * 1024;
export const MAX_ZIP_ENTRIES = 0xffff - 1;

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const UTF8 = 0x0800;
const VERSION = 20;

/** A message when an archive of this many entries and bytes cannot be written, else null. */
export function checkZipLimits(entries: number, bytes: number): string | null {
  if (entries > MAX_ZIP_ENTRIES) return `the archive would hold ${entries.toLocaleString('en')} files; zips without Zip64 hold at most ${MAX_ZIP_ENTRIES.toLocaleString('en')}. Export fewer images at a time (by split).`;
  if (bytes > MAX_ZIP_BYTES) return `the archive would be over 4 GB, which zips without Zip64 cannot hold. Export fewer images at a time (by split).`;
  return null;
}

const deflated = new WeakMap<Uint8Array, Uint8Array>();

/**
 * A text file deflated at level 1 (text still shrinks ~5×, at a fraction of level 6's time: an
 * export is waited for), computed once per array: the Export dialog's size estimate deflates the
 * plan's big files, and Download writes the same arrays. What deflateTextAhead made natively is
 * answered instead, where it did.
 */
export function deflateText(data: Uint8Array): Uint8Array {
  let d = deflated.get(data);
  if (!d) deflated.set(data, (d = deflateSync(data, { level: 1 })));
  return d;
}

const deflating = new WeakMap<Uint8Array, Promise<void>>();

/**
 * Has the platform's own zlib (CompressionStream, raw deflate) deflate `data` for deflateText to
 * find, where there is one; else deflateText deflates it in JavaScript when asked. Native deflate
 * of a COCO file of 10,000 boxes (1.5 MB) takes a fraction of fflate's time in a fresh worker
 * (and compresses better). Once per array; a failure leaves it to deflateText.
 */
export function deflateTextAhead(data: Uint8Array): Promise<void> {
  let p = deflating.get(data);
  if (!p) {
    p = typeof CompressionStream === 'undefined' || deflated.has(data) ? Promise.resolve() : nativeDeflate(data).then((d) => void (deflated.has(data) || deflated.set(data, d)), () => undefined);
    deflating.set(data, p);
  }
  return p;
}

async function nativeDeflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const crcs = new WeakMap<Uint8Array, number>();

/**
 * The CRC-32 of a file's bytes, computed once per array: the worker computes those of a plan's
 * files with their SHA-256 after showing the preview (fileHashes), and Download writes the same
 * arrays. (Reading back computes the CRC-32 of what was read, anew.)
 */
export function crcOf(data: Uint8Array): number {
  let c = crcs.get(data);
  if (c === undefined) crcs.set(data, (c = crc32(data)));
  return c;
}

/** A name's UTF-8 bytes (most names are ASCII: those without a call into the encoder). */
function nameBytes(name: string): Uint8Array {
  const out = new Uint8Array(name.length);
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80) return new TextEncoder().encode(name);
    out[i] = c;
  }
  return out;
}

/** MS-DOS date and time (local time, 2-second resolution), as zip headers record them. */
function dosTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return { time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1), date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate() };
}

interface Central {
  readonly name: Uint8Array;
  readonly method: 0 | 8;
  readonly crc: number;
  readonly compressed: number;
  readonly size: number;
  readonly offset: number;
}

export class BlobZipWriter {
  private readonly parts: Blob[] = [];
  /** The output not yet folded into a Blob part, laid out in place: `buf[0, pendingBytes)`. */
  private buf = new Uint8Array(256 * 1024);
  private view = new DataView(this.buf.buffer);
  private pendingBytes = 0;
  private readonly central: Central[] = [];
  private readonly stamp: { time: number; date: number };
  private done = false;
  /** The whole archive as one array, when it was never folded into more than one part (see `finish`). */
  private whole: Uint8Array | null = null;
  /** Bytes written so far. */
  written = 0;

  /**
   * `expectedBytes`: about how big the archive will be, when known. The pending buffer starts at
   * that size (at most one Blob part and a megabyte), so that writing a 3 MB export does not copy
   * its bytes again at every doubling.
   */
  constructor(mtime: Date = new Date(), expectedBytes = 0) {
    this.stamp = dosTime(mtime);
    if (expectedBytes > this.buf.length) {
      this.buf = new Uint8Array(Math.min(expectedBytes, FLUSH_BYTES + 1024 * 1024));
      this.view = new DataView(this.buf.buffer);
    }
  }

  /**
   * A text or metadata file: deflated when that is worth it. Files under 32 KB (a YOLO or VOC
   * label file is a few hundred bytes) are stored: deflating each would cost more than the few
   * hundred bytes it saves.
   */
  addText(path: string, data: Uint8Array): void {
    if (data.length < DEFLATE_FROM) this.addStored(path, data);
    else this.addCompressed(path, data);
  }

  /** A file, deflated (deflateText). */
  addCompressed(path: string, data: Uint8Array): void {
    this.add(path, 8, data, deflateText(data));
  }

  /** A file stored as it is (images: already compressed, and kept byte-for-byte). */
  addStored(path: string, data: Uint8Array): void {
    this.add(path, 0, data, data);
  }

  finish(): Blob {
    if (this.done) throw new Error('the zip is already finished');
    this.done = true;
    const start = this.written;
    for (const c of this.central) {
      const at = this.reserve(46 + c.name.length);
      const v = this.view;
      v.setUint32(at, CENTRAL, true);
      v.setUint16(at + 4, VERSION, true);
      v.setUint16(at + 6, VERSION, true);
      v.setUint16(at + 8, UTF8, true);
      v.setUint16(at + 10, c.method, true);
      v.setUint16(at + 12, this.stamp.time, true);
      v.setUint16(at + 14, this.stamp.date, true);
      v.setUint32(at + 16, c.crc, true);
      v.setUint32(at + 20, c.compressed, true);
      v.setUint32(at + 24, c.size, true);
      v.setUint16(at + 28, c.name.length, true);
      // Extra and comment lengths, disk number, attributes: zero.
      v.setUint32(at + 30, 0, true);
      v.setUint32(at + 34, 0, true);
      v.setUint32(at + 38, 0, true);
      v.setUint32(at + 42, c.offset, true);
      this.buf.set(c.name, at + 46);
      this.wrote(46 + c.name.length);
    }
    const at = this.reserve(22);
    const v = this.view;
    v.setUint32(at, END, true);
    v.setUint32(at + 4, 0, true);
    v.setUint16(at + 8, this.central.length, true);
    v.setUint16(at + 10, this.central.length, true);
    v.setUint32(at + 12, this.written - start, true);
    v.setUint32(at + 16, start, true);
    v.setUint16(at + 20, 0, true);
    this.wrote(22);
    this.flush(true);
    return new Blob(this.parts, { type: 'application/zip' });
  }

  /**
   * After `finish`: the archive's bytes, exactly those the Blob was made of, when it is one part
   * (under 8 MB: any export without images); null for a bigger one, whose earlier parts are
   * only in the Blob. Reading these back reads the same archive without a round trip through
   * the browser's Blob storage.
   */
  get bytes(): Uint8Array | null {
    return this.done && this.parts.length === 1 ? this.whole : null;
  }

  private add(path: string, method: 0 | 8, data: Uint8Array, stored: Uint8Array): void {
    if (this.done) throw new Error('the zip is already finished');
    const name = nameBytes(path);
    const crc = crcOf(data);
    this.central.push({ name, method, crc, compressed: stored.length, size: data.length, offset: this.written });
    const at = this.reserve(30 + name.length + stored.length);
    const v = this.view;
    v.setUint32(at, LOCAL, true);
    v.setUint16(at + 4, VERSION, true);
    v.setUint16(at + 6, UTF8, true);
    v.setUint16(at + 8, method, true);
    v.setUint16(at + 10, this.stamp.time, true);
    v.setUint16(at + 12, this.stamp.date, true);
    v.setUint32(at + 14, crc, true);
    v.setUint32(at + 18, stored.length, true);
    v.setUint32(at + 22, data.length, true);
    v.setUint16(at + 26, name.length, true);
    // No extra field.
    v.setUint16(at + 28, 0, true);
    this.buf.set(name, at + 30);
    this.buf.set(stored, at + 30 + name.length);
    this.wrote(30 + name.length + stored.length);
    if (this.pendingBytes >= FLUSH_BYTES) this.flush(false);
  }

  /** Room for `n` more bytes in the pending buffer (grown by doubling, its bytes kept); where they go. */
  private reserve(n: number): number {
    const need = this.pendingBytes + n;
    if (need > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(0, this.pendingBytes));
      this.buf = grown;
      this.view = new DataView(grown.buffer);
    }
    return this.pendingBytes;
  }

  private wrote(n: number): void {
    this.pendingBytes += n;
    this.written += n;
  }

  /**
   * Folds the output so far into one Blob part (the Blob copies it; the buffer is then reused).
   * Each entry was laid out in place as it was added: no chunk per header, no merge before the
   * Blob. The last part (`finish`) is kept as the archive's bytes when it is the only one.
   */
  private flush(last: boolean): void {
    if (this.pendingBytes === 0) return;
    const pending = this.buf.subarray(0, this.pendingBytes);
    this.parts.push(new Blob([pending]));
    this.whole = last && this.parts.length === 1 ? pending : null;
    this.pendingBytes = 0;
  }
}
