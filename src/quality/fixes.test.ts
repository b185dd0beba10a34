import { describe, expect, it } from 'vitest';
import { updatesOf, type Change } from '../core/change';
import type { ImageId, ImageRecord, Project } from '../core/model';
import type { Result } from '../core/result';
import { checkNow } from './check';
import { buildFix, type FixContext } from './fixes';
import { DEFAULT_QUALITY_SETTINGS } from './settings';
import { box, checked, classId, image, project, record, shape, snapshot } from './testFixtures';
import type { CheckAnnotation, SuggestedFix } from './types';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function context(p: Project, images: readonly ImageRecord[], annotations: readonly CheckAnnotation[]): FixContext {
  return { project: p, images: new Map<ImageId, ImageRecord>(images.map((i) => [i.id, i])), annotations: annotations.map(record) };
}

/** The records after applying a Change (what the editor does), as a fresh snapshot. */
function apply(p: Project, images: readonly ImageRecord[], annotations: readonly CheckAnnotation[], c: Change) {
  let proj = p;
  const imgs = new Map(images.map((i) => [i.id, i]));
  const anns = new Map(annotations.map((a) => [a.id, a]));
  for (const u of updatesOf(c, 'projects')) proj = u.after!;
  for (const u of updatesOf(c, 'images')) imgs.set(u.after!.id, u.after!);
  for (const u of updatesOf(c, 'annotations')) {
    if (u.after) anns.set(u.after.id, checked(u.after));
    else anns.delete(u.before!.id);
  }
  return { project: proj, images: [...imgs.values()], annotations: [...anns.values()] };
}

const NOW = 1_700_000_000_000;

describe('fixes', () => {
  it('merging class variants re-classes their shapes and deletes them, in one Change; the clash is gone', () => {
    const p = project(['car', 'Car', 'cars', 'person']);
    const withAttr: Project = {
      ...p,
      classes: p.classes.map((c) => (c.name === 'cars' ? { ...c, attributes: [{ name: 'colour', type: 'text', options: [] }] } : c)),
    };
    const img = image(1);
    const shapes = [
      shape(img, box(0, 0, 10, 10), { classId: classId('car') }),
      shape(img, box(20, 0, 10, 10), { classId: classId('Car') }),
      shape(img, box(40, 0, 10, 10), { classId: classId('cars') }),
      shape(img, box(60, 0, 10, 10), { classId: classId('person') }),
    ];
    const { report } = checkNow(snapshot(withAttr, [img], shapes), DEFAULT_QUALITY_SETTINGS);
    const clash = report.issues.find((i) => i.rule === 'class-name-clash')!;
    const change = value(buildFix(clash.fixes[0]!, context(withAttr, [img], shapes), NOW));
    const after = apply(withAttr, [img], shapes, change);
    expect(after.project.classes.map((c) => c.name)).toEqual(['car', 'person']);
    expect(after.project.classes[0]!.attributes).toEqual([{ name: 'colour', type: 'text', options: [] }]);
    expect(after.annotations.map((a) => a.classId)).toEqual([classId('car'), classId('car'), classId('car'), classId('person')]);
    expect(updatesOf(change, 'annotations').every((u) => u.after!.updatedAt === NOW)).toBe(true);
    const again = checkNow(snapshot(after.project, after.images, after.annotations), DEFAULT_QUALITY_SETTINGS).report;
    expect(again.issues.filter((i) => i.rule === 'class-name-clash')).toEqual([]);
  });

  it('deleting a duplicate shape lowers the image count in the same Change', () => {
    const img = image(1, { annotationCount: 2 });
    const a = shape(img, box(10, 10, 30, 30), { id: 'keep', createdAt: 1 });
    const b = shape(img, box(10, 10, 30, 30), { id: 'drop', createdAt: 2 });
    const [dup] = checkNow(snapshot(project(), [img], [a, b]), DEFAULT_QUALITY_SETTINGS).report.issues.filter((i) => i.rule === 'duplicate-shape');
    const change = value(buildFix(dup!.fixes[0]!, context(project(), [img], [a, b]), NOW));
    expect(updatesOf(change, 'annotations').map((u) => [u.before?.id, u.after])).toEqual([['drop', null]]);
    expect(updatesOf(change, 'images')[0]!.after!.annotationCount).toBe(1);
  });

  it('moving a duplicate group into one split', () => {
    const a = image(1, { split: 'val' });
    const b = image(2, { split: 'train' });
    const fix: SuggestedFix = { kind: 'move-to-split', imageIds: [a.id], split: 'train' };
    const change = value(buildFix(fix, context(project(), [a, b], []), NOW));
    expect(updatesOf(change, 'images').map((u) => [u.after!.id, u.after!.split])).toEqual([[a.id, 'train']]);
    expect(buildFix({ ...fix, imageIds: ['gone' as ImageId] }, context(project(), [a, b], []), NOW).ok).toBe(false);
  });

  it('clipping a shape into the image; a shape wholly outside is refused', () => {
    const img = image(1); // 100 × 100
    const over = shape(img, box(90, 50, 20, 10));
    const [issue] = checkNow(snapshot(project(), [img], [over]), DEFAULT_QUALITY_SETTINGS).report.issues.filter((i) => i.rule === 'out-of-image');
    const change = value(buildFix(issue!.fixes[0]!, context(project(), [img], [over]), NOW));
    expect(updatesOf(change, 'annotations')[0]!.after!.shape).toEqual(box(90, 50, 10, 10));
    const outside = shape(img, box(150, 50, 20, 10));
    const refused = buildFix({ kind: 'clip-shape', imageId: img.id, annotationId: outside.id }, context(project(), [img], [outside]), NOW);
    expect(refused).toEqual({ ok: false, message: 'Nothing of the shape lies inside the image: delete it instead.' });
  });

  it('marking an unlabeled image background, or sending it back to the queue', () => {
    const img = image(1, { status: 'in_progress' });
    const [issue] = checkNow(snapshot(project(), [img], []), DEFAULT_QUALITY_SETTINGS).report.issues.filter((i) => i.rule === 'unlabeled-image');
    const [background, queue] = issue!.fixes;
    expect(updatesOf(value(buildFix(background!, context(project(), [img], []), NOW)), 'images')[0]!.after!.status).toBe('done');
    expect(updatesOf(value(buildFix(queue!, context(project(), [img], []), NOW)), 'images')[0]!.after!.status).toBe('new');
    // Once it has shapes it is not background.
    const s = shape(img, box(1, 1, 5, 5));
    expect(buildFix(background!, context(project(), [{ ...img, annotationCount: 1 }], [s]), NOW).ok).toBe(false);
  });
});
