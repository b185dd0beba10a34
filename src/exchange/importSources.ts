import { listZip, type ZipEntry } from '../formats/archive/zipReader';
import { blobReader } from '../media/blobReader';
import type { ImportProblem } from '../state/stores';
import type { ImportSource } from '../workers/importApi';
import type { PickedFile } from './pickedFiles';
import { hasImageExtension, hasNoExtension, isClutter, isZip } from './fileKinds';
import { baseName, extensionOf } from '../formats/shared/text';

/** One image to import: where its bytes come from and the names it is known by. */
export interface SourceImage {
  readonly source: ImportSource;
  /** For messages: `a.jpg`, `folder/a.jpg` or `photos.zip › day/a.jpg`. */
  readonly label: string;
  readonly relativePath: string;
  readonly fileName: string;
}

export interface ExpandedSources {
  readonly images: SourceImage[];
  /** Could not be used at all (with the reason). */
  readonly refused: ImportProblem[];
  /** Not images, found inside folders or archives; left alone. */
  readonly skipped: ImportProblem[];
}

/** Whether to try a file as an image: image extensions, and files without an extension (sniffed). */
const looksLikeImage = (path: string): boolean => hasNoExtension(path) || hasImageExtension(path);

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * Turns what the user picked into a list of images, opening zip archives (their central
 * directories only) and sorting by path in natural order (img2 before img10). A file picked by
 * itself that is not an image is refused; inside a folder or archive it is skipped.
 */
export async function expandSources(picked: readonly PickedFile[]): Promise<ExpandedSources> {
  const images: SourceImage[] = [];
  const refused: ImportProblem[] = [];
  const skipped: ImportProblem[] = [];

  for (const { file, path } of picked) {
    if (isClutter(path)) continue;
    const inFolder = path.includes('/');
    if (isZip(path)) {
      await expandZip(file, path, images, refused, skipped);
    } else if (looksLikeImage(path)) {
      images.push({ source: { kind: 'blob', blob: file }, label: path, relativePath: path, fileName: baseName(path) });
    } else if (inFolder) {
      skipped.push({ file: path, reason: 'not an image' });
    } else {
      refused.push({ file: path, reason: `not an image or a .zip of images (${extensionOf(path) || 'no extension'})` });
    }
  }
  images.sort((a, b) => natural.compare(a.relativePath, b.relativePath));
  return { images, refused, skipped };
}

async function expandZip(zip: File, zipPath: string, images: SourceImage[], refused: ImportProblem[], skipped: ImportProblem[]): Promise<void> {
  const listing = await listZip(blobReader(zip));
  for (const p of listing.problems) {
    refused.push({ file: p.entry === null ? zipPath : `${zipPath} › ${p.entry}`, reason: p.message });
  }
  for (const entry of listing.entries) {
    if (entry.isDirectory || isClutter(entry.path)) continue;
    const label = `${zipPath} › ${entry.path}`;
    if (isZip(entry.path)) skipped.push({ file: label, reason: 'archives inside archives are not opened' });
    else if (!looksLikeImage(entry.path)) skipped.push({ file: label, reason: 'not an image' });
    else images.push(zipImage(zip, entry, label));
  }
}

const zipImage = (zip: File, entry: ZipEntry, label: string): SourceImage => ({
  source: { kind: 'zipEntry', zip, entry },
  label,
  relativePath: entry.path,
  fileName: baseName(entry.path),
});
