import {
  DEFAULT_SETTINGS,
  SCHEMA_VERSION,
  type Annotation,
  type AnnotationId,
  type ClassId,
  type ImageId,
  type ImageRecord,
  type Layer,
  type LayerId,
  type Project,
  type ProjectId,
} from '../core/model';

/** Small valid records for tests. Override what a test is about; the rest stays valid. */

export function makeProject(overrides: Partial<Project> = {}): Project {
  return {
    id: 'p1' as ProjectId,
    name: 'Streets',
    classes: [
      { id: 'c-car' as ClassId, name: 'car', color: '#e6194b', attributes: [] },
      { id: 'c-person' as ClassId, name: 'person', color: '#3cb44b', attributes: [] },
    ],
    settings: DEFAULT_SETTINGS,
    schemaVersion: SCHEMA_VERSION,
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

export function makeImage(n: number, overrides: Partial<ImageRecord> = {}): ImageRecord {
  const hex = n.toString(16).padStart(2, '0');
  return {
    id: `img-${n}` as ImageId,
    projectId: 'p1' as ProjectId,
    fileName: `frame_${n}.jpg`,
    relativePath: `drive/frame_${n}.jpg`,
    width: 1280,
    height: 720,
    byteSize: 100_000 + n,
    mimeType: 'image/jpeg',
    sha256: hex.repeat(32),
    phash: hex.repeat(8),
    phashMirrored: hex.repeat(8),
    dhash: hex.repeat(8),
    split: 'unassigned',
    status: 'new',
    seq: n,
    addedAt: 1,
    annotationCount: 0,
    ...overrides,
  };
}

/**
 * A box on `imageId`. `annotator: 'bo'` puts it in layer `layer-bo` (see makeLayer / layersFor),
 * so tests can still speak of whose shape it is by name.
 */
export function makeBox(n: number, imageId: ImageId, { annotator, ...overrides }: Partial<Annotation> & { readonly annotator?: string } = {}): Annotation {
  const layer = annotator === undefined ? {} : { layerId: `layer-${annotator}` as LayerId };
  return {
    id: `a-${n}` as AnnotationId,
    projectId: 'p1' as ProjectId,
    imageId,
    layerId: 'layer-ana' as LayerId,
    classId: 'c-car' as ClassId,
    shape: { kind: 'box', x: 10 * n, y: 10, w: 40, h: 30 },
    attributes: {},
    source: 'manual',
    revision: 1,
    createdAt: 1,
    updatedAt: 1,
    ...layer,
    ...overrides,
  };
}

/** Layers named so, ids `layer-<name>`, in that order; "Consensus" is the consensus layer. */
export function layersFor(...names: readonly string[]): Layer[] {
  return names.map((name, i) => makeLayer(name, { kind: name === 'Consensus' ? 'consensus' : 'annotator', createdAt: i + 1, updatedAt: i + 1 }));
}

/** An annotator's layer with id `layer-<name>` (the id makeBox uses for 'ana' by default). */
export function makeLayer(name: string, overrides: Partial<Layer> = {}): Layer {
  return { id: `layer-${name}` as LayerId, projectId: 'p1' as ProjectId, name, kind: 'annotator', revision: 1, createdAt: 1, updatedAt: 1, ...overrides };
}
