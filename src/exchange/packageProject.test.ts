import { describe, expect, it } from 'vitest';
import { updatesOf } from '../core/change';
import type { ProcessOutcome } from '../media/processImage';
import type { Dataset, Diagnostic } from '../formats/types';
import { distinctName, packageProject, type PackageImageFile, type PackageInput } from './packageProject';

const sha = (n: number) => n.toString(16).padStart(2, '0').repeat(32);
const image = (n: number): ProcessOutcome => ({
  ok: true,
  image: { width: 400, height: 300, mimeType: 'image/jpeg', byteSize: 1000 + n, sha256: sha(n), phash: 'a'.repeat(16), phashMirrored: 'b'.repeat(16), dhash: 'c'.repeat(16), pixelSha256: sha(n + 100), pixelStats: { meanLuminance: n / 10, laplacianVariance: 50, entropy: 5 }, thumbnail: new Blob(['t']) },
});
const file = (n: number, outcome: ProcessOutcome = image(n)): PackageImageFile => ({ label: `street.zip › images/p${n}.jpg`, outcome });

const dataset = (): Dataset => ({
  project: { name: 'Street scenes' },
  classes: [{ id: 'c1', name: 'car', color: '#112233' }, { name: 'bus' }],
  images: [
    { relativePath: 'day/p1.jpg', fileName: 'p1.jpg', width: 400, height: 300, split: 'train', status: 'done', sha256: sha(1) },
    { relativePath: 'day/p2.jpg', fileName: 'p2.jpg', width: 400, height: 300, split: 'val', sha256: sha(2) },
  ],
  annotations: [
    { image: 0, className: 'car', shape: { kind: 'box', x: 1, y: 2, w: 3, h: 4 }, attributes: {}, annotator: 'ana' },
    { image: 1, className: 'bus', shape: { kind: 'box', x: 5, y: 6, w: 7, h: 8 }, attributes: {}, annotator: 'bob' },
  ],
});

const input = (overrides: Partial<PackageInput> = {}): PackageInput => ({
  fileName: 'street.zip',
  dataset: dataset(),
  diagnostics: [],
  files: [file(1), file(2)],
  existingNames: [],
  annotator: 'me',
  now: 1_700_000_000_000,
  ...overrides,
});

const refusal = (i: PackageInput): string => {
  const r = packageProject(i);
  if (r.ok) throw new Error('expected a refusal');
  return r.message;
};

describe('packageProject (Import project, all or nothing)', () => {
  it('makes one Change holding the project, every image with its split and status, and every layer', () => {
    const r = packageProject(input());
    if (!r.ok) throw new Error(r.message);
    const { project, change, fileOf } = r.value;
    expect(project.name).toBe('Street scenes');
    expect(project.classes.map((c) => [c.id, c.name, c.color])).toEqual([['c1', 'car', '#112233'], [expect.any(String), 'bus', expect.stringMatching(/^#[0-9a-f]{6}$/)]]);
    const images = updatesOf(change, 'images').map((u) => u.after!);
    expect(updatesOf(change, 'images').every((u) => u.before === null)).toBe(true);
    expect(images.map((i) => [i.relativePath, i.split, i.status, i.annotationCount, i.sha256, i.projectId])).toEqual([
      ['day/p1.jpg', 'train', 'done', 1, sha(1), project.id],
      ['day/p2.jpg', 'val', 'in_progress', 1, sha(2), project.id],
    ]);
    const shapes = updatesOf(change, 'annotations').map((u) => u.after!);
    // Every layer of the package is a layer of the new project, each shape in its own.
    const layers = updatesOf(change, 'layers').map((u) => u.after!);
    expect(layers.map((l) => [l.name, l.kind, l.projectId])).toEqual([['ana', 'annotator', project.id], ['bob', 'annotator', project.id]]);
    const nameOf = new Map(layers.map((l) => [l.id, l.name]));
    expect(shapes.map((a) => [nameOf.get(a.layerId), a.imageId])).toEqual([['ana', images[0]!.id], ['bob', images[1]!.id]]);
    expect(updatesOf(change, 'projects').map((u) => u.after!.id)).toEqual([project.id]);
    expect(images.map((i) => fileOf.get(i.id))).toEqual([0, 1]);
    expect(images.map((i) => [i.pixelSha256, i.pixelStats?.meanLuminance])).toEqual([
      [sha(101), 0.1],
      [sha(102), 0.2],
    ]);
  });

  it('gives a name that exists a distinct one', () => {
    const r = packageProject(input({ existingNames: ['street SCENES', 'Street scenes (2)'] }));
    expect(r.ok && r.value.project.name).toBe('Street scenes (3)');
    expect(distinctName('x'.repeat(120), ['x'.repeat(120)])).toBe(`${'x'.repeat(116)} (2)`);
  });

  it('refuses, creating nothing, a package with an error in it — one message naming the file', () => {
    const diagnostics: Diagnostic[] = [
      { severity: 'error', file: 'street.zip › ../evil.jpg', message: "climbs out of the archive with '..'" },
      { severity: 'warning', file: 'tally.json', message: 'something changed' },
      { severity: 'error', file: 'tally.json', field: 'classes[1].name', message: 'skipped a class without a name' },
    ];
    expect(refusal(input({ diagnostics }))).toBe("street.zip was not imported, and no project was created: street.zip › ../evil.jpg: climbs out of the archive with '..' (and 1 more problem).");
  });

  it('refuses a package without images, saying how to make one', () => {
    expect(refusal(input({ files: [] }))).toBe('street.zip was not imported, and no project was created: it holds no image files. Make the package with Export → Tally with “Include images” checked.');
    expect(refusal(input({ dataset: { ...dataset(), images: [], annotations: [] } }))).toBe('street.zip was not imported, and no project was created: the package lists no images.');
  });

  it('refuses a package with a corrupt image, a missing one, an extra one or one twice', () => {
    expect(refusal(input({ files: [file(1), file(2, { ok: false, reason: 'the image data is corrupt or truncated (the browser could not decode it)' })] }))).toBe(
      'street.zip was not imported, and no project was created: street.zip › images/p2.jpg: the image data is corrupt or truncated (the browser could not decode it).',
    );
    expect(refusal(input({ files: [file(1)] }))).toBe('street.zip was not imported, and no project was created: day/p2.jpg (tally.json images[1]) is not in the archive.');
    expect(refusal(input({ files: [file(1), file(2), file(3)] }))).toBe('street.zip was not imported, and no project was created: street.zip › images/p3.jpg is not one of the images tally.json lists.');
    expect(refusal(input({ files: [file(1), file(2), { ...file(1), label: 'street.zip › images/copy.jpg' }] }))).toMatch(/images\/copy\.jpg is the same image as street\.zip › images\/p1\.jpg\.$/);
  });

  it('refuses malformed classes', () => {
    const d = { ...dataset(), classes: [{ name: 'car' }, { name: 'CAR' }] };
    expect(refusal(input({ dataset: d }))).toBe('street.zip was not imported, and no project was created: tally.json (classes[1]): the class "CAR" cannot be created: A class named “car” already exists.');
  });

  it('refuses an image whose size differs from what the package says', () => {
    const d = dataset();
    const odd: Dataset = { ...d, images: [{ ...d.images[0]!, width: 640, height: 480 }, d.images[1]!] };
    expect(refusal(input({ dataset: odd }))).toBe('street.zip was not imported, and no project was created: day/p1.jpg: street.zip says 640×480, but day/p1.jpg is 400×300: its shapes would land in the wrong place.');
  });
});
