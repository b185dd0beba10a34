import { importImages } from '../exchange/imageImport';
import { expandSources } from '../exchange/importSources';
import type { PickedFile } from '../exchange/pickedFiles';
import { WorkerPool } from '../exchange/workerPool';
import { pushNotice } from '../state/stores';
import type { ImportApi, ImportJobResult } from '../workers/importApi';
import type { SourceImage } from '../exchange/importSources';
import type { ProcessLimits } from '../media/processImage';
import type { Services } from './services';

const workerCount = (): number => Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));

/** Runs one image import at a time into the open project, with progress, Cancel and a report. */
export class ImportController {
  private pool: WorkerPool<ImportApi, 'process'> | null = null;
  private abort: AbortController | null = null;

  constructor(private readonly services: Services) {}

  get running(): boolean {
    return this.abort !== null;
  }

  cancel(): void {
    this.abort?.abort();
  }

  /** Stops the workers when no import runs (leaving the project); the next import starts new ones. */
  release(): void {
    if (this.abort) return;
    this.pool?.dispose();
    this.pool = null;
  }

  /** Workers start on first use and stay for later imports. */
  private workers(): WorkerPool<ImportApi, 'process'> {
    this.pool ??= new WorkerPool<ImportApi, 'process'>(
      workerCount(),
      () => new Worker(new URL('../workers/import.worker.ts', import.meta.url), { type: 'module', name: 'tally-import' }),
      'the image import worker',
      'process',
    );
    return this.pool;
  }

  /**
   * Checks, decodes, hashes and thumbnails images in the workers without storing anything (Import
   * project decides afterwards, all or nothing). Results come in input order. Rejects when the
   * workers cannot run.
   */
  async processImages(sources: readonly SourceImage[], limits: ProcessLimits, onProgress?: (done: number, total: number) => void): Promise<ImportJobResult[]> {
    const pool = this.workers();
    const results = new Array<ImportJobResult>(sources.length);
    let next = 0;
    let done = 0;
    const lane = async (): Promise<void> => {
      while (next < sources.length) {
        const i = next++;
        results[i] = await pool.run({ source: sources[i]!.source, limits });
        onProgress?.(++done, sources.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(pool.size, sources.length) }, lane));
    return results;
  }

  async importFiles(picked: readonly PickedFile[]): Promise<void> {
    const { stores, editor } = this.services;
    const doc = stores.document.getState().doc;
    if (!doc || !editor.canEdit) {
      pushNotice(stores, 'error', 'Images can only be imported into a project open for editing in this tab.');
      return;
    }
    if (this.abort) {
      pushNotice(stores, 'error', 'An import is already running; wait for it or cancel it first.');
      return;
    }
    if (picked.length === 0) return;
    const abort = new AbortController();
    this.abort = abort;
    const pool = this.workers(); // start the workers while the files are listed
    stores.jobs.setState({ job: { label: 'Reading files', done: 0, total: null }, lastReport: null });
    // Marks for the benchmarks (and the Performance panel): where an import's time goes.
    performance.mark('tally:import:start');
    try {
      const expanded = await expandSources(picked);
      performance.mark('tally:import:listed');
      const knownShas = new Map(doc.images.map((i) => [i.sha256, i.relativePath]));
      const firstSeq = doc.images.reduce((m, i) => Math.max(m, i.seq), 0) + 1;
      let lastProgress = 0;
      let firstStored = false;
      const report = await importImages(
        {
          editor,
          projectId: doc.project.id,
          knownShas,
          firstSeq,
          limits: { maxMegapixels: doc.project.settings.maxImageMegapixels },
          pool,
          now: Date.now,
          onProgress: (done, total) => {
            // At most ten progress renders a second, and always the last one.
            const now = performance.now();
            if (done < total && now - lastProgress < 100) return;
            lastProgress = now;
            stores.jobs.setState({ job: { label: 'Importing images', done, total } });
          },
          onStored: ([first]) => {
            if (!firstStored) performance.mark('tally:import:first-stored');
            firstStored = true;
            if (first && stores.session.getState().currentImageId === null) stores.session.setState({ currentImageId: first.id });
          },
        },
        expanded.images,
        abort.signal,
      );
      performance.mark('tally:import:done');
      const broken = pool.unavailable;
      if (broken) {
        pushNotice(stores, 'error', `The import stopped: ${broken.message}`);
      }
      stores.jobs.setState({
        lastReport: { ...report, refused: [...expanded.refused, ...report.refused], skipped: expanded.skipped },
      });
    } catch (e) {
      pushNotice(stores, 'error', `The import stopped: ${e instanceof Error ? e.message : String(e)}. Images stored so far are kept.`);
    } finally {
      this.abort = null;
      stores.jobs.setState({ job: null });
    }
  }
}
