/**
 * The app's side of export and import-annotations: one exchange worker (started on first use,
 * kept for the next job), one job at a time, progress, Cancel (the worker is stopped — nothing
 * it was doing is stored, so stopping it mid-way is always safe), and the plan → Import step.
 */
import type { Annotation, Split } from '../core/model';
import type { Dataset, Diagnostic, FormatId } from '../formats/types';
import { formatLabel } from '../formats/catalog';
import { buildImportChange, planImport, type BuildOptions, type ImportPlan } from '../exchange/importPlan';
import type { PickedFile } from '../exchange/pickedFiles';
import { fail, ok, type Result } from '../core/result';
import type { ExchangeRequest, ExchangeResponse, ExportSummary, KnownImage } from '../workers/exchangeProtocol';
import type { Services } from './services';
import { FALLBACK_ANNOTATOR } from './annotationActions';

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export interface ExportChoice {
  readonly format: FormatId;
  readonly layer: string | null;
  readonly includeImages: boolean;
  readonly splits: readonly Split[];
}

type Distributive<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = Distributive<ExchangeRequest>;

export interface ImportRead {
  readonly formatLabel: string;
  readonly dataset: Dataset;
  readonly diagnostics: readonly Diagnostic[];
  /** The project's shapes when the files were read (to find what is already there). */
  readonly existing: readonly Annotation[];
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

export class ExchangeController {
  private worker: Worker | null = null;
  private nextId = 1;
  private running: { id: number; reject: (e: unknown) => void } | null = null;
  /** The worker's copy of a project: which request read it, and the editor's revision then. */
  private snapshot: { id: number; projectId: string; revision: number } | null = null;

  constructor(private readonly services: Services) {}

  /** Starts the worker ahead of need (when a dialog opens), so the click finds it ready. */
  warm(): void {
    this.worker ??= new Worker(new URL('../workers/exchange.worker.ts', import.meta.url), { type: 'module', name: 'tally-exchange' });
  }

  cancel(): void {
    if (!this.running) return;
    this.running.reject(new CancelledError());
    this.running = null;
    this.worker?.terminate();
    this.worker = null;
    this.snapshot = null;
  }

  private run(request: Request, onProgress: (p: Progress) => void): Promise<ExchangeResponse> {
    if (this.running) return Promise.reject(new Error('Another export or import is running; wait for it or cancel it.'));
    this.warm();
    const worker = this.worker!;
    const id = this.nextId++;
    return new Promise<ExchangeResponse>((resolve, reject) => {
      this.running = { id, reject };
      const done = (): void => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        if (this.running?.id === id) this.running = null;
      };
      const onMessage = (e: MessageEvent<ExchangeResponse>): void => {
        const m = e.data;
        if (m.id !== id) return;
        if (m.kind === 'progress') return onProgress(m);
        done();
        if (m.kind === 'failed') reject(new Error(m.message));
        else resolve(m);
      };
      const onError = (e: ErrorEvent): void => {
        done();
        this.worker?.terminate();
        this.worker = null;
        this.snapshot = null;
        reject(new Error(`The exchange worker stopped: ${e.message || 'unknown error'}`));
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      worker.postMessage({ ...request, id } as ExchangeRequest);
    });
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
    const m = await this.run({ kind: 'snapshot', projectId: doc.project.id }, () => undefined);
    if (m.kind !== 'snapshot') throw new Error('unexpected answer from the exchange worker');
    this.snapshot = { id: m.id, projectId: doc.project.id, revision };
    return [...m.annotators];
  }

  /** Waits for pending saves (the worker reads IndexedDB), then builds, verifies and returns the archive. */
  async exportArchive(choice: ExportChoice, onProgress: (p: Progress) => void): Promise<{ blob: Blob; summary: ExportSummary }> {
    const { stores, queue, editor } = this.services;
    const doc = stores.document.getState().doc;
    if (!doc) throw new Error('No project is open.');
    this.warm();
    await queue.whenIdle();
    // The copy read when the dialog opened is current if this tab (the only one that can edit
    // the project) has changed nothing since; a read-only tab follows another's edits: read anew.
    const s = this.snapshot;
    const current = s !== null && s.projectId === doc.project.id && s.revision === editor.revision && stores.document.getState().mode === 'edit';
    const m = await this.run({ kind: 'export', projectId: doc.project.id, snapshot: current ? s.id : null, ...choice }, onProgress);
    if (m.kind !== 'exported') throw new Error('unexpected answer from the exchange worker');
    return { blob: m.blob, summary: m.summary };
  }

  /** Reads the picked files in the worker (detect, parse) and the project's shapes; stores nothing. */
  async readImport(picked: readonly PickedFile[], onProgress: (p: Progress) => void): Promise<ImportRead> {
    const { stores, repo } = this.services;
    const doc = stores.document.getState().doc;
    if (!doc) throw new Error('No project is open.');
    const known = doc.images.map((i) => ({ relativePath: i.relativePath, width: i.width, height: i.height }));
    const [read, existing] = await Promise.all([this.readFiles(picked, known, onProgress), this.services.queue.whenIdle().then(() => repo.listAnnotations(doc.project.id))]);
    return { ...read, existing };
  }

  /** Detects and parses files in the worker, with no project behind them (a package that makes a new project). */
  async readFiles(picked: readonly PickedFile[], known: readonly KnownImage[], onProgress: (p: Progress) => void): Promise<ImportRead & { readonly formatId: FormatId | null }> {
    const m = await this.run({ kind: 'parse', picked, known }, onProgress);
    if (m.kind !== 'parsed') throw new Error('unexpected answer from the exchange worker');
    return { formatId: m.formatId, formatLabel: m.formatId ? formatLabel(m.formatId) : 'Unknown format', dataset: m.dataset, diagnostics: m.diagnostics, existing: [] };
  }

  /** What Import would do with what was read, for this annotator (recomputed as the name is typed: shapes already in that layer are not stored twice). */
  plan(read: ImportRead, annotator: string): ImportPlan | null {
    const doc = this.services.stores.document.getState().doc;
    return doc ? planImport(doc.project, doc.images, read.existing, read, annotator) : null;
  }

  /** The Annotator field's first value: the file's own annotator when it names one, else the current one. */
  defaultAnnotator(read: ImportRead): string {
    const named = [...new Set(read.dataset.annotations.flatMap((a) => (a.annotator !== undefined ? [a.annotator] : [])))];
    return named.length === 1 ? named[0]! : (this.services.stores.session.getState().annotatorName ?? FALLBACK_ANNOTATOR);
  }

  /** Stores a planned import as one Change (one transaction, one undo step). Uses the records as they are now. */
  async commitImport(plan: ImportPlan, existing: readonly Annotation[], annotator: string, options: BuildOptions = {}): Promise<Result<number>> {
    const { stores, editor } = this.services;
    const doc = stores.document.getState().doc;
    if (!doc || !editor.canEdit) return fail('The project is not open for editing in this tab.');
    const fresh = { ...plan, matched: plan.matched.flatMap((m) => {
      const at = doc.imageIndex.get(m.target.id);
      const img = at === undefined ? undefined : doc.images[at];
      return img ? [{ ...m, target: img }] : [];
    }) };
    const built = buildImportChange(fresh, doc.project, existing, annotator, Date.now(), options);
    if (!built.ok) return built;
    const added = built.value.updates.filter((u) => u.table === 'annotations').length;
    if (built.value.updates.length === 0) return ok(0);
    const saved = editor.commit(built.value, { label: `import ${added} shapes` });
    if (!saved) return fail('The import could not be stored.');
    await saved;
    return ok(added);
  }
}
