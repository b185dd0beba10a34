import { expect, test, type Page } from './fixtures';
import { Exchange } from './exchange';
import { Tally, jpeg, makeImages } from './support';

/** A project with street.jpg (400×300). */
async function project(page: Page): Promise<Exchange> {
  const app = new Tally(page);
  await app.open();
  await app.createProject('Refusals');
  const [a] = await makeImages(page, [{ width: 400, height: 300, seed: 11 }]);
  await app.importFiles([jpeg('street.jpg', a!)]);
  await app.importFinished();
  return new Exchange(page);
}

const json = (name: string, value: unknown) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value)) });

test('every refusal in the import preview names the file', async ({ page }) => {
  const exchange = await project(page);
  const dialog = exchange.importDialog;
  const importButton = dialog.getByRole('button', { name: 'Import', exact: true });
  const problems = dialog.getByRole('list', { name: 'Problems (skipped)' });

  // A COCO file whose images match nothing.
  await exchange.chooseAnnotations([
    json('elsewhere.json', {
      images: [{ id: 1, file_name: 'other.jpg', width: 400, height: 300 }],
      categories: [{ id: 1, name: 'car' }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 5, 5], area: 25, iscrowd: 0 }],
    }),
  ]);
  await expect(problems).toContainText('elsewhere.json: none of its 1 image is in this project');
  await expect(importButton).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A CVAT file with a width that is not a number.
  await exchange.chooseAnnotations([
    {
      name: 'annotations.xml',
      mimeType: 'text/xml',
      buffer: Buffer.from('<annotations><version>1.1</version><image id="0" name="street.jpg" width="abc" height="300"><box label="car" occluded="0" xtl="1" ytl="1" xbr="9" ybr="9"/></image></annotations>'),
    },
  ]);
  await dialog.getByText(/^Changed while reading/).click();
  await expect(dialog.getByRole('list', { name: 'Changed while reading' })).toContainText('annotations.xml:1 (image[0].width): street.jpg: width "abc" and height "300" are not positive numbers');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A LabelMe file whose size differs from the image.
  await exchange.chooseAnnotations([json('street.json', { version: '5.2.1', flags: {}, shapes: [{ label: 'car', points: [[1, 1], [9, 9]], shape_type: 'rectangle', flags: {} }], imagePath: 'street.jpg', imageData: null, imageHeight: 480, imageWidth: 640 })]);
  await dialog.getByText(/1 image not found in the project/).click();
  await expect(dialog).toContainText('street.json says 640×480, but street.jpg is 400×300');
  await expect(importButton).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A CSV whose class name is 5,000,000 characters long: refused in the preview, Import disabled.
  const huge = 'k'.repeat(5_000_000);
  await exchange.chooseAnnotations([{ name: 'boxes.csv', mimeType: 'text/csv', buffer: Buffer.from(`image,width,height,class,kind,x,y,w,h\nstreet.jpg,400,300,${huge},box,1,1,5,5\n`) }]);
  await expect(problems).toContainText('boxes.csv:2 (class): skipped the row: its class cell holds 5,000,000 characters');
  await expect(dialog.getByLabel('What will be imported')).toContainText('0 shapes to import');
  await expect(importButton).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
