import { describe, expect, it } from 'vitest';
import type { Annotation, ClassId, Layer, LayerId, ProjectId } from '../core/model';
import { box, classId, image, record, shape } from '../quality/testFixtures';
import { shapeGroups } from './scene';

const img = image(1);
const layer = (name: string, kind: Layer['kind'] = 'annotator'): Layer => ({ id: `layer-${name}` as LayerId, projectId: 'p1' as ProjectId, name, kind, revision: 1, createdAt: 1, updatedAt: 1 });
const LAYERS = [layer('zoe'), layer('bob'), layer('Consensus', 'consensus')];
const classStyles = new Map<ClassId, { color: string; name: string }>([[classId('car'), { color: '#e6194b', name: 'car' }]]);
const drawn = (annotator: string): Annotation => record(shape(img, box(1, 1, 5, 5), { annotator }));

describe('shapeGroups: which colour the shapes painter uses', () => {
  it('two layers on screen: by layer, annotators in the palette by sorted name, the Consensus in white', () => {
    const { groups, groupStyles } = shapeGroups([drawn('zoe'), drawn('bob'), drawn('Consensus')], LAYERS, classStyles, 'annotator');
    expect([...groups.keys()].sort()).toEqual(['layer-Consensus', 'layer-bob', 'layer-zoe']);
    // bob sorts first → the palette's first colour; zoe the second.
    expect(groupStyles.get('layer-bob')?.color).toBe('#e69f00');
    expect(groupStyles.get('layer-zoe')?.color).toBe('#56b4e9');
    expect(groupStyles.get('layer-Consensus')?.color).toBe('#ffffff');
  });

  it('one layer on screen, or class colours chosen: by class, in class colours', () => {
    const one = shapeGroups([drawn('zoe'), drawn('zoe')], LAYERS, classStyles, 'annotator');
    expect([...one.groups.keys()]).toEqual([classId('car')]);
    expect(one.groupStyles).toBe(classStyles);
    const byClass = shapeGroups([drawn('zoe'), drawn('bob')], LAYERS, classStyles, 'class');
    expect([...byClass.groups.keys()]).toEqual([classId('car')]);
    expect(byClass.groups.get(classId('car'))).toHaveLength(2);
  });
});
