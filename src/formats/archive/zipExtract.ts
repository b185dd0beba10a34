/**
 * Extraction: reads one listed entry at a time, inflating deflated ones and checking length and
 * CRC-32. Failures are {@link ZipError}s, worded for users; only errors thrown by the reader itself escape.
 */
import { Inflate } from 'fflate';
import { formatBytes } from '../../core/units';
import { crc32 } from './crc32';
import {
  INFLATE_CHUNK,
  INITIAL_OUTPUT,
  LOCAL_HEADER_SIZE,
  READ_CHUNK,
  SIG_LOCAL,
  ZipError,
  methodMessage,
  quote,
  readExact,
  view,
  type RandomAccessReader,
  type ZipEntry,
} from './zipFormat';

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

/**
 * The first `count` bytes of an entry (fewer when it is shorter), without extracting the rest: a
 * deflated entry is inflated only until they are there, fed a little compressed data at a time
 * (HEAD_PUSH bytes, which inflate to at most ~1 MB), so even a bomb costs about `count` + 1 MB.
 * Used to look at a file's header (is it an image at all?) before deciding to read it whole. No
 * CRC check (that needs the whole entry); throws ZipError on corrupt data.
 */
export async function readEntryHead(reader: RandomAccessReader, entry: ZipEntry, count: number): Promise<Uint8Array> {
  const want = Math.max(0, Math.min(count, entry.uncompressedSize));
  const { start, end } = await entryDataRange(reader, entry);
  if (entry.method === 0) return readExact(reader, start, Math.min(want, end - start));
  if (entry.method !== 8) throw new ZipError(`${quote(entry.path)} cannot be read: ${methodMessage(entry.method)}`);
  const parts: Uint8Array[] = [];
  let length = 0;
  const inflater = new Inflate((chunk) => {
    if (length >= want) return;
    const piece = chunk.subarray(0, want - length);
    // A copy: fflate may reuse its output buffer, and the rest of the chunk is let go.
    parts.push(piece.slice());
    length += piece.length;
  });
  for (let position = start; position < end && length < want; ) {
    const block = await readExact(reader, position, Math.min(HEAD_READ, end - position));
    position += block.length;
    for (let at = 0; at < block.length && length < want; at += HEAD_PUSH) {
      try {
        inflater.push(block.subarray(at, at + HEAD_PUSH), position === end && at + HEAD_PUSH >= block.length);
      } catch (error) {
        throw new ZipError(`${quote(entry.path)} is damaged: its compressed data is invalid${error instanceof Error ? `: ${error.message}` : ''}`);
      }
    }
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Compressed bytes read, and handed to the inflater at once, while looking for an entry's head. */
const HEAD_READ = 1 << 16;
const HEAD_PUSH = 1 << 10;

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
