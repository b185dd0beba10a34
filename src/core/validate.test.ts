import { describe, expect, it } from 'vitest';
import type { ClassId, ImageId, ImageRecord, Project } from './model';
import {
  classNameKey,
  restoreAnnotation,
  restoreLayer,
  validateAnnotation,
  validateAnnotatorName,
  validateClassName,
  validateColor,
  validateImageRecord,
  validPixelFeatures,
  validateProject,
  validateProjectName,
  validateSettings,
  validateShape,
} from './validate';
import { makeBox, makeImage, makeLayer, makeProject } from '../test-support/fixtures';

const message = (r: { ok: boolean; message?: string }) => (r.ok ? null : r.message);

describe('names', () => {
  it('trims and NFC-normalises project names', () => {
    expect(validateProjectName('  Streets  ')).toEqual({ ok: true, value: 'Streets' });
    expect(validateProjectName('Cafe\u0301')).toEqual({ ok: true, value: 'Café' });
  });

  it('refuses empty, over-long and control-character names with a message', () => {
    expect(message(validateProjectName('   '))).toBe('Project name cannot be empty.');
    expect(message(validateProjectName('x'.repeat(121)))).toMatch(/too long \(121 characters; at most 120\)/);
    expect(validateProjectName('x'.repeat(120)).ok).toBe(true);
    expect(message(validateProjectName('a\nb'))).toMatch(/control characters/);
    expect(message(validateProjectName('a\u0000b'))).toMatch(/control characters/);
  });

  it('keeps markup as plain text: a class may be called <script>', () => {
    expect(validateClassName('<script>alert(1)</script>', [])).toEqual({ ok: true, value: '<script>alert(1)</script>' });
  });

  it('refuses a class name that differs from another only by case or compatibility form', () => {
    const classes = makeProject().classes;
    expect(message(validateClassName('Car', classes))).toBe('A class named “car” already exists.');
    expect(message(validateClassName('ＣＡＲ', classes))).toBe('A class named “car” already exists.'); // full-width letters
    expect(validateClassName('cars', classes).ok).toBe(true); // plurals are the checker's business, not a hard error
    expect(classNameKey(' Äpfel ')).toBe('äpfel');
  });

  it('lets a class keep its own name when renamed', () => {
    const classes = makeProject().classes;
    expect(validateClassName('CAR', classes, 'c-car' as ClassId).ok).toBe(true);
  });

  it('reserves the consensus layer name', () => {
    expect(message(validateAnnotatorName('consensus'))).toMatch(/reserved/);
    expect(validateAnnotatorName(' Ana ')).toEqual({ ok: true, value: 'Ana' });
    expect(message(validateAnnotatorName('x'.repeat(61)))).toMatch(/too long/);
  });
});

describe('colours and settings', () => {
  it('accepts #rrggbb and lower-cases it', () => {
    expect(validateColor('#AABBCC')).toEqual({ ok: true, value: '#aabbcc' });
    expect(validateColor('red').ok).toBe(false);
    expect(validateColor('#abc').ok).toBe(false);
  });

  it('requires split ratios that add up to 1 and a positive size limit', () => {
    const s = makeProject().settings;
    expect(validateSettings(s).ok).toBe(true);
    expect(message(validateSettings({ ...s, splitRatios: { train: 0.8, val: 0.1, test: 0.2 } }))).toMatch(/add up/);
    expect(message(validateSettings({ ...s, splitRatios: { train: 1.1, val: -0.1, test: 0 } }))).toMatch(/≥ 0/);
    expect(message(validateSettings({ ...s, iouThreshold: 0 }))).toMatch(/IoU/);
    expect(message(validateSettings({ ...s, maxImageMegapixels: Number.NaN }))).toMatch(/megapixels/);
  });
});

describe('project invariants', () => {
  it('holds for a well-formed project', () => {
    expect(validateProject(makeProject()).ok).toBe(true);
  });

  it('catches duplicate class ids, clashing names, bad colours and untrimmed names', () => {
    const p = makeProject();
    const [car, person] = p.classes as [Project['classes'][number], Project['classes'][number]];
    expect(message(validateProject({ ...p, classes: [car, { ...person, id: car.id }] }))).toMatch(/appears twice/);
    expect(message(validateProject({ ...p, classes: [car, { ...person, name: 'CAR' }] }))).toMatch(/already exists/);
    expect(message(validateProject({ ...p, classes: [{ ...car, color: '#GGGGGG' }] }))).toMatch(/invalid colour/);
    expect(message(validateProject({ ...p, name: ' Streets' }))).toMatch(/not trimmed/);
  });
});

describe('shape invariants', () => {
  it('requires finite coordinates and a positive box size', () => {
    expect(validateShape({ kind: 'box', x: 0, y: 0, w: 1, h: 1 }).ok).toBe(true);
    expect(validateShape({ kind: 'box', x: 0, y: 0, w: 0, h: 1 }).ok).toBe(false);
    expect(validateShape({ kind: 'box', x: Number.NaN, y: 0, w: 1, h: 1 }).ok).toBe(false);
    expect(validateShape({ kind: 'box', x: 0, y: Infinity, w: 1, h: 1 }).ok).toBe(false);
  });

  it('requires polygons with at least 3 vertices and paired coordinates', () => {
    expect(validateShape({ kind: 'polygon', points: [0, 0, 10, 0, 10, 10] }).ok).toBe(true);
    expect(message(validateShape({ kind: 'polygon', points: [0, 0, 10, 0] }))).toMatch(/at least 3/);
    expect(message(validateShape({ kind: 'polygon', points: [0, 0, 10, 0, 10] }))).toMatch(/x and a y/);
    expect(validateShape({ kind: 'polygon', points: [0, 0, 10, 0, 10, Number.NaN] }).ok).toBe(false);
  });

  it('requires an annotation to use a class of the project', () => {
    const p = makeProject();
    const a = makeBox(1, makeImage(1).id);
    expect(validateAnnotation(a, p).ok).toBe(true);
    expect(message(validateAnnotation({ ...a, classId: 'gone' as ClassId }, p))).toMatch(/not in the project/);
  });
});

describe('image record invariants', () => {
  const bad = (o: Partial<ImageRecord>) => message(validateImageRecord(makeImage(1, o)));
  it('holds for a well-formed record', () => {
    expect(validateImageRecord(makeImage(1)).ok).toBe(true);
  });
  it('catches each broken invariant', () => {
    expect(bad({ width: 0 })).toMatch(/positive integers/);
    expect(bad({ height: 1.5 })).toMatch(/positive integers/);
    expect(bad({ byteSize: 0 })).toMatch(/empty/);
    expect(bad({ sha256: 'abc' })).toMatch(/SHA-256/);
    expect(bad({ phash: 'ABCDEF0123456789' })).toMatch(/16 hex/);
    expect(bad({ split: 'holdout' as ImageRecord['split'] })).toMatch(/unknown split/);
    expect(bad({ status: 'finished' as ImageRecord['status'] })).toMatch(/unknown status/);
    expect(bad({ annotationCount: -1 })).toMatch(/count/);
    expect(bad({ relativePath: 'other.jpg' })).toMatch(/end with the file name/);
  });
  it('keeps well-formed pixel features, and drops malformed ones without refusing the record (they are optional)', () => {
    const stats = { meanLuminance: 0.25, laplacianVariance: 310.5, entropy: 7.1 };
    const good = makeImage(1, { pixelSha256: 'ab'.repeat(32), pixelStats: stats });
    expect(validateImageRecord(good)).toEqual({ ok: true, value: good });
    const restored = (o: Partial<ImageRecord>) => {
      const r = validateImageRecord(makeImage(1, o));
      if (!r.ok) throw new Error(r.message);
      return [r.value.pixelSha256, r.value.pixelStats];
    };
    expect(restored({})).toEqual([undefined, undefined]); // imported before Tally measured pixels
    expect(restored({ pixelSha256: 'AB'.repeat(32), pixelStats: stats })).toEqual([undefined, stats]);
    expect(restored({ pixelSha256: 42 as unknown as string, pixelStats: stats })).toEqual([undefined, stats]);
    expect(restored({ pixelSha256: 'ab'.repeat(32), pixelStats: { ...stats, meanLuminance: 1.5 } })).toEqual(['ab'.repeat(32), undefined]);
    expect(restored({ pixelStats: { ...stats, entropy: Number.NaN } })).toEqual([undefined, undefined]);
    expect(restored({ pixelStats: { ...stats, laplacianVariance: -1 } })).toEqual([undefined, undefined]);
    expect(restored({ pixelStats: 'dark' as unknown as ImageRecord['pixelStats'] })).toEqual([undefined, undefined]);
    expect('pixelStats' in validPixelFeatures(makeImage(1, { pixelStats: null as unknown as ImageRecord['pixelStats'] }))).toBe(false);
  });
});

describe('records read from IndexedDB', () => {
  const good = makeBox(1, 'img-1' as ImageId);

  it('an annotation is taken as it is when whole, restored when what is missing has a safe value', () => {
    expect(restoreAnnotation(good)).toEqual({ ok: true, value: good });
    const { revision: _r, attributes: _a, ...old } = good;
    expect(restoreAnnotation({ ...old, revision: -3 })).toEqual({ ok: true, value: { ...good, revision: 1 } });
    expect(restoreAnnotation(old)).toEqual({ ok: true, value: { ...good, revision: 1, attributes: {} } });
  });

  it('an annotation without a layer, ids or a usable shape is refused with the reason', () => {
    const { layerId: _l, ...noLayer } = good;
    expect(restoreAnnotation(noLayer)).toEqual({ ok: false, message: 'shape a-1 names no layer' });
    expect(restoreAnnotation({ ...good, id: '' })).toEqual({ ok: false, message: 'its ids are missing' });
    expect(restoreAnnotation({ ...good, shape: { kind: 'box', x: 0, y: 0, w: Number.NaN, h: 1 } })).toMatchObject({ ok: false, message: expect.stringContaining('shape a-1') });
    expect(restoreAnnotation({ ...good, shape: null })).toEqual({ ok: false, message: 'shape a-1 has no geometry' });
    expect(restoreAnnotation('junk')).toEqual({ ok: false, message: 'not a record' });
  });

  it('a layer needs ids, a name and a known kind', () => {
    const layer = makeLayer('ana');
    expect(restoreLayer(layer)).toEqual({ ok: true, value: layer });
    expect(restoreLayer({ ...layer, revision: undefined })).toEqual({ ok: true, value: layer });
    expect(restoreLayer({ ...layer, name: ' ' })).toEqual({ ok: false, message: 'layer layer-ana has no name' });
    expect(restoreLayer({ ...layer, kind: 'robots' })).toEqual({ ok: false, message: 'layer ana is of an unknown kind' });
  });
});
