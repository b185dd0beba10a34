import type { ImageId, ImageRecord, ImageStatus, Split, SplitRatios } from '../core/model';
import { setImageSplit, setImageStatus } from '../core/projectCommands';
import { fail, ok, type Result } from '../core/result';
import { planSplits, type SplitSummary } from '../core/splits';
import type { StatusFilter } from '../state/stores';
import type { Services } from './services';

/** The images the list shows under a status filter, in order. */
export function visibleImages(images: readonly ImageRecord[], filter: StatusFilter): readonly ImageRecord[] {
  return filter === 'all' ? images : images.filter((i) => i.status === filter);
}

export function openImage(services: Services, id: ImageId): void {
  services.stores.session.setState({ currentImageId: id });
}

/** Previous (−1) / next (+1) image within the filtered list; stays put at either end. */
export function stepImage(services: Services, offset: number): boolean {
  const doc = services.stores.document.getState().doc;
  if (!doc) return false;
  const { currentImageId, statusFilter } = services.stores.session.getState();
  const list = visibleImages(doc.images, statusFilter);
  if (list.length === 0) return false;
  const at = list.findIndex((i) => i.id === currentImageId);
  const next = at < 0 ? 0 : Math.min(list.length - 1, Math.max(0, at + offset));
  if (at === next) return false;
  openImage(services, list[next]!.id);
  return true;
}

function currentImage(services: Services): ImageRecord | null {
  const doc = services.stores.document.getState().doc;
  const id = services.stores.session.getState().currentImageId;
  if (!doc || id === null) return null;
  const at = doc.imageIndex.get(id);
  return at === undefined ? null : (doc.images[at] ?? null);
}

export function setCurrentSplit(services: Services, split: Split): boolean {
  const img = currentImage(services);
  return img !== null && services.editor.commit(setImageSplit(img, split), { imageId: img.id, label: 'set split' }) !== null;
}

/**
 * Gives every unassigned image a split by `ratios` (fractions or percentages), duplicates kept
 * together (src/core/splits.ts); one undo step.
 */
export function assignSplits(services: Services, ratios: SplitRatios, seed: number): Result<SplitSummary> {
  const doc = services.stores.document.getState().doc;
  if (!doc) return fail('No project is open.');
  const plan = planSplits(doc.images, ratios, seed);
  if (!plan.ok) return plan;
  if (services.editor.commit(plan.value.change, { label: 'assign splits' }) === null) return fail('This tab is read-only.');
  return ok(plan.value.summary);
}

/** The notice after assignSplits, e.g. `Assigned 120 images: 96 train, 12 val, 12 test (3 duplicate groups kept together)`. */
export function describeSplitSummary(s: SplitSummary): string {
  const total = s.train + s.val + s.test;
  if (total === 0) return s.conflictingGroups > 0 ? `No images assigned: ${plural(s.conflictingGroups, 'duplicate group')} already span several splits (Run check shows them).` : 'No unassigned images: nothing to assign.';
  const parts = [`${s.groupsKeptTogether.toLocaleString('en')} duplicate ${s.groupsKeptTogether === 1 ? 'group' : 'groups'} kept together`];
  if (s.conflictingGroups > 0) parts.push(`${plural(s.conflictingGroups, 'group')} spanning several splits left alone`);
  return `Assigned ${plural(total, 'image')}: ${s.train.toLocaleString('en')} train, ${s.val.toLocaleString('en')} val, ${s.test.toLocaleString('en')} test (${parts.join('; ')})`;
}

const plural = (n: number, noun: string): string => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;

export function setCurrentStatus(services: Services, status: ImageStatus): boolean {
  const img = currentImage(services);
  return img !== null && services.editor.commit(setImageStatus(img, status), { imageId: img.id, label: 'set status' }) !== null;
}

export function setStatusFilter(services: Services, filter: StatusFilter): void {
  const { session, document } = services.stores;
  session.setState({ statusFilter: filter });
  // Keep an image open if the current one is filtered out.
  const doc = document.getState().doc;
  const current = session.getState().currentImageId;
  if (!doc) return;
  const list = visibleImages(doc.images, filter);
  if (!list.some((i) => i.id === current)) session.setState({ currentImageId: list[0]?.id ?? current });
}
