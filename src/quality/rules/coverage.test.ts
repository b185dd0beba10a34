import { describe, expect, it } from 'vitest';
import type { ImageRecord, Split } from '../../core/model';
import type { CheckAnnotation } from '../types';
import { checkNow } from '../check';
import { DEFAULT_QUALITY_SETTINGS } from '../settings';
import { box, classId, image, project, shape, snapshot } from '../testFixtures';
import type { Issue, RuleId } from '../types';

/** Images in `split`, each with one shape of each listed class (class names, repeated as needed). */
function labeled(start: number, split: Split, perImage: readonly string[][]): { images: ImageRecord[]; shapes: CheckAnnotation[] } {
  const images: ImageRecord[] = [];
  const shapes: CheckAnnotation[] = [];
  perImage.forEach((names, k) => {
    const img = image(start + k, { split });
    images.push(img);
    names.forEach((name, j) => shapes.push(shape(img, box(j * 6, 0, 5, 5), { classId: classId(name) })));
  });
  return { images, shapes };
}

function rule(issues: readonly Issue[], id: RuleId): Issue[] {
  return issues.filter((i) => i.rule === id);
}

describe('class imbalance', () => {
  it('severe below 0.1 × 1/K of all shapes, under-represented below ⅓ of the largest', () => {
    // K = 3. Counts: car 60, person 15, bus 1 (76 shapes). bus: share 1/76 = 1.3 % < 0.1/3 = 3.3 % → severe.
    // person: 15 < 60/3 = 20 → under-represented (share 19.7 %, not severe).
    const names = ['car', 'person', 'bus'];
    const perImage = Array.from({ length: 60 }, (_, i) => ['car', ...(i < 15 ? ['person'] : []), ...(i === 0 ? ['bus'] : [])]);
    const { images, shapes } = labeled(0, 'train', perImage);
    const issues = checkNow(snapshot(project(names), images, shapes), DEFAULT_QUALITY_SETTINGS).report.issues;
    const imbalance = rule(issues, 'class-imbalance');
    // Project-wide issues come most severe first.
    expect(imbalance.map((i) => [i.classIds[0], i.severity])).toEqual([
      [classId('bus'), 'warning'],
      [classId('person'), 'info'],
    ]);
    const bus = imbalance.find((i) => i.classIds[0] === classId('bus'))!;
    expect(bus.measured.share).toBeCloseTo(1 / 76, 12);
    expect(bus.threshold).toBeCloseTo(0.1 / 3, 12);
  });
});

describe('splits', () => {
  it('a class in train but not in val (when val has images), and the reverse', () => {
    const train = labeled(0, 'train', [['car'], ['car']]);
    const val = labeled(10, 'val', [['person'], ['person']]);
    const issues = checkNow(snapshot(project(), [...train.images, ...val.images], [...train.shapes, ...val.shapes]), DEFAULT_QUALITY_SETTINGS)
      .report.issues;
    const missing = rule(issues, 'class-missing-from-split');
    expect(missing.map((i) => i.key).sort()).toEqual([`class-missing-from-split:${classId('car')}:val`, `class-missing-from-split:${classId('person')}:train`]);
    // No test images: nothing is said about test.
    expect(missing.every((i) => !i.key.endsWith(':test'))).toBe(true);
  });

  it('rare classes: 1 to 9 shapes in val or test', () => {
    const train = labeled(0, 'train', Array.from({ length: 20 }, () => ['car', 'person']));
    const val = labeled(100, 'val', [...Array.from({ length: 9 }, () => ['car']), ...Array.from({ length: 10 }, () => ['person'])]);
    const issues = checkNow(snapshot(project(), [...train.images, ...val.images], [...train.shapes, ...val.shapes]), DEFAULT_QUALITY_SETTINGS)
      .report.issues;
    const rare = rule(issues, 'rare-class');
    expect(rare).toHaveLength(1);
    expect(rare[0]).toMatchObject({ key: `rare-class:${classId('car')}:val`, measured: { shapes: 9 }, threshold: 10, severity: 'warning' });
  });
});

describe('unlabeled and background images', () => {
  it('an empty image that is not done is unlabeled: info when new, warning once someone opened it', () => {
    const fresh = image(1, { status: 'new' });
    const opened = image(2, { status: 'in_progress' });
    const background = image(3, { status: 'done' });
    const issues = checkNow(snapshot(project(), [fresh, opened, background], []), DEFAULT_QUALITY_SETTINGS).report.issues;
    const unlabeled = rule(issues, 'unlabeled-image');
    // Per-image issues come in import order.
    expect(unlabeled.map((i) => [i.imageIds[0], i.severity])).toEqual([
      [fresh.id, 'info'],
      [opened.id, 'warning'],
    ]);
    expect(unlabeled[0]!.fixes).toEqual([{ kind: 'mark-background', imageId: fresh.id }]);
    expect(unlabeled[1]!.fixes).toEqual([
      { kind: 'mark-background', imageId: opened.id },
      { kind: 'send-to-queue', imageId: opened.id },
    ]);
  });

  it('background share above 10 % of the labeled images', () => {
    // 8 images with shapes, 1 background: 1/9 = 11.1 % > 10 %.
    const { images, shapes } = labeled(0, 'train', Array.from({ length: 8 }, () => ['car']));
    const bg = image(50, { status: 'done' });
    const run = (extra: ImageRecord[]) => rule(checkNow(snapshot(project(), [...images, ...extra], shapes), DEFAULT_QUALITY_SETTINGS).report.issues, 'background-share');
    const [found] = run([bg]);
    expect(found!.measured).toEqual({ share: 1 / 9, background: 1, labeled: 9 });
    // Add one more labeled image: 1/10 = 10 %, not above.
    const more = labeled(60, 'train', [['car']]);
    expect(rule(checkNow(snapshot(project(), [...images, ...more.images, bg], [...shapes, ...more.shapes]), DEFAULT_QUALITY_SETTINGS).report.issues, 'background-share')).toEqual([]);
  });

  it('odd image aspect: min(w/h, h/w) below 0.35', () => {
    const wide = image(1, { width: 1000, height: 340 });
    const fine = image(2, { width: 1000, height: 350 });
    const issues = rule(checkNow(snapshot(project(), [wide, fine], []), DEFAULT_QUALITY_SETTINGS).report.issues, 'odd-aspect-image');
    expect(issues.map((i) => i.imageIds[0])).toEqual([wide.id]);
    expect(issues[0]!.measured.aspect).toBeCloseTo(0.34, 12);
  });
});
