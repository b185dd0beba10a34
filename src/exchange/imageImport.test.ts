import { describe, expect, it } from 'vitest';
import { createDocument } from '../core/document';
import type { ImageRecord, ProjectId } from '../core/model';
import { WriteQueue } from '../persistence/writeQueue';
import type { Write } from '../persistence/writes';
import { Editor } from '../state/editor';
import { createStores } from '../state/stores';
import { makeProject } from '../test-support/fixtures';
import type { ImportJob, ImportJobResult } from '../workers/importApi';
import { importImages, type ImageImportContext } from './imageImport';
import type { SourceImage } from './importSources';
import type { JobRunner } from './workerPool';

const hex = (n: number, len: number) => n.toString(16).padStart(len, '0');

/** Workers that answer after `delay(i)` ms: a decoded image whose SHA-256 is `sha(i)`, or a refusal. */
function fakeWorkers(sha: (i: number) => number | 'refuse', delay: (i: number) => number = () => 0): JobRunner<ImportJob, ImportJobResult> & { started: number[] } {
  const started: number[] = [];
  return {
    size: 2,
    started,
    run: (job) =>
      new Promise((resolve) => {
        const id = job.source.kind === 'blob' ? indexOf.get(job.source.blob)! : -1;
        started.push(id);
        const s = sha(id);
        setTimeout(() => {
          if (s === 'refuse') resolve({ outcome: { ok: false, reason: 'the image data is corrupt' }, bytes: null });
          else
            resolve({
              bytes: new Blob([`bytes ${s}`]),
              outcome: {
                ok: true,
                image: { width: 64, height: 48, mimeType: 'image/jpeg', byteSize: 10, sha256: hex(s, 64), phash: hex(s, 16), phashMirrored: hex(s, 16), dhash: hex(s, 16), pixelSha256: hex(s, 64), pixelStats: { meanLuminance: 0.5, laplacianVariance: 100, entropy: 6 }, thumbnail: new Blob(['t']) },
              },
            });
        }, delay(id));
      }),
  };
}

/** Which source a job's blob is (the fake workers answer by it). */
const indexOf = new WeakMap<Blob, number>();
const sources = (n: number): SourceImage[] =>
  Array.from({ length: n }, (_, i) => {
    const blob = new Blob([String(i)]);
    indexOf.set(blob, i);
    return { source: { kind: 'blob', blob }, label: `f${i}.jpg`, relativePath: `f${i}.jpg`, fileName: `f${i}.jpg` };
  });

function setup(commit: (writes: readonly Write[]) => Promise<void> = async () => undefined) {
  const stores = createStores();
  const project = makeProject({ id: 'p1' as ProjectId });
  stores.document.setState({ doc: createDocument(project, []), mode: 'edit' });
  const disk: Write[][] = [];
  const queue = new WriteQueue({
    commit: async (w) => {
      await commit(w);
      disk.push([...w]);
    },
    describeError: async (e) => `Not saved: ${(e as Error).name}`,
    setTimer: () => null, // no retries in these tests
  });
  const editor = new Editor(stores, queue, { annotations: () => Promise.resolve([]), records: () => Promise.resolve({ project: null, images: [] }) });
  const progress: Array<[number, number]> = [];
  const storedIds: ImageRecord[] = [];
  const ctx = (pool: JobRunner<ImportJob, ImportJobResult>): ImageImportContext => ({
    editor,
    projectId: project.id,
    knownShas: new Map([[hex(99, 64), 'already.jpg']]),
    firstSeq: 10,
    limits: { maxMegapixels: 100 },
    pool,
    now: () => 5,
    onProgress: (d, t) => progress.push([d, t]),
    onStored: (imgs) => storedIds.push(...imgs),
  });
  return { stores, disk, progress, storedIds, ctx, queue };
}

describe('importImages', () => {
  it('stores in input order whatever order the workers finish in, with seq by input position', async () => {
    const h = setup();
    const pool = fakeWorkers((i) => i + 1, (i) => (i % 2 ? 1 : 15)); // odd ones finish first
    const report = await importImages(h.ctx(pool), sources(6), new AbortController().signal);
    expect(report).toMatchObject({ stored: 6, duplicates: [], refused: [], cancelled: false, stopReason: null, notAttempted: 0 });
    const images = h.stores.document.getState().doc!.images;
    expect(images.map((i) => [i.fileName, i.seq])).toEqual([0, 1, 2, 3, 4, 5].map((i) => [`f${i}.jpg`, 10 + i]));
    expect(h.storedIds.map((i) => i.fileName)).toEqual(images.map((i) => i.fileName));
    expect(h.progress.at(-1)).toEqual([6, 6]);
    // The pixel features measured by the worker go on the record (the checker reads them there).
    expect(images.map((i) => [i.pixelSha256, i.pixelStats])).toEqual([1, 2, 3, 4, 5, 6].map((s) => [hex(s, 64), { meanLuminance: 0.5, laplacianVariance: 100, entropy: 6 }]));
    // Each image's record, bytes and thumbnail went to disk together, each written once.
    const written = h.disk.flat();
    expect(written).toHaveLength(18);
    for (const batch of h.disk) {
      const count = (store: string) => batch.filter((w) => w.store === store).length;
      expect(count('imageBlobs')).toBe(count('images'));
      expect(count('thumbnails')).toBe(count('images'));
      expect(count('images') * 3).toBe(batch.length);
    }
  });

  it('shows the first image at once and the rest in a few batches, not one list update per image', async () => {
    const h = setup();
    let updates = 0;
    h.stores.document.subscribe(() => updates++);
    const shownAtFirstUpdate: number[] = [];
    h.stores.document.subscribe((s) => shownAtFirstUpdate.length === 0 && shownAtFirstUpdate.push(s.doc!.images.length));
    const pool = fakeWorkers((i) => i + 1, () => 1);
    const report = await importImages({ ...h.ctx(pool), schedule: (fn) => void setTimeout(fn, 20) }, sources(40), new AbortController().signal);
    expect(report.stored).toBe(40);
    expect(shownAtFirstUpdate).toEqual([1]);
    expect(h.stores.document.getState().doc!.images).toHaveLength(40);
    expect(h.storedIds).toHaveLength(40);
    expect(updates).toBeLessThan(10);
  });

  it('keeps the first of identical files, skips what the project has, and reports refusals by name', async () => {
    const h = setup();
    const pool = fakeWorkers((i) => [1, 'refuse' as const, 1, 99, 2][i]!, (i) => (i === 0 ? 20 : 0));
    const report = await importImages(h.ctx(pool), sources(5), new AbortController().signal);
    expect(report.stored).toBe(2);
    expect(report.refused).toEqual([{ file: 'f1.jpg', reason: 'the image data is corrupt' }]);
    expect(report.duplicates).toEqual([
      { file: 'f2.jpg', reason: 'same bytes as f0.jpg; not stored again' },
      { file: 'f3.jpg', reason: 'same bytes as already.jpg; not stored again' },
    ]);
    expect(h.stores.document.getState().doc!.images.map((i) => i.fileName)).toEqual(['f0.jpg', 'f4.jpg']);
  });

  it('never has more than 3 jobs per worker in flight', async () => {
    const h = setup();
    let inFlight = 0;
    let peak = 0;
    const inner = fakeWorkers((i) => i + 1, () => 2);
    const pool: JobRunner<ImportJob, ImportJobResult> = {
      size: 2,
      run: async (job) => {
        peak = Math.max(peak, ++inFlight);
        try {
          return await inner.run(job);
        } finally {
          inFlight--;
        }
      },
    };
    await importImages(h.ctx(pool), sources(40), new AbortController().signal);
    expect(peak).toBe(6);
  });

  it('stops starting files when cancelled and keeps the ones already under way', async () => {
    const h = setup();
    const cancel = new AbortController();
    const pool = fakeWorkers((i) => i + 1, () => 5);
    const run = importImages({ ...h.ctx(pool), onProgress: (done) => done === 3 && cancel.abort() }, sources(50), cancel.signal);
    const report = await run;
    expect(report.cancelled).toBe(true);
    expect(report.stored).toBeGreaterThanOrEqual(3);
    expect(report.stored).toBeLessThan(10);
    expect(report.stored + report.notAttempted).toBe(50);
    expect(pool.started.length).toBe(report.stored); // nothing was started and then thrown away
  });

  it('stops by itself when storage is full, says so, and leaves nothing waiting in the queue', async () => {
    let writes = 0;
    const h = setup(async () => {
      if (++writes > 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const pool = fakeWorkers((i) => i + 1, () => 3);
    const report = await importImages(h.ctx(pool), sources(30), new AbortController().signal);
    expect(report.stopReason).toMatch(/^browser storage is full/);
    expect(report.cancelled).toBe(false);
    expect(report.stored).toBeGreaterThanOrEqual(2);
    expect(report.refused.length).toBeGreaterThan(0);
    expect(report.refused.every((r) => r.reason === 'not stored: browser storage is full')).toBe(true);
    expect(report.notAttempted).toBeGreaterThan(0);
    expect(report.stored + report.refused.length + report.notAttempted).toBe(30);
    expect(h.stores.document.getState().doc!.images).toHaveLength(report.stored);
    await h.queue.whenIdle();
    expect(h.queue.status).toEqual({ state: 'saved' });
  });
});
