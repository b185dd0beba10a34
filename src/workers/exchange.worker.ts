/// <reference lib="webworker" />
/**
 * The exchange worker: exports (read a snapshot from IndexedDB → serialize → stream the zip →
 * read it back and compare) and the reading half of imports (open the picked files and zips,
 * detect the format, parse). Heavy work never blocks the canvas.
 */
import { buildExport, ExportError } from '../exchange/exportArchive';
import { readAnnotationSource } from '../exchange/annotationSource';
import { annotatorsOf, projectDataset } from '../exchange/projectDataset';
import { detectFormat, formatById } from '../formats';
import { PathIndex } from '../formats/shared/pathIndex';
import type { Size } from '../formats/types';
import { openTallyDb, type TallyDb } from '../persistence/db';
import { Repository } from '../persistence/repository';
import type { Annotation, ImageRecord, Project, ProjectId } from '../core/model';
import type { ExchangeRequest, ExchangeResponse, ExportRequest, ParseRequest, SnapshotRequest } from './exchangeProtocol';

declare const self: DedicatedWorkerGlobalScope;

let db: Promise<TallyDb> | null = null;
const repository = async (): Promise<Repository> => new Repository(await (db ??= openTallyDb()));

const post = (message: ExchangeResponse): void => self.postMessage(message);

interface Snapshot {
  readonly id: number;
  readonly project: Project;
  readonly images: ImageRecord[];
  readonly annotations: Annotation[];
}
/** The project as read for the last snapshot request (the app says whether it is still current). */
let snapshot: Snapshot | null = null;

async function readProject(id: number, projectId: ProjectId): Promise<Snapshot> {
  const repo = await repository();
  const [project, images, annotations] = await Promise.all([repo.getProject(projectId), repo.listImages(projectId), repo.listAnnotations(projectId)]);
  if (!project) throw new ExportError('The project is no longer there.');
  return { id, project, images, annotations };
}

async function runSnapshot(req: SnapshotRequest): Promise<void> {
  snapshot = null;
  snapshot = await readProject(req.id, req.projectId as ProjectId);
  post({ kind: 'snapshot', id: req.id, annotators: annotatorsOf(snapshot.annotations) });
}

async function runExport(req: ExportRequest): Promise<void> {
  const repo = await repository();
  const projectId = req.projectId as ProjectId;
  const current = snapshot !== null && req.snapshot === snapshot.id && snapshot.project.id === projectId ? snapshot : await readProject(req.id, projectId);
  const { project, images, annotations } = current;
  const format = formatById(req.format);
  const source = projectDataset(project, images, annotations, { layer: req.layer, splits: new Set(req.splits) });
  const { blob, manifest } = await buildExport(
    source,
    { format, includeImages: req.includeImages, layerLabel: req.layer ?? 'all annotators', createdAt: new Date() },
    {
      imageBytes: async (batch) => {
        const blobs = await repo.getImageBlobs(projectId, batch.map((i) => i.id));
        return Promise.all(
          batch.map(async (image) => {
            const blob = blobs.get(image.id);
            if (!blob) throw new ExportError(`Cannot export: the bytes of ${image.relativePath} are missing from this browser's storage`);
            return new Uint8Array(await blob.arrayBuffer());
          }),
        );
      },
      onProgress: (done, total, label) => post({ kind: 'progress', id: req.id, done, total, label }),
    },
  );
  post({
    kind: 'exported',
    id: req.id,
    blob,
    summary: { fileName: exportFileName(project.name, format.id, req.layer), images: manifest.counts.images, shapes: manifest.counts.shapes, notes: manifest.notes },
  });
}

/** `streets-coco-ana.zip`: ASCII letters, digits and dashes only, so every system accepts it. */
function exportFileName(project: string, format: string, layer: string | null): string {
  const slug = (s: string): string =>
    s
      .normalize('NFKD')
      .replace(/[^\w-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 40);
  return [slug(project) || 'tally', format, layer === null ? 'all' : slug(layer)].filter(Boolean).join('-') + '.zip';
}

async function runParse(req: ParseRequest): Promise<void> {
  const source = await readAnnotationSource(req.picked, (done, total) => post({ kind: 'progress', id: req.id, done, total, label: 'Reading files' }));
  const known = new PathIndex<Size>();
  for (const k of req.known) known.add(k.relativePath, k);
  const format = detectFormat(source.files);
  if (!format) {
    const found = source.files.size === 0 ? 'no annotation files were found (only images, or nothing)' : `none of ${[...source.files.keys()].slice(0, 5).join(', ')}${source.files.size > 5 ? '…' : ''} looks like COCO, YOLO, Pascal VOC, CVAT XML, LabelMe, CSV or a Tally package`;
    post({ kind: 'parsed', id: req.id, formatId: null, dataset: { classes: [], images: [], annotations: [] }, diagnostics: [...source.problems, { severity: 'error', file: req.picked.map((p) => p.path).join(', '), message: found }] });
    return;
  }
  const parsed = format.parse({ files: source.files, images: source.images, sizeOf: (path) => known.get(path) });
  post({ kind: 'parsed', id: req.id, formatId: format.id, dataset: parsed.dataset, diagnostics: [...source.problems, ...parsed.diagnostics] });
}

self.onmessage = (e: MessageEvent<ExchangeRequest>) => {
  const req = e.data;
  const run = req.kind === 'export' ? runExport(req) : req.kind === 'snapshot' ? runSnapshot(req) : runParse(req);
  run.catch((error: unknown) => {
    const message = error instanceof ExportError ? error.message : `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
    post({ kind: 'failed', id: req.id, message });
  });
};
