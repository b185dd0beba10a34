/**
 * Import annotations, the reading half (runs in the exchange worker): the files, folders and zips
 * the user picked become a ParseInput — annotation files as bytes by path, image files as their
 * sizes (from the header) and SHA-256 (so images are matched by content first). Entries that
 * climb out with `..`, absurdly large entries and unreadable files become diagnostics; nothing
 * here throws for bad input.
 */
import { orientationSwapsAxes, readImageHeader, HEADER_BYTES } from '../core/imaging/imageHeader';
import { listZip, readEntry, readEntryHead, ZipError } from '../formats/archive/zipReader';
import type { Diagnostic, ParseInput, SourceImageInfo } from '../formats/types';
import { windowedBlobReader } from '../media/blobReader';
import { sha256Hex } from '../media/sha256';
import type { PickedFile } from './pickedFile';
import { hasImageExtension, isClutter, isZip } from './fileKinds';

/** Files bigger than this are refused, images too (a 10,000-image COCO file is ~30 MB). */
export const MAX_ANNOTATION_FILE = 256 * 1024 * 1024;

export interface AnnotationSource extends ParseInput {
  readonly files: Map<string, Uint8Array>;
  readonly images: SourceImageInfo[];
  readonly problems: Diagnostic[];
}

interface RawItem {
  readonly path: string;
  /** For messages: `export.zip › labels/a.txt`. */
  readonly label: string;
  readonly size: number;
  readonly read: () => Promise<Uint8Array>;
  /** The first `n` bytes, without reading (or inflating) the rest. */
  readonly head: (n: number) => Promise<Uint8Array>;
}

/** An image file's size and SHA-256; null when its first bytes are not an image header with a size (the rest is then never read). */
async function imageInfo(item: RawItem): Promise<SourceImageInfo | null> {
  const header = readImageHeader(await item.head(HEADER_BYTES));
  if (header.kind !== 'image' || header.width === null || header.height === null) return null;
  const bytes = await item.read();
  const path = item.path;
  const swap = orientationSwapsAxes(header.orientation);
  return {
    path,
    width: swap ? header.height : header.width,
    height: swap ? header.width : header.height,
    sha256: await sha256Hex(bytes as Uint8Array<ArrayBuffer>),
  };
}

/** When every path starts with the same folder (a zipped or picked export folder), that folder is dropped. */
function stripCommonFolder(items: RawItem[]): RawItem[] {
  if (items.length === 0) return items;
  const first = items[0]!.path;
  const slash = first.indexOf('/');
  if (slash <= 0) return items;
  const prefix = first.slice(0, slash + 1);
  if (!items.every((i) => i.path.startsWith(prefix))) return items;
  return stripCommonFolder(items.map((i) => ({ ...i, path: i.path.slice(prefix.length) })));
}

export interface ReadOptions {
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops reading between files (throws the signal's reason). */
  readonly signal?: AbortSignal;
}

export async function readAnnotationSource(picked: readonly PickedFile[], { onProgress, signal }: ReadOptions = {}): Promise<AnnotationSource> {
  const problems: Diagnostic[] = [];
  const items: RawItem[] = [];
  for (const { file, path } of picked) {
    if (isClutter(path)) continue;
    if (isZip(path)) {
      const reader = windowedBlobReader(file);
      const listing = await listZip(reader, { maxEntrySize: MAX_ANNOTATION_FILE });
      for (const p of listing.problems) problems.push({ severity: 'error', file: p.entry === null ? path : `${path} › ${p.entry}`, message: p.message });
      for (const entry of listing.entries) {
        if (entry.isDirectory || isClutter(entry.path)) continue;
        items.push({ path: entry.path, label: `${path} › ${entry.path}`, size: entry.uncompressedSize, read: () => readEntry(reader, entry), head: (n) => readEntryHead(reader, entry, n) });
      }
    } else {
      items.push({ path, label: path, size: file.size, read: async () => new Uint8Array(await file.arrayBuffer()), head: async (n) => new Uint8Array(await file.slice(0, n).arrayBuffer()) });
    }
  }
  const files = new Map<string, Uint8Array>();
  const images: SourceImageInfo[] = [];
  const list = stripCommonFolder(items);
  let done = 0;
  for (const item of list) {
    signal?.throwIfAborted();
    const isImage = hasImageExtension(item.path);
    if (item.size > MAX_ANNOTATION_FILE) {
      problems.push({ severity: 'error', file: item.label, message: `skipped: ${Math.round(item.size / 2 ** 20)} MB is more than the ${MAX_ANNOTATION_FILE / 2 ** 20} MB an import reads per file` });
      continue;
    }
    if (isZip(item.path)) {
      problems.push({ severity: 'info', file: item.label, message: 'archives inside archives are not opened' });
      continue;
    }
    try {
      if (isImage) {
        const info = await imageInfo(item);
        if (info) images.push(info);
        else problems.push({ severity: 'warning', file: item.label, message: 'not a readable image; ignored (its shapes can still match a project image by name)' });
      } else files.set(item.path, await item.read());
    } catch (e) {
      problems.push({ severity: 'error', file: item.label, message: `could not be read: ${e instanceof ZipError || e instanceof Error ? e.message : String(e)}` });
    }
    done++;
    if (onProgress && (done % 50 === 0 || done === list.length)) onProgress(done, list.length);
  }
  return { files, images, problems };
}
