import { expect, test } from './fixtures';
import { Tally, jpeg, launchProfile, makeImages, tempProfile } from './support';

test('create a project, import three images and a corrupt one, and find them all after relaunching the browser', async ({ baseURL }) => {
  const profile = tempProfile();
  try {
    let context = await launchProfile(profile.dir, baseURL!);
    let page = context.pages()[0] ?? (await context.newPage());
    let app = new Tally(page);
    await app.open();
    await app.createProject('Street scenes');

    const [a, b, c] = await makeImages(page, [
      { width: 640, height: 480, seed: 1 },
      { width: 800, height: 600, seed: 2 },
      { width: 320, height: 240, seed: 3 },
    ]);
    // A JPEG whose headers are intact but whose compressed data is junk after the start of scan.
    const sos = a!.indexOf(Buffer.from([0xff, 0xda]));
    const corrupt = Buffer.concat([a!.subarray(0, sos + 20), Buffer.alloc(4000, 0x5a)]);
    await app.importFiles([jpeg('alpha.jpg', a!), jpeg('broken.jpg', corrupt), jpeg('bravo.jpg', b!), jpeg('charlie.jpg', c!)]);
    await app.importFinished();

    const report = page.getByRole('region', { name: 'Import report' });
    await expect(report.getByRole('alert')).toHaveText('Import finished: 3 images imported, 1 file refused.');
    await expect(report).toContainText('broken.jpg: the image data is corrupt or truncated');
    await expect(app.imageList.getByRole('listitem')).toHaveCount(3);
    for (const name of ['alpha.jpg', 'bravo.jpg', 'charlie.jpg']) {
      await expect(app.imageItem(name)).toBeVisible();
      await expect(app.imageItem(name).locator('img')).toHaveJSProperty('naturalWidth', 160); // its thumbnail, loaded
    }
    // The first image is open and drawn.
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('Street scenes');
    await expect(app.canvas).toHaveAttribute('data-shown-image', /.+/);
    await expect(page.getByText('640 × 480')).toBeVisible();

    await context.close();

    context = await launchProfile(profile.dir, baseURL!);
    page = context.pages()[0] ?? (await context.newPage());
    app = new Tally(page);
    await app.open();
    const row = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Street scenes' }) });
    await expect(row).toContainText('3 images · 0 shapes');
    await page.getByRole('link', { name: 'Street scenes' }).click();
    await expect(app.imageList.getByRole('listitem')).toHaveCount(3);
    await expect(app.imageItem('bravo.jpg')).toContainText('New · 0 shapes');
    await app.imageItem('bravo.jpg').click();
    await expect(page.getByText('800 × 600')).toBeVisible();
    await expect(app.canvas).toHaveAttribute('data-shown-image', /.+/);
    await context.close();
  } finally {
    profile.remove();
  }
});
