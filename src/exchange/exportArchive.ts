/**
 * Click Export → zip, the part that runs in the export worker: prepare (clip, convert), serialize
 * with the chosen format, stream the zip (images stored byte-for-byte), write manifest.json, then
 * read the finished archive back: every entry there, each annotation file the very bytes written,
 * and those bytes, parsed by the same format's parser (once per plan), what they were written
 * from. A mismatch is an error: the archive is not offered.
 */
import type { ImageRecord } from '../core/model';
import { TALLY_VERSION } from '../core/version';
import { crc32, entryDataRange, listZip, readEntry, ZipError, type RandomAccessReader, type ZipEntry } from '../formats/archive/zipReader';
import { compareDatasets } from '../formats/shared/compare';
import { ExactFirstPathIndex } from '../formats/shared/pathIndex';
import { prepareExport } from '../formats/shared/prepare';
import { decodeTogether, encodeText } from '../formats/shared/text';
import type { Dataset, ExportNote, Format, SerializeResult, Size } from '../formats/types';
import { windowedBlobReader } from '../media/blobReader';
import { sha256HexOfEach } from '../media/sha256';
import type { ProjectDataset } from './projectDataset';
import { BlobZipWriter, checkZipLimits, crcOf, DEFLATE_FROM, deflateTextAhead } from './zipWriter';
import type { OpenIssueSummary } from '../workers/openIssues';
import { RpcError } from '../workers/rpc';

export const MANIFEST = 'manifest.json';
/** Images read from IndexedDB at a time during an export. */
const IMAGE_BATCH = 16;

export interface ExportSettings {
  readonly format: Format;
  readonly includeImages: boolean;
  /** What the Annotations from select said ('all layers' for the Tally package). */
  readonly layerLabel: string;
  readonly createdAt: Date;
  /** COCO: how boxes' segmentation is written (SerializeOptions). */
  readonly cocoBoxSegmentation?: 'empty' | 'corners';
  /**
   * The consistency check's summary for manifest.json. Known only at Download (after the plan
   * was made), so buildExport takes it from the settings it is given, not the plan's. Absent:
   * `{ "checked": false }`.
   */
  readonly check?: ManifestCheck;
}

export interface ExportHooks {
  /** The stored bytes of some images, in the same order. */
  readonly imageBytes: (images: readonly ImageRecord[]) => Promise<Uint8Array[]>;
  readonly onProgress: (done: number, total: number, label: string) => void;
  /** Stops the export between its steps and between batches of images (it throws the signal's reason). */
  readonly signal?: AbortSignal;
}

export interface Manifest {
  readonly format: string;
  readonly formatLabel: string;
  readonly tallyVersion: string;
  readonly createdAt: string;
  readonly project: string;
  readonly annotationsFrom: string;
  readonly includeImages: boolean;
  readonly counts: {
    readonly images: number;
    readonly shapes: number;
    readonly perClass: Record<string, number>;
    readonly perSplit: Record<string, { readonly images: number; readonly shapes: number }>;
  };
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly sha256: string }[];
  readonly notes: readonly ExportNote[];
  readonly check: ManifestCheck;
}

/**
 * What the last consistency check said about the exported layer and splits (docs/FORMATS.md):
 * the open (not dismissed) issues per severity and per rule id, or `checked: false` when the
 * project was not checked before the export.
 */
export type ManifestCheck =
  | { readonly checked: false }
  | ({ readonly checked: true; /** When the report was made, ISO 8601 (UTC). */ readonly checkedAt: string } & Omit<OpenIssueSummary, 'checkedAt'>);

/** The manifest's check object from the check worker's summary (null: not checked). */
export function manifestCheck(summary: OpenIssueSummary | null | undefined): ManifestCheck {
  if (!summary) return { checked: false };
  const { checkedAt, layer, splits, open, dismissed, byRule, errorsByRule } = summary;
  return { checked: true, checkedAt: new Date(checkedAt).toISOString(), layer, splits: [...splits], open: { ...open }, dismissed, byRule: { ...byRule }, errorsByRule: { ...errorsByRule } };
}

/**
 * manifest.json's text: indented JSON, each listed file on one line of its own. A thousand files
 * are a thousand lines instead of six thousand, and JSON.stringify with indentation (its slower
 * path) then formats only the rest: the whole took 7–14 ms of a cold worker for 1,000 files.
 */
export function manifestText(manifest: Manifest): string {
  // The files' place: the top-level key (two spaces in) is the only one that can read so, as a
  // line break inside a string is written `\n`.
  const head = JSON.stringify({ ...manifest, files: 0 }, null, 2);
  const files = manifest.files.length === 0 ? '[]' : `[\n${manifest.files.map((f) => `    ${JSON.stringify({ path: f.path, bytes: f.bytes, sha256: f.sha256 })}`).join(',\n')}\n  ]`;
  return head.replace(/\n {2}"files": 0(?=,?\n)/, () => `\n  "files": ${files}`);
}

export interface ExportResult {
  readonly blob: Blob;
  readonly manifest: Manifest;
}

/** A failure worded for users (the rpc protocol shows its message as it is). */
export class ExportError extends RpcError {}

function counts(d: Dataset): Manifest['counts'] {
  const perClass: Record<string, number> = {};
  for (const c of d.classes) perClass[c.name] = 0;
  const perSplit: Record<string, { images: number; shapes: number }> = {};
  const splitOf = (i: number): string => d.images[i]?.split ?? 'unassigned';
  for (const img of d.images) (perSplit[img.split] ??= { images: 0, shapes: 0 }).images++;
  for (const a of d.annotations) {
    perClass[a.className] = (perClass[a.className] ?? 0) + 1;
    (perSplit[splitOf(a.image)] ??= { images: 0, shapes: 0 }).shapes++;
  }
  return { images: d.images.length, shapes: d.annotations.length, perClass, perSplit };
}

/**
 * What an export writes before any byte of the zip: the dataset clipped, converted and settled
 * (prepare.ts) and the format's files. The Export dialog's preview is made from it, and Download
 * reuses it while the choice is the same.
 */
export interface ExportPlan {
  readonly source: ProjectDataset;
  readonly settings: ExportSettings;
  /** What the files say: the verification expects to read exactly this back. */
  readonly written: Dataset;
  readonly result: SerializeResult;
  /** What was clipped, dropped or changed, by the preparation then by the writer. */
  readonly notes: readonly ExportNote[];
}

export function planExport(source: ProjectDataset, settings: ExportSettings): ExportPlan {
  const { format, includeImages } = settings;
  const prepared = prepareExport(source.dataset, format.shapes, format.keepsUnassigned === true);
  const result = format.serialize(prepared.dataset, {
    includeImages,
    tallyVersion: TALLY_VERSION,
    createdAt: settings.createdAt.toISOString(),
    ...(settings.cocoBoxSegmentation ? { cocoBoxSegmentation: settings.cocoBoxSegmentation } : {}),
  });
  return { source, settings, written: prepared.dataset, result, notes: [...prepared.notes, ...result.notes] };
}

/** The plan's files that the zip deflates, deflated natively where the platform can (zipWriter.ts deflateTextAhead). */
export function deflateAhead(plan: ExportPlan): Promise<unknown> {
  return Promise.all([...plan.result.files.values()].filter((f) => f.length >= DEFLATE_FROM).map(deflateTextAhead));
}

/** `work` on a plan, done once per plan (its files are fixed when it is made) and shared by every archive of it. */
function oncePerPlan<T>(work: (plan: ExportPlan) => Promise<T>): (plan: ExportPlan) => Promise<T> {
  const done = new WeakMap<ExportPlan, Promise<T>>();
  return (plan) => {
    let result = done.get(plan);
    if (!result) done.set(plan, (result = work(plan)));
    return result;
  };
}

/**
 * The SHA-256 of each of a plan's files (for manifest.json), computed once per plan, and their
 * CRC-32s for the zip (crcOf keeps them): the worker starts it after showing the preview, so
 * that Download finds them ready.
 */
export const fileHashes = oncePerPlan((plan) => {
  const files = [...plan.result.files.values()];
  return sha256HexOfEach(files).then((hex) => {
    for (const f of files) crcOf(f);
    return hex;
  });
});

/** Writes, verifies and returns the archive of a plan (made by planExport, or now). */
export async function buildExport(source: ProjectDataset, settings: ExportSettings, hooks: ExportHooks, planned?: ExportPlan): Promise<ExportResult> {
  const plan = planned ?? planExport(source, settings);
  const { format, includeImages } = plan.settings;
  const { written, result } = plan;

  const imageBytes = includeImages ? source.images.reduce((n, i) => n + i.byteSize, 0) : 0;
  const textBytes = [...result.files.values()].reduce((n, f) => n + f.length, 0);
  const limit = checkZipLimits(result.files.size + 1 + (includeImages ? source.images.length : 0), imageBytes + textBytes);
  if (limit) throw new ExportError(`Cannot export: ${limit}`);

  const total = includeImages ? source.images.length : 0;
  hooks.onProgress(0, total, 'Writing the archive');
  // Each entry: its local and central headers (76 bytes) with its name twice; the manifest lists
  // each file again (its path, size and SHA-256: under 200 bytes more).
  const headerBytes = [...result.files.keys(), ...(includeImages ? result.imagePaths : [])].reduce((n, path) => n + 3 * path.length + 300, 0);
  const writer = new BlobZipWriter(plan.settings.createdAt, textBytes + imageBytes + headerBytes + 64 * 1024);
  const files: { path: string; bytes: number; sha256: string }[] = [];
  const paths = new Set<string>([MANIFEST]);
  const claim = (path: string): void => {
    if (paths.has(path)) throw new ExportError(`Cannot export: two files would both be written at ${path}`);
    paths.add(path);
  };
  const shas = await fileHashes(plan);
  await deflateAhead(plan);
  hooks.signal?.throwIfAborted();
  let k = 0;
  for (const [path, data] of result.files) {
    claim(path);
    writer.addText(path, data);
    files.push({ path, bytes: data.length, sha256: shas[k++]! });
  }
  if (includeImages) {
    // Images are read in batches (one transaction each), the next batch while this one is zipped.
    const batches: ImageRecord[][] = [];
    for (let i = 0; i < source.images.length; i += IMAGE_BATCH) batches.push(source.images.slice(i, i + IMAGE_BATCH));
    let next = batches.length > 0 ? hooks.imageBytes(batches[0]!) : null;
    let i = 0;
    for (let b = 0; b < batches.length; b++) {
      const bytesOfBatch = await next!;
      hooks.signal?.throwIfAborted();
      next = b + 1 < batches.length ? hooks.imageBytes(batches[b + 1]!) : null;
      for (const [k, image] of batches[b]!.entries()) {
        const bytes = bytesOfBatch[k]!;
        const path = result.imagePaths[i]!;
        claim(path);
        if (bytes.length !== image.byteSize) throw new ExportError(`Cannot export: the stored bytes of ${image.relativePath} are not the ${image.byteSize} bytes that were imported`);
        writer.addStored(path, bytes);
        files.push({ path, bytes: bytes.length, sha256: image.sha256 });
        i++;
      }
      hooks.onProgress(i, total, 'Writing the archive');
    }
    // A failed read of a batch not waited for must not go unhandled.
    await next?.catch(() => undefined);
  }
  const manifest: Manifest = {
    format: format.id,
    formatLabel: format.label,
    tallyVersion: TALLY_VERSION,
    createdAt: plan.settings.createdAt.toISOString(),
    project: source.dataset.project?.name ?? '',
    annotationsFrom: plan.settings.layerLabel,
    includeImages,
    counts: counts(written),
    files,
    notes: plan.notes,
    check: settings.check ?? { checked: false },
  };
  // Stored, not deflated: it is metadata of a few hundred KB at most, and deflating it would be a
  // fifth of a small export's time.
  writer.addStored(MANIFEST, encodeText(manifestText(manifest)));
  const blob = writer.finish();

  hooks.signal?.throwIfAborted();
  hooks.onProgress(total, total, 'Checking the archive');
  // An archive of one part is read back from the very bytes the Blob was made of.
  const problems = await verifyArchive(writer.bytes ?? blob, plan, files);
  if (problems.length > 0) {
    throw new ExportError(`The ${format.label} archive did not read back as written, so it was not offered for download:\n${problems.join('\n')}`);
  }
  return { blob, manifest };
}

/**
 * Deflated entries from this size on (every one Tally deflates: DEFLATE_FROM) are inflated by the
 * browser's zlib when it has one. A COCO export's val and test files (~150 KB each for 1,000
 * images) took ~25 ms of a cold worker in JavaScript.
 */
const NATIVE_INFLATE_FROM = DEFLATE_FROM;

/**
 * An entry's bytes, checked like readEntry (declared length, CRC-32). A deflated one (a COCO
 * file) is inflated by the browser's own zlib (DecompressionStream) where there
 * is one: in a worker, several times faster than inflating in JavaScript, and without its
 * garbage.
 */
async function readBack(reader: RandomAccessReader, entry: ZipEntry): Promise<Uint8Array> {
  if (entry.method !== 8 || entry.uncompressedSize < NATIVE_INFLATE_FROM || typeof DecompressionStream === 'undefined') return readEntry(reader, entry);
  const { start, end } = await entryDataRange(reader, entry);
  const compressed = await reader.read(start, end - start);
  const out = new Uint8Array(entry.uncompressedSize);
  let at = 0;
  // The compressed bytes go in as one chunk (the stream copies them): no Blob made of them first.
  const source = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      controller.enqueue(compressed as Uint8Array<ArrayBuffer>);
      controller.close();
    },
  });
  const chunks = source.pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  try {
    for (let next = await chunks.read(); !next.done; next = await chunks.read()) {
      if (at + next.value.length > out.length) throw new ZipError(`${entry.path} is damaged: it inflates to more than the declared ${out.length} bytes`);
      out.set(next.value, at);
      at += next.value.length;
    }
  } catch (e) {
    throw e instanceof ZipError ? e : new ZipError(`${entry.path} is damaged: its compressed data is invalid`);
  } finally {
    chunks.releaseLock();
  }
  if (at !== out.length) throw new ZipError(`${entry.path} is damaged: it inflates to ${at} bytes but declares ${out.length}`);
  if (crc32(out) !== entry.crc32 >>> 0) throw new ZipError(`${entry.path} is damaged: its CRC-32 checksum does not match its contents`);
  return out;
}

/**
 * A reader answering with views of `bytes`, not copies (as windowedBlobReader answers with views
 * of its window): reading an archive of 1,000 small files back makes no 2,000 small ArrayBuffers.
 * What it answers is only read.
 */
function viewReader(bytes: Uint8Array): RandomAccessReader {
  return {
    size: bytes.length,
    read(offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
        return Promise.reject(new RangeError(`read(${offset}, ${length}) is outside the ${bytes.length}-byte archive`));
      }
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
}

/**
 * Reads the archive (the finished Blob, or the bytes it was made of) back: every listed file
 * present with its size and CRC-32, images stored (not recompressed), each annotation file the
 * very bytes the plan wrote; then what the format's own parser reads from those bytes must be
 * what they were written from (planReadsBack, parsed once per plan). An entry whose bytes differ
 * from the plan's is named as such, whatever a parser would make of it.
 */
export async function verifyArchive(archive: Blob | Uint8Array, plan: ExportPlan, files: readonly { path: string; bytes: number }[]): Promise<string[]> {
  const problems = await checkEntries(archive, plan.result.files, new Set(plan.settings.includeImages ? plan.result.imagePaths : []), files);
  return problems.length > 0 ? problems : planReadsBack(plan);
}

/**
 * The zip half of verifyArchive: each of `files` listed in the archive with its size; those in
 * `images` stored, the others read back (length and CRC-32 checked, deflated ones inflated) and
 * equal to their bytes in `written`; manifest.json present.
 */
export async function checkEntries(
  archive: Blob | Uint8Array,
  written: ReadonlyMap<string, Uint8Array>,
  images: ReadonlySet<string>,
  files: readonly { path: string; bytes: number }[],
): Promise<string[]> {
  const reader = archive instanceof Uint8Array ? viewReader(archive) : windowedBlobReader(archive);
  const listing = await listZip(reader);
  const problems = listing.problems.map((p) => `${p.entry ?? 'the archive'}: ${p.message}`);
  const entries = new Map(listing.entries.map((e) => [e.path, e]));
  for (const f of files) {
    const entry = entries.get(f.path);
    if (!entry) problems.push(`${f.path}: missing from the archive`);
    else if (entry.uncompressedSize !== f.bytes) problems.push(`${f.path}: ${entry.uncompressedSize} bytes in the archive, ${f.bytes} written`);
    else if (images.has(f.path)) {
      if (entry.method !== 0) problems.push(`${f.path}: an image was recompressed`);
    } else {
      try {
        const read = await readBack(reader, entry);
        const expected = written.get(f.path);
        if (!expected || !sameBytes(read, expected)) problems.push(`${f.path}: its bytes in the archive are not the ones written`);
      } catch (e) {
        problems.push(`${f.path}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  if (!entries.has(MANIFEST)) problems.push(`${MANIFEST}: missing from the archive`);
  return problems;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * What the format's own parser reads from the plan's files, as a user of the archive would read
 * them, compared with the dataset they were written from (within the format's precision):
 * nothing, normally. Parsed once per plan, as its files are fixed when it is made and every
 * archive of it is checked to hold these very bytes (verifyArchive). The worker starts it after
 * showing the preview, with the hashes, so that Download finds it done or under way; an archive
 * made ahead and one made at the click share it.
 */
export const planReadsBack = oncePerPlan((plan) => Promise.resolve().then(() => parseBack(plan)));

function parseBack({ settings: { format, includeImages }, written, result: { files, imageRefs, imagePaths } }: ExportPlan): string[] {
  // The parser decodes each file; 1,000 small ones are decoded faster in one go.
  decodeTogether(files.values());
  const sizes = new ExactFirstPathIndex<Size>();
  written.images.forEach((img, i) => {
    sizes.add(imagePaths[i] ?? img.relativePath, img);
    if (imageRefs[i] !== undefined && imageRefs[i] !== imagePaths[i]) sizes.add(imageRefs[i], img);
  });
  const parsed = format.parse({
    files,
    images: includeImages ? written.images.map((img, i) => ({ path: imagePaths[i]!, width: img.width, height: img.height, ...(img.sha256 ? { sha256: img.sha256 } : {}) })) : [],
    sizeOf: (path) => sizes.get(path),
  });
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}${d.line ? ` line ${d.line}` : ''}${d.field ? ` (${d.field})` : ''}: ${d.message}`);
  return [...errors.slice(0, 10), ...compareDatasets(written, parsed.dataset, imageRefs, format.precision, format.readsRectanglesAsBoxes === true)];
}
