/** The end records (EOCD, and the Zip64 locator and EOCD when present): where the central directory is and how many entries it declares. */
import {
  EOCD_SEARCH_SIZE,
  EOCD_SIZE,
  SIG_EOCD,
  SIG_ZIP64_EOCD,
  SIG_ZIP64_LOCATOR,
  ZIP64_EOCD_SIZE,
  ZIP64_LOCATOR_SIZE,
  readExact,
  readU64,
  view,
  type RandomAccessReader,
} from './zipFormat';

/** Where the central directory is, as declared by the end records. All values are safe integers (bytes or counts). */
export interface DirectoryLocation {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly declaredEntries: number;
  readonly zip64: boolean;
}

type EndResult = { ok: true; directory: DirectoryLocation } | { ok: false; message: string };

export async function readEnd(reader: RandomAccessReader): Promise<EndResult> {
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
