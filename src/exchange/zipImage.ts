/**
 * An image inside a zip, extracted only when its first bytes say it is one: the entry's head
 * (HEADER_BYTES) is inflated and screened first (is it an image Tally reads, within the size
 * limit?), and only then the whole entry, inflated as a stream with its declared size enforced
 * chunk by chunk (zipExtract.ts). A 1 MB zip holding a 1 GiB `big.png` of zeros is refused after
 * inflating about 256 KB, and nothing of it is kept.
 */
import { HEADER_BYTES } from '../core/imaging/imageHeader';
import { readEntry, readEntryHead, type RandomAccessReader, type ZipEntry } from '../formats/archive/zipReader';
import { screenHeader, type ProcessLimits } from '../media/processImage';

export type ZipImage = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly reason: string };

/** The entry's bytes, or why it is not an image to import. Throws ZipError when the archive is damaged. */
export async function extractZipImage(reader: RandomAccessReader, entry: ZipEntry, limits: ProcessLimits): Promise<ZipImage> {
  const screened = screenHeader(await readEntryHead(reader, entry, HEADER_BYTES), entry.uncompressedSize, limits);
  if (!screened.ok) return screened;
  return { ok: true, bytes: await readEntry(reader, entry) };
}
