import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ProjectDocument } from '../core/document';
import type { ClassId, ImageId, ImageStatus } from '../core/model';
import type { ProjectSummary } from '../persistence/repository';
import type { SaveStatus } from '../persistence/writeQueue';

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

export interface Stores {
  readonly document: StoreApi<DocumentState>;
  readonly session: StoreApi<SessionState>;
  readonly projects: StoreApi<ProjectsState>;
  readonly jobs: StoreApi<JobState>;
  readonly notices: StoreApi<NoticeState>;
  readonly save: StoreApi<SaveState>;
}

export const initialSession: SessionState = { currentImageId: null, statusFilter: 'all', activeClassId: null, annotatorName: null, settingsOpen: false };

export function createStores(): Stores {
  return {
    document: createStore<DocumentState>(() => ({ doc: null, mode: 'edit' })),
    session: createStore<SessionState>(() => initialSession),
    projects: createStore<ProjectsState>(() => ({ summaries: null })),
    jobs: createStore<JobState>(() => ({ job: null, lastReport: null })),
    notices: createStore<NoticeState>(() => ({ notices: [] })),
    save: createStore<SaveState>(() => ({ status: { state: 'saved' } })),
  };
}

let noticeId = 0;
export function pushNotice(stores: Stores, tone: Notice['tone'], text: string): void {
  const notice = { id: ++noticeId, tone, text };
  stores.notices.setState((s) => ({ notices: [...s.notices.slice(-4), notice] }));
}
export function dismissNotice(stores: Stores, id: number): void {
  stores.notices.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
