import { expect, test } from './fixtures';
import { CanvasDriver } from './editor';
import { Exchange } from './exchange';
import { Tally, jpeg, makeImages } from './support';

test("each layer can be hidden on the canvas, and blind view shows only the annotator's own", async ({ page }) => {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Layers');
  await page.getByRole('textbox', { name: 'Annotator name' }).fill('ana');
  await page.getByRole('button', { name: 'Save name' }).click();
  const [img] = await makeImages(page, [{ width: 320, height: 240, seed: 77 }]);
  await app.importFiles([jpeg('one.jpg', img!)]);
  await app.importFinished();
  const canvas = new CanvasDriver(page);
  await canvas.calibrate();
  await page.keyboard.press('b');
  await canvas.drag([40, 40], [140, 120]); // ana's box
  await expect(app.saveStatus).toHaveText('Saved');

  // bob's work joins as his layer.
  const coco = {
    images: [{ id: 1, file_name: 'one.jpg', width: 320, height: 240 }],
    categories: [{ id: 1, name: 'Class 1' }],
    annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [200, 100, 80, 60], area: 4800, iscrowd: 0, segmentation: [] }],
  };
  const exchange = new Exchange(page);
  await exchange.chooseAnnotations([{ name: 'bob.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(coco)) }]);
  await exchange.confirmImport('bob');

  const layers = page.getByRole('group', { name: 'Layers' });
  await expect(layers.getByRole('checkbox')).toHaveCount(4); // ana, bob, Annotator colours, Blind view
  const region = canvas.region;
  // Two layers on the canvas: each in its annotator's colour, unless the lead asks for class colours.
  await expect(region).toHaveAttribute('data-colour-by', 'annotator');
  await layers.getByRole('checkbox', { name: 'Annotator colours' }).uncheck();
  await expect(region).toHaveAttribute('data-colour-by', 'class');
  await layers.getByRole('checkbox', { name: 'Annotator colours' }).check();
  await expect(region).toHaveAttribute('data-colour-by', 'annotator');
  const hoverAt = async (x: number, y: number) => {
    await canvas.move(5, 5);
    await canvas.move(x, y);
  };
  await page.keyboard.press('v');
  await hoverAt(240, 130);
  await expect(region).toHaveAttribute('data-hover-shape', /.+/);
  const bobs = await region.getAttribute('data-hover-shape');

  // Hidden: bob's box is not on the canvas (nothing under the pointer there); shown again, it is.
  await layers.getByRole('checkbox', { name: 'bob' }).uncheck();
  await hoverAt(240, 130);
  await expect(region).toHaveAttribute('data-hover-shape', '');
  await layers.getByRole('checkbox', { name: 'bob' }).check();
  await hoverAt(240, 130);
  await expect(region).toHaveAttribute('data-hover-shape', bobs!);

  // Blind view: only ana's own layer.
  await layers.getByRole('checkbox', { name: 'Blind view' }).check();
  await expect(layers.getByRole('checkbox', { name: 'bob' })).toBeDisabled();
  await expect(region).toHaveAttribute('data-colour-by', 'class'); // one layer shown: class colours
  await hoverAt(240, 130);
  await expect(region).toHaveAttribute('data-hover-shape', '');
  await hoverAt(90, 80);
  await expect(region).toHaveAttribute('data-hover-shape', /.+/);
  expect(await region.getAttribute('data-hover-shape')).not.toBe(bobs);
  // The list names whose each shape is.
  await expect(page.getByRole('list', { name: 'Annotations' })).toContainText('· ana');
  await expect(page.getByRole('list', { name: 'Annotations' })).toContainText('· bob');
});
