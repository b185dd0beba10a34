import { describe, expect, it } from 'vitest';
import type { Annotation, AnnotationId, ClassId, ImageId, LayerId, ProjectId } from '../core/model';
import { toCheckAnnotation } from './checkAnnotation';

const stored: Annotation = {
  id: 'a1' as AnnotationId,
  projectId: 'p1' as ProjectId,
  imageId: 'img-1' as ImageId,
  layerId: 'layer-7' as LayerId,
  revision: 4,
  classId: 'c-car' as ClassId,
  shape: { kind: 'box', x: 1, y: 2, w: 3, h: 4 },
  attributes: { occluded: true, custom: { colour: 'red' } },
  source: 'manual',
  createdAt: 10,
  updatedAt: 20,
  review: { votes: 2, of: 3, decidedBy: 'lead' },
};

describe('toCheckAnnotation', () => {
  it('names the shape, keeps its layer and every field the checker reads, and drops the revision and the consensus votes', () => {
    expect(toCheckAnnotation(stored, 'ana')).toEqual({
      id: 'a1',
      projectId: 'p1',
      imageId: 'img-1',
      layerId: 'layer-7',
      annotator: 'ana',
      classId: 'c-car',
      shape: { kind: 'box', x: 1, y: 2, w: 3, h: 4 },
      attributes: { occluded: true, custom: { colour: 'red' } },
      source: 'manual',
      createdAt: 10,
      updatedAt: 20,
    });
  });

  it('leaves the record as it was', () => {
    const before = structuredClone(stored);
    toCheckAnnotation(stored, 'bruno');
    expect(stored).toEqual(before);
  });
});
