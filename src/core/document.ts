import type { Change } from './change';
import type { ImageId, ImageRecord, Layer, LayerId, Project } from './model';

/**
 * The open project as the editor holds it in memory: the project record and its image records in
 * import (seq) order, with an index from id to position. Annotations of the current image join
 * it with the editor.
 */
export interface ProjectDocument {
  readonly project: Project;
  /** Sorted by seq, ascending. */
  readonly images: readonly ImageRecord[];
  /** Position of each image in `images`. */
  readonly imageIndex: ReadonlyMap<ImageId, number>;
  /** Whose shapes: the annotators' layers and the consensus, in the order they were made. */
  readonly layers: readonly Layer[];
}

export function createDocument(project: Project, images: readonly ImageRecord[], layers: readonly Layer[] = []): ProjectDocument {
  const sorted = [...images].sort((a, b) => a.seq - b.seq);
  return { project, images: sorted, imageIndex: indexOf(sorted), layers: [...layers].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)) };
}

/** The name of a layer, for display ("?" for one not in the document). */
export function layerName(doc: Pick<ProjectDocument, 'layers'>, id: LayerId): string {
  return doc.layers.find((l) => l.id === id)?.name ?? '?';
}

function indexOf(images: readonly ImageRecord[]): Map<ImageId, number> {
  const m = new Map<ImageId, number>();
  images.forEach((img, i) => m.set(img.id, i));
  return m;
}

/**
 * The document after a Change. Updates of other projects' records are ignored (they are not
 * open). Image updates in place are O(1) each; adds and removes re-sort once.
 */
export function applyChange(doc: ProjectDocument, change: Change): ProjectDocument {
  let project = doc.project;
  let images: ImageRecord[] | null = null;
  let layers: Layer[] | null = null;
  let reindex = false;
  for (const u of change.updates) {
    if (u.table === 'projects') {
      if ((u.after ?? u.before)?.id === project.id && u.after) project = u.after;
    } else if (u.table === 'images') {
      const rec = u.after ?? u.before;
      if (!rec || rec.projectId !== project.id) continue;
      images ??= [...doc.images];
      const at = reindex ? images.findIndex((i) => i.id === rec.id) : (doc.imageIndex.get(rec.id) ?? -1);
      if (u.after && at >= 0) images[at] = u.after;
      else if (u.after) {
        images.push(u.after);
        reindex = true;
      } else if (at >= 0) {
        images.splice(at, 1);
        reindex = true;
      }
    } else if (u.table === 'layers') {
      const rec = u.after ?? u.before;
      if (!rec || rec.projectId !== project.id) continue;
      layers ??= [...doc.layers];
      const at = layers.findIndex((l) => l.id === rec.id);
      if (u.after && at >= 0) layers[at] = u.after;
      else if (u.after) layers.push(u.after);
      else if (at >= 0) layers.splice(at, 1);
    }
  }
  if (!images && !layers) return project === doc.project ? doc : { ...doc, project };
  const nextImages = images ?? doc.images;
  if (images && reindex) images.sort((a, b) => a.seq - b.seq);
  return { project, images: nextImages, imageIndex: images && reindex ? indexOf(images) : doc.imageIndex, layers: layers ?? doc.layers };
}
