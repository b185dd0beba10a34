import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ProjectDocument } from '../core/document';
import type { Viewport } from '../core/viewport';
import type { Annotation, AnnotationAttributes, AnnotationId, ClassId, ImageId, ImageStatus, LayerId, ProjectId, Shape } from '../core/model';
import type { Preview, ToolId } from '../tools';
import type { ProjectSummary } from '../persistence/repository';
import type { SaveStatus } from '../persistence/writeQueue';
import type { CheckResult, IssueFilter, IssueSort } from '../workers/checkApi';

/**
 * The app's state, split by scope (ARCHITECTURE.md): the open document (persisted, changed only
 * through the editor), the session (what the user is looking at), and transient job and message
 * state. Vanilla stores, so non-React code (import pipeline, shortcuts) reads and writes them too.
 */

export type EditMode = 'edit' | 'read-only';

export interface DocumentState {
  readonly doc: ProjectDocument | null;
  /** 'read-only' while another tab edits this project. */
  readonly mode: EditMode;
}

export type StatusFilter = ImageStatus | 'all';

export interface SessionState {
  readonly currentImageId: ImageId | null;
  readonly statusFilter: StatusFilter;
  readonly activeClassId: ClassId | null;
  /** Who draws; null until the user has said (asked on first use). */
  readonly annotatorName: string | null;
  /** The Settings dialog is open (the first-use prompt steps aside so one "Annotator name" field shows). */
  readonly settingsOpen: boolean;
  /** The keyboard shortcuts overlay is open. */
  readonly shortcutsOpen: boolean;
  readonly tool: ToolId;
  /** Selected shapes of the current image, in selection order. */
  readonly selection: readonly AnnotationId[];
  /** Shapes and classes hidden from the canvas, and shapes locked against edits (this session only). */
  readonly hiddenShapes: ReadonlySet<AnnotationId>;
  readonly hiddenClasses: ReadonlySet<ClassId>;
  readonly lockedShapes: ReadonlySet<AnnotationId>;
  /** Layers hidden from the canvas (each layer's toggle), this session only. */
  readonly hiddenLayers: ReadonlySet<LayerId>;
  /** Blind view: only the current annotator's own layer is shown (others' work cannot sway theirs). */
  readonly blind: boolean;
  /** Shapes copied with Ctrl+C, pasted onto any image of the project with Ctrl+V. */
  readonly clipboard: readonly ClipboardShape[];
  /** With two annotators' layers or more on the canvas: shapes in their annotator's colour (else their class's). */
  readonly colourBy: 'annotator' | 'class';
  /** Review: the annotators' layers side by side, one pane each, instead of overlaid. */
  readonly sideBySide: boolean;
}

export interface ClipboardShape {
  readonly classId: ClassId;
  readonly shape: Shape;
  readonly attributes: AnnotationAttributes;
}

/** The shapes of the image on screen, all annotators; `items` is null while they load. */
export interface AnnotationsState {
  readonly imageId: ImageId | null;
  readonly items: readonly Annotation[] | null;
}

/** What Undo and Redo would do, for their buttons. */
export interface HistoryState {
  readonly undoLabel: string | null;
  readonly redoLabel: string | null;
}

/**
 * Transient canvas state, never persisted and never read by React on the hot path: the canvas
 * subscribes and repaints only its interaction layer.
 */
export interface InteractionState {
  readonly viewport: Viewport | null;
  readonly preview: Preview;
  readonly hover: AnnotationId | null;
  /** Pointer position in image pixels, or null when the pointer is off the image. */
  readonly cursor: { readonly x: number; readonly y: number } | null;
}

export interface ProjectsState {
  readonly summaries: readonly ProjectSummary[] | null;
}

export interface ImportProblem {
  /** The file, as the user knows it: its path, or `archive.zip › path/in/zip.jpg`. */
  readonly file: string;
  readonly reason: string;
}

export interface ImportReport {
  readonly stored: number;
  readonly duplicates: readonly ImportProblem[];
  readonly refused: readonly ImportProblem[];
  readonly skipped: readonly ImportProblem[];
  readonly cancelled: boolean;
  /** Why the import stopped by itself before the end (storage full), or null. */
  readonly stopReason: string | null;
  /** Files never looked at because the import was cancelled or stopped. */
  readonly notAttempted: number;
}

export interface JobState {
  /** A long job under way (import), for the progress bar; total is null while still unknown. */
  readonly job: { readonly label: string; readonly done: number; readonly total: number | null } | null;
  readonly lastReport: ImportReport | null;
}

export interface Notice {
  readonly id: number;
  readonly tone: 'error' | 'info';
  readonly text: string;
}

export interface NoticeState {
  readonly notices: readonly Notice[];
}

export interface SaveState {
  readonly status: SaveStatus;
}

/** One open disagreement as the canvas marks it (quality/disagreements.ts describes them). */
export interface ReviewMark {
  /** The cluster's key (its members' ids). */
  readonly key: string;
  readonly kind: string;
  /** e.g. `label mismatch · IoU 0.62`. */
  readonly label: string;
  /** Image px. */
  readonly bounds: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly members: readonly AnnotationId[];
}

/** Review on the open image, as the canvas and the review keys read it (published by the review panel). */
export interface ReviewViewState {
  readonly imageId: ImageId | null;
  /** Open disagreements, in the panel's order. */
  readonly marks: readonly ReviewMark[];
  /** The disagreement the review keys moved to (its key), null: none. */
  readonly focused: string | null;
}

/** The consistency checker as the page knows it (the issues themselves stay in the check worker). */
export interface CheckViewState {
  readonly status: 'idle' | 'running' | 'done' | 'failed';
  /** A full check under way, for the progress bar. */
  readonly progress: { readonly done: number; readonly total: number; readonly label: string } | null;
  /** The last report's numbers; its `version` changes whenever the issues do. */
  readonly result: CheckResult | null;
  readonly error: string | null;
  /** Edits made since the last report are being checked. */
  readonly rechecking: boolean;
  /** The Issues panel is open. */
  readonly panelOpen: boolean;
  /** The Dataset overview dialog is open. */
  readonly overviewOpen: boolean;
  /** The worker has read the open project ahead of a check, in so many ms (null: not yet). */
  readonly readAheadMs: number | null;
  /** The issue chosen in the table: its key and its row in the table's order. */
  readonly chosen: { readonly key: string; readonly index: number } | null;
  /** How the table filters and sorts (kept here: the keys step through the same order). */
  readonly filter: IssueFilter;
  readonly sort: IssueSort;
  readonly descending: boolean;
}

export interface Stores {
  readonly document: StoreApi<DocumentState>;
  readonly session: StoreApi<SessionState>;
  readonly projects: StoreApi<ProjectsState>;
  readonly jobs: StoreApi<JobState>;
  readonly notices: StoreApi<NoticeState>;
  readonly save: StoreApi<SaveState>;
  readonly check: StoreApi<CheckViewState>;
  readonly annotations: StoreApi<AnnotationsState>;
  readonly history: StoreApi<HistoryState>;
  readonly interaction: StoreApi<InteractionState>;
  readonly review: StoreApi<ReviewViewState>;
}

export const initialSession: SessionState = {
  currentImageId: null,
  statusFilter: 'all',
  activeClassId: null,
  annotatorName: null,
  settingsOpen: false,
  shortcutsOpen: false,
  tool: 'box',
  selection: [],
  hiddenShapes: new Set(),
  hiddenClasses: new Set(),
  lockedShapes: new Set(),
  hiddenLayers: new Set(),
  blind: false,
  clipboard: [],
  colourBy: 'annotator',
  sideBySide: false,
};

export const initialCheck: CheckViewState = {
  status: 'idle',
  progress: null,
  result: null,
  error: null,
  rechecking: false,
  panelOpen: false,
  overviewOpen: false,
  readAheadMs: null,
  chosen: null,
  filter: {},
  sort: 'severity',
  descending: false,
};

export const initialInteraction: InteractionState = { viewport: null, preview: {}, hover: null, cursor: null };

export function createStores(): Stores {
  return {
    document: createStore<DocumentState>(() => ({ doc: null, mode: 'edit' })),
    session: createStore<SessionState>(() => initialSession),
    projects: createStore<ProjectsState>(() => ({ summaries: null })),
    jobs: createStore<JobState>(() => ({ job: null, lastReport: null })),
    notices: createStore<NoticeState>(() => ({ notices: [] })),
    save: createStore<SaveState>(() => ({ status: { state: 'saved' } })),
    check: createStore<CheckViewState>(() => initialCheck),
    annotations: createStore<AnnotationsState>(() => ({ imageId: null, items: null })),
    history: createStore<HistoryState>(() => ({ undoLabel: null, redoLabel: null })),
    interaction: createStore<InteractionState>(() => initialInteraction),
    review: createStore<ReviewViewState>(() => ({ imageId: null, marks: [], focused: null })),
  };
}

/** At most this many notices are shown; a new one pushes out the oldest (information before errors). */
export const MAX_NOTICES = 3;

let noticeId = 0;
/** Calls `fn` each time a project opens (one after none, or another one); returns the unsubscribe. */
export function onProjectOpened(stores: Pick<Stores, 'document'>, fn: (projectId: ProjectId) => void): () => void {
  return stores.document.subscribe((s, prev) => {
    const id = s.doc?.project.id;
    if (id !== undefined && id !== prev.doc?.project.id) fn(id);
  });
}

export function pushNotice(stores: Stores, tone: Notice['tone'], text: string): void {
  const notice = { id: ++noticeId, tone, text };
  stores.notices.setState((s) => {
    const next = [...s.notices.filter((n) => n.text !== text), notice];
    while (next.length > MAX_NOTICES) {
      const info = next.findIndex((n) => n.tone === 'info' && n !== notice);
      next.splice(info >= 0 ? info : 0, 1);
    }
    return { notices: next };
  });
}
export function dismissNotice(stores: Stores, id: number): void {
  stores.notices.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}

/** The one place a command's result reaches the user: failures as errors, messages as notices. */
export function reportResult(stores: Stores, result: { readonly ok: true; readonly value: string | null } | { readonly ok: false; readonly message: string }): void {
  if (!result.ok) pushNotice(stores, 'error', result.message);
  else if (result.value) pushNotice(stores, 'info', result.value);
}

/**
 * Calls `listener` after any change a command's enabled / pressed state may read (everything but
 * the interaction store, which changes on every pointer move and holds nothing commands read).
 */
export function watchStores(stores: Stores, listener: () => void): () => void {
  const unsubs = [stores.document, stores.session, stores.annotations, stores.history, stores.jobs, stores.save, stores.check, stores.review].map((s) => (s as StoreApi<unknown>).subscribe(listener));
  return () => unsubs.forEach((u) => u());
}
