import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { CheckViewState, DocumentState, JobState, NoticeState, ProjectsState, SaveState, SessionState } from '../state/stores';
import type { CanvasControls } from '../canvas/canvasControls';
import type { CommandRegistry } from './commands';
import type { CheckController } from './checkController';
import type { ExchangeController } from './exchangeController';
import type { ReviewController } from './reviewController';
import type { ImportController } from './importController';
import type { ToolRunner } from './toolRunner';
import type { ProjectSession } from './projectSession';
import type { Services } from './services';

/** What the view reaches: the services, the open-project session, the image import and exchange controllers. */
export interface AppRuntime {
  readonly services: Services;
  readonly session: ProjectSession;
  readonly imports: ImportController;
  readonly exchange: ExchangeController;
  readonly tools: ToolRunner;
  readonly canvas: CanvasControls;
  /** Every command a key or a button runs (commands.ts). */
  readonly commands: CommandRegistry;
  /** The consistency checker (its worker, reports, fixes and dismissals). */
  readonly checks: CheckController;
  /** Review on the open image: its disagreements and the lead's decisions. */
  readonly review: ReviewController;
}

export const AppContext = createContext<AppRuntime | null>(null);

export function useApp(): AppRuntime {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside <AppContext.Provider>');
  return app;
}

/** Subscribes to the part of a store that `selector` picks; re-renders only when it changes. */
const useSlice = <S, T>(store: StoreApi<S>, selector: (s: S) => T): T => useStore(store, selector);

export const useDocument = <T,>(selector: (s: DocumentState) => T): T => useSlice(useApp().services.stores.document, selector);
export const useSession = <T,>(selector: (s: SessionState) => T): T => useSlice(useApp().services.stores.session, selector);
export const useProjects = <T,>(selector: (s: ProjectsState) => T): T => useSlice(useApp().services.stores.projects, selector);
export const useJobs = <T,>(selector: (s: JobState) => T): T => useSlice(useApp().services.stores.jobs, selector);
export const useNotices = <T,>(selector: (s: NoticeState) => T): T => useSlice(useApp().services.stores.notices, selector);
export const useSave = <T,>(selector: (s: SaveState) => T): T => useSlice(useApp().services.stores.save, selector);
export const useCheck = <T,>(selector: (s: CheckViewState) => T): T => useSlice(useApp().services.stores.check, selector);
