import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test, type Page } from './fixtures';
import { CanvasDriver } from './editor';
import { Exchange } from './exchange';
import { Tally, jpeg, makeImages } from './support';

/** Clicks a download button of the Review view and returns the file's name and bytes. */
async function download(page: Page, name: string): Promise<{ name: string; bytes: Uint8Array }> {
  const downloading = page.waitForEvent('download');
  await page.getByRole('dialog', { name: 'Review' }).getByRole('button', { name }).click();
  const file = await downloading;
  return { name: file.suggestedFilename(), bytes: new Uint8Array(readFileSync((await file.path())!)) };
}

test("Review compares alice's drawing with bob's imported COCO file: figures, confusion, queue, downloads", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const app = new Tally(page);
  await app.open();
  await app.createProject('Review');
  await page.getByRole('textbox', { name: 'Annotator name' }).fill('alice');
  await page.getByRole('button', { name: 'Save name' }).click();
  const images = await makeImages(page, [
    { width: 320, height: 240, seed: 31 },
    { width: 320, height: 240, seed: 32 },
  ]);
  await app.importFiles([jpeg('img1.jpg', images[0]!), jpeg('img2.jpg', images[1]!)]);
  await app.importFinished();

  // alice draws two boxes (Class 1) on img1 and one on img2.
  const canvas = new CanvasDriver(page);
  await app.imageItem('img1.jpg').click();
  await canvas.calibrate();
  await page.keyboard.press('b');
  await canvas.drag([40, 40], [120, 110]);
  await canvas.drag([160, 40], [240, 110]);
  await app.imageItem('img2.jpg').click();
  await canvas.calibrate();
  await canvas.drag([50, 50], [150, 150]);
  await expect(app.saveStatus).toHaveText('Saved');

  // One annotator: Review says so plainly.
  const review = page.getByRole('dialog', { name: 'Review' });
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(review).toContainText("Review compares annotators' layers: this project has one (alice). Import another annotator's work with Import annotations.");
  await review.getByRole('button', { name: 'Close' }).click();

  // bob's COCO: on img1 the first box agrees, the second is a car (label mismatch), and one box
  // only bob drew; on img2 he agrees.
  const coco = {
    images: [
      { id: 1, file_name: 'img1.jpg', width: 320, height: 240 },
      { id: 2, file_name: 'img2.jpg', width: 320, height: 240 },
    ],
    categories: [
      { id: 1, name: 'class 1' },
      { id: 7, name: 'car' },
    ],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [40, 40, 80, 70], area: 5600, iscrowd: 0, segmentation: [] },
      { id: 2, image_id: 1, category_id: 7, bbox: [160, 40, 80, 70], area: 5600, iscrowd: 0, segmentation: [] },
      { id: 3, image_id: 1, category_id: 1, bbox: [100, 160, 60, 50], area: 3000, iscrowd: 0, segmentation: [] },
      { id: 4, image_id: 2, category_id: 1, bbox: [50, 50, 100, 100], area: 10000, iscrowd: 0, segmentation: [] },
    ],
  };
  const exchange = new Exchange(page);
  await exchange.chooseAnnotations([{ name: 'bob.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(coco)) }]);
  await expect(exchange.importDialog.getByRole('textbox', { name: 'Annotator' })).toHaveValue('');
  await exchange.confirmImport('bob');

  await page.getByRole('button', { name: 'Review', exact: true }).click();
  const figures = review.getByRole('region', { name: 'Review figures' });
  await expect(figures).toBeVisible();
  // Both names; the pair with its figures: 2 matched of 3 (alice) and 4 (bob) shapes → F1 4/7,
  // accuracy 2 / (2 + 1 mismatch + 1 extra).
  await expect(figures.getByLabel('Agreement, all pairs')).toContainText('0.57');
  const pairs = figures.getByRole('region', { name: 'Pairs of annotators' });
  const pair = pairs.getByRole('row', { name: /alice.*vs.*bob/ });
  await expect(pair.getByRole('cell')).toHaveText(['2', '0.57', /0\.9\d|1\.00/, '0.50', '2', '0', '1', '1']);
  // The confusion matrix: alice's Class 1 is bob's car once; bob's extra is in the unmatched row.
  const matrix = figures.getByRole('region', { name: 'Confusion matrix' });
  await expect(matrix.getByRole('columnheader')).toHaveText(['Class 1', 'car', 'unmatched']);
  const matrixRow = (name: string) => matrix.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) }).getByRole('cell');
  await expect(matrixRow('Class 1')).toHaveText(['2', '1', '0']);
  await expect(matrixRow('unmatched')).toHaveText(['1', '0', '0']);
  // The queue: img1 (worse) first, then img2.
  const queue = figures.getByRole('table', { name: /Review queue/ });
  await expect(queue.getByRole('rowheader')).toHaveText(['img1.jpg', 'img2.jpg']);
  await page.screenshot({ path: test.info().outputPath('review-1280.png') });
  // At 1280 px the top bar, Review button included, stays on one row and neither the save status nor the (short) project name is clipped.
  const bar = await page.locator('header.topbar').evaluate((header) => {
    // One row: every button overlaps every other vertically (buttons of different heights are centred).
    const rects = [...header.querySelectorAll(':scope > button')].map((b) => b.getBoundingClientRect());
    const oneRow = Math.max(...rects.map((r) => r.top)) < Math.min(...rects.map((r) => r.bottom));
    const clipped = (selector: string) => {
      const e = header.querySelector(selector)!;
      return e.scrollWidth > e.clientWidth;
    };
    return { rows: oneRow ? 1 : 2, status: clipped('.save-status'), project: clipped('.breadcrumb-current') };
  });
  expect(bar).toEqual({ rows: 1, status: false, project: false });

  // Downloads: the three CSVs in one zip, and the JSON; both carry the pair.
  const csv = await download(page, 'Download agreement CSV');
  expect(csv.name).toBe('agreement-csv.zip');
  const files = unzipSync(csv.bytes);
  expect(Object.keys(files).sort()).toEqual(['agreement-classes.csv', 'agreement-images.csv', 'agreement-pairs.csv']);
  expect(strFromU8(files['agreement-pairs.csv']!)).toMatch(/\r\npair,alice,bob,2,0\.5714,/);
  const json = await download(page, 'Download agreement JSON');
  expect(json.name).toBe('agreement.json');
  const doc = JSON.parse(strFromU8(json.bytes)) as { pairs: { annotators: string[]; f1: number }[] };
  expect(doc.pairs.map((p) => [p.annotators, Number(p.f1.toFixed(4))])).toEqual([[['alice', 'bob'], 0.5714]]);

  // Choosing a queue row opens that image; the queue marks it when Review opens again.
  await queue.getByRole('button', { name: 'img1.jpg' }).click();
  await expect(review).toBeHidden();
  await expect(app.imageList.locator('[aria-current="true"]')).toContainText('img1.jpg');
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(queue.getByRole('row', { name: /img1\.jpg/ })).toHaveAttribute('aria-current', 'true');

  // τ is a project setting: a change is stored and the figures follow (τ 0.4 changes nothing here).
  await figures.getByRole('spinbutton', { name: 'IoU threshold τ' }).fill('0.4');
  await expect(figures.getByLabel('Agreement, all pairs')).toContainText('F1 @ τ 0.40');
  await review.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(figures.getByRole('spinbutton', { name: 'IoU threshold τ' })).toHaveValue('0.4');
});
