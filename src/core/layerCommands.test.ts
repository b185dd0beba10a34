import { describe, expect, it } from 'vitest';
import { updatesOf } from './change';
import { applyChange, createDocument, layerName } from './document';
import { findLayer, layerFor, renameLayer } from './layerCommands';
import type { LayerId, ProjectId } from './model';
import { layersFor, makeImage, makeProject } from '../test-support/fixtures';

const P = 'p1' as ProjectId;
const value = <T>(r: { ok: true; value: T } | { ok: false; message: string }): T => {
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('layers', () => {
  const layers = layersFor('ana', 'bo', 'Consensus');

  it('finds a layer by name ignoring case', () => {
    expect(findLayer(layers, 'BO')?.id).toBe('layer-bo');
    expect(findLayer(layers, 'cy')).toBeUndefined();
  });

  it("an annotator's existing layer is used as it is; a new name makes a layer in the Change", () => {
    expect(value(layerFor(P, layers, 'Ana', 5))).toEqual({ layer: layers[0], change: { updates: [] } });
    const made = value(layerFor(P, layers, '  cy ', 5));
    expect(made.layer).toMatchObject({ projectId: P, name: 'cy', kind: 'annotator', revision: 1, createdAt: 5, updatedAt: 5 });
    expect(updatesOf(made.change, 'layers')).toEqual([{ table: 'layers', before: null, after: made.layer }]);
  });

  it('refuses an annotator named like the consensus, and a name that is not valid', () => {
    expect(layerFor(P, layers, 'consensus', 5).ok).toBe(false);
    expect(layerFor(P, [], 'Consensus', 5).ok).toBe(false);
    expect(layerFor(P, [], '', 5).ok).toBe(false);
    expect(value(layerFor(P, [], 'x', 5, 'consensus')).layer).toMatchObject({ name: 'Consensus', kind: 'consensus' });
  });

  it('renaming is one record: the name changes, the revision goes up, the id (which shapes point at) stays', () => {
    const c = value(renameLayer(layers, layers[1]!, 'Bob', 9));
    expect(c.updates).toEqual([{ table: 'layers', before: layers[1], after: { ...layers[1], name: 'Bob', revision: 2, updatedAt: 9 } }]);
    expect(renameLayer(layers, layers[1]!, 'ANA', 9)).toEqual({ ok: false, message: 'There is already a layer named “ana”.' });
    expect(renameLayer(layers, layers[2]!, 'Lead', 9).ok).toBe(false);
    expect(value(renameLayer(layers, layers[1]!, 'bo', 9)).updates).toEqual([]);
  });

  it('the document follows layer changes, and names a shape by its layer', () => {
    const doc = createDocument(makeProject(), [makeImage(1)], layers);
    const renamed = applyChange(doc, value(renameLayer(layers, layers[1]!, 'Bob', 9)));
    expect(layerName(renamed, 'layer-bo' as LayerId)).toBe('Bob');
    expect(renamed.images).toBe(doc.images);
    const made = value(layerFor(P, renamed.layers, 'cy', 10));
    const grown = applyChange(renamed, made.change);
    expect(grown.layers.map((l) => l.name)).toEqual(['ana', 'Bob', 'Consensus', 'cy']);
    expect(layerName(grown, 'layer-nope' as LayerId)).toBe('?');
  });
});
