/**
 * What the Export dialog says before Download: what the zip will hold — its layout (folders and
 * files), an estimated size with and without the images, and what will be clipped, dropped or
 * converted (polygons → boxes, images without a split going to train, YOLO's val pointing at
 * train…) — computed from the same plan the export then writes (exportArchive.ts planExport).
 */
import { deflateSync } from 'fflate';
import { CONSENSUS_LAYER } from '../core/model';
import type { ExportNote, ExportNoteKind } from '../formats/types';
import { dirName } from '../formats/shared/text';
import { MANIFEST, type ExportPlan } from './exportArchive';
import { DEFLATE_FROM, deflateText } from './zipWriter';

/** A file, or a folder with how many files it holds. */
export interface LayoutEntry {
  /** `data.yaml`, or a folder with a trailing slash: `labels/train/`. */
  readonly path: string;
  readonly files: number;
  /** Uncompressed bytes. */
  readonly bytes: number;
  readonly images: boolean;
}

export interface ExportPreview {
  readonly images: number;
  readonly shapes: number;
  /** The annotation files and folders, then (with images) the image folders, then manifest.json. */
  readonly layout: readonly LayoutEntry[];
  /** Estimated size of the zip, bytes. */
  readonly zipBytes: { readonly withoutImages: number; readonly withImages: number };
  readonly counts: Readonly<Record<ExportNoteKind, number>>;
  /** Notes about the export as a whole (conversions, splits, data.yaml), all of them. */
  readonly general: readonly string[];
  /** Notes about single images (clipped, dropped, renamed), the first MAX_LISTED. */
  readonly perImage: readonly ExportNote[];
}

/**
 * Why an export is refused before Download, or null: an empty Consensus layer (nothing settled in
 * Review yet) would make a dataset without a single shape, which no training wants.
 */
export function consensusRefusal(layer: string | null, shapes: number): string | null {
  if (layer === null || layer.toLocaleLowerCase('en') !== CONSENSUS_LAYER.toLocaleLowerCase('en') || shapes > 0) return null;
  return 'The Consensus layer is empty: no disagreement has been settled in Review yet. Settle them there first, or export an annotator’s layer.';
}

const MAX_LISTED = 100;
/** A folder with more files than this is shown as one line. */
const LISTED_PER_FOLDER = 2;
/** Files up to this size are deflated whole for the estimate (and Download reuses it: deflateText); bigger ones by a sample this size. */
const SAMPLE = 8 * 1024 * 1024;
/** Local header (30) + central record (46) per entry; names counted apart. */
const ENTRY_OVERHEAD = 76;

/** Files grouped by folder in first-seen order: a folder of more than LISTED_PER_FOLDER files is one entry. */
export function layoutOf(files: readonly { readonly path: string; readonly bytes: number }[], images: boolean): LayoutEntry[] {
  const byFolder = new Map<string, { path: string; bytes: number }[]>();
  for (const f of files) {
    const dir = dirName(f.path);
    const list = byFolder.get(dir);
    if (list) list.push(f);
    else byFolder.set(dir, [f]);
  }
  const out: LayoutEntry[] = [];
  for (const [dir, list] of byFolder) {
    if (list.length <= LISTED_PER_FOLDER && !images) for (const f of list) out.push({ path: f.path, files: 1, bytes: f.bytes, images });
    else out.push({ path: dir === '' ? '(top folder)' : `${dir}/`, files: list.length, bytes: list.reduce((n, f) => n + f.bytes, 0), images });
  }
  return out;
}

/** Bytes an entry takes in the zip: stored under DEFLATE_FROM, else deflated at level 1 as a sample of it is. */
function zipped(path: string, bytes: number, data?: Uint8Array): number {
  if (bytes < DEFLATE_FROM) return ENTRY_OVERHEAD + 2 * path.length + bytes;
  if (data && data.length <= SAMPLE) return ENTRY_OVERHEAD + 2 * path.length + deflateText(data).length;
  const sample = data ? data.subarray(0, SAMPLE) : null;
  const ratio = sample ? deflateSync(sample, { level: 1 }).length / sample.length : 0.25;
  return ENTRY_OVERHEAD + 2 * path.length + Math.round(bytes * ratio);
}

export function previewExport(plan: ExportPlan): ExportPreview {
  const text = [...plan.result.files].map(([path, data]) => ({ path, bytes: data.length, data }));
  const images = plan.source.images.map((img, i) => ({ path: plan.result.imagePaths[i]!, bytes: img.byteSize }));
  // manifest.json: counts and settings, every file with its size and SHA-256, every note.
  // One line per file (exportArchive.ts manifestText).
  const listed = (files: readonly { path: string }[]): number => files.reduce((n, f) => n + 106 + f.path.length, 0);
  const manifestText = 480 + listed(text) + plan.notes.reduce((n, note) => n + note.message.length + (note.image?.length ?? 0) + 60, 0);
  const manifestImages = listed(images);
  const textZip = text.reduce((n, f) => n + zipped(f.path, f.bytes, f.data), 0) + 22;
  const imageZip = images.reduce((n, f) => n + ENTRY_OVERHEAD + 2 * f.path.length + f.bytes, 0);
  const manifestBytes = manifestText + (plan.settings.includeImages ? manifestImages : 0);
  const counts: Record<ExportNoteKind, number> = { clipped: 0, dropped: 0, changed: 0 };
  for (const n of plan.notes) counts[n.kind]++;
  return {
    images: plan.written.images.length,
    shapes: plan.written.annotations.length,
    layout: [...layoutOf(text.map(({ path, bytes }) => ({ path, bytes })), false), ...(plan.settings.includeImages ? layoutOf(images, true) : []), { path: MANIFEST, files: 1, bytes: manifestBytes, images: false }],
    // manifest.json is stored, not deflated.
    zipBytes: { withoutImages: textZip + ENTRY_OVERHEAD + 2 * MANIFEST.length + manifestText, withImages: textZip + imageZip + ENTRY_OVERHEAD + 2 * MANIFEST.length + manifestText + manifestImages },
    counts,
    general: plan.notes.filter((n) => n.image === undefined).map((n) => n.message),
    perImage: plan.notes.filter((n) => n.image !== undefined).slice(0, MAX_LISTED),
  };
}
