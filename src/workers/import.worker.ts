/// <reference lib="webworker" />
import { readEntry, ZipError } from '../formats/archive/zipReader';
import { blobReader } from '../media/blobReader';
import { processImage } from '../media/processImage';
import type { ImportJob, ImportJobResult, ImportSource } from './importProtocol';

declare const self: DedicatedWorkerGlobalScope;

async function bytesOf(source: ImportSource, mime: string): Promise<Blob> {
  if (source.kind === 'blob') return source.blob;
  const data = await readEntry(blobReader(source.zip), source.entry);
  return new Blob([data as Uint8Array<ArrayBuffer>], { type: mime });
}

const mimeByExtension = (path: string): string => {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : ext === 'png' ? 'image/png' : ext === 'webp' ? 'image/webp' : '';
};

async function run(job: ImportJob): Promise<ImportJobResult> {
  let bytes: Blob;
  try {
    bytes = await bytesOf(job.source, job.source.kind === 'zipEntry' ? mimeByExtension(job.source.entry.path) : job.source.blob.type);
  } catch (e) {
    const reason = e instanceof ZipError ? e.message : `could not be read (${e instanceof Error ? e.message : String(e)})`;
    return { id: job.id, outcome: { ok: false, reason }, bytes: null };
  }
  try {
    return { id: job.id, outcome: await processImage(bytes, job.limits), bytes };
  } catch (e) {
    return { id: job.id, outcome: { ok: false, reason: `could not be processed (${e instanceof Error ? e.message : String(e)})` }, bytes: null };
  }
}

self.onmessage = (e: MessageEvent<ImportJob>) => {
  void run(e.data).then((result) => self.postMessage(result));
};
