import { unzipSync, strFromU8 } from 'fflate';
import { expect, test, type Page } from './fixtures';
import { CanvasDriver } from './editor';
import { Exchange, projectShapes } from './exchange';
import { Tally, jpeg, launchProfile, makeImages, tempProfile } from './support';

/** A project named `name` in this browser, the annotator named `who`, the images imported under `names`, a box drawn on the first. */
async function annotate(page: Page, name: string, who: string, images: readonly Buffer[], names: readonly string[], box: [[number, number], [number, number]]): Promise<Tally> {
  const app = new Tally(page);
  await app.open();
  await app.createProject(name);
  await page.getByRole('textbox', { name: 'Annotator name' }).fill(who);
  await page.getByRole('button', { name: 'Save name' }).click();
  await app.importFiles(images.map((b, i) => jpeg(names[i]!, b)));
  await app.importFinished();
  await app.imageItem(names[0]!).click();
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();
  await page.keyboard.press('b');
  await canvas.drag(box[0], box[1]);
  await expect(app.saveStatus).toHaveText('Saved');
  return app;
}

test("two annotators in two browser profiles exchange a package: the lead imports bob's layer by image content, once", async ({ page, baseURL }) => {
  const images = await makeImages(page, [
    { width: 320, height: 240, seed: 41 },
    { width: 320, height: 240, seed: 42 },
  ]);
  await annotate(page, 'Lead', 'alice', images, ['a.jpg', 'b.jpg'], [
    [40, 40],
    [140, 120],
  ]);

  // bob labels the same pictures in his own browser profile, under other file names.
  const profile = tempProfile();
  const bobBrowser = await launchProfile(profile.dir, baseURL!);
  try {
    const bob = bobBrowser.pages()[0] ?? (await bobBrowser.newPage());
    await annotate(bob, 'Mine', 'bob', images, ['bob-1.jpg', 'bob-2.jpg'], [
      [60, 50],
      [200, 160],
    ]);
    // His package: the Tally format, his layer only, no images.
    const { bytes, files } = await new Exchange(bob).export('Tally', { from: 'bob' });
    expect([...files.keys()].filter((p) => /\.(jpe?g|png)$/i.test(p))).toEqual([]);
    const tally = JSON.parse(strFromU8(unzipSync(new Uint8Array(bytes))['tally.json']!)) as { annotations: { annotator: string }[] };
    expect(tally.annotations.map((a) => a.annotator)).toEqual(['bob']);

    // The lead imports it: the file names its annotator (the field says bob), images are found by content.
    const exchange = new Exchange(page);
    const pkg = { name: 'bob-package.zip', mimeType: 'application/zip', buffer: bytes };
    await exchange.chooseAnnotations([pkg]);
    await expect(exchange.importDialog.getByRole('textbox', { name: 'Annotator' })).toHaveValue('bob');
    await expect(exchange.importDialog.getByLabel('What will be imported')).toContainText('1 shape to import');
    await exchange.confirmImport();
    const shapes = await projectShapes(page, 'Lead');
    expect(shapes.map((s) => [s.image, s.annotator])).toEqual([
      ['a.jpg', 'alice'],
      ['a.jpg', 'bob'],
    ]);

    // The same package again adds nothing.
    await exchange.chooseAnnotations([pkg]);
    await expect(exchange.importDialog.getByLabel('What will be imported')).toContainText('0 shapes to import');
    await expect(exchange.importDialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
    await exchange.importDialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await projectShapes(page, 'Lead')).toEqual(shapes);
  } finally {
    await bobBrowser.close();
    profile.remove();
  }
});
