/**
 * Small builders for the checker's tests (used by *.test.ts only; kept here, beside the code, so
 * the tests of every rule build records the same way).
 */
import type { Annotation, AnnotationAttributes, AnnotationId, ClassId, ImageId, ImageRecord, LabelClass, LayerId, Project, ProjectId, Shape } from '../core/model';
import { DEFAULT_SETTINGS } from '../core/model';
import { toCheckAnnotation } from './checkAnnotation';
import type { CheckAnnotation, CheckSnapshot } from './types';

export const classId = (name: string): ClassId => `c-${name}` as ClassId;

export function project(classNames: readonly string[] = ['car', 'person']): Project {
  const classes: LabelClass[] = classNames.map((name) => ({ id: classId(name), name, color: '#e6194b', attributes: [] }));
  return { id: 'p1' as ProjectId, name: 'Streets', classes, settings: DEFAULT_SETTINGS, schemaVersion: 1, createdAt: 1, updatedAt: 1 };
}

/** A 100 × 100 image `n`, hashes far apart from every other n (distinct bytes and pHashes). */
export function image(n: number, overrides: Partial<ImageRecord> = {}): ImageRecord {
  const hex = (k: number): string => ((Math.imul(n + 1, 2654435761 + k) >>> 0).toString(16).padStart(8, '0') + (Math.imul(n + 7, 40503 + k) >>> 0).toString(16).padStart(8, '0'));
  return {
    id: `img-${n}` as ImageId,
    projectId: 'p1' as ProjectId,
    fileName: `frame_${n}.jpg`,
    relativePath: `frame_${n}.jpg`,
    width: 100,
    height: 100,
    byteSize: 1000,
    mimeType: 'image/jpeg',
    sha256: n.toString(16).padStart(64, '0'),
    phash: hex(1),
    phashMirrored: hex(2),
    dhash: hex(3),
    split: 'train',
    status: 'done',
    seq: n,
    addedAt: 1,
    annotationCount: 0,
    ...overrides,
  };
}

let counter = 0;

export interface ShapeOptions {
  readonly id?: string;
  readonly annotator?: string;
  readonly classId?: ClassId;
  readonly attributes?: AnnotationAttributes;
  readonly createdAt?: number;
}

export function shape(img: ImageRecord, s: Shape, o: ShapeOptions = {}): CheckAnnotation {
  return {
    id: (o.id ?? `a-${++counter}`) as AnnotationId,
    projectId: img.projectId,
    imageId: img.id,
    annotator: o.annotator ?? 'ana',
    classId: o.classId ?? classId('car'),
    shape: s,
    attributes: o.attributes ?? {},
    source: 'manual',
    createdAt: o.createdAt ?? 1,
    updatedAt: 1,
  };
}

export const box = (x: number, y: number, w: number, h: number): Shape => ({ kind: 'box', x, y, w, h });
export const polygon = (...points: number[]): Shape => ({ kind: 'polygon', points });

/** A snapshot whose image records carry the right annotation counts. */
export function snapshot(p: Project, images: readonly ImageRecord[], annotations: readonly CheckAnnotation[]): CheckSnapshot {
  const counts = new Map<ImageId, number>();
  for (const a of annotations) counts.set(a.imageId, (counts.get(a.imageId) ?? 0) + 1);
  return { project: p, images: images.map((img) => ({ ...img, annotationCount: counts.get(img.id) ?? 0 })), annotations };
}

/** A stored annotation (as fixes and the app take them) from a checker's shape: its layer id is `layer-<annotator>`. */
export function record(a: CheckAnnotation): Annotation {
  const { annotator, ...rest } = a;
  return { ...rest, layerId: `layer-${annotator}` as LayerId, revision: 1 };
}

/** The checker's view of a stored annotation made by `record`. */
export function checked(a: Annotation): CheckAnnotation {
  return toCheckAnnotation(a, a.layerId.replace(/^layer-/, ''));
}

/**
 * The two-annotator case whose figures the tests work out by hand (agreement.test.ts holds the
 * arithmetic: F1 0.6, accuracy 0.5, mean IoU (2 + 9/11) / 3), on two images the caller gives:
 * - img1: obj1 car/car IoU 1; obj2 car/car with bob's 1 px to the right, IoU 90/110 = 9/11;
 *   obj3 alice person, bob car (label mismatch); obj4 a car only alice drew (missing from bob);
 * - img2: obj5 person/person IoU 1; obj6 a person only bob drew (extra).
 * Ids: alice's a1–a5, bob's b1, b2, b3, b5, b6.
 */
export function twoAnnotatorCase(img1: ImageRecord, img2: ImageRecord): CheckAnnotation[] {
  const car = classId('car');
  const person = classId('person');
  const by = (annotator: string) => (img: ImageRecord, id: string, s: Shape, cls = car) => shape(img, s, { id, annotator, classId: cls });
  const [a, b] = [by('alice'), by('bob')];
  return [
    a(img1, 'a1', box(0, 0, 10, 10)),
    b(img1, 'b1', box(0, 0, 10, 10)),
    a(img1, 'a2', box(20, 0, 10, 10)),
    b(img1, 'b2', box(21, 0, 10, 10)),
    a(img1, 'a3', box(40, 0, 10, 10), person),
    b(img1, 'b3', box(40, 0, 10, 10)),
    a(img1, 'a4', box(60, 0, 10, 10)),
    a(img2, 'a5', box(0, 0, 10, 20), person),
    b(img2, 'b5', box(0, 0, 10, 20), person),
    b(img2, 'b6', box(50, 50, 10, 10), person),
  ];
}
