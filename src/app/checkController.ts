/**
 * The app's side of the consistency checker: the check worker (started on first use and kept,
 * with the last report, for incremental re-checks), Run check with progress and Cancel,
 * re-checks after edits (the change feed says which images were touched), the Issues table's
 * windows, fixes as one undoable step each, and dismissals.
 */
import { added, change, removed } from '../core/change';
import type { ClassId, ImageId, Project, Split } from '../core/model';
import { fail, ok, type Result } from '../core/result';
import { buildFix, type DatasetOverview, type Issue, type SuggestedFix } from '../quality';
import type { PublishedEvent } from '../state/changeFeed';
import { initialCheck, onProjectOpened } from '../state/stores';
import type { AgreementResult, CheckApi, CheckProgress, CheckResult, IssuePage, IssueQuery, OpenCount, OpenIssueSummary, Touched } from '../workers/checkApi';
import { unpackSummary } from '../workers/agreementTransport';
import { CancelledError, RpcClient } from '../workers/rpc';
import type { Services } from './services';
import type { CanvasControls } from '../canvas/canvasControls';
import { boundsOf } from '../core/geometry';

/** How long a re-check waits after the last edit (edits come in bursts: a drag, typing). */
const RECHECK_AFTER_MS = 60;
/** How long after a project opens the worker starts reading it ahead of a check (the page settles first). */
const READ_AHEAD_AFTER_MS = 1000;

export class CheckController {
  private readonly client = new RpcClient<CheckApi>(() => new Worker(new URL('../workers/check.worker.ts', import.meta.url), { type: 'module', name: 'tally-check' }), 'the check worker');
  private abort: AbortController | null = null;
  /** What edits touched since the last report (checked at the next re-check). */
  private dirty = { imageIds: new Set<ImageId>(), projectChanged: false, any: false };
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The project the worker holds (read ahead, or checked). */
  private checkedProject: string | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private readAhead: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly services: Services,
    private readonly canvas: CanvasControls,
  ) {
    services.editor.feed.subscribe((e) => this.heard(e));
    // A project opens: the worker reads it ahead, so Run check finds it read.
    onProjectOpened(services.stores, (id) => this.scheduleReadAhead(id));
  }

  private scheduleReadAhead(projectId: string): void {
    if (this.readAhead) clearTimeout(this.readAhead);
    this.readAhead = setTimeout(() => {
      this.readAhead = null;
      if (this.services.stores.document.getState().doc?.project.id !== projectId || this.checkedProject === projectId) return;
      this.checkedProject = projectId;
      this.dirty = { imageIds: new Set(), projectChanged: false, any: false };
      const call = this.client.call('open', { projectId });
      this.running = call.then(
        ({ readMs }) => this.checkedProject === projectId && this.store.setState({ readAheadMs: readMs }),
        () => undefined,
      );
    }, READ_AHEAD_AFTER_MS);
  }

  private get store() {
    return this.services.stores.check;
  }

  /** Runs a full check of the open project. */
  async run(): Promise<Result<CheckResult>> {
    const doc = this.services.stores.document.getState().doc;
    if (!doc) return fail('Open a project first.');
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    // What was edited since the worker read the project goes with the check (it is read again).
    const touched = this.checkedProject === doc.project.id ? this.dirty : { imageIds: new Set<ImageId>(), projectChanged: false, any: false };
    this.dirty = { imageIds: new Set(), projectChanged: false, any: false };
    this.checkedProject = doc.project.id;
    this.store.setState({ status: 'running', progress: { done: 0, total: 1, label: 'Starting' }, error: null, panelOpen: true });
    const call = this.client.call(
      'check',
      { projectId: doc.project.id, imageIds: [...touched.imageIds], projectChanged: touched.projectChanged },
      { signal: abort.signal, onProgress: (p) => this.store.setState({ progress: p }) },
    );
    this.running = call.catch(() => undefined);
    try {
      const result = await call;
      this.store.setState({ status: 'done', progress: null, result, error: null });
      if (this.dirty.any) this.schedule();
      return ok(result);
    } catch (e) {
      if (e instanceof CancelledError) {
        this.store.setState({ status: this.store.getState().result ? 'done' : 'idle', progress: null });
        return fail('The check was cancelled.');
      }
      const message = e instanceof Error ? e.message : String(e);
      this.store.setState({ status: 'failed', progress: null, error: message });
      return fail(message);
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  cancel(): void {
    this.abort?.abort();
  }

  /** The project closed: forget its report (the worker too). */
  reset(): void {
    this.abort?.abort();
    if (this.timer) clearTimeout(this.timer);
    if (this.readAhead) clearTimeout(this.readAhead);
    this.timer = null;
    this.readAhead = null;
    this.dirty = { imageIds: new Set(), projectChanged: false, any: false };
    this.checkedProject = null;
    this.store.setState(initialCheck);
    if (this.client.inFlight > 0 || !this.client.unavailable) void this.client.call('forget', null).catch(() => undefined);
  }

  /** A window of the issues (the table asks as it scrolls). */
  issues(query: IssueQuery): Promise<IssuePage> {
    return this.client.call('issues', query);
  }

  /**
   * The last report's open issues for a layer (null: every layer) and splits, for Export; null
   * when the open project has not been checked in this tab. A check or re-check under way
   * finishes first, so the answer is the newest report.
   */
  async openIssues(layer: string | null, splits: readonly Split[]): Promise<OpenIssueSummary | null> {
    const doc = this.services.stores.document.getState().doc;
    if (!doc || this.checkedProject !== doc.project.id || !this.store.getState().result) return null;
    await this.running;
    return this.client.call('openIssues', { projectId: doc.project.id, layer, splits });
  }

  overview(layer: string | null): Promise<DatasetOverview> {
    const doc = this.services.stores.document.getState().doc;
    if (!doc) return Promise.reject(new Error('Open a project first.'));
    return this.client.call('overview', { projectId: doc.project.id, layer });
  }

  /**
   * The agreement between the open project's annotators (Review), over the shapes as saved now
   * and the project's τ, τ_low and quorum. Edits not yet seen by the worker go with the call when
   * there is no report to re-check; with a report, its pending re-check runs first (so the two
   * stay one view of the project).
   */
  async agreement(options: { readonly signal?: AbortSignal; readonly onProgress?: (p: CheckProgress) => void } = {}): Promise<AgreementResult> {
    const call = this.client.call('agreement', await this.agreementRequest(), options);
    this.running = call.catch(() => undefined);
    const reply = await call;
    return { ...reply, report: unpackSummary(reply.report) };
  }

  /**
   * The disagreements still open (not settled in Review) over the whole project, as the Export
   * dialog reports them for the Consensus layer: counted in the worker, with the decisions as
   * saved now (see `agreement` for which shapes).
   */
  async openDisagreements(options: { readonly signal?: AbortSignal } = {}): Promise<OpenCount> {
    const call = this.client.call('openDisagreements', await this.agreementRequest(), options);
    this.running = call.catch(() => undefined);
    return call;
  }

  /** What the worker needs to compare the annotators as saved now (see `agreement`). */
  private async agreementRequest(): Promise<Touched> {
    const doc = this.services.stores.document.getState().doc;
    if (!doc) throw new Error('Open a project first.');
    await this.services.queue.whenIdle(); // what was just drawn or imported is on disk
    if (this.checkedProject === doc.project.id && this.store.getState().result) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
        await this.recheckNow();
      }
      await this.running;
    }
    const touched = this.checkedProject === doc.project.id && !this.store.getState().result ? this.dirty : { imageIds: new Set<ImageId>(), projectChanged: false, any: false };
    if (touched === this.dirty) this.dirty = { imageIds: new Set(), projectChanged: false, any: false };
    this.checkedProject = doc.project.id;
    return { projectId: doc.project.id, imageIds: [...touched.imageIds], projectChanged: touched.projectChanged };
  }

  /** The table's current query for a window of rows. */
  query(offset: number, limit: number): IssueQuery {
    const { filter, sort, descending } = this.store.getState();
    return { filter, sort, descending, offset, limit };
  }

  /**
   * Opens the issue's (first) image with the shapes concerned selected and zoomed to; `index` is
   * its row in the table's order (the keys step from there).
   */
  async show(issue: Issue, index: number): Promise<void> {
    const { stores, editor } = this.services;
    this.store.setState({ chosen: { key: issue.key, index } });
    const imageId = issue.imageIds[0];
    if (imageId === undefined) return;
    stores.session.setState({ currentImageId: imageId });
    await editor.showImage(imageId);
    if (this.store.getState().chosen?.key !== issue.key) return; // another row was chosen meanwhile
    const wanted = new Set(issue.annotationIds);
    const shapes = (editor.annotationsOf(imageId) ?? []).filter((a) => wanted.has(a.id));
    stores.session.setState({ selection: shapes.map((a) => a.id), hiddenShapes: new Set() });
    if (shapes.length > 0) this.canvas.focus(imageId, boundsOf(shapes.map((a) => a.shape)));
  }

  /** Opens an image on the canvas (a Review queue row was chosen), nothing selected. */
  async openImage(imageId: ImageId): Promise<void> {
    const { stores, editor } = this.services;
    stores.session.setState({ currentImageId: imageId, selection: [] });
    await editor.showImage(imageId);
  }

  /** The next (+1) or previous (−1) issue in the table's order; false at either end. */
  async step(offset: number): Promise<boolean> {
    const state = this.store.getState();
    if (!state.result) return false;
    const index = (state.chosen?.index ?? -1) + offset;
    if (index < 0) return false;
    const page = await this.issues(this.query(index, 1));
    const row = page.rows[0];
    if (!row) return false;
    await this.show(row.issue, index);
    return true;
  }

  /** A document change was published: re-check what it touched once it is saved. */
  private heard(e: PublishedEvent): void {
    if (e.projectId !== this.checkedProject) return;
    for (const id of e.imageIds) this.dirty.imageIds.add(id);
    this.dirty.projectChanged ||= e.projectChanged;
    this.dirty.any = true;
    // Without a report there is nothing to re-check: what was touched goes with the next check.
    if (!this.store.getState().result) return;
    this.store.setState({ rechecking: true });
    e.saved.then(
      () => this.schedule(),
      () => this.schedule(), // refused: the resync that follows is published too; check what is there
    );
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.recheckNow();
    }, RECHECK_AFTER_MS);
  }

  private async recheckNow(): Promise<void> {
    await this.running; // a full check under way finishes first (it re-schedules what it missed)
    if (this.abort || !this.dirty.any || this.checkedProject === null) return;
    const projectId = this.checkedProject;
    const { imageIds, projectChanged } = this.dirty;
    this.dirty = { imageIds: new Set(), projectChanged: false, any: false };
    const call = this.client.call('recheck', { projectId, imageIds: [...imageIds], projectChanged });
    this.running = call.catch(() => undefined);
    try {
      const result = await call;
      if (this.checkedProject !== projectId) return;
      if (result) this.store.setState({ status: 'done', result, error: null, rechecking: this.dirty.any });
    } catch (e) {
      this.store.setState({ status: 'failed', error: e instanceof Error ? e.message : String(e), rechecking: false });
    }
  }

  /**
   * Applies one of an issue's fixes as one undoable step. Built from the records as they are
   * now (the disk, once every pending write has landed), never from the checker's copy.
   */
  async fix(fix: SuggestedFix): Promise<Result<null>> {
    const { services } = this;
    const doc = services.stores.document.getState().doc;
    if (!doc || !services.editor.canEdit) return fail('This tab is read-only.');
    await services.queue.whenIdle();
    const annotations =
      fix.kind === 'merge-classes'
        ? (await Promise.all(fix.from.map((id) => services.repo.annotationsOfClass(doc.project.id, id)))).flat()
        : fix.kind === 'delete-shapes' || fix.kind === 'clip-shape'
          ? await services.repo.annotationsOfImage(doc.project.id, fix.imageId)
          : [];
    const now = services.stores.document.getState().doc ?? doc;
    const built = buildFix(fix, { project: now.project, images: new Map(now.images.map((i) => [i.id, i])), annotations }, Date.now());
    if (!built.ok) return built;
    const imageId = fix.kind === 'delete-shapes' || fix.kind === 'clip-shape' ? fix.imageId : null;
    const committed = services.editor.commit(built.value, { source: 'fix', label: fixLabel(fix, now.project).replace(/^Fix: /, 'fix: '), imageId });
    if (committed === null) return fail('This tab is read-only.');
    if (imageId) services.stores.session.setState({ selection: [] });
    return ok(null);
  }

  /** Dismisses an issue with a reason (one undo step); it leaves the open issues and joins the dismissed. */
  dismiss(issue: Issue, reason: string): Result<null> {
    const { services } = this;
    const doc = services.stores.document.getState().doc;
    const why = reason.trim();
    if (!doc) return fail('Open a project first.');
    if (why.length === 0) return fail('Say why this is not a problem (a few words).');
    if (why.length > 500) return fail('Keep the reason under 500 characters.');
    const d = { projectId: doc.project.id, id: issue.key, reason: why, by: services.stores.session.getState().annotatorName ?? 'annotator', at: Date.now() };
    return services.editor.commit(change(added('dismissals', d)), { label: 'dismiss issue' }) === null ? fail('This tab is read-only.') : ok(null);
  }

  /** Takes a dismissal back (the issue is open again). */
  async undismiss(issue: Issue): Promise<Result<null>> {
    const { services } = this;
    const doc = services.stores.document.getState().doc;
    if (!doc) return fail('Open a project first.');
    const stored = (await services.repo.listDismissals(doc.project.id)).find((d) => d.id === issue.key);
    if (!stored) return ok(null);
    return services.editor.commit(change(removed('dismissals', stored)), { label: 'reopen issue' }) === null ? fail('This tab is read-only.') : ok(null);
  }
}

const className = (project: Project, id: ClassId): string => project.classes.find((c) => c.id === id)?.name ?? 'a deleted class';

/** The fix button's name (UI-CONTRACT.md: it starts with "Fix"), e.g. `Fix: merge Car into car`. */
export function fixLabel(fix: SuggestedFix, project: Project): string {
  switch (fix.kind) {
    case 'merge-classes':
      return `Fix: merge ${fix.from.map((id) => className(project, id)).join(', ')} into ${className(project, fix.into)}`;
    case 'delete-shapes':
      return fix.annotationIds.length === 1 ? 'Fix: delete the duplicate' : `Fix: delete ${fix.annotationIds.length} shapes`;
    case 'move-to-split':
      return `Fix: move group to ${fix.split}`;
    case 'clip-shape':
      return 'Fix: clip into the image';
    case 'mark-background':
      return 'Fix: mark background';
    case 'send-to-queue':
      return 'Fix: send back to the queue';
  }
}
