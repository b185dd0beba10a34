/**
 * Review on the open image (issue 11): the disagreements between its annotators' layers, the
 * lead's decisions on them, and settling them into the Consensus layer — each decision one
 * undoable Change through the editor (saved like any edit, followed by other tabs). The image's
 * decisions are read when it opens and kept in step with every change the feed publishes; the
 * matching and the decisions themselves are in reviewOps.ts, loaded with the review panel (they
 * bring the matcher and polygon clipping, which the annotator's screen does not need).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ImageId, ReviewDecision } from '../core/model';
import type { Services } from './services';

export interface ReviewState {
  /** The image whose decisions these are (null: none loaded). */
  readonly imageId: ImageId | null;
  readonly decisions: readonly ReviewDecision[];
}

export class ReviewController {
  readonly store: StoreApi<ReviewState> = createStore<ReviewState>(() => ({ imageId: null, decisions: [] }));
  private loading = 0;

  constructor(private readonly services: Services) {
    services.stores.annotations.subscribe((s, prev) => {
      if (s.imageId !== prev.imageId) void this.load(s.imageId);
    });
    // A project opens: its first image's shapes may arrive before the document does.
    services.stores.document.subscribe((s, prev) => {
      if (s.doc?.project.id !== prev.doc?.project.id) void this.load(services.stores.annotations.getState().imageId);
    });
    services.editor.feed.subscribe((e) => {
      const { imageId } = this.store.getState();
      if (imageId === null || !e.imageIds.has(imageId)) return;
      // Another tab decided: read again. Here: apply the decisions the change carries.
      if (e.source === 'remote') {
        void this.load(imageId);
        return;
      }
      let decisions = [...this.store.getState().decisions];
      let changed = false;
      for (const u of e.change.updates) {
        if (u.table !== 'reviewDecisions') continue;
        const rec = (u.after ?? u.before)!;
        if (rec.imageId !== imageId) continue;
        decisions = decisions.filter((d) => d.id !== rec.id);
        if (u.after) decisions.push(u.after);
        changed = true;
      }
      if (changed) this.store.setState({ decisions });
    });
  }

  private async load(imageId: ImageId | null): Promise<void> {
    const call = ++this.loading;
    const projectId = this.services.stores.document.getState().doc?.project.id;
    if (imageId === null || !projectId) {
      this.store.setState({ imageId: null, decisions: [] });
      return;
    }
    const decisions = await this.services.repo.listDecisions(projectId, imageId);
    if (call === this.loading) this.store.setState({ imageId, decisions });
  }
}
