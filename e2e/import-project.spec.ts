import { expect, test, type Page } from './fixtures';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { Exchange, sourceProject } from './exchange';

/** Names of the projects stored in IndexedDB. */
const projectNames = (page: Page): Promise<string[]> =>
  page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('tally');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('projects').objectStore('projects').getAll();
          req.onsuccess = () => {
            open.result.close();
            resolve((req.result as { name: string }[]).map((p) => p.name).sort());
          };
        };
      }),
  );

async function importProject(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const home = page.getByRole('link', { name: 'Projects', exact: true });
  if (await home.isVisible()) await home.click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import project' }).click();
  await (await chooser).setFiles([{ name, mimeType: 'application/zip', buffer: Buffer.from(bytes) }]);
}

/** The package's files, changed by `edit`, zipped again. */
function edited(bytes: Buffer, edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(new Uint8Array(bytes));
  edit(files);
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [v, { level: 0 }]])) as Zippable);
}

test.describe('Import project is all or nothing', () => {
  test('a package without images, with a corrupt image, with a ../ entry or with malformed classes creates no project, with one message naming the file', async ({ page }) => {
    test.setTimeout(120_000);
    await sourceProject(page);
    const exchange = new Exchange(page);
    const bare = await exchange.export('Tally', { includeImages: false });
    const full = await exchange.export('Tally', { includeImages: true });
    const before = await projectNames(page);
    expect(before).toEqual(['Source']);

    const cases: { file: string; bytes: Uint8Array; says: RegExp }[] = [
      { file: 'no-images.zip', bytes: new Uint8Array(bare.bytes), says: /no-images\.zip was not imported, and no project was created: it holds no image files\. Make the package with Export → Tally with “Include images” checked\./ },
      {
        file: 'corrupt.zip',
        bytes: edited(full.bytes, (f) => {
          const path = Object.keys(f).find((p) => p.endsWith('street.jpg'))!;
          f[path] = f[path]!.slice(0, 700); // the header is there, the picture is not
        }),
        says: /corrupt\.zip was not imported, and no project was created: corrupt\.zip › images\/.*street\.jpg: the image data is corrupt or truncated/,
      },
      {
        file: 'climbing.zip',
        bytes: edited(full.bytes, (f) => {
          f['../evil.jpg'] = strToU8('x');
        }),
        says: /climbing\.zip was not imported, and no project was created: climbing\.zip › \.\.\/evil\.jpg: climbs out of the archive/,
      },
      {
        file: 'classes.zip',
        bytes: edited(full.bytes, (f) => {
          const pkg = JSON.parse(strFromU8(f['tally.json']!)) as { classes: { name: string }[] };
          pkg.classes.push({ name: 'class 1' }); // "Class 1" exists, in another case
          f['tally.json'] = strToU8(JSON.stringify(pkg));
        }),
        says: /classes\.zip was not imported, and no project was created: .*class.*"class 1"/i,
      },
    ];
    for (const c of cases) {
      await importProject(page, c.file, c.bytes);
      const alert = page.getByRole('alert').filter({ hasText: c.file });
      await expect(alert, c.file).toHaveText(c.says, { timeout: 30_000 });
      // One message, never a second one saying something else.
      await expect(page.getByRole('alert')).toHaveCount(1);
      await expect(page.getByRole('status').filter({ hasText: 'Created' })).toHaveCount(0);
      expect(await projectNames(page), c.file).toEqual(before);
      await alert.getByRole('button', { name: 'Dismiss' }).click();
    }
    // The same package, whole, makes the project (under a distinct name).
    await importProject(page, 'whole.zip', new Uint8Array(full.bytes));
    await expect(page.getByRole('status').filter({ hasText: 'Created “Source (2)” from whole.zip' })).toContainText('2 images, 2 shapes');
    expect(await projectNames(page)).toEqual(['Source', 'Source (2)']);
  });
});
