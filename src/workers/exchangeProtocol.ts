/** Messages between the app and the exchange worker (export, and reading files to import). Structured-cloned; Blobs and Files pass by reference. */
import type { Split } from '../core/model';
import type { ExportNote, FormatId, Dataset, Diagnostic, Size } from '../formats/types';
import type { PickedFile } from '../exchange/pickedFile';

export interface ExportRequest {
  readonly kind: 'export';
  readonly id: number;
  readonly projectId: string;
  readonly format: FormatId;
  /** An annotator's name or 'Consensus'; null = every layer (the Tally package). */
  readonly layer: string | null;
  readonly includeImages: boolean;
  readonly splits: readonly Split[];
  /** The id of a snapshot request whose copy of the project is still current, or null: read it now. */
  readonly snapshot: number | null;
}

/** Read the project into the worker now (the Export dialog opens), so that Download starts from it. */
export interface SnapshotRequest {
  readonly kind: 'snapshot';
  readonly id: number;
  readonly projectId: string;
}

/** A project image as the parser's size lookup needs it. */
export interface KnownImage extends Size {
  readonly relativePath: string;
}

export interface ParseRequest {
  readonly kind: 'parse';
  readonly id: number;
  readonly picked: readonly PickedFile[];
  readonly known: readonly KnownImage[];
}

export type ExchangeRequest = ExportRequest | SnapshotRequest | ParseRequest;

export interface ExportSummary {
  readonly fileName: string;
  readonly images: number;
  readonly shapes: number;
  readonly notes: readonly ExportNote[];
}

export type ExchangeResponse =
  | { readonly kind: 'progress'; readonly id: number; readonly done: number; readonly total: number; readonly label: string }
  | { readonly kind: 'snapshot'; readonly id: number; readonly annotators: readonly string[] }
  | { readonly kind: 'exported'; readonly id: number; readonly blob: Blob; readonly summary: ExportSummary }
  | { readonly kind: 'parsed'; readonly id: number; readonly formatId: FormatId | null; readonly dataset: Dataset; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };
