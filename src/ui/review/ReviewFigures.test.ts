import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ImageId, LabelClass } from '../../core/model';
import { agreementSummary, type AgreementOptions } from '../../quality';
import { imageRows } from '../../quality/agreementFiles';
import { image, project, twoAnnotatorCase } from '../../quality/testFixtures';
import { ReviewFigures } from './ReviewFigures';
import { FIRST_FRAME_ROWS, QUEUE_PAGE, ReviewQueue } from './ReviewQueue';
import { shade } from './reviewFormat';

// Two annotators on two images (the hand-computed case of src/quality/agreement.test.ts):
// F1 0.6, mean IoU 31/33 = 0.94, accuracy 0.5, α 0.25 (unreliable); frame_1 is the worse image.
const OPTIONS: AgreementOptions = { iouThreshold: 0.5, lowOverlapThreshold: 0.8, quorum: 0 };
const img1 = image(1, { fileName: 'tram_stop_001.jpg' });
const img2 = image(2, { fileName: 'tram_stop_002.jpg' });
const ANNOTATIONS = twoAnnotatorCase(img1, img2);
const PROJECT = project();
const CLASSES: LabelClass[] = [
  { ...PROJECT.classes[0]!, color: '#e6194b' },
  { ...PROJECT.classes[1]!, name: 'pedestrian', color: '#3cb44b' },
];
const REPORT = agreementSummary({ project: PROJECT, images: [img1, img2], annotations: ANNOTATIONS }, OPTIONS);
const noop = () => undefined;

const render = (report = REPORT, staged = false) =>
  renderToStaticMarkup(
    createElement(ReviewFigures, { report, classes: CLASSES, images: [img1, img2], settings: OPTIONS, onSettingsChange: noop, onOpenImage: noop, currentImageId: img2.id, staged }),
  );
const decode = (s: string) =>
  s.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');
/** A table by the start of its caption, as rows of cell texts (header row first). */
function table(html: string, caption: string): string[][] {
  for (const [, body] of html.matchAll(/<table[^>]*>([\s\S]*?)<\/table>/g)) {
    if (!decode(/<caption>([\s\S]*?)<\/caption>/.exec(body!)?.[1] ?? '').startsWith(caption)) continue;
    return [...body!.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map(([, row]) => [...row!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, c]) => decode(c!).trim()));
  }
  throw new Error(`no table “${caption}”`);
}

describe('ReviewFigures', () => {
  const html = render();

  it('the overall line: F1 at τ, mean IoU, accuracy, α with its reading, who was compared', () => {
    const line = decode(/<dl[^>]*aria-label="Agreement, all pairs"[^>]*>([\s\S]*?)<\/dl>/.exec(html)![1]!);
    expect(line).toBe('F1 @ τ 0.500.60Mean IoU0.94Accuracy0.50Krippendorff’s α0.25 unreliable');
    expect(html).toContain('class="rv-reading rv-tone-bad">unreliable<');
    expect(decode(html)).toContain('2 images compared ·alicebob');
  });

  it('the queue, worst first, with the findings by kind and the open image marked', () => {
    expect(table(html, 'Review queue')).toEqual([
      ['#', 'Image', 'Disagreement', 'Missing', 'Extra', 'Label mismatch', 'Low overlap'],
      ['1', 'tram_stop_001.jpg', '0.43', '1', '0', '1', '0'],
      ['2', 'tram_stop_002.jpg', '0.33', '0', '1', '0', '0'],
    ]);
    expect(html).toMatch(/<tr class="rv-current" aria-current="true">(?:(?!<\/tr>)[\s\S])*tram_stop_002\.jpg/);
    // The bar is as long as the disagreement: 3/7 → 43%.
    expect(html).toContain('style="width:43%"');
  });

  it('per pair and per class, with the project’s current class names', () => {
    expect(table(html, 'Pairs of annotators')).toEqual([
      ['Annotators', 'Images', 'F1', 'Mean IoU', 'Accuracy', 'Matched', 'Missing', 'Extra', 'Label mismatch'],
      ['alicevsbob', '2', '0.60', '0.94', '0.50', '3', '1', '1', '1'],
    ]);
    // α car 28/72 = 0.39, person 20/64 = 0.31 (see src/quality/agreementFiles.test.ts).
    expect(table(html, 'Classes')).toEqual([
      ['Class', 'α', 'Reading', 'Shapes'],
      ['car', '0.39', 'unreliable', '6'],
      ['pedestrian', '0.31', 'unreliable', '4'],
      ['All classes', '0.25', 'unreliable', '10'],
    ]);
  });

  it('the confusion matrix: headers for screen readers, an unmatched row and column, cells shaded by count', () => {
    expect(table(html, 'Confusion matrix')).toEqual([
      ['', 'car', 'pedestrian', 'unmatched'],
      ['car', '2', '0', '1'],
      ['pedestrian', '1', '1', '0'],
      ['unmatched', '0', '1', '0'],
    ]);
    const matrix = /<table class="rv-table rv-matrix">([\s\S]*?)<\/table>/.exec(html)![1]!;
    expect(decode(/<caption>([\s\S]*?)<\/caption>/.exec(matrix)![1]!)).toBe('Confusion matrix, all pairsrows: first annotator’s class · columns: second annotator’s');
    expect(matrix.match(/<th scope="col">/g)).toHaveLength(3);
    expect(matrix.match(/<th scope="row">/g)).toHaveLength(3);
    const cells = [...matrix.matchAll(/<td( class="rv-zero")?(?: style="background:([^"]*)")?>(\d+)<\/td>/g)].map(([, zero, bg, n]) => ({ n: Number(n), zero: !!zero, bg }));
    expect(cells).toHaveLength(9);
    for (const c of cells) expect(c.zero).toBe(c.n === 0);
    for (const c of cells) expect(c.bg === undefined).toBe(c.n === 0);
    // The diagonal in blue, disagreement in orange; the largest count strongest.
    expect(cells[0]!.bg).toBe(`rgba(76, 141, 255, ${shade(2, 2)})`);
    expect(cells[2]!.bg).toBe(`rgba(230, 159, 0, ${shade(1, 2)})`);
  });

  it('the settings: number fields named by their labels alone, holding the values in force', () => {
    for (const [name, value] of [
      ['IoU threshold τ', '0.5'],
      ['Low overlap τ_low', '0.8'],
      ['Quorum', '0'],
    ] as const) {
      const id = new RegExp(`<label for="([^"]+)">${name}</label>`).exec(html)?.[1];
      expect(id, name).toBeDefined();
      expect(html).toMatch(new RegExp(`<input id="${id}" type="number"[^>]*value="${value}"`));
    }
  });

  it('says what to do when no image has two annotators', () => {
    const empty = agreementSummary({ project: PROJECT, images: [img1], annotations: ANNOTATIONS.filter((x) => x.annotator === 'alice') }, OPTIONS);
    const out = render(empty);
    expect(decode(out)).toContain('No image has shapes from two annotators yet');
    expect(out).not.toContain('<table');
    expect(out).toContain('IoU threshold τ');
  });
});

describe('ReviewFigures over two frames', () => {
  it('shows the overall line and the queue first, the side tables from the next frame', () => {
    // Static rendering is the first frame: the effect that moves on to the next one never runs.
    const first = render(REPORT, true);
    expect(decode(first)).toContain('Review queue');
    expect(first).not.toMatch(/Pairs of annotators|Confusion matrix/);
    expect(decode(render(REPORT, false))).toMatch(/Pairs of annotators[\s\S]*Confusion matrix/);
  });
});

describe('ReviewQueue', () => {
  it(`shows ${FIRST_FRAME_ROWS} rows in its first frame (${QUEUE_PAGE} from the next) and offers the rest`, () => {
    const row = imageRows(REPORT, [img1, img2])[0]!;
    const rows = Array.from({ length: 120 }, (_, i) => ({ ...row, imageId: `img-${i}` as ImageId, fileName: `f${i}.jpg` }));
    const asked: number[] = [];
    const queue = (firstFrame: boolean) =>
      renderToStaticMarkup(createElement(ReviewQueue, { rows: (limit: number) => (asked.push(limit), rows.slice(0, limit)), total: rows.length, withAttributes: false, firstFrame, onOpenImage: noop }));
    expect(queue(true).match(/<tr[ >]/g)).toHaveLength(FIRST_FRAME_ROWS + 1);
    const html = queue(false);
    expect(asked).toEqual([FIRST_FRAME_ROWS, QUEUE_PAGE]); // only the rows shown are built
    expect(html.match(/<tr[ >]/g)).toHaveLength(QUEUE_PAGE + 1);
    expect(decode(html)).toContain(`Show ${QUEUE_PAGE} more (70 left)`);
  });
});

describe('shade', () => {
  it('is blank for nothing, visible for one, strongest for the largest count', () => {
    expect(shade(0, 10)).toBe(0);
    expect(shade(1, 10)).toBeGreaterThan(0.12);
    expect(shade(4, 10)).toBeGreaterThan(shade(1, 10));
    expect(shade(10, 10)).toBeCloseTo(0.7, 12);
  });
});
