/**
 * The app's side of export and import-annotations: one exchange worker (started on first use,
 * kept for the next job) reached through the rpc protocol (workers/rpc.ts), one job at a time,
 * progress, Cancel (the job's signal: the worker stops at its next file or batch — nothing it
 * does is stored, so stopping it mid-way is always safe), and the plan → Import step. A worker
 * that cannot load or dies fails every job with a message that says to reload.
 */
import { updatesOf } from '../core/change';
import type { Annotation } from '../core/model';
import type { Dataset, Diagnostic, FormatId } from '../formats/types';
import { formatLabel } from '../formats/catalog';
import { buildImportChange, planImport, type BuildOptions, type ImportPlan } from '../exchange/importPlan';
import type { PickedFile } from '../exchange/pickedFiles';
import { fail, ok, type Result } from '../core/result';
import type { ExchangeApi, ExchangeProgress, ExportChoice, ExportPreviewResult, ExportRequest, ExportSummary, KnownImage } from '../workers/exchangeApi';
import { CancelledError, RpcClient, type CallOptions } from '../workers/rpc';
import { onProjectOpened } from '../state/stores';
import type { Services } from './services';

export { CancelledError };
export type Progress = ExchangeProgress;
export type { ExportChoice };

export interface ImportRead {
  /** What was picked, for messages: `export.zip`, `labels/` (a folder), `a.json, b.json`. */
  readonly source: string;
  readonly formatLabel: string;
  readonly dataset: Dataset;
  readonly diagnostics: readonly Diagnostic[];
  /** The project's shapes when the files were read (to find what is already there). */
  readonly existing: readonly Annotation[];
}

/** The picked files as messages name them: one file by its path, a folder by its name, else the first two and how many more. */
export function describePicked(picked: readonly PickedFile[]): string {
  if (picked.length === 1) return picked[0]!.path;
  const top = picked[0]?.path.split('/')[0];
  if (top !== undefined && picked.length > 1 && picked.every((p) => p.path.startsWith(`${top}/`))) return `${top}/`;
  const names = picked.slice(0, 2).map((p) => p.path).join(', ');
  return picked.length > 2 ? `${names} and ${picked.length - 2} more` : names;
}

/** Runs `fn` when the page is idle (within two seconds at most). */
function whenIdle(fn: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 2_000 });
  else setTimeout(fn, 500);
}

export class ExchangeController {
  private readonly worker = new RpcClient<ExchangeApi>(() => new Worker(new URL('../workers/exchange.worker.ts', import.meta.url), { type: 'module', name: 'tally-exchange' }), 'the exchange worker');
  /** The job running now: Cancel aborts it. */
  private running: AbortController | null = null;
  /** The worker's copy of a project: which snapshot, and the editor's revision when it was read. */
  private snapshot: { id: number; projectId: string; revision: number } | null = null;

  constructor(private readonly services: Services) {
    // A project opens: the worker is started once the page is idle, so the first import or export
    // does not wait for it to load (a user choosing a file takes longer than that; a quick one not).
    onProjectOpened(services.stores, () => whenIdle(() => this.warm()));
  }

  /** Starts the worker ahead of need (when a dialog opens), so the click finds it ready. */
  warm(): void {
    this.worker.start();
  }

  cancel(): void {
    this.running?.abort();
    this.running = null;
  }

  /** One job at a time: a second one while one runs is refused. */
  private async run<K extends keyof ExchangeApi & string>(kind: K, payload: ExchangeApi[K]['payload'], onProgress?: CallOptions<ExchangeApi[K]['progress']>['onProgress']): Promise<ExchangeApi[K]['result']> {
    if (this.running) throw new Error('Another export or import is running; wait for it or cancel it.');
    const job = new AbortController();
    this.running = job;
    try {
      return await this.worker.call(kind, payload, { signal: job.signal, ...(onProgress ? { onProgress } : {}) });
    } finally {
      if (this.running === job) this.running = null;
    }
  }

  /**
   * Has the worker read the open project now (the Export dialog opens; pending saves first), and
   * returns its annotators. While nothing changes, Download starts from that copy.
   */
  async prepareExport(): Promise<string[]> {
    const { stores, queue, editor } = this.services;
    const doc = stores.document.getState().doc;
    if (!doc) throw new Error('No project is open.');
    this.warm();
    await queue.whenIdle();
    const revision = editor.revision;
    const m = await this.run('snapshot', { projectId: doc.project.id });
    this.snapshot = { id: m.snapshot, projectId: doc.project.id, revision };
    return [...m.annotators];
  }

  /**
   * The request for this choice on the open project, naming the worker's copy when it is still
   * current: this tab (the only one that can edit the project) has changed nothing since it was
   * read; a read-only tab follows another's edits, so it always reads anew.
   */
  private exportRequest(choice: ExportChoice): ExportRequest {
    const { stores, editor } = this.services;
    const doc = stores.document.getState().doc;
    if (!doc) throw new Error('No project is open.');
    const s = this.snapshot;
    const current = s !== null && s.projectId === doc.project.id && s.revision === editor.revision && stores.document.getState().mode === 'edit';
    return { projectId: doc.project.id, snapshot: current ? s.id : null, ...choice };
  }

  /**
   * What Download would write with this choice (layout, size, conversions), without writing it.
   * Runs beside other jobs (it is quick); `signal` drops an answer no longer wanted. The worker
   * keeps the plan, so Download right after starts from it.
   */
  async previewExport(choice: ExportChoice, signal: AbortSignal): Promise<ExportPreviewResult> {
    await this.services.queue.whenIdle();
    return this.worker.call('preview', this.exportRequest(choice), { signal });
  }

  /**
   * The dialog shows this choice's preview and check summary: the worker writes and reads back its
   * archive now (annotation-only exports), so that Download finds it ready. Failures are left to
   * Download, which then builds anew and reports them.
   */
  exportAhead(choice: ExportChoice): void {
    void this.services.queue
      .whenIdle()
      .then(() => this.worker.call('ahead', this.exportRequest(choice)))
      .catch(() => undefined);
  }

  /** Waits for pending saves (the worker reads IndexedDB), then builds, verifies and returns the archive (or takes the one made ahead). */
  async exportArchive(choice: ExportChoice, onProgress: (p: Progress) => void): Promise<{ blob: Blob; summary: ExportSummary }> {
    this.warm();
    await this.services.queue.whenIdle();
    return this.run('export', this.exportRequest(choice), onProgress);
  }

  /** Reads the picked files in the worker (detect, parse) and the project's shapes; stores nothing. */
  async readImport(picked: readonly PickedFile[], onProgress: (p: Progress) => void): Promise<ImportRead> {
    const { stores, repo } = this.services;
    const doc = stores.document.getState().doc;
    if (!doc) throw new Error('No project is open.');
    const known = doc.images.map((i) => ({ relativePath: i.relativePath, width: i.width, height: i.height }));
    // Marks for the benchmarks (and the Performance panel): where an import's time goes.
    performance.mark('tally:annotations:read-start');
    const [read, existing] = await Promise.all([
      this.readFiles(picked, known, onProgress).finally(() => performance.mark('tally:annotations:parsed')),
      this.services.queue.whenIdle().then(() => repo.listAnnotations(doc.project.id)),
    ]);
    performance.mark('tally:annotations:read');
    return { ...read, existing };
  }

  /** Detects and parses files in the worker, with no project behind them (a package that makes a new project). */
  async readFiles(picked: readonly PickedFile[], known: readonly KnownImage[], onProgress: (p: Progress) => void): Promise<ImportRead & { readonly formatId: FormatId | null }> {
    const m = await this.run('parse', { picked, known }, onProgress);
    return { source: describePicked(picked), formatId: m.formatId, formatLabel: m.formatId ? formatLabel(m.formatId) : 'Unknown format', dataset: m.dataset, diagnostics: m.diagnostics, existing: [] };
  }

  /** What Import would do with what was read, for this annotator (recomputed as the name is typed: shapes already in that layer are not stored twice). */
  plan(read: ImportRead, annotator: string): ImportPlan | null {
    const doc = this.services.stores.document.getState().doc;
    return doc ? planImport(doc.project, doc.images, read.existing, doc.layers, read, annotator) : null;
  }

  /**
   * The Annotator field's first value: the file's own annotator when it names one; else empty —
   * never silently the current annotator (whose layer would then mix two people's work).
   */
  defaultAnnotator(read: ImportRead): string {
    const named = [...new Set(read.dataset.annotations.flatMap((a) => (a.annotator !== undefined ? [a.annotator] : [])))];
    return named.length === 1 ? named[0]! : '';
  }

  /** Stores a planned import as one Change (one transaction, one undo step). Uses the records as they are now. Answers how many shapes were added and images given another split. */
  async commitImport(plan: ImportPlan, existing: readonly Annotation[], annotator: string, options: BuildOptions = {}): Promise<Result<{ readonly shapes: number; readonly splits: number }>> {
    const { stores, editor } = this.services;
    const doc = stores.document.getState().doc;
    if (!doc || !editor.canEdit) return fail('The project is not open for editing in this tab.');
    const fresh = { ...plan, matched: plan.matched.flatMap((m) => {
      const at = doc.imageIndex.get(m.target.id);
      const img = at === undefined ? undefined : doc.images[at];
      return img ? [{ ...m, target: img }] : [];
    }) };
    performance.mark('tally:annotations:commit');
    const built = buildImportChange(fresh, doc.project, existing, doc.layers, annotator, Date.now(), options);
    performance.mark('tally:annotations:built');
    if (!built.ok) return built;
    const added = built.value.updates.filter((u) => u.table === 'annotations').length;
    const splits = updatesOf(built.value, 'images').filter((u) => u.before && u.after && u.before.split !== u.after.split).length;
    if (built.value.updates.length === 0) return ok({ shapes: 0, splits: 0 });
    const saved = editor.commit(built.value, { label: `import ${added} shapes` });
    // Applied on screen and its writes handed to IndexedDB (the put calls run in this call).
    performance.mark('tally:annotations:applied');
    if (!saved) return fail(`${plan.source}: the import could not be stored (the project is not open for editing in this tab).`);
    await saved;
    performance.mark('tally:annotations:stored');
    return ok({ shapes: added, splits });
  }
}
