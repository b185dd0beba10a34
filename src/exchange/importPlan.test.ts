import { describe, expect, it } from 'vitest';
import { updatesOf, type Change } from '../core/change';
import type { Annotation, ClassId, ImageId, ImageRecord, Project, Shape } from '../core/model';
import type { Result } from '../core/result';
import { validateColor } from '../core/validate';
import type { DatasetAnnotation, DatasetClass, DatasetImage, Diagnostic } from '../formats/types';
import { layersFor, makeBox, makeImage, makeProject } from '../test-support/fixtures';
import { buildImportChange, planImport, targetLayerName as layerFor, type ImportPlan, type ParsedSource } from './importPlan';

const NOW = 1_700_000_000_000;
/** The project's layers: the existing shapes of these tests are ana's or bo's. */
const LAYERS = layersFor('ana', 'bo');
/** Whose layer an added shape is in: an existing layer, or one the same Change adds. */
const layerNameIn = (c: Change, a: Annotation): string =>
  [...LAYERS, ...updatesOf(c, 'layers').flatMap((u) => (u.after ? [u.after] : []))].find((l) => l.id === a.layerId)?.name ?? '?';
const project = makeProject();
const images = [makeImage(1), makeImage(2), makeImage(3, { status: 'done', annotationCount: 4 })];
const id = (n: number): ImageId => `img-${n}` as ImageId;

const fileImage = (relativePath: string, overrides: Partial<DatasetImage> = {}): DatasetImage => ({
  relativePath,
  fileName: relativePath.slice(relativePath.lastIndexOf('/') + 1),
  width: 1280,
  height: 720,
  split: 'unassigned',
  ...overrides,
});
const box = (x: number, y = 10, w = 40, h = 30): Shape => ({ kind: 'box', x, y, w, h });
const ann = (image: number, className: string, shape: Shape, overrides: Partial<DatasetAnnotation> = {}): DatasetAnnotation => ({
  image,
  className,
  shape,
  attributes: {},
  ...overrides,
});

function parsed(
  imgs: DatasetImage[],
  annotations: DatasetAnnotation[] = [],
  classes: DatasetClass[] = [{ name: 'car' }, { name: 'person' }],
  diagnostics: Diagnostic[] = [],
): ParsedSource {
  return { formatLabel: 'COCO', dataset: { classes, images: imgs, annotations }, diagnostics, source: 'labels.json' };
}

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

const plan = (p: ReturnType<typeof parsed>, existing: readonly Annotation[] = [], annotator = 'ana', imgs: readonly ImageRecord[] = images, proj: Project = project): ImportPlan =>
  planImport(proj, imgs, existing, LAYERS, p, annotator);

const addedAnnotations = (c: Change): Annotation[] => updatesOf(c, 'annotations').flatMap((u) => (u.before === null && u.after ? [u.after] : []));

describe('planImport: matching images', () => {
  it('matches by SHA-256 first, even when the names differ', () => {
    const p = plan(parsed([fileImage('somewhere/else.png', { sha256: images[1]!.sha256 })]));
    expect(p.matched).toEqual([{ index: 0, target: images[1], by: 'sha256', shapes: 0 }]);
    expect(p.unmatched).toEqual([]);
  });

  it('prefers the SHA-256 over a name naming another image', () => {
    const p = plan(parsed([fileImage('drive/frame_1.jpg', { sha256: images[1]!.sha256 })]));
    expect(p.matched[0]).toMatchObject({ target: images[1], by: 'sha256' });
  });

  it('falls back to the path when the SHA-256 is unknown', () => {
    const p = plan(parsed([fileImage('drive/frame_2.jpg', { sha256: 'ff'.repeat(32) })]));
    expect(p.matched[0]).toMatchObject({ target: images[1], by: 'path' });
  });

  it('matches by whole path, base name and stem', () => {
    const p = plan(parsed([fileImage('drive/frame_1.jpg'), fileImage('images/train/frame_2.jpg'), fileImage('labels/frame_3.png')]));
    expect(p.matched.map((m) => [m.index, m.target.id, m.by])).toEqual([
      [0, 'img-1', 'path'],
      [1, 'img-2', 'name'],
      [2, 'img-3', 'stem'],
    ]);
  });

  it('counts the shapes of each matched and unmatched image', () => {
    const p = plan(parsed([fileImage('frame_1.jpg'), fileImage('nope.jpg')], [ann(0, 'car', box(1)), ann(0, 'car', box(2)), ann(1, 'car', box(3))]));
    expect(p.matched[0]!.shapes).toBe(2);
    expect(p.unmatched[0]).toMatchObject({ path: 'nope.jpg', shapes: 1 });
  });

  it('leaves an image unmatched when no project image has its name', () => {
    const p = plan(parsed([fileImage('nope.jpg')]));
    expect(p.matched).toEqual([]);
    expect(p.unmatched).toEqual([{ path: 'nope.jpg', reason: 'no image in the project has this name', shapes: 0 }]);
  });

  it('names the file when none of its images is in the project, and each unmatched image\'s own file', () => {
    const p = plan(parsed([fileImage('x.jpg', { source: 'annotations/instances_val.json' }), fileImage('y.jpg', { source: 'annotations/instances_val.json' })]));
    expect(p.unmatched.map((u) => u.file)).toEqual(['annotations/instances_val.json', 'annotations/instances_val.json']);
    expect(p.diagnostics).toEqual([
      { severity: 'error', file: 'annotations/instances_val.json', message: 'none of its 2 images is in this project (compared by content, path, file name and name without extension): nothing can be imported' },
    ]);
    // Without a file per image, the picked file is named.
    expect(plan(parsed([fileImage('x.jpg')])).diagnostics[0]!.file).toBe('labels.json');
  });

  it('never guesses between project images sharing a base name', () => {
    const twins = [
      makeImage(1, { relativePath: 'day1/x.jpg', fileName: 'x.jpg' }),
      makeImage(2, { relativePath: 'day2/x.jpg', fileName: 'x.jpg' }),
      makeImage(3, { relativePath: 'day3/y.jpg', fileName: 'y.jpg' }),
    ];
    const p = plan(parsed([fileImage('images/x.jpg'), fileImage('day2/x.jpg')]), [], 'ana', twins);
    expect(p.unmatched).toHaveLength(1);
    expect(p.unmatched[0]!.path).toBe('images/x.jpg');
    expect(p.unmatched[0]!.reason).toContain('2 images in the project share this file name');
    // The whole path still tells them apart.
    expect(p.matched.map((m) => [m.target.id, m.by])).toEqual([['img-2', 'path']]);
  });

  it('never guesses between project images sharing a stem', () => {
    const twins = [makeImage(1, { relativePath: 'a/x.jpg', fileName: 'x.jpg' }), makeImage(2, { relativePath: 'a/x.png', fileName: 'x.png' })];
    const p = plan(parsed([fileImage('labels/x.txt')]), [], 'ana', twins);
    expect(p.unmatched[0]!.reason).toContain('2 images in the project share this name without extension');
  });

  it('gives a project image to the first file image claiming it; the second stays unmatched', () => {
    const p = plan(parsed([fileImage('drive/frame_1.jpg'), fileImage('other/frame_1.jpg'), fileImage('x.jpg', { sha256: images[0]!.sha256 })]));
    expect(p.matched.map((m) => m.index)).toEqual([0]);
    expect(p.unmatched.map((u) => u.path)).toEqual(['other/frame_1.jpg', 'x.jpg']);
    expect(p.unmatched[0]!.reason).toBe('drive/frame_1.jpg already takes the shapes of drive/frame_1.jpg');
  });

  it('refuses an image whose recorded size differs from the project image, saying why and naming the file', () => {
    const p = plan(parsed([fileImage('frame_1.jpg', { width: 640, height: 480, source: 'train/frame_1.json' })]));
    expect(p.matched).toEqual([]);
    expect(p.unmatched[0]!.reason).toBe('train/frame_1.json says 640×480, but drive/frame_1.jpg is 1280×720: its shapes would land in the wrong place');
  });

  it('accepts an image whose size the file did not give (width 0)', () => {
    const p = plan(parsed([fileImage('frame_1.jpg', { width: 0, height: 0 })]));
    expect(p.matched).toHaveLength(1);
  });

  it('keeps a size-mismatched image from taking the project image away from a later match', () => {
    const p = plan(parsed([fileImage('a/frame_1.jpg', { width: 10, height: 10 }), fileImage('b/frame_1.jpg')]));
    expect(p.matched.map((m) => m.index)).toEqual([1]);
  });
});

describe('planImport: classes and shapes', () => {
  it('maps classes onto existing ones ignoring case, and marks the others new', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'CAR', box(1)), ann(0, 'bus', box(2)), ann(0, 'bus', box(3))], [{ name: 'CAR' }, { name: 'bus' }, { name: 'Person ' }]));
    expect(p.classes).toEqual([
      { name: 'CAR', existing: project.classes[0], shapes: 1 },
      { name: 'bus', existing: null, shapes: 2 },
      { name: 'Person ', existing: project.classes[1], shapes: 0 },
    ]);
    expect(p.shapes).toBe(3);
  });

  it('lists a class given twice in different case once', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [], [{ name: 'Bus' }, { name: 'BUS' }]));
    expect(p.classes.map((c) => c.name)).toEqual(['Bus']);
  });

  it('does not count the shapes of unmatched images', () => {
    const p = plan(parsed([fileImage('frame_1.jpg'), fileImage('nope.jpg')], [ann(0, 'car', box(1)), ann(1, 'car', box(2))]));
    expect(p.shapes).toBe(1);
    expect(p.classes[0]!.shapes).toBe(1);
  });

  it('counts shapes already in the project (same image, annotator, class, coordinates) as already present', () => {
    const existing = [makeBox(1, id(1), { shape: box(10) }), makeBox(2, id(1), { shape: box(20), annotator: 'bo' })];
    const file = parsed(
      [fileImage('frame_1.jpg')],
      [
        ann(0, 'Car', box(10.001)), // same place at stored precision, class differs only in case
        ann(0, 'car', box(20)), // bo's, not ana's
        ann(0, 'person', box(10)), // other class
      ],
      [{ name: 'Car' }, { name: 'person' }],
    );
    const p = plan(file, existing, 'ana');
    expect(p.alreadyPresent).toBe(1);
    expect(p.shapes).toBe(2);
    expect(p.diagnostics.at(-1)).toMatchObject({ severity: 'info', file: 'labels.json' });
    expect(p.diagnostics.at(-1)!.message).toContain('1 shape is already in the project');
    // For bo, the other one is present.
    const forBo = plan(file, existing, 'bo');
    expect([forBo.alreadyPresent, forBo.shapes]).toEqual([1, 2]);
  });

  it('counts a shape given twice in the file once, as Import stores it', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'car', box(10)), ann(0, 'car', box(10))]));
    expect([p.shapes, p.alreadyPresent]).toEqual([1, 1]);
    const built = value(buildImportChange(p, project, [], LAYERS, 'ana', NOW));
    expect(addedAnnotations(built)).toHaveLength(p.shapes);
  });

  it('keeps the parser diagnostics first', () => {
    const d: Diagnostic = { severity: 'warning', file: 'a.json', message: 'parser said' };
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'car', box(10))], undefined, [d]), [makeBox(1, id(1), { shape: box(10) })]);
    expect(p.diagnostics[0]).toBe(d);
    expect(p.diagnostics).toHaveLength(2);
  });

  it('lists the annotators the file names, in order met', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'car', box(1), { annotator: 'bo' }), ann(0, 'car', box(2)), ann(0, 'car', box(3), { annotator: 'cy' }), ann(0, 'car', box(4), { annotator: 'bo' })]));
    expect(p.fileAnnotators).toEqual(['bo', 'cy']);
  });
});

describe('layerFor', () => {
  it("uses the chosen annotator unless the file names several, then the shape's own (when valid)", () => {
    expect(layerFor('bo', ['bo'], 'ana')).toBe('ana');
    expect(layerFor(undefined, [], 'ana')).toBe('ana');
    expect(layerFor('bo', ['bo', 'cy'], 'ana')).toBe('bo');
    expect(layerFor(undefined, ['bo', 'cy'], 'ana')).toBe('ana');
    // A Tally package's Consensus stays the Consensus (its own kind of layer), however spelt.
    expect(layerFor('Consensus', ['Consensus', 'cy'], 'ana')).toBe('Consensus');
    expect(layerFor('consensus ', ['consensus ', 'cy'], 'ana')).toBe('Consensus');
    expect(layerFor('  ', ['  ', 'cy'], 'ana')).toBe('ana');
  });
});

describe('buildImportChange', () => {
  it('adds every shape on matched images as imported, in the chosen layer, with the class id', () => {
    const p = plan(parsed([fileImage('frame_1.jpg'), fileImage('nope.jpg')], [ann(0, 'car', box(10)), ann(0, 'PERSON', box(20), { attributes: { occluded: true } }), ann(1, 'car', box(30))], [{ name: 'car' }, { name: 'PERSON' }]));
    const c = value(buildImportChange(p, project, [], LAYERS, 'ana', NOW));
    const added = addedAnnotations(c);
    expect(added).toHaveLength(2);
    expect(added[0]).toMatchObject({ projectId: 'p1', imageId: 'img-1', layerId: 'layer-ana', classId: 'c-car', shape: box(10), source: 'imported', revision: 1, createdAt: NOW, updatedAt: NOW });
    // ana's layer exists: no layer is made.
    expect(updatesOf(c, 'layers')).toEqual([]);
    expect(added[1]).toMatchObject({ classId: 'c-person', attributes: { occluded: true } });
    // No new class: the project is not touched.
    expect(updatesOf(c, 'projects')).toEqual([]);
  });

  it('keeps the times the file gives', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'car', box(10), { createdAt: 5, updatedAt: 7 })]));
    expect(addedAnnotations(value(buildImportChange(p, project, [], LAYERS, 'ana', NOW)))[0]).toMatchObject({ createdAt: 5, updatedAt: 7 });
  });

  it('stores shapes at stored precision', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'car', { kind: 'polygon', points: [1.23456, 2.0001, 10.005, 2, 5, 8.3333] })]));
    const shape = addedAnnotations(value(buildImportChange(p, project, [], LAYERS, 'ana', NOW)))[0]!.shape;
    expect(shape).toEqual({ kind: 'polygon', points: [1.23, 2, 10.01, 2, 5, 8.33] });
  });

  it("updates each touched image's shape count, and its status from new to in progress only", () => {
    const p = plan(parsed([fileImage('frame_1.jpg'), fileImage('frame_3.jpg'), fileImage('frame_2.jpg')], [ann(0, 'car', box(1)), ann(0, 'car', box(2)), ann(1, 'car', box(3))]));
    const c = value(buildImportChange(p, project, [], LAYERS, 'ana', NOW));
    const imgs = updatesOf(c, 'images');
    expect(imgs.map((u) => [u.before?.id, u.after?.annotationCount, u.after?.status])).toEqual([
      ['img-1', 2, 'in_progress'],
      ['img-3', 5, 'done'],
    ]);
    expect(imgs[0]!.before).toBe(images[0]);
  });

  it('appends new classes with valid, unused colours, or the file colour when valid', () => {
    const p = plan(
      parsed(
        [fileImage('frame_1.jpg')],
        [ann(0, 'bus', box(1)), ann(0, 'bike', box(2)), ann(0, 'tram', box(3)), ann(0, 'car', box(4))],
        [{ name: 'car' }, { name: 'bus' }, { name: 'bike', color: '#ABCDEF' }, { name: 'tram', color: 'red' }, { name: 'unused' }],
      ),
    );
    const c = value(buildImportChange(p, project, [], LAYERS, 'ana', NOW));
    const [proj] = updatesOf(c, 'projects');
    expect(proj!.before).toBe(project);
    const after = proj!.after!;
    expect(after.updatedAt).toBe(NOW);
    expect(after.classes.slice(0, 2)).toEqual(project.classes);
    expect(after.classes.slice(2).map((k) => k.name)).toEqual(['bus', 'bike', 'tram']);
    for (const k of after.classes) expect(validateColor(k.color)).toEqual({ ok: true, value: k.color });
    expect(after.classes[3]!.color).toBe('#abcdef');
    const colours = after.classes.map((k) => k.color);
    expect(new Set(colours).size).toBe(colours.length);
    expect(new Set(after.classes.map((k) => k.id)).size).toBe(5);
    // Shapes point at the new classes.
    const byClass = new Map(after.classes.map((k) => [k.id, k.name]));
    expect(addedAnnotations(c).map((a) => byClass.get(a.classId))).toEqual(['bus', 'bike', 'tram', 'car']);
  });

  it('does not create a new class that has no shapes to import', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'car', box(1))], [{ name: 'car' }, { name: 'bus' }]));
    expect(updatesOf(value(buildImportChange(p, project, [], LAYERS, 'ana', NOW)), 'projects')).toEqual([]);
  });

  it('keeps the class attributes the file gives for a new class', () => {
    const attributes = [{ name: 'colour', type: 'text' as const, options: [] }];
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'bus', box(1))], [{ name: 'bus', attributes }]));
    const after = updatesOf(value(buildImportChange(p, project, [], LAYERS, 'ana', NOW)), 'projects')[0]!.after!;
    expect(after.classes[2]!.attributes).toEqual(attributes);
  });

  it('refuses, changing nothing, when the annotator name is not valid', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'car', box(1))]));
    for (const bad of ['', '   ', 'Consensus', 'x'.repeat(61)]) {
      const r = buildImportChange(p, project, [], LAYERS, bad, NOW);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/^Annotator: /);
    }
  });

  it('trims the annotator name', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'car', box(1))]));
    const c = value(buildImportChange(p, project, [], LAYERS, '  ana  ', NOW));
    expect(layerNameIn(c, addedAnnotations(c)[0]!)).toBe('ana');
  });

  it('blocks the plan, before any click, when a new class name cannot be created (a 5,000,000-character name)', () => {
    const huge = 'x'.repeat(5_000_000);
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, huge, box(1))], [{ name: huge }]));
    expect(p.blocked).toBe(`labels.json: the class "${'x'.repeat(57)}…" cannot be created: Class name is too long (5000000 characters; at most 100).`);
    expect(p.diagnostics.at(-1)).toMatchObject({ severity: 'error', file: 'labels.json' });
    expect(buildImportChange(p, project, [], LAYERS, 'ana', NOW)).toEqual({ ok: false, message: p.blocked });
  });

  it('refuses when a new class name is not valid', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, '\u0007bell', box(1))], [{ name: '\u0007bell' }]));
    const r = buildImportChange(p, project, [], LAYERS, 'ana', NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('labels.json: the class "\u0007bell" cannot be created: Class name cannot contain control characters or line breaks.');
    // Said before the click: the plan is blocked, with the same words.
    expect(p.blocked).toBe(r.ok ? null : r.message);
  });

  it('puts every shape in the chosen layer when the file names one annotator', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'car', box(1), { annotator: 'bo' }), ann(0, 'car', box(2), { annotator: 'bo' }), ann(0, 'car', box(3))]));
    const c = value(buildImportChange(p, project, [], LAYERS, 'cy', NOW));
    expect(addedAnnotations(c).map((a) => layerNameIn(c, a))).toEqual(['cy', 'cy', 'cy']);
    // cy had no layer: one is made, in the same Change, before the shapes that point at it.
    const made = updatesOf(c, 'layers').map((u) => u.after!);
    expect(made).toEqual([{ id: expect.any(String), projectId: 'p1', name: 'cy', kind: 'annotator', revision: 1, createdAt: NOW, updatedAt: NOW }]);
    expect(c.updates.findIndex((u) => u.table === 'layers')).toBeLessThan(c.updates.findIndex((u) => u.table === 'annotations'));
  });

  it('keeps each shape in its own layer when the file names several annotators', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'car', box(1), { annotator: 'bo' }), ann(0, 'car', box(2), { annotator: 'di' }), ann(0, 'car', box(3))]));
    const c = value(buildImportChange(p, project, [], LAYERS, 'cy', NOW));
    expect(addedAnnotations(c).map((a) => layerNameIn(c, a))).toEqual(['bo', 'di', 'cy']);
    // bo's layer is found (by name); di and cy get one each.
    expect(updatesOf(c, 'layers').map((u) => u.after!.name)).toEqual(['di', 'cy']);
  });

  it('keeps the ids the file gives when free, and replaces taken, repeated or unusable ones', () => {
    const existing = [makeBox(1, id(2), { shape: box(500) })];
    const p = plan(
      parsed(
        [fileImage('frame_1.jpg')],
        [
          ann(0, 'car', box(1), { id: 'file-7' }),
          ann(0, 'car', box(2), { id: 'a-1' }), // taken by an existing annotation
          ann(0, 'car', box(3), { id: 'file-7' }), // repeated in the file
          ann(0, 'car', box(4), { id: '' }),
          ann(0, 'car', box(5), { id: 'x'.repeat(101) }),
          ann(0, 'car', box(6)),
        ],
      ),
      existing,
    );
    const added = addedAnnotations(value(buildImportChange(p, project, existing, LAYERS, 'ana', NOW)));
    expect(added).toHaveLength(6);
    expect(added[0]!.id).toBe('file-7');
    const ids = added.map((a) => a.id as string);
    expect(new Set([...ids, 'a-1']).size).toBe(7);
    for (const i of ids.slice(1)) expect(i).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('adds nothing the second time the same file is imported', () => {
    const file = parsed(
      [fileImage('drive/frame_1.jpg'), fileImage('frame_2.jpg')],
      [ann(0, 'car', box(10.004)), ann(0, 'bus', box(20)), ann(1, 'person', { kind: 'polygon', points: [1, 1, 9, 1, 5, 5] })],
      [{ name: 'car' }, { name: 'bus' }, { name: 'person' }],
    );
    const first = plan(file, []);
    expect([first.shapes, first.alreadyPresent]).toEqual([3, 0]);
    const c1 = value(buildImportChange(first, project, [], LAYERS, 'ana', NOW));
    const stored = addedAnnotations(c1);
    const proj2 = updatesOf(c1, 'projects')[0]!.after!;
    const imgs2 = images.map((img) => updatesOf(c1, 'images').find((u) => u.before?.id === img.id)?.after ?? img);

    const second = planImport(proj2, imgs2, stored, LAYERS, file, 'ana');
    expect([second.shapes, second.alreadyPresent]).toEqual([0, 3]);
    expect(second.classes.every((k) => k.existing !== null)).toBe(true);
    const c2 = value(buildImportChange(second, proj2, stored, LAYERS, 'ana', NOW + 1));
    expect(c2.updates).toEqual([]);

    // Another annotator's import of the same file is a new layer.
    const third = planImport(proj2, imgs2, stored, LAYERS, file, 'bo');
    expect(third.shapes).toBe(3);
  });

  it('uses the project records it is given, not those in the plan, for the class list', () => {
    const p = plan(parsed([fileImage('frame_1.jpg')], [ann(0, 'bus', box(1))], [{ name: 'bus' }]));
    const moved: Project = makeProject({ classes: [...project.classes, { id: 'c-x' as ClassId, name: 'x', color: '#4363d8', attributes: [] }] });
    const after = updatesOf(value(buildImportChange(p, moved, [], LAYERS, 'ana', NOW)), 'projects')[0]!.after!;
    expect(after.classes.map((k) => k.name)).toEqual(['car', 'person', 'x', 'bus']);
    expect(after.classes[3]!.color).not.toBe('#4363d8');
  });
});
