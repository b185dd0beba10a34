import { expect, test } from './fixtures';
import { Exchange, projectShapes, projectSplits, sourceProject, text, type ProjectShape } from './exchange';

/** Bounds of a stored shape: what every format keeps (VOC and YOLO turn polygons into boxes). */
function bounds(s: ProjectShape['shape']): [number, number, number, number] {
  if (s.kind === 'box') return [s.x, s.y, s.x + s.w, s.y + s.h];
  const xs = s.points.filter((_, i) => i % 2 === 0);
  const ys = s.points.filter((_, i) => i % 2 === 1);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Every format with images; a few also without (the importer then matches images by name or stem). */
const FORMATS = [
  { label: 'COCO', images: true, kinds: 'both' },
  { label: 'YOLO', images: true, kinds: 'box' },
  { label: 'YOLO', images: false, kinds: 'box' },
  { label: 'YOLO segmentation', images: true, kinds: 'polygon' },
  { label: 'Pascal VOC', images: true, kinds: 'box' },
  { label: 'CVAT XML', images: true, kinds: 'both' },
  { label: 'CVAT XML', images: false, kinds: 'both' },
  { label: 'LabelMe', images: true, kinds: 'both' },
  { label: 'LabelMe 3.0 XML', images: true, kinds: 'both' },
  { label: 'Create ML', images: true, kinds: 'box' },
  { label: 'CSV', images: true, kinds: 'both' },
  { label: 'CSV', images: false, kinds: 'both' },
  { label: 'Tally', images: true, kinds: 'both' },
] as const;

for (const format of FORMATS) {
  test(`export ${format.label} ${format.images ? 'with' : 'without'} images, inspect the zip, import it into a new project: the same shapes and splits`, async ({ page }) => {
    const { app, images } = await sourceProject(page);
    const source = await projectShapes(page, 'Source');
    expect(source).toHaveLength(2);
    const exchange = new Exchange(page);
    const { files, name, bytes } = await exchange.export(format.label, { includeImages: format.images });
    expect(name).toMatch(/\.zip$/);

    const manifest = JSON.parse(text(files, 'manifest.json')) as { format: string; counts: { shapes: number; images: number }; files: { path: string; sha256: string }[] };
    expect(manifest.counts).toMatchObject({ images: 2, shapes: 2 });
    for (const f of manifest.files) expect(files.has(f.path), f.path).toBe(true);
    expect([...files.keys()].filter((p) => /\.(jpe?g)$/.test(p))).toHaveLength(format.images ? 2 : 0);
    expect(name).toMatch(format.images ? /-images\.zip$/ : /[^s]\.zip$/);

    if (format.label === 'COCO') {
      const train = JSON.parse(text(files, 'annotations/instances_train.json')) as { annotations: { id: number; bbox: number[]; area: number; iscrowd: number }[]; categories: { id: number; name: string }[] };
      expect(train.categories[0]).toMatchObject({ id: 1, name: 'Class 1' });
      expect(train.annotations).toHaveLength(1);
      const [ann] = train.annotations;
      expect(ann!.id).toBeGreaterThanOrEqual(1);
      expect(ann!.iscrowd).toBe(0);
      ann!.bbox.forEach((v, i) => expect(Math.abs(v - [100, 100, 200, 150][i]!)).toBeLessThanOrEqual(1.5));
      expect(ann!.area).toBeCloseTo(ann!.bbox[2]! * ann!.bbox[3]!, 1); // area is written to 2 decimals, like the bbox
      expect(files.has('annotations/instances_val.json')).toBe(true);
    }
    if (format.label === 'YOLO') {
      const yaml = text(files, 'data.yaml');
      expect(yaml).toMatch(/^train: images\/train$/m);
      expect(yaml).toMatch(/^val: images\/val$/m);
      expect(yaml).not.toMatch(/^path:/m);
      expect(yaml).not.toMatch(/^nc:/m);
      const rows = text(files, 'labels/train/street.txt').trim().split('\n');
      expect(rows).toHaveLength(1);
      const [cls, ...v] = rows[0]!.split(' ').map(Number);
      expect(cls).toBe(0);
      [0.5, 175 / 300, 0.5, 0.5].forEach((want, i) => expect(Math.abs(v[i]! - want)).toBeLessThan(0.005));
      for (const n of v) expect(n >= 0 && n <= 1).toBe(true);
      // The polygon on park.jpg became its bounding box: 5 numbers per row, never mixed.
      expect(text(files, 'labels/val/park.txt').trim().split(' ')).toHaveLength(5);
    }
    if (format.label === 'Pascal VOC') {
      const xml = text(files, 'Annotations/street.xml');
      const corner = (tag: string) => Number(new RegExp(`<${tag}>([\\d.]+)</${tag}>`).exec(xml)![1]);
      // Strict devkit: 1-based, inclusive integer corners.
      expect(Math.abs(corner('xmin') - 101)).toBeLessThanOrEqual(1);
      expect(Math.abs(corner('ymin') - 101)).toBeLessThanOrEqual(1);
      expect(Math.abs(corner('xmax') - 300)).toBeLessThanOrEqual(1);
      expect(Math.abs(corner('ymax') - 250)).toBeLessThanOrEqual(1);
      expect(text(files, 'ImageSets/Main/train.txt').trim()).toBe('street');
      expect(files.has('JPEGImages/street.jpg')).toBe(true);
      expect(text(files, 'labelmap.txt')).toMatch(/^background:0,0,0::\nClass 1:\d+,\d+,\d+::$/m);
    }

    // Into a new project with the same images: the same shapes come back.
    await page.getByRole('link', { name: 'Projects' }).click();
    await app.createProject('Copy');
    await app.importFiles(images);
    await app.importFinished();
    await exchange.chooseAnnotations([{ name, mimeType: 'application/zip', buffer: bytes }]);
    const plan = exchange.importDialog.getByLabel('What will be imported');
    await expect(plan).toContainText(format.label);
    await expect(plan).toContainText('2 shapes to import');
    // The file's splits, for images without one: on by default.
    await expect(exchange.importDialog.getByRole('checkbox', { name: /Apply the file's splits to 2 images without one/ })).toBeChecked();
    // The package names its annotator and the field is prefilled with it; other formats take the name typed.
    await exchange.confirmImport(format.label === 'Tally' ? undefined : 'restored');
    const copy = await projectShapes(page, 'Copy');
    expect(copy).toHaveLength(2);
    expect(await projectSplits(page, 'Copy')).toEqual({ 'park.jpg': 'val', 'street.jpg': 'train' });
    for (const [i, want] of source.entries()) {
      const got = copy[i]!;
      expect(got.image).toBe(want.image);
      expect(got.className).toBe(want.className);
      expect(got.annotator).toBe(format.label === 'Tally' ? want.annotator : 'restored');
      const kind = format.kinds === 'both' ? want.shape.kind : format.kinds;
      expect(got.shape.kind).toBe(kind);
      const tolerance = format.label === 'Pascal VOC' ? 1 : 0.02;
      bounds(got.shape).forEach((v, k) => expect(Math.abs(v - bounds(want.shape)[k]!), `${got.image} bound ${k}`).toBeLessThanOrEqual(tolerance));
      if (format.kinds === 'both' && want.shape.kind === 'polygon' && got.shape.kind === 'polygon') {
        expect(got.shape.points).toHaveLength(want.shape.points.length);
        got.shape.points.forEach((v, k) => expect(Math.abs(v - (want.shape as { points: number[] }).points[k]!)).toBeLessThanOrEqual(tolerance));
      }
    }
  });
}

test("another annotator's COCO file joins as a new layer; export takes one layer", async ({ page }) => {
  await sourceProject(page);
  const before = await projectShapes(page, 'Source');
  const coco = {
    images: [{ id: 1, file_name: 'photos/street.jpg', width: 400, height: 300 }],
    categories: [
      { id: 1, name: 'class 1' },
      { id: 7, name: 'car' },
    ],
    annotations: [
      { id: 1, image_id: 1, category_id: 7, bbox: [10, 20, 30, 40], area: 1200, iscrowd: 0, segmentation: [] },
      { id: 2, image_id: 1, category_id: 1, bbox: [50, 60, 70, 80], area: 5600, iscrowd: 0, segmentation: [] },
    ],
  };
  const exchange = new Exchange(page);
  await exchange.chooseAnnotations([{ name: 'bob.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(coco)) }]);
  const plan = exchange.importDialog.getByLabel('What will be imported');
  await expect(plan).toContainText('COCO');
  await expect(plan).toContainText('2 shapes to import');
  // "class 1" maps onto the existing "Class 1" (names compare without case); "car" is new.
  const classes = plan.getByRole('table');
  await expect(classes.getByRole('row', { name: /car/ })).toContainText('new class');
  await expect(classes.getByRole('row', { name: /class 1/ })).toContainText('Class 1');
  // The file names no annotator: the field starts empty (never the current annotator's name), and
  // Import asks whose shapes these are, suggesting the file's name.
  const field = exchange.importDialog.getByRole('textbox', { name: 'Annotator' });
  await expect(field).toHaveValue('');
  await exchange.importDialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(exchange.importDialog.getByRole('alert')).toContainText('Whose shapes are these?');
  await expect(field).toBeFocused();
  await exchange.importDialog.getByRole('button', { name: 'Use “bob”' }).click();
  await expect(field).toHaveValue('bob');
  await exchange.confirmImport();

  const after = await projectShapes(page, 'Source');
  expect(after.filter((s) => s.annotator !== 'bob')).toEqual(before);
  const bob = after.filter((s) => s.annotator === 'bob');
  expect(bob.map((s) => [s.image, s.className, s.shape])).toEqual([
    ['street.jpg', 'car', { kind: 'box', x: 10, y: 20, w: 30, h: 40 }],
    ['street.jpg', 'Class 1', { kind: 'box', x: 50, y: 60, w: 70, h: 80 }],
  ]);
  await expect(page.getByRole('button', { name: /^car/ })).toBeVisible();

  // Importing the same file again adds nothing.
  await exchange.chooseAnnotations([{ name: 'bob.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(coco)) }]);
  await exchange.importDialog.getByRole('textbox', { name: 'Annotator' }).fill('bob');
  await expect(plan).toContainText('0 shapes to import');
  await expect(exchange.importDialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
  await exchange.importDialog.getByRole('button', { name: 'Cancel' }).click();

  // Annotations from offers each annotator and the Consensus; an empty Consensus is refused, with the reason, before any download.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const from = exchange.exportDialog.getByRole('combobox', { name: 'Annotations from' });
  await expect(from.getByRole('option')).toHaveText([/./, 'bob', 'Consensus']); // whoever drew the source project's shapes, bob, the Consensus
  await from.selectOption({ label: 'Consensus' });
  await expect(exchange.exportDialog.getByRole('alert')).toContainText('The Consensus layer is empty');
  await expect(exchange.exportDialog.getByRole('button', { name: 'Download' })).toBeDisabled();
  await exchange.exportDialog.getByRole('button', { name: 'Close' }).click();

  // Export bob's layer only.
  const { files } = await exchange.export('COCO', { from: 'bob' });
  const train = JSON.parse(text(files, 'annotations/instances_train.json')) as { annotations: { bbox: number[] }[]; categories: { name: string }[] };
  expect(train.categories.map((c) => c.name)).toEqual(['Class 1', 'car']);
  expect(train.annotations.map((a) => a.bbox).sort((a, b) => a[0]! - b[0]!)).toEqual([
    [10, 20, 30, 40],
    [50, 60, 70, 80],
  ]);
});

test('a malformed file is reported by name and changes nothing', async ({ page }) => {
  await sourceProject(page);
  const before = await projectShapes(page, 'Source');
  const exchange = new Exchange(page);
  await exchange.chooseAnnotations([{ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"images": [{"id": 1, "file_name": "street.jpg"}], "annotations": [') }]);
  const problems = exchange.importDialog.getByRole('list', { name: 'Problems (skipped)' });
  await expect(problems).toContainText('broken.json');
  await expect(exchange.importDialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
  await exchange.importDialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await projectShapes(page, 'Source')).toEqual(before);
});

test('a Tally package with images makes a whole project: images, classes, every layer, splits', async ({ page }) => {
  const { app } = await sourceProject(page);
  const exchange = new Exchange(page);
  // A second layer, so the package holds two annotators.
  const coco = { images: [{ id: 1, file_name: 'park.jpg', width: 320, height: 240 }], categories: [{ id: 1, name: 'tree' }], annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [5, 6, 7, 8], area: 56, iscrowd: 0 }] };
  await exchange.chooseAnnotations([{ name: 'bob.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(coco)) }]);
  await exchange.confirmImport('bob');
  const source = await projectShapes(page, 'Source');
  expect(new Set(source.map((s) => s.annotator)).size).toBe(2);
  const { name, bytes } = await exchange.export('Tally', { includeImages: true });

  await page.getByRole('link', { name: 'Projects' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import project' }).click();
  await (await chooser).setFiles([{ name, mimeType: 'application/zip', buffer: bytes }]);
  // "Source" exists: the new project gets a distinct name.
  await expect(page.getByRole('status').filter({ hasText: 'Created “Source (2)”' })).toContainText('2 images, 3 shapes');
  await expect(app.saveStatus).toHaveText('Saved');
  expect(await projectShapes(page, 'Source (2)')).toEqual(source);
  await expect(page.getByRole('button', { name: /^tree/ })).toBeVisible();
  await app.imageItem('street.jpg').click();
  await expect(page.getByRole('combobox', { name: 'Split' })).toHaveValue('train');
  await app.imageItem('park.jpg').click();
  await expect(page.getByRole('combobox', { name: 'Split' })).toHaveValue('val');
});
