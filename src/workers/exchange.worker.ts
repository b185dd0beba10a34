/// <reference lib="webworker" />
/**
 * The exchange worker: serves ExchangeApi (exchangeApi.ts) over the rpc protocol — exports (read
 * a snapshot from IndexedDB → serialize → stream the zip → read it back and compare) and the
 * reading half of imports (open the picked files and zips, detect the format, parse). Heavy work
 * never blocks the canvas. Cancelled calls stop at their next batch or file.
 */
import { buildExport, deflateAhead, ExportError, fileHashes, manifestCheck, planExport, planReadsBack, type ExportHooks, type ExportPlan, type ExportResult } from '../exchange/exportArchive';
import { ExportAhead } from '../exchange/exportAhead';
import { consensusRefusal, previewExport } from '../exchange/exportPreview';
import { readAnnotationSource } from '../exchange/annotationSource';
import { layerNames, projectDataset } from '../exchange/projectDataset';
import { detectFormat, formatById, FORMATS } from '../formats';
import { describeFiles } from '../formats/describe';
import { PathIndex } from '../formats/shared/pathIndex';
import type { Size } from '../formats/types';
import { openTallyDb, type TallyDb } from '../persistence/db';
import { Repository } from '../persistence/repository';
import type { Annotation, ImageRecord, Layer, Project, ProjectId } from '../core/model';
import type { ExchangeApi, ExportRequest, ParseRequest, ParsedFiles } from './exchangeApi';
import { serve, type CallContext } from './rpc';

declare const self: DedicatedWorkerGlobalScope;

let db: Promise<TallyDb> | null = null;
const repository = async (): Promise<Repository> => new Repository(await (db ??= openTallyDb()));

interface Snapshot {
  readonly id: number;
  readonly project: Project;
  readonly images: ImageRecord[];
  readonly annotations: Annotation[];
  readonly layers: Layer[];
}
/** The project as read for the last snapshot request (the app says whether it is still current). */
let snapshot: Snapshot | null = null;
let snapshots = 0;

async function readProject(projectId: ProjectId): Promise<Snapshot> {
  const repo = await repository();
  const [project, images, annotations, layers] = await Promise.all([repo.getProject(projectId), repo.listImages(projectId), repo.listAnnotations(projectId), repo.listLayers(projectId)]);
  if (!project) throw new ExportError('The project is no longer there.');
  return { id: ++snapshots, project, images, annotations, layers };
}

/**
 * The plan of the last preview, reused by Download while the choice and the snapshot it was made
 * from are the same (and it is recent: it carries its creation time). It keeps its project
 * record: the snapshot itself may be gone by then (runExport lets it go).
 */
let planned: { readonly key: string; readonly plan: ExportPlan; readonly project: Project; readonly at: number } | null = null;
const PLAN_KEPT_MS = 60_000;

const planKey = (snapshotId: number, req: ExportRequest): string => JSON.stringify([snapshotId, req.projectId, req.format, req.layer, req.includeImages, req.splits, req.cocoBoxSegmentation ?? 'empty']);

/** The kept plan, if it was made for this key and is recent. */
const plannedFor = (key: string): { plan: ExportPlan; project: Project } | null =>
  planned && planned.key === key && Date.now() - planned.at < PLAN_KEPT_MS ? { plan: planned.plan, project: planned.project } : null;

async function planFor(req: ExportRequest): Promise<{ plan: ExportPlan; project: Project }> {
  const projectId = req.projectId as ProjectId;
  const kept = req.snapshot === null ? null : plannedFor(planKey(req.snapshot, req));
  if (kept) return kept;
  const current = snapshot !== null && req.snapshot === snapshot.id && snapshot.project.id === projectId ? snapshot : await readProject(projectId);
  const key = planKey(current.id, req);
  const again = plannedFor(key);
  if (again) return again;
  const { project, images, annotations, layers } = current;
  const source = projectDataset(project, images, annotations, layers, { layer: req.layer, splits: new Set(req.splits) });
  const createdAt = new Date();
  const plan = planExport(source, {
    format: formatById(req.format),
    includeImages: req.includeImages,
    layerLabel: req.layer ?? 'all annotators',
    createdAt,
    ...(req.cocoBoxSegmentation ? { cocoBoxSegmentation: req.cocoBoxSegmentation } : {}),
  });
  planned = { key, plan, project, at: createdAt.getTime() };
  return { plan, project };
}

/** Previews asked for so far: the work after a preview is for the latest one only. */
let previews = 0;

async function runPreview(req: ExportRequest): Promise<ExchangeApi['preview']['result']> {
  const preview = ++previews;
  const { plan, project } = await planFor(req);
  // An archive being made ahead for another choice is of no use now.
  ahead.drop(plan);
  // The estimate deflates the big files (COCO's): natively, before it asks for them.
  await deflateAhead(plan);
  // After this answer is sent, each in its own task so that a click on Download in between is not
  // held up long: the manifest's hashes, then the files read back by the format's parser, both
  // the plan's, which Download then finds done (or waits for). Only for the latest preview: a
  // choice passed through is not worked on.
  const latest = (): boolean => preview === previews;
  setTimeout(() => {
    if (!latest()) return;
    void fileHashes(plan).then(() =>
      setTimeout(() => {
        // A failure is the export's to report, when it waits for the same promise.
        if (latest()) planReadsBack(plan).catch(() => undefined);
      }, 0),
    );
  }, 0);
  return { ...previewExport(plan), fileName: exportFileName(project.name, req.format, req.layer, req.includeImages) };
}

/** Archives made ahead of Download (exportAhead.ts), for annotation-only exports. */
const ahead = new ExportAhead<ExportPlan, ExportResult>();

/**
 * The dialog's choice is shown with its preview and its check summary: the archive is written and
 * read back now, so that Download finds it ready (annotation-only exports; a refused choice is
 * never made).
 */
async function runAhead(req: ExportRequest): Promise<void> {
  if (req.includeImages) return;
  const { plan } = await planFor(req);
  if (consensusRefusal(req.layer, plan.source.dataset.annotations.length)) return;
  const check = manifestCheck(req.check);
  ahead.start(plan, JSON.stringify(check), (signal, onProgress) => {
    const hooks: ExportHooks = {
      imageBytes: () => Promise.reject(new ExportError('an archive made ahead holds no images')),
      onProgress: (done, total, label) => onProgress({ done, total, label }),
      signal,
    };
    return buildExport(plan.source, { ...plan.settings, check }, hooks, plan);
  });
}

async function exportNow(req: ExportRequest, { progress, signal }: CallContext<ExchangeApi['export']['progress']>): Promise<ExchangeApi['export']['result']> {
  const repo = await repository();
  const projectId = req.projectId as ProjectId;
  const { plan, project } = await planFor(req);
  const refused = consensusRefusal(req.layer, plan.source.dataset.annotations.length);
  if (refused) throw new ExportError(refused);
  const format = plan.settings.format;
  const check = manifestCheck(req.check);
  const answer = ({ blob, manifest }: ExportResult): ExchangeApi['export']['result'] => ({
    blob,
    summary: { fileName: exportFileName(project.name, format.id, req.layer, req.includeImages), images: manifest.counts.images, shapes: manifest.counts.shapes, notes: manifest.notes },
  });
  const buildNow = (): Promise<ExportResult> => {
    // Writing and checking the archive need only the plan: the project's records (tens of
    // thousands of objects) are let go, so that the collections the check's allocations cause
    // need not mark them. The plan stays for another Download; a new preview reads the project anew.
    snapshot = null;
    return buildExport(
      plan.source,
      { ...plan.settings, check },
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
        onProgress: (done, total, label) => progress({ done, total, label }),
        signal,
      },
      plan,
    );
  };
  // Without images: the archive made ahead when there is one (exportAhead.ts).
  return answer(req.includeImages ? await buildNow() : await ahead.takeOrBuild(plan, JSON.stringify(check), progress, signal, buildNow));
}

/** `streets-coco-ana.zip`, `streets-coco-ana-images.zip`: ASCII letters, digits and dashes only, so every system accepts it; with and without images named apart. */
function exportFileName(project: string, format: string, layer: string | null, images: boolean): string {
  const slug = (s: string): string =>
    s
      .normalize('NFKD')
      .replace(/[^\w-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 40);
  return [slug(project) || 'tally', format, layer === null ? 'all' : slug(layer), images ? 'images' : ''].filter(Boolean).join('-') + '.zip';
}

async function runParse(req: ParseRequest, { progress, signal }: CallContext<ExchangeApi['parse']['progress']>): Promise<ParsedFiles> {
  const source = await readAnnotationSource(req.picked, { onProgress: (done, total) => progress({ done, total, label: 'Reading files' }), signal });
  const known = new PathIndex<Size>();
  for (const k of req.known) known.add(k.relativePath, k);
  const format = detectFormat(source.files);
  if (!format) {
    const found =
      source.files.size === 0
        ? 'no annotation files were found (only images, or nothing)'
        : `not a supported format: ${describeFiles(source.files)}. Tally reads ${FORMATS.map((f) => f.label).join(', ')}, each recognised by its own structure`;
    return { formatId: null, dataset: { classes: [], images: [], annotations: [] }, diagnostics: [...source.problems, { severity: 'error', file: req.picked.map((p) => p.path).join(', '), message: found }] };
  }
  const parsed = format.parse({ files: source.files, images: source.images, sizeOf: (path) => known.get(path) });
  return { formatId: format.id, dataset: parsed.dataset, diagnostics: [...source.problems, ...parsed.diagnostics] };
}

serve<ExchangeApi>(self, {
  snapshot: async ({ projectId }) => {
    snapshot = null;
    ahead.drop();
    snapshot = await readProject(projectId as ProjectId);
    return { snapshot: snapshot.id, annotators: layerNames(snapshot.layers) };
  },
  preview: runPreview,
  ahead: runAhead,
  export: exportNow,
  parse: runParse,
});
