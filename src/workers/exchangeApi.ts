/**
 * The exchange worker's API (served over workers/rpc.ts): export (read a snapshot of the project
 * → serialize → zip → read back and compare) and the reading half of Import annotations (open the
 * picked files and zips, detect the format, parse). Payloads and results are structured-cloned;
 * Blobs and Files pass by reference.
 */
import type { Split } from '../core/model';
import type { Dataset, Diagnostic, ExportNote, FormatId, Size } from '../formats/types';
import type { ExportPreview } from '../exchange/exportPreview';
import type { PickedFile } from '../exchange/pickedFile';
import type { OpenIssueSummary } from './openIssues';
import type { Method } from './rpc';

export interface ExchangeProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

/** What the Export dialog chose. */
export interface ExportChoice {
  readonly format: FormatId;
  /** An annotator's name or 'Consensus'; null = every layer (the Tally package). */
  readonly layer: string | null;
  readonly includeImages: boolean;
  readonly splits: readonly Split[];
  /** COCO: boxes' segmentation, `[]` (default) or their 4 corners (for mask training). */
  readonly cocoBoxSegmentation?: 'empty' | 'corners';
  /**
   * The last check's open issues for this layer and these splits, for manifest.json (asked of
   * the check worker at Download); absent or null: not checked. Not part of the plan.
   */
  readonly check?: OpenIssueSummary | null;
}

export interface ExportRequest extends ExportChoice {
  readonly projectId: string;
  /** A snapshot (from `snapshot`) whose copy of the project is still current, or null: read it now. */
  readonly snapshot: number | null;
}

export interface ExportSummary {
  readonly fileName: string;
  readonly images: number;
  readonly shapes: number;
  readonly notes: readonly ExportNote[];
}

/** A project image as the parser's size lookup needs it. */
export interface KnownImage extends Size {
  readonly relativePath: string;
}

export interface ParseRequest {
  readonly picked: readonly PickedFile[];
  readonly known: readonly KnownImage[];
}

export interface ParsedFiles {
  /** null: no format recognised (the diagnostics say what the files looked like). */
  readonly formatId: FormatId | null;
  readonly dataset: Dataset;
  readonly diagnostics: readonly Diagnostic[];
}

/** What the zip will hold (exchange/exportPreview.ts), and the name it will be downloaded under. */
export interface ExportPreviewResult extends ExportPreview {
  readonly fileName: string;
}

export interface ExchangeApi {
  /** What Download would write with this choice, without writing it (the plan is kept for Download). */
  preview: Method<ExportRequest, ExportPreviewResult>;
  /**
   * Writes and reads back now, while the dialog is open, the archive Download would hand over for
   * this choice and check summary (annotation-only exports; exchange/exportAhead.ts). Answers at
   * once: Download takes the archive if it is still what it would write.
   */
  ahead: Method<ExportRequest, void>;
  /** Reads the project into the worker now (the Export dialog opens), so that Download starts from it; answers its annotators. */
  snapshot: Method<{ readonly projectId: string }, { readonly snapshot: number; readonly annotators: readonly string[] }>;
  export: Method<ExportRequest, { readonly blob: Blob; readonly summary: ExportSummary }, ExchangeProgress>;
  parse: Method<ParseRequest, ParsedFiles, ExchangeProgress>;
}
