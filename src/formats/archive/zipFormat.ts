/**
 * The ZIP vocabulary shared by listing (zipReader.ts) and extraction (zipExtract.ts): the public
 * types, {@link ZipError}, an in-memory {@link RandomAccessReader}, the layout constants and the
 * small byte helpers. Layout facts follow PKWARE's APPNOTE.TXT: all multi-byte fields are
 * little-endian, offsets and sizes are bytes.
 */

/** Random access to the archive bytes. read(offset, length) returns exactly `length` bytes or throws (the caller's reader decides); offsets in bytes from the start. */
export interface RandomAccessReader {
  /** Archive length in bytes. */
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface ZipEntry {
  /** Safe, normalised relative path: '/'-separated, no '.', '..', leading '/', drive letters or backslashes. */
  readonly path: string;
  /** The name as stored, decoded (UTF-8 when flag bit 11 is set, else CP437). */
  readonly rawName: string;
  /** 0 = stored, 8 = deflate. */
  readonly method: 0 | 8;
  /** Bytes of entry data in the archive. Equals uncompressedSize for stored entries. */
  readonly compressedSize: number;
  /** Bytes once extracted, as declared by the central directory; at most the listing's maxEntrySize for files. */
  readonly uncompressedSize: number;
  /** CRC-32 (IEEE) of the uncompressed bytes, as an unsigned 32-bit number. */
  readonly crc32: number;
  /** Byte offset of the entry's local header. For files, localHeaderOffset + 30 + compressedSize lies before the central directory. */
  readonly localHeaderOffset: number;
  /** True when the stored name ends in '/' (or '\'); callers skip these. */
  readonly isDirectory: boolean;
}

/** entry = the raw name of the offending entry, or null for archive-level problems. */
export interface ZipProblem {
  readonly entry: string | null;
  readonly message: string;
}

/** Entries in central-directory order. Problems about the whole archive come first, then the rest in central-directory order (damage inside the central directory is reported where it starts). */
export interface ZipListing {
  readonly entries: readonly ZipEntry[];
  readonly problems: readonly ZipProblem[];
}

export interface ListOptions {
  /** Largest declared uncompressed size accepted for one file, in bytes (inclusive). Default 1 GiB. */
  maxEntrySize: number;
  /** Most central-directory records accepted. Default 200,000. */
  maxEntries: number;
}

/** A failure while extracting, with a message that can be shown to the user as is. */
export class ZipError extends Error {
  override readonly name = 'ZipError';
}

export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_DIGITAL_SIGNATURE = 0x05054b50;
export const SIG_EOCD = 0x06054b50;
export const SIG_ZIP64_EOCD = 0x06064b50;
export const SIG_ZIP64_LOCATOR = 0x07064b50;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const EOCD_SIZE = 22;
/** The EOCD record ends with a comment of at most 0xFFFF bytes, so it starts within this many bytes of the end. */
export const EOCD_SEARCH_SIZE = EOCD_SIZE + 0xffff;
export const ZIP64_LOCATOR_SIZE = 20;
export const ZIP64_EOCD_SIZE = 56;
export const ZIP64_EXTRA_ID = 0x0001;

export const MAX16 = 0xffff;
export const MAX32 = 0xffffffff;

export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_UTF8 = 0x0800;

/** Central directory bytes fetched per read while listing; bounds memory for hostile directory sizes. */
export const DIRECTORY_CHUNK = 1 << 20;
/** Compressed bytes fetched per read while inflating. */
export const READ_CHUNK = 1 << 20;
/** Compressed bytes handed to the inflater at once: deflate expands at most ~1032:1, so one push yields at most ~17 MB before the size check sees it. */
export const INFLATE_CHUNK = 1 << 14;
/** First output allocation for deflated entries; grows by doubling up to the declared size, so a lying header cannot force a large allocation by itself. */
export const INITIAL_OUTPUT = 1 << 16;

const METHOD_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'Shrink'],
  [2, 'Reduce'],
  [3, 'Reduce'],
  [4, 'Reduce'],
  [5, 'Reduce'],
  [6, 'Implode'],
  [9, 'Deflate64'],
  [10, 'PKWARE Implode'],
  [12, 'bzip2'],
  [14, 'LZMA'],
  [18, 'IBM TERSE'],
  [19, 'IBM LZ77'],
  [20, 'Zstandard'],
  [93, 'zstd'],
  [94, 'MP3'],
  [95, 'XZ'],
  [96, 'JPEG'],
  [97, 'WavPack'],
  [98, 'PPMd'],
  [99, 'AES'],
]);

/** For tests and node: a reader over an in-memory array. Out-of-range reads throw a RangeError, like a strict caller reader would. */
export function bytesReader(bytes: Uint8Array): RandomAccessReader {
  return {
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
        return Promise.reject(new RangeError(`read(${offset}, ${length}) is outside the ${bytes.length}-byte archive`));
      }
      // A copy, so a caller that edits what it got back cannot corrupt later reads.
      return Promise.resolve(bytes.slice(offset, offset + length));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

export function methodMessage(method: number): string {
  const name = METHOD_NAMES.get(method);
  return name === undefined ? `compression method ${method} is not supported` : `compression method ${method} (${name}) is not supported`;
}

export function quote(path: string): string {
  return `'${path}'`;
}

/** Enforces the reader contract, so a short read becomes a clear error instead of a misparse. */
export async function readExact(reader: RandomAccessReader, offset: number, length: number): Promise<Uint8Array> {
  const bytes = await reader.read(offset, length);
  if (bytes.length !== length) {
    throw new ZipError(`the archive could not be read: asked for ${length} bytes at offset ${offset}, got ${bytes.length}`);
  }
  return bytes;
}

export function view(bytes: Uint8Array, offset = 0, length = bytes.length - offset): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, length);
}

/** Unsigned 64-bit little-endian value, or null when above Number.MAX_SAFE_INTEGER (high word ≥ 2^21). */
export function readU64(data: DataView, at: number): number | null {
  const low = data.getUint32(at, true);
  const high = data.getUint32(at + 4, true);
  if (high >= 0x200000) return null;
  return high * 0x100000000 + low;
}
