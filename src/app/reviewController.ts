/**
 * Review on the open image (issue 11): the disagreements between its annotators' layers, the
 * lead's decisions on them, and settling them into the Consensus layer — each decision one
 * undoable Change through the editor (saved like any edit, followed by other tabs). The image's
 * decisions are read when it opens and kept in step with every change the feed publishes.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Change } from '../core/change';
import type { AnnotationId, ImageId, Layer, LayerId, ReviewDecision } from '../core/model';
import { fail, ok, type Result } from '../core/result';
import { imageAgreement, type Cluster, type ImageAgreement } from '../quality/agreement';
import type { Resolution } from '../quality/consensus';
import { acceptAllAgreed, decide, type ReviewImage } from '../quality/decisions';
import { qualitySettingsOf } from '../quality/settings';
import type { CheckAnnotation } from '../quality/types';
import { currentAnnotations, currentImage } from './annotationActions';
import type { Services } from './services';

export interface ReviewState {
  /** The image whose decisions these are (null: none loaded). */
  readonly imageId: ImageId | null;
  readonly decisions: readonly ReviewDecision[];
}

/** The open image as review sees it, with its agreement (null when fewer than two annotators drew on it). */
export interface ImageReview {
  readonly review: ReviewImage;
  readonly agreement: ImageAgreement | null;
  readonly quorum: number;
}

const annotatorLayers = (layers: readonly Layer[]): Map<LayerId, string> => new Map(layers.filter((l) => l.kind === 'annotator').map((l) => [l.id, l.name]));

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

  /** The open image's review: its shapes by layer, its decisions, the clusters of its annotators' shapes. */
  current(): ImageReview | null {
    const image = currentImage(this.services);
    const items = currentAnnotations(this.services);
    const doc = this.services.stores.document.getState().doc;
    const { imageId, decisions } = this.store.getState();
    if (!image || !items || !doc || imageId !== image.id) return null;
    const settings = qualitySettingsOf(doc.project.settings);
    const s = settings.ok ? settings.value : null;
    const names = annotatorLayers(doc.layers);
    const named = new Map<AnnotationId, CheckAnnotation>();
    for (const a of items) {
      const annotator = names.get(a.layerId);
      if (annotator === undefined) continue; // the Consensus layer is not compared
      const { layerId, revision: _revision, review: _review, ...rest } = a;
      named.set(a.id, { ...rest, layerId, annotator });
    }
    const drew = new Set([...named.values()].map((a) => a.annotator));
    const review: ReviewImage = { image, layers: doc.layers, annotations: items, named, annotators: drew.size, decisions };
    const agreement = s
      ? imageAgreement(image, [...named.values()], { iouThreshold: s.matchIoU, lowOverlapThreshold: s.lowOverlapIoU, quorum: s.quorum })
      : null;
    return { review, agreement, quorum: s?.quorum ?? 0 };
  }

  private who(): string {
    return this.services.stores.session.getState().annotatorName ?? 'lead';
  }

  private commit(change: Result<Change | null>, label: string): Result<null> {
    if (!change.ok) return change;
    if (change.value === null) return ok(null);
    const image = currentImage(this.services);
    if (this.services.editor.commit(change.value, { imageId: image?.id ?? null, label }) === null) return fail('This tab is read-only: the project is open for editing in another tab.');
    return ok(null);
  }

  /** Settles one disagreement of the open image. */
  settle(cluster: Cluster, resolution: Resolution, label: string): Result<null> {
    const now = this.current();
    if (!now) return fail('Open an image first.');
    return this.commit(decide(now.review, cluster, resolution, this.who(), Date.now()), label);
  }

  /** "Accept all agreed" on the open image: every matched, same-class object not decided yet. */
  acceptAgreed(): Result<number> {
    const now = this.current();
    if (!now?.agreement) return fail('Fewer than two annotators drew on this image: there is nothing to agree on.');
    const made = acceptAllAgreed(now.review, now.agreement.clusters, now.quorum, this.who(), Date.now());
    if (!made.ok) return made;
    const n = made.value?.updates.filter((u) => u.table === 'reviewDecisions' && u.after).length ?? 0;
    const committed = this.commit(made, `accept ${n} agreed`);
    return committed.ok ? ok(n) : committed;
  }
}
