/**
 * The image import worker's API (served over workers/rpc.ts): one request, `process`, turns an
 * image file (or a zip entry) into what the pipeline stores — checked, decoded, hashed and
 * thumbnailed — or a refusal with its reason.
 */
import type { ZipEntry } from '../formats/archive/zipReader';
import type { ProcessLimits, ProcessOutcome } from '../media/processImage';
import type { Method } from './rpc';

/** Where an image's bytes are (structured-cloned; Blobs pass by reference). */
export type ImportSource =
  | { readonly kind: 'blob'; readonly blob: Blob }
  /** An entry of a zip archive, read by the worker itself so the archive is never loaded whole. */
  | { readonly kind: 'zipEntry'; readonly zip: Blob; readonly entry: ZipEntry };

export interface ImportJob {
  readonly source: ImportSource;
  readonly limits: ProcessLimits;
}

export interface ImportJobResult {
  readonly outcome: ProcessOutcome;
  /** The image's bytes as they should be stored (the File itself, or the entry extracted from its zip). */
  readonly bytes: Blob | null;
}

export interface ImportApi {
  process: Method<ImportJob, ImportJobResult>;
}
