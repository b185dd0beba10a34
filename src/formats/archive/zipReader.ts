/**
 * A ZIP reader for archives too large to hold in memory.
 *
 * The archive is reached only through a {@link RandomAccessReader}. Listing (this file) reads the end
 * records and the central directory (in bounded chunks) and validates every entry before
 * anything is extracted; extraction (zipExtract.ts) then reads one entry at a time.
 *
 * Bad input never makes {@link listZip} throw: it yields problems, worded for users.
 * Extraction failures are {@link ZipError}s. Only errors thrown by the reader itself escape.
 *
 * This module is the archive's public entry point: it re-exports the types and extraction API.
 */
import { formatBytes } from '../../core/units';
import { normaliseArchivePath } from './paths';
import {
  CENTRAL_HEADER_SIZE,
  DIRECTORY_CHUNK,
  FLAG_ENCRYPTED,
  LOCAL_HEADER_SIZE,
  MAX16,
  MAX32,
  SIG_CENTRAL,
  SIG_DIGITAL_SIGNATURE,
  ZIP64_EXTRA_ID,
  methodMessage,
  readExact,
  readU64,
  view,
  type ListOptions,
  type RandomAccessReader,
  type ZipEntry,
  type ZipListing,
  type ZipProblem,
} from './zipFormat';
import { readEnd, type DirectoryLocation } from './zipEndRecords';
import { decodeName } from './zipText';

export { ZipError, bytesReader, type ListOptions, type RandomAccessReader, type ZipEntry, type ZipListing, type ZipProblem } from './zipFormat';
export { entryDataRange, readEntry, readEntryHead } from './zipExtract';
export { crc32 } from './crc32';
export { decodeCp437, decodeUtf8 } from './zipText';

const DEFAULT_OPTIONS: ListOptions = { maxEntrySize: 1024 ** 3, maxEntries: 200_000 };

// ---------------------------------------------------------------------------------------------
// Listing

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
// Helpers

function archiveFailure(message: string): ZipListing {
  return { entries: [], problems: [{ entry: null, message }] };
}

function limitOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && !Number.isNaN(value) && value >= 0 ? value : fallback;
}
