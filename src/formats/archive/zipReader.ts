/**
 * A ZIP reader for archives too large to hold in memory.
 *
 * The archive is reached only through a {@link RandomAccessReader}. Listing reads the end
 * records and the central directory (in bounded chunks) and validates every entry before
 * anything is extracted; extraction then reads one entry at a time. Layout facts follow
 * PKWARE's APPNOTE.TXT: all multi-byte fields are little-endian, offsets and sizes are bytes.
 *
 * Bad input never makes {@link listZip} throw: it yields problems, worded for users.
 * Extraction failures are {@link ZipError}s. Only errors thrown by the reader itself escape.
 */
import { Inflate } from 'fflate';
import { normaliseArchivePath } from './paths';

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

const DEFAULT_OPTIONS: ListOptions = { maxEntrySize: 1024 ** 3, maxEntries: 200_000 };

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_DIGITAL_SIGNATURE = 0x05054b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;
const EOCD_SIZE = 22;
/** The EOCD record ends with a comment of at most 0xFFFF bytes, so it starts within this many bytes of the end. */
const EOCD_SEARCH_SIZE = EOCD_SIZE + 0xffff;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIZE = 56;
const ZIP64_EXTRA_ID = 0x0001;

const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;

/** Central directory bytes fetched per read while listing; bounds memory for hostile directory sizes. */
const DIRECTORY_CHUNK = 1 << 20;
/** Compressed bytes fetched per read while inflating. */
const READ_CHUNK = 1 << 20;
/** Compressed bytes handed to the inflater at once: deflate expands at most ~1032:1, so one push yields at most ~17 MB before the size check sees it. */
const INFLATE_CHUNK = 1 << 14;
/** First output allocation for deflated entries; grows by doubling up to the declared size, so a lying header cannot force a large allocation by itself. */
const INITIAL_OUTPUT = 1 << 16;

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

// ---------------------------------------------------------------------------------------------
// Public API

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

/** Reads EOCD (searching the last 65,557 bytes for the signature), Zip64 EOCD locator/record when present, and the central directory. Entries failing validation are left out and reported in problems. A file that is not a zip, or whose central directory lies outside the file, gives an archive-level problem (entry null) and no entries. Never throws for bad input; errors thrown by the reader propagate. */
export async function listZip(reader: RandomAccessReader, options?: Partial<ListOptions>): Promise<ZipListing> {
  const limits: ListOptions = {
    maxEntrySize: limitOr(options?.maxEntrySize, DEFAULT_OPTIONS.maxEntrySize),
    maxEntries: limitOr(options?.maxEntries, DEFAULT_OPTIONS.maxEntries),
  };
  const end = await readEnd(reader);
  if (!end.ok) return archiveFailure(end.message);
  const dir = end.directory;

  if (dir.declaredEntries > limits.maxEntries) {
    return archiveFailure(`the archive has ${dir.declaredEntries} entries, over the limit of ${limits.maxEntries}`);
  }

  const scan = await scanDirectory(reader, dir, limits);
  if (!scan.ok) return archiveFailure(scan.message);

  const archiveProblems: ZipProblem[] = [];
  if (scan.countMismatch !== null) archiveProblems.push({ entry: null, message: scan.countMismatch });

  const problems = new Map<number, ZipProblem>(scan.problems);
  const candidates = rejectOverlaps(scan.candidates, problems);
  const entries = rejectPathClashes(candidates, problems);

  const entryProblems = [...problems.entries()].sort((a, b) => a[0] - b[0]).map(([, problem]) => problem);
  return { entries: entries.map((c) => c.entry), problems: [...archiveProblems, ...entryProblems] };
}

/** Where the entry's data starts and ends (end exclusive), in bytes from the start of the archive. Reads the 30-byte local header, whose name and extra lengths may differ from the central ones. Throws ZipError if the local header is damaged or the data would run past the end. */
export async function entryDataRange(reader: RandomAccessReader, entry: ZipEntry): Promise<{ start: number; end: number }> {
  const offset = entry.localHeaderOffset;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + LOCAL_HEADER_SIZE > reader.size) {
    throw new ZipError(`${quote(entry.path)} cannot be read: its header lies past the end of the archive`);
  }
  const header = view(await readExact(reader, offset, LOCAL_HEADER_SIZE));
  if (header.getUint32(0, true) !== SIG_LOCAL) {
    throw new ZipError(`${quote(entry.path)} cannot be read: its local header is damaged`);
  }
  const start = offset + LOCAL_HEADER_SIZE + header.getUint16(26, true) + header.getUint16(28, true);
  const end = start + entry.compressedSize;
  if (!Number.isSafeInteger(entry.compressedSize) || entry.compressedSize < 0 || end > reader.size) {
    throw new ZipError(`${quote(entry.path)} cannot be read: its data runs past the end of the archive`);
  }
  return { start, end };
}

/** Reads and, for deflate, inflates one entry; checks that the length equals uncompressedSize and that the CRC-32 matches. Throws ZipError on any mismatch or corrupt data. Memory use is the output plus about 1 MB. */
export async function readEntry(reader: RandomAccessReader, entry: ZipEntry): Promise<Uint8Array> {
  const declared = entry.uncompressedSize;
  if (!Number.isSafeInteger(declared) || declared < 0) {
    throw new ZipError(`${quote(entry.path)} cannot be read: its declared size is invalid`);
  }
  const { start, end } = await entryDataRange(reader, entry);
  let data: Uint8Array;
  if (entry.method === 0) {
    if (end - start !== declared) {
      throw new ZipError(`${quote(entry.path)} is damaged: it is stored uncompressed but its two recorded sizes differ`);
    }
    data = await readExact(reader, start, end - start);
  } else if (entry.method === 8) {
    data = await inflateRange(reader, entry, start, end);
  } else {
    throw new ZipError(`${quote(entry.path)} cannot be read: ${methodMessage(entry.method)}`);
  }
  if (crc32(data) !== entry.crc32 >>> 0) {
    throw new ZipError(`${quote(entry.path)} is damaged: its CRC-32 checksum does not match its contents`);
  }
  return data;
}

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) of `data`, continuing from `crc` (the CRC of the preceding bytes; 0 to start). Unsigned 32-bit result. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) {
    // Both indexes are in range by construction (i < length, the table has 256 slots).
    c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  }
  return ~c >>> 0;
}

/** Sizes for messages: binary multiples labelled KB/MB/GB/TB (as users read them), one decimal unless exact. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit] ?? 'PB'}`;
}

// ---------------------------------------------------------------------------------------------
// End records

/** Where the central directory is, as declared by the end records. All values are safe integers (bytes or counts). */
interface DirectoryLocation {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly declaredEntries: number;
  readonly zip64: boolean;
}

type EndResult = { ok: true; directory: DirectoryLocation } | { ok: false; message: string };

async function readEnd(reader: RandomAccessReader): Promise<EndResult> {
  const size = reader.size;
  if (size === 0) return { ok: false, message: 'the file is empty' };
  if (size < EOCD_SIZE) return { ok: false, message: 'not a zip archive (the file is too small)' };

  const tailStart = size - Math.min(size, EOCD_SEARCH_SIZE);
  const tail = await readExact(reader, tailStart, size - tailStart);
  const at = findEocd(tail);
  if (at === null) return { ok: false, message: 'not a zip archive (no end of central directory record found)' };

  const eocd = view(tail, at, EOCD_SIZE);
  const eocdOffset = tailStart + at;
  let disk = eocd.getUint16(4, true);
  let directoryDisk = eocd.getUint16(6, true);
  let entriesOnDisk = eocd.getUint16(8, true);
  let declaredEntries = eocd.getUint16(10, true);
  let directorySize = eocd.getUint32(12, true);
  let directoryStart = eocd.getUint32(16, true);
  /** The central directory must end before whatever record follows it. */
  let directoryLimit = eocdOffset;
  let zip64 = false;

  const locatorOffset = eocdOffset - ZIP64_LOCATOR_SIZE;
  if (locatorOffset >= 0) {
    const locator = view(await readExact(reader, locatorOffset, ZIP64_LOCATOR_SIZE));
    if (locator.getUint32(0, true) === SIG_ZIP64_LOCATOR) {
      const recordOffset = readU64(locator, 8);
      if (recordOffset === null || recordOffset + ZIP64_EOCD_SIZE > locatorOffset) {
        return { ok: false, message: 'the Zip64 end record is missing or damaged' };
      }
      const record = view(await readExact(reader, recordOffset, ZIP64_EOCD_SIZE));
      if (record.getUint32(0, true) !== SIG_ZIP64_EOCD) {
        return { ok: false, message: 'the Zip64 end record is missing or damaged' };
      }
      const entriesOnDisk64 = readU64(record, 24);
      const entries64 = readU64(record, 32);
      const size64 = readU64(record, 40);
      const start64 = readU64(record, 48);
      if (entriesOnDisk64 === null || entries64 === null || size64 === null || start64 === null) {
        return { ok: false, message: 'the Zip64 end record declares sizes too large to handle' };
      }
      disk = record.getUint32(16, true);
      directoryDisk = record.getUint32(20, true);
      entriesOnDisk = entriesOnDisk64;
      declaredEntries = entries64;
      directorySize = size64;
      directoryStart = start64;
      directoryLimit = recordOffset;
      zip64 = true;
    }
  }

  if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== declaredEntries) {
    return { ok: false, message: 'split (multi-part) zip archives are not supported' };
  }
  const directoryEnd = directoryStart + directorySize;
  if (directoryEnd > directoryLimit) {
    return { ok: false, message: 'the central directory is cut off or lies outside the file (the archive may be truncated)' };
  }
  return { ok: true, directory: { start: directoryStart, end: directoryEnd, declaredEntries, zip64 } };
}

/**
 * Offset of the EOCD record within `tail`, or null. A record whose comment ends exactly at the end of
 * the file wins; failing that, the last one that fits is taken, to tolerate junk appended after the archive.
 * Searching from the end first matters because a comment may itself contain the signature bytes.
 */
function findEocd(tail: Uint8Array): number | null {
  const data = view(tail);
  let fallback: number | null = null;
  for (let at = tail.length - EOCD_SIZE; at >= 0; at--) {
    if (data.getUint32(at, true) !== SIG_EOCD) continue;
    const recordEnd = at + EOCD_SIZE + data.getUint16(at + 20, true);
    if (recordEnd === tail.length) return at;
    if (recordEnd < tail.length && fallback === null) fallback = at;
  }
  return fallback;
}

// ---------------------------------------------------------------------------------------------
// Central directory

/** An entry that passed the per-record checks; `index` is its position in the central directory. */
interface Candidate {
  readonly index: number;
  readonly entry: ZipEntry;
}

type ScanResult =
  | {
      ok: true;
      candidates: Candidate[];
      /** Keyed by central-directory index; at most one problem per entry. */
      problems: Map<number, ZipProblem>;
      countMismatch: string | null;
    }
  | { ok: false; message: string };

async function scanDirectory(reader: RandomAccessReader, dir: DirectoryLocation, limits: ListOptions): Promise<ScanResult> {
  const window = new ChunkedWindow(reader, dir.end);
  const candidates: Candidate[] = [];
  const problems = new Map<number, ZipProblem>();
  let position = dir.start;
  let index = 0;
  let complete = true;

  while (position < dir.end) {
    if (index >= limits.maxEntries) {
      return { ok: false, message: `the archive has more than ${limits.maxEntries} entries, over the limit` };
    }
    const head = await window.get(position, CENTRAL_HEADER_SIZE);
    if (head === null) {
      problems.set(index, { entry: null, message: 'central directory entry truncated' });
      complete = false;
      break;
    }
    const headView = view(head);
    const signature = headView.getUint32(0, true);
    if (signature === SIG_DIGITAL_SIGNATURE) break;
    if (signature !== SIG_CENTRAL) {
      if (index === 0) return { ok: false, message: 'the central directory is not where the end record says (the archive is damaged)' };
      problems.set(index, { entry: null, message: `the central directory is damaged after entry ${index}; the rest of the archive cannot be listed` });
      complete = false;
      break;
    }
    const nameLength = headView.getUint16(28, true);
    const extraLength = headView.getUint16(30, true);
    const commentLength = headView.getUint16(32, true);
    const recordLength = CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
    const record = await window.get(position, recordLength);
    if (record === null) {
      const nameBytes = await window.get(position + CENTRAL_HEADER_SIZE, nameLength);
      const name = nameBytes === null ? null : decodeName(nameBytes, headView.getUint16(8, true)).text;
      problems.set(index, { entry: name, message: 'central directory entry truncated' });
      complete = false;
      break;
    }

    const checked = checkRecord(record, nameLength, extraLength, dir.start, limits);
    if (checked.ok) candidates.push({ index, entry: checked.entry });
    else problems.set(index, { entry: checked.rawName, message: checked.message });
    position += recordLength;
    index++;
  }

  let countMismatch: string | null = null;
  // Writers without Zip64 let the 16-bit count wrap, so agreement modulo 65,536 is accepted there.
  const countAgrees = index === dir.declaredEntries || (!dir.zip64 && index % 0x10000 === dir.declaredEntries);
  if (complete && !countAgrees) {
    countMismatch = `the central directory holds ${index} entries but the end record declares ${dir.declaredEntries} (the archive may be damaged)`;
  }
  return { ok: true, candidates, problems, countMismatch };
}

type RecordResult = { ok: true; entry: ZipEntry } | { ok: false; rawName: string; message: string };

/** Validates one complete central-directory record (signature already checked). */
function checkRecord(record: Uint8Array, nameLength: number, extraLength: number, directoryStart: number, limits: ListOptions): RecordResult {
  const data = view(record);
  const flags = data.getUint16(8, true);
  const storedMethod = data.getUint16(10, true);
  const crc = data.getUint32(16, true);
  const name = decodeName(record.subarray(CENTRAL_HEADER_SIZE, CENTRAL_HEADER_SIZE + nameLength), flags);
  const rawName = name.text;
  const fail = (message: string): RecordResult => ({ ok: false, rawName, message });

  if (!name.valid) return fail('name is not valid UTF-8');
  const normalised = normaliseArchivePath(rawName);
  if (!normalised.ok) return fail(normalised.reason);
  const isDirectory = rawName.endsWith('/') || rawName.endsWith('\\');

  const extra = record.subarray(CENTRAL_HEADER_SIZE + nameLength, CENTRAL_HEADER_SIZE + nameLength + extraLength);
  const sizes = resolveSizes(data, extra);
  if (sizes === 'missing') return fail('is marked as Zip64 but its Zip64 extra field is missing or too short');
  if (sizes === 'unsafe') return fail('declares a size too large to handle');

  if ((flags & FLAG_ENCRYPTED) !== 0) return fail('is encrypted (password-protected entries are not supported)');
  if (storedMethod !== 0 && storedMethod !== 8) return fail(methodMessage(storedMethod));
  const method: 0 | 8 = storedMethod;

  if (!isDirectory) {
    if (sizes.uncompressed > limits.maxEntrySize) {
      return fail(`declares ${formatBytes(sizes.uncompressed)} uncompressed, over the ${formatBytes(limits.maxEntrySize)} limit`);
    }
    if (method === 0 && sizes.compressed !== sizes.uncompressed) {
      return fail(`is stored uncompressed but records two different sizes (${sizes.compressed} and ${sizes.uncompressed} bytes)`);
    }
    // All local data precedes the central directory; 30 + compressedSize is the least the entry occupies.
    if (sizes.offset + LOCAL_HEADER_SIZE + sizes.compressed > directoryStart) {
      return fail('has data outside the archive (the archive may be truncated or damaged)');
    }
  }

  return {
    ok: true,
    entry: {
      path: normalised.path,
      rawName,
      method,
      compressedSize: sizes.compressed,
      uncompressedSize: sizes.uncompressed,
      crc32: crc,
      localHeaderOffset: sizes.offset,
      isDirectory,
    },
  };
}

interface Sizes {
  readonly compressed: number;
  readonly uncompressed: number;
  readonly offset: number;
}

/** 32-bit fields set to 0xFFFFFFFF (disk 0xFFFF) are replaced, in APPNOTE order, by 64-bit values from the Zip64 extra field. */
function resolveSizes(record: DataView, extra: Uint8Array): Sizes | 'missing' | 'unsafe' {
  let compressed: number | null = record.getUint32(20, true);
  let uncompressed: number | null = record.getUint32(24, true);
  let offset: number | null = record.getUint32(42, true);
  const disk = record.getUint16(34, true);
  if (uncompressed !== MAX32 && compressed !== MAX32 && offset !== MAX32 && disk !== MAX16) {
    return { compressed, uncompressed, offset };
  }
  const field = findExtraField(extra, ZIP64_EXTRA_ID);
  if (field === null) return 'missing';
  const values = view(field);
  let at = 0;
  const next = (): number | null | 'missing' => {
    if (at + 8 > field.length) return 'missing';
    const value = readU64(values, at);
    at += 8;
    return value;
  };
  if (uncompressed === MAX32) {
    const v = next();
    if (v === 'missing') return v;
    uncompressed = v;
  }
  if (compressed === MAX32) {
    const v = next();
    if (v === 'missing') return v;
    compressed = v;
  }
  if (offset === MAX32) {
    const v = next();
    if (v === 'missing') return v;
    offset = v;
  }
  // A 64-bit disk number means a split archive, which the end record check already refuses;
  // only its presence matters here.
  if (disk === MAX16 && at + 4 > field.length) return 'missing';
  if (uncompressed === null || compressed === null || offset === null) return 'unsafe';
  return { compressed, uncompressed, offset };
}

/** The data of the first extra field with `id`, or null if absent or if the extra block is malformed before it. */
function findExtraField(extra: Uint8Array, id: number): Uint8Array | null {
  const data = view(extra);
  let at = 0;
  while (at + 4 <= extra.length) {
    const fieldId = data.getUint16(at, true);
    const fieldSize = data.getUint16(at + 2, true);
    const fieldEnd = at + 4 + fieldSize;
    if (fieldEnd > extra.length) return null;
    if (fieldId === id) return extra.subarray(at + 4, fieldEnd);
    at = fieldEnd;
  }
  return null;
}

/**
 * Drops files whose data would overlap an earlier file's: the "overlapping entries" zip bomb
 * reuses one compressed block for thousands of entries, which per-entry limits alone do not stop.
 * The lower bound 30 + compressedSize per entry is enough to prove an overlap.
 */
function rejectOverlaps(candidates: readonly Candidate[], problems: Map<number, ZipProblem>): Candidate[] {
  const files = candidates.filter((c) => !c.entry.isDirectory).sort((a, b) => a.entry.localHeaderOffset - b.entry.localHeaderOffset || a.index - b.index);
  const rejected = new Set<number>();
  let reachedUpTo = 0;
  for (const file of files) {
    const { localHeaderOffset, compressedSize } = file.entry;
    if (localHeaderOffset < reachedUpTo) {
      rejected.add(file.index);
      problems.set(file.index, { entry: file.entry.rawName, message: 'shares its data with another entry (a sign of a zip bomb)' });
      continue;
    }
    reachedUpTo = localHeaderOffset + LOCAL_HEADER_SIZE + compressedSize;
  }
  return candidates.filter((c) => !rejected.has(c.index));
}

/** Drops, in central-directory order, entries whose path was already taken or that use a file as a folder (or the reverse). */
function rejectPathClashes(candidates: readonly Candidate[], problems: Map<number, ZipProblem>): Candidate[] {
  const kinds = new Map<string, 'file' | 'folder'>();
  const listedFolders = new Set<string>();
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    const { path, isDirectory, rawName } = candidate.entry;
    const clash = findClash(kinds, path, isDirectory);
    if (clash !== null) {
      problems.set(candidate.index, { entry: rawName, message: clash });
      continue;
    }
    // A folder listed twice is harmless; keeping one copy spares callers the duplicate.
    if (isDirectory && listedFolders.has(path)) continue;
    if (isDirectory) listedFolders.add(path);
    kinds.set(path, isDirectory ? 'folder' : 'file');
    for (const ancestor of ancestors(path)) kinds.set(ancestor, 'folder');
    kept.push(candidate);
  }
  return kept;
}

function findClash(kinds: ReadonlyMap<string, 'file' | 'folder'>, path: string, isDirectory: boolean): string | null {
  const existing = kinds.get(path);
  if (existing === 'file') {
    return isDirectory ? `path conflict: '${path}' is used both as a file and as a folder` : `duplicate path: '${path}' is already used by an earlier entry`;
  }
  if (existing === 'folder' && !isDirectory) return `path conflict: '${path}' is used both as a file and as a folder`;
  for (const ancestor of ancestors(path)) {
    if (kinds.get(ancestor) === 'file') return `path conflict: '${ancestor}' is used both as a file and as a folder`;
  }
  return null;
}

/** 'a/b/c' → 'a', 'a/b'. */
function ancestors(path: string): string[] {
  const result: string[] = [];
  for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) result.push(path.slice(0, at));
  return result;
}

/** Serves byte ranges inside [0, limit) from one buffered chunk, refilling on demand; never reads past `limit`. */
class ChunkedWindow {
  private buffer: Uint8Array = new Uint8Array(0);
  private bufferStart = 0;
  private readonly reader: RandomAccessReader;
  private readonly limit: number;

  constructor(reader: RandomAccessReader, limit: number) {
    this.reader = reader;
    this.limit = limit;
  }

  /** `length` bytes at `position`, or null when they would cross the limit. */
  async get(position: number, length: number): Promise<Uint8Array | null> {
    if (position + length > this.limit) return null;
    const from = position - this.bufferStart;
    if (from >= 0 && from + length <= this.buffer.length) return this.buffer.subarray(from, from + length);
    const readLength = Math.min(this.limit - position, Math.max(length, DIRECTORY_CHUNK));
    this.buffer = await readExact(this.reader, position, readLength);
    this.bufferStart = position;
    return this.buffer.subarray(0, length);
  }
}

// ---------------------------------------------------------------------------------------------
// Extraction

async function inflateRange(reader: RandomAccessReader, entry: ZipEntry, start: number, end: number): Promise<Uint8Array> {
  const declared = entry.uncompressedSize;
  let output = new Uint8Array(Math.min(declared, INITIAL_OUTPUT));
  let length = 0;
  const inflater = new Inflate((chunk) => {
    // Checked per chunk, so a small header cannot make us inflate an unbounded stream (zip bomb).
    if (chunk.length > declared - length) {
      throw new ZipError(`${quote(entry.path)} is damaged: it inflates to more than the declared ${formatBytes(declared)}`);
    }
    if (length + chunk.length > output.length) {
      let capacity = Math.max(output.length, 1);
      while (capacity < length + chunk.length) capacity *= 2;
      const grown = new Uint8Array(Math.min(capacity, declared));
      grown.set(output.subarray(0, length));
      output = grown;
    }
    output.set(chunk, length);
    length += chunk.length;
  });
  const push = (chunk: Uint8Array, final: boolean): void => {
    try {
      inflater.push(chunk, final);
    } catch (error) {
      if (error instanceof ZipError) throw error;
      const detail = error instanceof Error ? `: ${error.message}` : '';
      throw new ZipError(`${quote(entry.path)} is damaged: its compressed data is invalid${detail}`);
    }
  };

  // An empty range still needs the final push so a (lenient) zero-byte deflate entry reads as empty.
  if (start === end) push(new Uint8Array(0), true);
  for (let position = start; position < end; ) {
    const block = await readExact(reader, position, Math.min(READ_CHUNK, end - position));
    position += block.length;
    for (let at = 0; at < block.length; at += INFLATE_CHUNK) {
      const last = position === end && at + INFLATE_CHUNK >= block.length;
      push(block.subarray(at, at + INFLATE_CHUNK), last);
    }
  }
  if (length !== declared) {
    throw new ZipError(`${quote(entry.path)} is damaged: it inflates to ${formatBytes(length)} but declares ${formatBytes(declared)}`);
  }
  return output.length === length ? output : output.subarray(0, length);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function archiveFailure(message: string): ZipListing {
  return { entries: [], problems: [{ entry: null, message }] };
}

function limitOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && !Number.isNaN(value) && value >= 0 ? value : fallback;
}

function methodMessage(method: number): string {
  const name = METHOD_NAMES.get(method);
  return name === undefined ? `compression method ${method} is not supported` : `compression method ${method} (${name}) is not supported`;
}

function quote(path: string): string {
  return `'${path}'`;
}

/** Enforces the reader contract, so a short read becomes a clear error instead of a misparse. */
async function readExact(reader: RandomAccessReader, offset: number, length: number): Promise<Uint8Array> {
  const bytes = await reader.read(offset, length);
  if (bytes.length !== length) {
    throw new ZipError(`the archive could not be read: asked for ${length} bytes at offset ${offset}, got ${bytes.length}`);
  }
  return bytes;
}

function view(bytes: Uint8Array, offset = 0, length = bytes.length - offset): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, length);
}

/** Unsigned 64-bit little-endian value, or null when above Number.MAX_SAFE_INTEGER (high word ≥ 2^21). */
function readU64(data: DataView, at: number): number | null {
  const low = data.getUint32(at, true);
  const high = data.getUint32(at + 4, true);
  if (high >= 0x200000) return null;
  return high * 0x100000000 + low;
}

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

// ---------------------------------------------------------------------------------------------
// Name decoding (no TextDecoder in the pure core)

/** Upper half of IBM code page 437 (bytes 0x80–0xFF), which APPNOTE names as the default name encoding. */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** `valid` is false when UTF-8 was required but the bytes were not well-formed (U+FFFD marks the spots). */
function decodeName(bytes: Uint8Array, flags: number): { text: string; valid: boolean } {
  return (flags & FLAG_UTF8) !== 0 ? decodeUtf8(bytes) : { text: decodeCp437(bytes), valid: true };
}

/** Bytes below 0x80 map to ASCII: in names, 0x00–0x1F are control characters, not CP437's graphics, and get refused as such. */
export function decodeCp437(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : (CP437_HIGH[byte - 0x80] ?? '\ufffd');
  return text;
}

/** Strict UTF-8 (RFC 3629): rejects overlong forms, surrogates and code points above U+10FFFF. */
export function decodeUtf8(bytes: Uint8Array): { text: string; valid: boolean } {
  const codePoints: number[] = [];
  let valid = true;
  let i = 0;
  const continuation = (k: number): number => {
    const byte = bytes[i + k];
    return byte !== undefined && (byte & 0xc0) === 0x80 ? byte & 0x3f : -1;
  };
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    let codePoint = -1;
    let length = 1;
    if (lead < 0x80) {
      codePoint = lead;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      const c1 = continuation(1);
      if (c1 >= 0) [codePoint, length] = [((lead & 0x1f) << 6) | c1, 2];
    } else if (lead >= 0xe0 && lead <= 0xef) {
      const c1 = continuation(1);
      const c2 = continuation(2);
      const value = ((lead & 0x0f) << 12) | (c1 << 6) | c2;
      if (c1 >= 0 && c2 >= 0 && value >= 0x800 && (value < 0xd800 || value > 0xdfff)) [codePoint, length] = [value, 3];
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      const c1 = continuation(1);
      const c2 = continuation(2);
      const c3 = continuation(3);
      const value = ((lead & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (c1 >= 0 && c2 >= 0 && c3 >= 0 && value >= 0x10000 && value <= 0x10ffff) [codePoint, length] = [value, 4];
    }
    if (codePoint < 0) {
      valid = false;
      codePoint = 0xfffd;
      length = 1;
    }
    codePoints.push(codePoint);
    i += length;
  }
  let text = '';
  // Chunked so a 64 KB name cannot exceed the engine's argument limit.
  for (let at = 0; at < codePoints.length; at += 4096) text += String.fromCodePoint(...codePoints.slice(at, at + 4096));
  return { text, valid };
}
