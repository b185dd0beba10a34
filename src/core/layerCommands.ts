import { added, change, updated, type Change } from './change';
import { newLayerId } from './ids';
import { CONSENSUS_LAYER, type Layer, type LayerKind, type ProjectId } from './model';
import { fail, ok, type Result } from './result';
import { validateAnnotatorName } from './validate';

/**
 * Layers: whose shapes. An annotator's layer is found by its name (ignoring case) or made, in the
 * same Change as the first shapes that go into it; the Consensus layer likewise.
 */

const sameName = (a: string, b: string): boolean => a.toLocaleLowerCase('en') === b.toLocaleLowerCase('en');

/** The project's layer of that name, if any. */
export function findLayer(layers: readonly Layer[], name: string): Layer | undefined {
  return layers.find((l) => sameName(l.name, name));
}

/**
 * The layer shapes by `name` go into: the existing one, or a new one (its Change adds it). An
 * annotator's name is checked; "Consensus" is the consensus layer's and no annotator's.
 */
export function layerFor(projectId: ProjectId, layers: readonly Layer[], name: string, now: number, kind: LayerKind = 'annotator'): Result<{ layer: Layer; change: Change }> {
  const existing = findLayer(layers, name);
  if (existing) {
    if (existing.kind !== kind) return fail(`“${existing.name}” is the ${existing.kind === 'consensus' ? 'consensus' : `${existing.kind}`} layer, not an ${kind}'s.`);
    return ok({ layer: existing, change: change() });
  }
  let display: string = CONSENSUS_LAYER;
  if (kind !== 'consensus') {
    const valid = validateAnnotatorName(name);
    if (!valid.ok) return valid;
    display = valid.value;
  }
  const layer: Layer = { id: newLayerId(), projectId, name: display, kind, revision: 1, createdAt: now, updatedAt: now };
  return ok({ layer, change: change(added('layers', layer)) });
}

/** Renames a layer: one record changes, every shape in it follows (they point at the layer). */
export function renameLayer(layers: readonly Layer[], layer: Layer, rawName: string, now: number): Result<Change> {
  if (layer.kind === 'consensus') return fail('The Consensus layer keeps its name.');
  const valid = validateAnnotatorName(rawName);
  if (!valid.ok) return valid;
  const clash = layers.find((l) => l.id !== layer.id && sameName(l.name, valid.value));
  if (clash) return fail(`There is already a layer named “${clash.name}”.`);
  if (layer.name === valid.value) return ok(change());
  return ok(change(updated('layers', layer, { ...layer, name: valid.value, revision: layer.revision + 1, updatedAt: now })));
}
