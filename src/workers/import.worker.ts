/// <reference lib="webworker" />
/**
 * The image import worker: serves ImportApi (importApi.ts) over the rpc protocol. A zip entry is
 * looked at before it is extracted: its first bytes must be an image header within the limits,
 * else it is refused without inflating the rest (a 1 MB zip can hold a 1 GiB entry).
 */
import { extractZipImage } from '../exchange/zipImage';
import { ZipError } from '../formats/archive/zipReader';
import { blobReader } from '../media/blobReader';
import { processImage } from '../media/processImage';
import type { ImportApi, ImportJob, ImportJobResult } from './importApi';
import { serve } from './rpc';

declare const self: DedicatedWorkerGlobalScope;

const mimeByExtension = (path: string): string => {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : ext === 'png' ? 'image/png' : ext === 'webp' ? 'image/webp' : '';
};

const refused = (reason: string): ImportJobResult => ({ outcome: { ok: false, reason }, bytes: null });

/** The image's bytes, or a refusal made from its header alone. */
async function bytesOf(job: ImportJob): Promise<Blob | ImportJobResult> {
  const { source } = job;
  if (source.kind === 'blob') return source.blob;
  const image = await extractZipImage(blobReader(source.zip), source.entry, job.limits);
  if (!image.ok) return refused(image.reason);
  return new Blob([image.bytes as Uint8Array<ArrayBuffer>], { type: mimeByExtension(source.entry.path) });
}

async function process(job: ImportJob): Promise<ImportJobResult> {
  let bytes: Blob | ImportJobResult;
  try {
    bytes = await bytesOf(job);
  } catch (e) {
    return refused(e instanceof ZipError ? e.message : `could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!(bytes instanceof Blob)) return bytes;
  try {
    return { outcome: await processImage(bytes, job.limits), bytes };
  } catch (e) {
    return refused(`could not be processed (${e instanceof Error ? e.message : String(e)})`);
  }
}

serve<ImportApi>(self, { process });
