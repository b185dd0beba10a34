import { describe, expect, it } from 'vitest';
import type { Annotation, ClassId, ImageId, ImageRecord, Project, Split } from '../core/model';
import { layersFor, makeBox, makeImage, makeProject } from '../test-support/fixtures';
import { layerNames, projectDataset as datasetOf, type DatasetSelection } from './projectDataset';

const ALL_SPLITS: ReadonlySet<Split> = new Set<Split>(['train', 'val', 'test', 'unassigned']);
const all = (layer: string | null = null): DatasetSelection => ({ layer, splits: ALL_SPLITS });

const project = makeProject();
const images = [makeImage(1, { split: 'train' }), makeImage(2, { split: 'val' }), makeImage(3, { split: 'unassigned' })];
const id = (n: number): ImageId => `img-${n}` as ImageId;
const layers = layersFor('ana', 'bo', 'Consensus');
const projectDataset = (p: Project, imgs: readonly ImageRecord[], anns: readonly Annotation[], sel: DatasetSelection) => datasetOf(p, imgs, anns, layers, sel);

describe('projectDataset', () => {
  it('maps images in the order given, with their facts', () => {
    const { dataset, images: chosen } = projectDataset(project, images, [], all());
    expect(chosen).toEqual(images);
    expect(dataset.images).toEqual([
      { relativePath: 'drive/frame_1.jpg', fileName: 'frame_1.jpg', width: 1280, height: 720, split: 'train', sha256: images[0]!.sha256, id: 'img-1', status: 'new' },
      expect.objectContaining({ fileName: 'frame_2.jpg', split: 'val' }),
      expect.objectContaining({ fileName: 'frame_3.jpg', split: 'unassigned' }),
    ]);
  });

  it('carries the project name and settings', () => {
    const { dataset } = projectDataset(project, images, [], all());
    expect(dataset.project).toEqual({ name: 'Streets', settings: project.settings });
  });

  it('lists the classes in project order with id, colour and attributes', () => {
    const reordered = makeProject({ classes: [...project.classes].reverse() });
    const { dataset } = projectDataset(reordered, images, [], all());
    expect(dataset.classes).toEqual([
      { id: 'c-person', name: 'person', color: '#3cb44b', attributes: [] },
      { id: 'c-car', name: 'car', color: '#e6194b', attributes: [] },
    ]);
  });

  it('keeps only the images of the chosen splits, and their shapes', () => {
    const anns = [makeBox(1, id(1)), makeBox(2, id(2)), makeBox(3, id(3))];
    const sel: DatasetSelection = { layer: null, splits: new Set<Split>(['val', 'unassigned']) };
    const { dataset, images: chosen } = projectDataset(project, images, anns, sel);
    expect(chosen.map((i) => i.id)).toEqual(['img-2', 'img-3']);
    expect(dataset.images.map((i) => i.fileName)).toEqual(['frame_2.jpg', 'frame_3.jpg']);
    // Indices are into the chosen images.
    expect(dataset.annotations.map((a) => [a.image, a.id])).toEqual([
      [0, 'a-2'],
      [1, 'a-3'],
    ]);
  });

  it('keeps one layer, chosen by name ignoring case, or every layer for null', () => {
    const anns = [makeBox(1, id(1), { annotator: 'ana' }), makeBox(2, id(1), { annotator: 'bo' }), makeBox(3, id(2), { annotator: 'Consensus' })];
    expect(projectDataset(project, images, anns, all('bo')).dataset.annotations.map((a) => a.id)).toEqual(['a-2']);
    expect(projectDataset(project, images, anns, all('Consensus')).dataset.annotations.map((a) => a.id)).toEqual(['a-3']);
    expect(projectDataset(project, images, anns, all('BO')).dataset.annotations.map((a) => a.id)).toEqual(['a-2']);
    expect(projectDataset(project, images, anns, all('nobody')).dataset.annotations).toEqual([]);
    expect(projectDataset(project, images, anns, all(null)).dataset.annotations.map((a) => a.id)).toEqual(['a-1', 'a-2', 'a-3']);
  });

  it('maps an annotation to class name, shape, attributes, annotator, id and times', () => {
    const a = makeBox(1, id(2), { classId: 'c-person' as ClassId, attributes: { occluded: true }, annotator: 'bo', createdAt: 5, updatedAt: 9 });
    const { dataset } = projectDataset(project, images, [a], all());
    expect(dataset.annotations).toEqual([
      { image: 1, className: 'person', shape: a.shape, attributes: { occluded: true }, annotator: 'bo', id: 'a-1', createdAt: 5, updatedAt: 9 },
    ]);
  });

  it('sorts annotations by image, then creation time, then id', () => {
    const anns: Annotation[] = [
      makeBox(1, id(3), { createdAt: 1 }),
      makeBox(2, id(1), { createdAt: 30 }),
      makeBox(3, id(1), { createdAt: 10 }),
      makeBox(5, id(2), { createdAt: 7 }),
      makeBox(4, id(1), { createdAt: 10 }),
    ];
    const { dataset } = projectDataset(project, images, anns, all());
    expect(dataset.annotations.map((a) => a.id)).toEqual(['a-3', 'a-4', 'a-2', 'a-5', 'a-1']);
  });

  it('skips annotations of unknown classes and of images not chosen or not present', () => {
    const anns = [makeBox(1, id(1), { classId: 'c-gone' as ClassId }), makeBox(2, id(99)), makeBox(3, id(1))];
    const { dataset } = projectDataset(project, images, anns, all());
    expect(dataset.annotations.map((a) => a.id)).toEqual(['a-3']);
  });

  it('does not mutate its inputs', () => {
    const anns = [makeBox(2, id(2)), makeBox(1, id(1))];
    const before = structuredClone(anns);
    projectDataset(project, images, anns, all());
    expect(anns).toEqual(before);
  });
});

describe('layerNames', () => {
  it('lists the layers by name, oldest first', () => {
    const [ana, bo, consensus] = layers;
    expect(layerNames([consensus!, ana!, bo!])).toEqual(['ana', 'bo', 'Consensus']);
    expect(layerNames([])).toEqual([]);
  });
});
