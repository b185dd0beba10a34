import type { ZipEntry } from '../formats/archive/zipReader';
import type { ProcessLimits, ProcessOutcome } from '../media/processImage';

/** Messages between the import pipeline and its workers (structured-cloned; Blobs pass by reference). */

export type ImportSource =
  | { readonly kind: 'blob'; readonly blob: Blob }
  /** An entry of a zip archive, read by the worker itself so the archive is never loaded whole. */
  | { readonly kind: 'zipEntry'; readonly zip: Blob; readonly entry: ZipEntry };

export interface ImportJob {
  readonly id: number;
  readonly source: ImportSource;
  readonly limits: ProcessLimits;
}

export interface ImportJobResult {
  readonly id: number;
  readonly outcome: ProcessOutcome;
  /** The image's bytes as they should be stored (the File itself, or the entry extracted from its zip). */
  readonly bytes: Blob | null;
}
