import { expect, test } from './fixtures';
import { storedShapes } from './editor';
import { Tally, jpeg, makeImages } from './support';

/**
 * A database as Tally at schema 4 left it, in the real browser: every record of this page's
 * database read, the database deleted (the app closes its connection when asked), made again at
 * version 4 with schema 4's stores — one `annotations` record per shape — and filled with the
 * records read plus `shapes`. Runs in the page; self-contained.
 */
async function downgradeToSchema4(shapes: readonly object[]): Promise<void> {
  const request = <T>(r: IDBRequest<T>) => new Promise<T>((ok, fail) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => fail(r.error))));
  const kept = ['projects', 'images', 'imageBlobs', 'thumbnails', 'settings', 'layers'];
  const current = await request(indexedDB.open('tally'));
  const records: Record<string, unknown[]> = {};
  for (const name of kept) records[name] = await request(current.transaction(name).objectStore(name).getAll());
  current.close();
  await request(indexedDB.deleteDatabase('tally'));
  const open = indexedDB.open('tally', 4);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore('projects', { keyPath: 'id' });
    const images = db.createObjectStore('images', { keyPath: ['projectId', 'id'] });
    images.createIndex('bySeq', ['projectId', 'seq'], { unique: true });
    images.createIndex('bySha', ['projectId', 'sha256'], { unique: true });
    images.createIndex('byStatus', ['projectId', 'status']);
    db.createObjectStore('imageBlobs', { keyPath: ['projectId', 'imageId'] });
    db.createObjectStore('thumbnails', { keyPath: ['projectId', 'imageId'] });
    db.createObjectStore('annotations', { keyPath: ['projectId', 'imageId', 'id'] }).createIndex('byClass', ['projectId', 'classId']);
    db.createObjectStore('settings', { keyPath: 'key' });
    db.createObjectStore('dismissals', { keyPath: ['projectId', 'id'] });
    db.createObjectStore('layers', { keyPath: ['projectId', 'id'] });
    db.createObjectStore('reviewDecisions', { keyPath: ['projectId', 'id'] }).createIndex('byImage', ['projectId', 'imageId']);
  };
  const db = await request(open);
  const tx = db.transaction([...kept, 'annotations'], 'readwrite');
  for (const name of kept) for (const r of records[name]!) tx.objectStore(name).put(r);
  for (const s of shapes) tx.objectStore('annotations').put(s);
  await new Promise((ok, fail) => ((tx.oncomplete = ok), (tx.onerror = () => fail(tx.error))));
  db.close();
}

test('a schema-4 database (one record per shape) opens in this build with every shape in its layer, and edits after it are kept', async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Old data');
  const [img] = await makeImages(page, [{ width: 320, height: 240, seed: 5 }]);
  await app.importFiles([jpeg('street.jpg', img!)]);
  await app.importFinished();
  await page.getByRole('button', { name: 'Add class' }).click();
  await page.getByRole('textbox', { name: 'Class name' }).fill('car');
  await page.getByRole('textbox', { name: 'Class name' }).press('Enter');
  await expect(app.saveStatus).toHaveText('Saved');

  const { project, image } = await page.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>) => new Promise<T>((ok, fail) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => fail(r.error))));
    const db = await request(indexedDB.open('tally'));
    const [p] = (await request(db.transaction('projects').objectStore('projects').getAll())) as { id: string; classes: { id: string }[] }[];
    const [i] = (await request(db.transaction('images').objectStore('images').getAll())) as Record<string, unknown>[];
    db.close();
    return { project: p!, image: i! };
  });
  const classId = project.classes[0]!.id;
  const shape = (n: number, layerId: string) => ({
    id: `old-${n}`,
    projectId: project.id,
    imageId: image.id,
    layerId,
    revision: 1,
    classId,
    shape: { kind: 'box', x: 20 * n, y: 20, w: 30, h: 30 },
    attributes: {},
    source: 'manual',
    createdAt: n,
    updatedAt: n,
  });
  const layers = [
    { id: 'layer-old-ana', projectId: project.id, name: 'Ana', kind: 'annotator', revision: 1, createdAt: 1, updatedAt: 1 },
    { id: 'layer-old-bo', projectId: project.id, name: 'Bo', kind: 'annotator', revision: 1, createdAt: 2, updatedAt: 2 },
  ];
  await page.evaluate(async ({ layers, image }) => {
    // The layers and the image's count go in with the current build's own database first.
    const request = <T>(r: IDBRequest<T>) => new Promise<T>((ok, fail) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => fail(r.error))));
    const db = await request(indexedDB.open('tally'));
    const tx = db.transaction(['layers', 'images'], 'readwrite');
    for (const l of layers) tx.objectStore('layers').put(l);
    tx.objectStore('images').put({ ...image, annotationCount: 3, status: 'in_progress' });
    await new Promise((ok) => (tx.oncomplete = ok));
    db.close();
  }, { layers, image });
  await page.evaluate(downgradeToSchema4, [shape(1, 'layer-old-ana'), shape(2, 'layer-old-ana'), shape(3, 'layer-old-bo')]);

  // This build opens it: the upgrade turns the three records into two shape log entries.
  await app.open();
  await expect(page.getByRole('list', { name: 'Projects' })).toContainText('1 image · 3 shapes · 1 class');
  expect((await storedShapes(page)).map((s) => [s.id, s.annotator])).toEqual([
    ['old-1', 'Ana'],
    ['old-2', 'Ana'],
    ['old-3', 'Bo'],
  ]);
  await page.getByRole('link', { name: 'Old data' }).click();
  await expect(app.imageItem('street.jpg')).toContainText('3 shapes');

  // The class's shapes are found through the new index; deleting the class deletes all three, and it stays so after a reload.
  await page.getByRole('button', { name: 'Edit class' }).click();
  await page.getByRole('button', { name: 'Delete class' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “car”?' });
  await expect(dialog).toContainText('3 shapes use this class. Deleting the class deletes them too.');
  await dialog.getByRole('button', { name: 'Delete class and shapes' }).click();
  await expect(app.imageItem('street.jpg')).toContainText('0 shapes');
  await expect(app.saveStatus).toHaveText('Saved');
  await page.reload();
  await expect(app.imageItem('street.jpg')).toContainText('0 shapes');
  expect(await storedShapes(page)).toEqual([]);
});
