/**
 * A project's records as the exchange model (formats/types.ts): the classes in project order,
 * the chosen splits' images in import order, and one annotator layer's shapes (or all layers,
 * for the Tally package). Pure.
 */
import type { Annotation, ImageId, ImageRecord, Layer, LayerId, Project, Split } from '../core/model';
import { findLayer } from '../core/layerCommands';
import type { Dataset, DatasetAnnotation, DatasetImage } from '../formats/types';

export interface DatasetSelection {
  /** An annotator's name, 'Consensus', or null for every layer. */
  readonly layer: string | null;
  /** The splits whose images are exported. */
  readonly splits: ReadonlySet<Split>;
}

export interface ProjectDataset {
  readonly dataset: Dataset;
  /** The project image behind each dataset image. */
  readonly images: readonly ImageRecord[];
}

/** The layers' names, oldest layer first (the Annotations from select). */
export function layerNames(layers: readonly Layer[]): string[] {
  return [...layers].sort((a, b) => a.createdAt - b.createdAt).map((l) => l.name);
}

export function projectDataset(
  project: Project,
  images: readonly ImageRecord[],
  annotations: readonly Annotation[],
  layers: readonly Layer[],
  selection: DatasetSelection,
): ProjectDataset {
  const names = new Map<LayerId, string>(layers.map((l) => [l.id, l.name]));
  // A layer chosen by name (ignoring case); a name no layer has exports nothing.
  const chosenLayer = selection.layer === null ? null : (findLayer(layers, selection.layer)?.id ?? ('' as LayerId));
  const chosen = images.filter((i) => selection.splits.has(i.split));
  const index = new Map<ImageId, number>(chosen.map((img, i) => [img.id, i]));
  const classNames = new Map(project.classes.map((c) => [c.id, c.name]));
  const datasetImages: DatasetImage[] = chosen.map((img) => ({
    relativePath: img.relativePath,
    fileName: img.fileName,
    width: img.width,
    height: img.height,
    split: img.split,
    sha256: img.sha256,
    id: img.id,
    status: img.status,
  }));
  const datasetAnnotations: DatasetAnnotation[] = [];
  for (const a of annotations) {
    if (chosenLayer !== null && a.layerId !== chosenLayer) continue;
    const at = index.get(a.imageId);
    const className = classNames.get(a.classId);
    if (at === undefined || className === undefined) continue;
    datasetAnnotations.push({
      image: at,
      className,
      shape: a.shape,
      attributes: a.attributes,
      annotator: names.get(a.layerId) ?? '?',
      id: a.id,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
    });
  }
  // IndexedDB gives them in key (random id) order: export image by image, oldest shape first.
  datasetAnnotations.sort((x, y) => x.image - y.image || (x.createdAt ?? 0) - (y.createdAt ?? 0) || (x.id ?? '').localeCompare(y.id ?? ''));
  return {
    dataset: {
      project: { name: project.name, settings: project.settings },
      classes: project.classes.map((c) => ({ id: c.id, name: c.name, color: c.color, attributes: c.attributes })),
      images: datasetImages,
      annotations: datasetAnnotations,
    },
    images: chosen,
  };
}
