/// <reference lib="webworker" />
/**
 * The check worker: serves CheckApi (checkApi.ts) over the rpc protocol. It reads the project
 * from IndexedDB, runs the consistency checker (src/quality) with progress and Cancel, keeps the
 * report and the incremental state for the next re-check, and answers the Issues table a window
 * at a time.
 */
import type { Annotation, Dismissal, ImageId, ImageRecord, Layer, LayerId, Project, ProjectId } from '../core/model';
import { openTallyDb, type TallyDb } from '../persistence/db';
import { Repository } from '../persistence/repository';
import {
  agreementReport,
  agreementSummary,
  imageFeaturesOf,
  overview,
  qualitySettingsOf,
  recheck,
  RULES,
  runCheck,
  SEVERITIES,
  toCheckAnnotation,
  type CheckReport,
  type CheckAnnotation,
  type CheckSnapshot,
  type CheckState,
  type Issue,
  type Severity,
} from '../quality';
import type { AgreementReply, CheckApi, CheckProgress, CheckResult, IssueFilter, IssuePage, IssueQuery, IssueRow, IssueSort, Touched } from './checkApi';
import { countOpen, type OpenCount } from '../quality/disagreements';
import { agreementInput } from './agreementInput';
import { packSummary } from './agreementTransport';
import { openIssueSummary } from './openIssues';
import { CancelledError, RpcError, serve, type CallContext } from './rpc';

declare const self: DedicatedWorkerGlobalScope;

let db: Promise<TallyDb> | null = null;
const repository = async (): Promise<Repository> => new Repository(await (db ??= openTallyDb()));

/** The project as the worker last read it, with its check. */
interface Checked {
  readonly projectId: ProjectId;
  project: Project;
  images: ImageRecord[];
  readonly shapes: Map<ImageId, CheckAnnotation[]>;
  /** Layer names by id, as the shapes carry them. */
  layerNames: Map<LayerId, string>;
  /** The layers that are not an annotator's (the consensus, predictions): never compared in Review. */
  notAnnotators: Set<LayerId>;
  dismissals: Map<string, Dismissal>;
  state: CheckState | null;
  report: CheckReport | null;
  version: number;
  /** When `report` was made (ms since the Unix epoch). */
  checkedAt: number;
}

let current: Checked | null = null;
let versions = 0;

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function snapshotOf(c: Checked): CheckSnapshot {
  const annotations: CheckAnnotation[] = [];
  for (const image of c.images) {
    const list = c.shapes.get(image.id);
    if (list) for (const a of list) annotations.push(a);
  }
  // The pixel hash and statistics measured at import (none on images imported before that).
  return { project: c.project, images: c.images, annotations, features: imageFeaturesOf(c.images) };
}

async function readProject(projectId: ProjectId): Promise<Checked> {
  const repo = await repository();
  const [project, images, annotations, dismissals, layers] = await Promise.all([
    repo.getProject(projectId),
    repo.listImages(projectId),
    repo.listAnnotations(projectId),
    repo.listDismissals(projectId),
    repo.listLayers(projectId),
  ]);
  if (!project) throw new RpcError('The project is no longer there.');
  const layerNames = namesOf(layers);
  const shapes = new Map<ImageId, CheckAnnotation[]>();
  for (const a of annotations) {
    let list = shapes.get(a.imageId);
    if (!list) shapes.set(a.imageId, (list = []));
    list.push(checkAnnotation(a, layerNames));
  }
  return { projectId, project, images, shapes, layerNames, notAnnotators: notAnnotatorsOf(layers), dismissals: new Map(dismissals.map((d) => [d.id, d])), state: null, report: null, version: 0, checkedAt: 0 };
}

const namesOf = (layers: readonly Layer[]): Map<LayerId, string> => new Map(layers.map((l) => [l.id, l.name]));
const notAnnotatorsOf = (layers: readonly Layer[]): Set<LayerId> => new Set(layers.filter((l) => l.kind !== 'annotator').map((l) => l.id));

/** A shape as the checker sees it, named by its layer. */
const checkAnnotation = (a: Annotation, names: ReadonlyMap<LayerId, string>): CheckAnnotation => toCheckAnnotation(a, names.get(a.layerId) ?? 'unknown layer');

function settingsOf(project: Project) {
  const settings = qualitySettingsOf(project.settings);
  if (!settings.ok) throw new RpcError(`The project's checker settings are not valid: ${settings.message} Change them in Checker settings.`);
  return settings.value;
}

function resultOf(c: Checked, elapsedMs: number): CheckResult {
  const report = c.report!;
  const open: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let dismissed = 0;
  for (const issue of report.issues) {
    if (c.dismissals.has(issue.key)) dismissed++;
    else open[issue.severity]++;
  }
  const annotators = new Set<string>();
  for (const list of c.shapes.values()) for (const a of list) annotators.add(a.annotator);
  return { version: c.version, summary: report.summary, open, dismissed, annotators: [...annotators].sort(), elapsedMs };
}

/** The project as read ahead (or being read), shared by `open` and a check that comes before it is done. */
let reading: { readonly projectId: ProjectId; readonly done: Promise<Checked> } | null = null;

function open(projectId: ProjectId): Promise<Checked> {
  if (current?.projectId === projectId) return Promise.resolve(current);
  if (reading?.projectId === projectId) return reading.done;
  const done = readProject(projectId).then((c) => {
    if (reading?.done === done) reading = null;
    current = c;
    cache = null;
    return c;
  });
  done.catch(() => {
    if (reading?.done === done) reading = null;
  });
  reading = { projectId, done };
  return done;
}

async function fullCheck(req: Touched, { progress, signal }: CallContext<CheckProgress>): Promise<CheckResult> {
  const started = performance.now();
  const projectId = req.projectId as ProjectId;
  progress({ done: 0, total: 1, label: 'Reading the project' });
  const c = await open(projectId);
  await refresh(c, req);
  const read = performance.now();
  if (signal.aborted) throw new CancelledError();
  const outcome = await runCheck(snapshotOf(c), settingsOf(c.project), {
    onProgress: (p) => progress({ done: p.done, total: p.total, label: p.phase === 'images' ? 'Checking images' : 'Checking the whole project' }),
    isCancelled: () => signal.aborted,
    pause,
  });
  if (outcome.status === 'cancelled') throw new CancelledError();
  if (outcome.status === 'invalid-settings') throw new RpcError(outcome.message);
  c.state = outcome.state;
  c.report = outcome.report;
  c.version = ++versions;
  c.checkedAt = Date.now();
  current = c;
  cache = null;
  void read;
  return resultOf(c, performance.now() - started);
}

/**
 * Reads again what was touched since the project was read: the project record, the dismissals,
 * and the touched images' records and shapes. True when the project's settings changed.
 */
async function refresh(c: Checked, req: Touched): Promise<boolean> {
  const projectId = c.projectId;
  const repo = await repository();
  const touched = req.imageIds as readonly ImageId[];
  const [records, dismissals, layers, ...shapes] = await Promise.all([
    repo.records(projectId, touched),
    repo.listDismissals(projectId),
    repo.listLayers(projectId),
    ...touched.map((id) => repo.annotationsOfImage(projectId, id)),
  ]);
  if (!records.project) throw new RpcError('The project is no longer there.');
  const settingsBefore = JSON.stringify(c.project.settings);
  // A layer renamed: every shape of it carries the new name, and every image is checked again.
  const layerNames = namesOf(layers);
  const renamed = [...c.layerNames].some(([id, name]) => layerNames.has(id) && layerNames.get(id) !== name);
  c.layerNames = layerNames;
  c.notAnnotators = notAnnotatorsOf(layers);
  if (renamed) for (const [id, list] of c.shapes) c.shapes.set(id, list.map((a) => ({ ...a, annotator: (a.layerId && layerNames.get(a.layerId)) || a.annotator })));
  c.project = records.project;
  c.dismissals = new Map(dismissals.map((d) => [d.id, d]));
  if (touched.length > 0) {
    const found = new Map(records.images.map((i) => [i.id, i]));
    const known = new Set(c.images.map((i) => i.id));
    const gone = new Set(touched.filter((id) => !found.has(id)));
    const images = c.images.filter((i) => !gone.has(i.id)).map((i) => found.get(i.id) ?? i);
    for (const i of records.images) if (!known.has(i.id)) images.push(i);
    images.sort((a, b) => a.seq - b.seq);
    c.images = images;
    touched.forEach((id, k) => {
      const list = shapes[k]!;
      if (list.length > 0 && found.has(id)) c.shapes.set(id, list.map((a) => checkAnnotation(a, layerNames)));
      else c.shapes.delete(id);
    });
  }
  return renamed || JSON.stringify(c.project.settings) !== settingsBefore;
}

async function incremental(req: Touched, ctx: CallContext<CheckProgress>): Promise<CheckResult | null> {
  const projectId = req.projectId as ProjectId;
  if (reading?.projectId === projectId) await reading.done.catch(() => undefined);
  const c = current;
  if (!c || c.projectId !== projectId) return null; // not read: the check that comes will read it
  const started = performance.now();
  const settingsChanged = await refresh(c, req);
  if (!c.state) {
    cache = null;
    return null; // no report yet: the snapshot is current, nothing to re-check
  }
  // New thresholds change every rule's outcome: only a full run is right then.
  if (settingsChanged) return fullCheck({ projectId, imageIds: [], projectChanged: false }, ctx);
  const touched = req.imageIds as readonly ImageId[];
  const { report, state } = recheck(c.state, snapshotOf(c), touched);
  c.state = state;
  c.report = report;
  c.version = ++versions;
  c.checkedAt = Date.now();
  cache = null;
  return resultOf(c, performance.now() - started);
}

/** The project as read now, and the annotator layers' shapes and settings Review compares. */
async function agreementInputOf(req: Touched, { progress, signal }: CallContext<CheckProgress>) {
  const projectId = req.projectId as ProjectId;
  progress({ done: 0, total: 2, label: 'Reading the project' });
  const c = await open(projectId);
  await refresh(c, req);
  if (signal.aborted) throw new CancelledError();
  progress({ done: 1, total: 2, label: 'Comparing annotators' });
  const settings = settingsOf(c.project);
  const { annotations, annotators } = agreementInput(c.images, c.shapes, c.notAnnotators);
  const options = { iouThreshold: settings.matchIoU, lowOverlapThreshold: settings.lowOverlapIoU, quorum: settings.quorum, annotators };
  return { c, input: { project: c.project, images: c.images, annotations }, options, annotators };
}

/** The agreement between the annotator layers' shapes as they are now (Review), each image summarized. */
async function agreement(req: Touched, ctx: CallContext<CheckProgress>): Promise<AgreementReply> {
  const called = performance.now();
  const { input, options, annotators } = await agreementInputOf(req, ctx);
  const started = performance.now();
  const { packed, transfer } = packSummary(agreementSummary(input, options));
  ctx.transfer(...transfer);
  return { report: packed, options, annotators, elapsedMs: performance.now() - started, readMs: started - called };
}

/** The disagreements still open over the project (see CheckApi.openDisagreements). */
async function openDisagreements(req: Touched, ctx: CallContext<CheckProgress>): Promise<OpenCount> {
  const { c, input, options } = await agreementInputOf(req, ctx);
  const decisions = await (await repository()).listDecisions(c.projectId);
  return countOpen(agreementReport(input, options).images, decisions, options.lowOverlapThreshold);
}

// --- The Issues table's windows ---------------------------------------------------------------

/** The last filtered and sorted list, reused while the table scrolls. */
let cache: { key: string; rows: Issue[]; byRule: Partial<Record<string, number>> } | null = null;

function matches(issue: Issue, f: IssueFilter, c: Checked, splitOf: (id: ImageId) => string | undefined): boolean {
  if (c.dismissals.has(issue.key) !== (f.dismissed ?? false)) return false;
  if (f.severities && !f.severities.includes(issue.severity)) return false;
  if (f.classIds && !issue.classIds.some((id) => f.classIds!.includes(id))) return false;
  if (f.annotators && !issue.annotators.some((a) => f.annotators!.includes(a))) return false;
  if (f.splits && !issue.imageIds.some((id) => f.splits!.includes(splitOf(id) as never))) return false;
  return true;
}

function comparator(sort: IssueSort, seqOf: (id: ImageId | undefined) => number): (a: Issue, b: Issue) => number {
  const severity = (i: Issue) => SEVERITIES.indexOf(i.severity);
  const byImage = (a: Issue, b: Issue) => seqOf(a.imageIds[0]) - seqOf(b.imageIds[0]);
  switch (sort) {
    case 'severity':
      return (a, b) => severity(a) - severity(b) || RULES[a.rule].title.localeCompare(RULES[b.rule].title) || byImage(a, b);
    case 'type':
      return (a, b) => RULES[a.rule].title.localeCompare(RULES[b.rule].title) || severity(a) - severity(b) || byImage(a, b);
    case 'image':
      return (a, b) => byImage(a, b) || severity(a) - severity(b);
    case 'details':
      return (a, b) => a.message.localeCompare(b.message);
  }
}

function page(q: IssueQuery): IssuePage {
  const c = current;
  if (!c?.report) return { version: 0, total: 0, offset: 0, rows: [], byRule: {} };
  const imageById = new Map(c.images.map((i) => [i.id, i]));
  const key = JSON.stringify([c.version, q.filter, q.sort, q.descending, c.dismissals.size]);
  if (cache?.key !== key) {
    const splitOf = (id: ImageId) => imageById.get(id)?.split;
    const byRule: Partial<Record<string, number>> = {};
    const rows: Issue[] = [];
    for (const issue of c.report.issues) {
      if (!matches(issue, q.filter, c, splitOf)) continue;
      byRule[issue.rule] = (byRule[issue.rule] ?? 0) + 1;
      if (!q.filter.rules || q.filter.rules.includes(issue.rule)) rows.push(issue);
    }
    const compare = comparator(q.sort, (id) => (id === undefined ? Number.MAX_SAFE_INTEGER : (imageById.get(id)?.seq ?? Number.MAX_SAFE_INTEGER)));
    rows.sort(q.descending ? (a, b) => compare(b, a) : compare);
    cache = { key, rows, byRule };
  }
  const rows: IssueRow[] = cache.rows.slice(q.offset, q.offset + q.limit).map((issue) => {
    const image = issue.imageIds[0] === undefined ? undefined : imageById.get(issue.imageIds[0]);
    const d = c.dismissals.get(issue.key);
    return { issue, image: image ? { fileName: image.fileName, split: image.split } : null, dismissal: d ? { reason: d.reason, by: d.by, at: d.at } : null };
  });
  return { version: c.version, total: cache.rows.length, offset: q.offset, rows, byRule: cache.byRule };
}

serve<CheckApi>(self, {
  open: async (req) => {
    const started = performance.now();
    await open(req.projectId as ProjectId);
    return { readMs: performance.now() - started };
  },
  check: (req, ctx) => fullCheck(req, ctx),
  recheck: (req, ctx) => incremental(req, ctx),
  issues: (q) => page(q),
  openIssues: (req) => {
    const c = current;
    if (!c?.report || c.projectId !== req.projectId) return null;
    const splitOf = new Map(c.images.map((i) => [i.id, i.split]));
    return openIssueSummary(c.report.issues, (key) => c.dismissals.has(key), (id) => splitOf.get(id), req, c.checkedAt);
  },
  overview: async (req) => {
    const projectId = req.projectId as ProjectId;
    const c = current?.projectId === projectId ? current : await readProject(projectId);
    return overview(snapshotOf(c), req.layer === null ? {} : { layer: req.layer });
  },
  agreement: (req, ctx) => agreement(req, ctx),
  openDisagreements: (req, ctx) => openDisagreements(req, ctx),
  forget: () => {
    current = null;
    reading = null;
    cache = null;
    return null;
  },
});
