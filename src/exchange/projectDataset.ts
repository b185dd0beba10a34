/**
 * A project's records as the exchange model (formats/types.ts): the classes in project order,
 * the chosen splits' images in import order, and one annotator layer's shapes (or all layers,
 * for the Tally package). Pure.
 */
import type { Annotation, ImageId, ImageRecord, Project, Split } from '../core/model';
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

/** Distinct annotator names in the order first met (the Annotations from select). */
export function annotatorsOf(annotations: readonly Annotation[]): string[] {
  return [...new Set(annotations.map((a) => a.annotator))];
}

export function projectDataset(project: Project, images: readonly ImageRecord[], annotations: readonly Annotation[], selection: DatasetSelection): ProjectDataset {
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
    if (selection.layer !== null && a.annotator !== selection.layer) continue;
    const at = index.get(a.imageId);
    const className = classNames.get(a.classId);
    if (at === undefined || className === undefined) continue;
    datasetAnnotations.push({
      image: at,
      className,
      shape: a.shape,
      attributes: a.attributes,
      annotator: a.annotator,
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
