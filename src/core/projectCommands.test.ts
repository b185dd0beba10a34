import { describe, expect, it } from 'vitest';
import { updatesOf, type Change } from './change';
import { SCHEMA_VERSION, type ClassId, type ImageId, type ImageRecord, type Project } from './model';
import {
  CLASS_PALETTE,
  addClass,
  changeSettings,
  createProject,
  deleteClass,
  moveClass,
  recolorClass,
  renameClass,
  renameProject,
  setImageSplit,
  setImageStatus,
} from './projectCommands';
import type { Result } from './result';
import { validateProject } from './validate';
import { makeBox, makeImage, makeProject } from '../test-support/fixtures';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got: ${r.message}`);
  return r.value;
}
/** The project as it stands after a Change (every command here updates at most one project). */
function projectAfter(c: Change): Project {
  const u = updatesOf(c, 'projects');
  expect(u).toHaveLength(1);
  return u[0]!.after!;
}

describe('projects', () => {
  it('creates a valid, empty project with default settings', () => {
    const p = value(createProject('  Street scenes ', 42));
    expect(p).toMatchObject({ name: 'Street scenes', classes: [], createdAt: 42, updatedAt: 42, schemaVersion: SCHEMA_VERSION });
    expect(p.settings.splitRatios).toEqual({ train: 0.8, val: 0.1, test: 0.1 });
    expect(validateProject(p).ok).toBe(true);
  });

  it('renames with before/after and refuses an empty name', () => {
    const p = makeProject();
    const c = value(renameProject(p, 'Highways', 5));
    expect(c.updates).toEqual([{ table: 'projects', before: p, after: { ...p, name: 'Highways', updatedAt: 5 } }]);
    expect(renameProject(p, ' ', 5).ok).toBe(false);
    expect(value(renameProject(p, 'Streets', 5)).updates).toHaveLength(0);
  });
});

describe('classes', () => {
  it('adds classes with free default names and distinct colours', () => {
    let p = makeProject({ classes: [] });
    for (let i = 0; i < 3; i++) p = projectAfter(value(addClass(p, 1)).change);
    expect(p.classes.map((c) => c.name)).toEqual(['Class 1', 'Class 2', 'Class 3']);
    expect(new Set(p.classes.map((c) => c.color)).size).toBe(3);
    expect(p.classes[0]!.color).toBe(CLASS_PALETTE[0]);
    expect(validateProject(p).ok).toBe(true);
  });

  it('skips a default name that is taken', () => {
    const p = projectAfter(value(addClass(makeProject({ classes: [] }), 1, 'class 2')).change);
    expect(projectAfter(value(addClass(p, 1)).change).classes.map((c) => c.name)).toEqual(['class 2', 'Class 3']);
  });

  it('renames, refusing a clash', () => {
    const p = makeProject();
    const renamed = projectAfter(value(renameClass(p, 'c-car' as ClassId, 'vehicle', 2)));
    expect(renamed.classes.map((c) => c.name)).toEqual(['vehicle', 'person']);
    const clash = renameClass(p, 'c-car' as ClassId, 'Person', 2);
    expect(clash).toEqual({ ok: false, message: 'A class named “person” already exists.' });
    expect(renameClass(p, 'nope' as ClassId, 'x', 2).ok).toBe(false);
  });

  it('recolours with a valid colour only', () => {
    const p = makeProject();
    expect(projectAfter(value(recolorClass(p, 'c-person' as ClassId, '#00FF00', 2))).classes[1]!.color).toBe('#00ff00');
    expect(recolorClass(p, 'c-person' as ClassId, 'green', 2).ok).toBe(false);
  });

  it('reorders, which reassigns the number keys', () => {
    const p = makeProject();
    const moved = projectAfter(value(moveClass(p, 'c-person' as ClassId, -1, 2)));
    expect(moved.classes.map((c) => c.id)).toEqual(['c-person', 'c-car']);
    expect(moveClass(p, 'c-car' as ClassId, -1, 2).ok).toBe(false);
    expect(moveClass(p, 'c-person' as ClassId, 1, 2).ok).toBe(false);
  });

  it('deletes a class with its annotations and lowers image counts in one Change', () => {
    const p = makeProject();
    const img1 = makeImage(1, { annotationCount: 3 });
    const img2 = makeImage(2, { annotationCount: 1 });
    const images = new Map<ImageId, ImageRecord>([[img1.id, img1], [img2.id, img2]]);
    const usages = [makeBox(1, img1.id), makeBox(2, img1.id), makeBox(3, img2.id)];
    const c = value(deleteClass(p, 'c-car' as ClassId, usages, images, 9));
    expect(projectAfter(c).classes.map((x) => x.name)).toEqual(['person']);
    expect(updatesOf(c, 'annotations').map((u) => [u.before?.id, u.after])).toEqual([['a-1', null], ['a-2', null], ['a-3', null]]);
    expect(updatesOf(c, 'images').map((u) => [u.after?.id, u.after?.annotationCount])).toEqual([['img-1', 1], ['img-2', 0]]);
  });

  it('refuses to delete with annotations of another class', () => {
    const img = makeImage(1, { annotationCount: 1 });
    const wrong = [makeBox(1, img.id, { classId: 'c-person' as ClassId })];
    expect(deleteClass(makeProject(), 'c-car' as ClassId, wrong, new Map([[img.id, img]]), 9).ok).toBe(false);
  });
});

describe('images', () => {
  it('sets split and status, and a no-op gives an empty Change', () => {
    const img = makeImage(1);
    expect(setImageSplit(img, 'val').updates[0]!.after).toMatchObject({ split: 'val' });
    expect(setImageSplit(img, 'unassigned').updates).toHaveLength(0);
    expect(setImageStatus(img, 'done').updates[0]!.after).toMatchObject({ status: 'done' });
  });
});

describe('changeSettings', () => {
  it('changes the project record once, checked; the same settings change nothing', () => {
    const p = makeProject();
    const c = changeSettings(p, { ...p.settings, quality: { tinyBoxMinSide: 4 } }, 7);
    expect(c.ok && c.value.updates).toEqual([{ table: 'projects', before: p, after: { ...p, settings: { ...p.settings, quality: { tinyBoxMinSide: 4 } }, updatedAt: 7 } }]);
    expect(changeSettings(p, p.settings, 7)).toEqual({ ok: true, value: { updates: [] } });
    expect(changeSettings(p, { ...p.settings, quality: { tinyBoxMinSide: Number.NaN } }, 7)).toEqual({ ok: false, message: 'Checker setting “tinyBoxMinSide” must be a number.' });
  });
});
