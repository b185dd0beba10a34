import { added, change } from '../core/change';
import { newImageId } from '../core/ids';
import type { ImageRecord, ProjectId } from '../core/model';
import type { ProcessLimits } from '../media/processImage';
import { writesForImageFiles } from '../persistence/repository';
import { describeStorageFull } from '../persistence/storage';
import { PermanentWriteError } from '../persistence/writeQueue';
import type { Editor } from '../state/editor';
import type { ImportProblem, ImportReport } from '../state/stores';
import type { ImportJob, ImportJobResult } from '../workers/importApi';
import { WorkerUnavailableError } from '../workers/rpc';
import type { SourceImage } from './importSources';
import type { JobRunner } from './workerPool';

const QUOTA = 'QuotaExceededError';

export interface ImageImportContext {
  readonly editor: Editor;
  readonly projectId: ProjectId;
  /** SHA-256 → label of every image already in the project; grows as this import stores more. */
  readonly knownShas: Map<string, string>;
  /** seq of the first image of this import (one more than the project's largest). */
  readonly firstSeq: number;
  readonly limits: ProcessLimits;
  readonly pool: JobRunner<ImportJob, ImportJobResult>;
  readonly now: () => number;
  onProgress(done: number, total: number): void;
  /** Images whose record, bytes and thumbnail are committed, in input order, a batch at a time. */
  onStored(images: readonly ImageRecord[]): void;
  /**
   * Runs `show` soon: stored images are shown in batches (one store update and one list render
   * per batch, not per image). Defaults to a 100 ms timer. The first image is shown at once.
   */
  readonly schedule?: (show: () => void) => void;
}

/**
 * Imports images: workers decode, hash and thumbnail them in parallel; results are taken in input
 * order (so the list fills in order and, of two identical files, the first one is kept), and each
 * image is saved with its bytes and thumbnail in one change. Saving never waits for decoding and
 * vice versa: the write queue groups whatever is ready into the next transaction.
 *
 * Cancelling stops starting new files; the ones already under way finish and are kept. A full
 * disk stops the import the same way, by itself, and says so.
 */
export async function importImages(ctx: ImageImportContext, sources: readonly SourceImage[], cancel: AbortSignal): Promise<ImportReport> {
  const duplicates: ImportProblem[] = [];
  const refused: ImportProblem[] = [];
  const saves: Promise<void>[] = [];
  let stored = 0;
  let stopReason: string | null = null;
  const stop = new AbortController();
  const signal = AbortSignal.any([cancel, stop.signal]);

  let toShow: ImageRecord[] = [];
  let showScheduled = false;
  const show = (): void => {
    showScheduled = false;
    if (toShow.length === 0) return;
    const batch = toShow.sort((a, b) => a.seq - b.seq);
    toShow = [];
    ctx.editor.applySaved(change(...batch.map((r) => added('images', r))));
    ctx.onStored(batch);
  };
  const schedule = ctx.schedule ?? ((fn: () => void) => void setTimeout(fn, 100));
  const saved = (record: ImageRecord): void => {
    stored++;
    toShow.push(record);
    if (stored === 1) show(); // the first image opens as soon as it is on disk
    else if (!showScheduled) {
      showScheduled = true;
      schedule(show);
    }
  };

  const handle = (i: number, result: ImportJobResult): void => {
    const src = sources[i]!;
    const { outcome } = result;
    if (!outcome.ok || !result.bytes) {
      refused.push({ file: src.label, reason: outcome.ok ? 'could not be read' : outcome.reason });
      return;
    }
    const { image } = outcome;
    const same = ctx.knownShas.get(image.sha256);
    if (same !== undefined) {
      duplicates.push({ file: src.label, reason: `same bytes as ${same}; not stored again` });
      return;
    }
    ctx.knownShas.set(image.sha256, src.label);
    const record: ImageRecord = {
      id: newImageId(),
      projectId: ctx.projectId,
      fileName: src.fileName,
      relativePath: src.relativePath,
      width: image.width,
      height: image.height,
      byteSize: image.byteSize,
      mimeType: image.mimeType,
      sha256: image.sha256,
      phash: image.phash,
      phashMirrored: image.phashMirrored,
      dhash: image.dhash,
      pixelSha256: image.pixelSha256,
      pixelStats: image.pixelStats,
      split: 'unassigned',
      status: 'new',
      seq: ctx.firstSeq + i,
      addedAt: ctx.now(),
      annotationCount: 0,
    };
    saves.push(
      ctx.editor.save(change(added('images', record)), writesForImageFiles(record, result.bytes, image.thumbnail), { giveUpOn: [QUOTA] }).then(
        (ok) => {
          if (ok) saved(record);
          else refused.push({ file: src.label, reason: 'not stored: the project became read-only in this tab' });
        },
        (e: unknown) => {
          ctx.knownShas.delete(image.sha256);
          if (e instanceof PermanentWriteError && (e.cause as Error | undefined)?.name === QUOTA) {
            stop.abort();
            refused.push({ file: src.label, reason: 'not stored: browser storage is full' });
            return describeStorageFull().then((why) => void (stopReason ??= why));
          } else {
            refused.push({ file: src.label, reason: `could not be stored (${e instanceof Error ? e.message : String(e)})` });
          }
        },
      ),
    );
  };

  const total = sources.length;
  const maxInFlight = ctx.pool.size * 3;
  const ready = new Map<number, ImportJobResult>();
  let started = 0;
  let handled = 0;
  ctx.onProgress(0, total);

  await new Promise<void>((finish) => {
    const pump = (): void => {
      while (ready.has(handled)) {
        handle(handled, ready.get(handled)!);
        ready.delete(handled);
        handled++;
        ctx.onProgress(handled, total);
      }
      while (!signal.aborted && started < total && started - handled < maxInFlight) {
        const i = started++;
        ctx.pool.run({ source: sources[i]!.source, limits: ctx.limits }).then(
          (r) => ready.set(i, r),
          (e: unknown) => {
            // A worker that cannot run stops the import (the caller says why), rather than refusing every file.
            if (e instanceof WorkerUnavailableError) stop.abort();
            ready.set(i, { outcome: { ok: false, reason: `could not be processed (${e instanceof Error ? e.message : String(e)})` }, bytes: null });
          },
        ).finally(pump);
      }
      if (handled === started && (signal.aborted || started === total)) finish();
    };
    signal.addEventListener('abort', pump);
    pump();
  });
  await Promise.all(saves);
  show();
  return { stored, duplicates, refused, skipped: [], cancelled: cancel.aborted && handled < total, stopReason, notAttempted: total - handled };
}
