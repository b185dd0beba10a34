import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ClassId, LabelClass, Split } from '../../core/model';
import { ASPECT_BIN_EDGES, HEATMAP_SIZE, OBJECTS_CAP, type ClassSplitFigures, type DatasetOverview } from '../../quality/overview';
import { DatasetOverviewView, type SplitFilter } from './DatasetOverview';

// --- A small hand-made overview ------------------------------------------------------------------
// Three classes: car and person have shapes, bus has none. The project has since renamed person to
// "pedestrian" and moved it first; the charts must follow the project (names, colours, order).

const id = (s: string) => s as ClassId;
const zeros = (n: number) => new Array<number>(n).fill(0);
/** Figures from the non-zero entries: aspect bins and heatmap cells as { index: count }. */
function figures(instances: number, sizeBins: number[], aspect: Record<number, number>, heat: Record<number, number>): ClassSplitFigures {
  const aspectBins = zeros(ASPECT_BIN_EDGES.length + 1);
  for (const [i, n] of Object.entries(aspect)) aspectBins[Number(i)] = n;
  const heatmap = zeros(HEATMAP_SIZE * HEATMAP_SIZE);
  for (const [i, n] of Object.entries(heat)) heatmap[Number(i)] = n;
  return { instances, sizeBins, aspectBins, heatmap };
}
const none = () => figures(0, [0, 0, 0], {}, {});
const objects = (entries: Record<number, number>) => {
  const counts = zeros(OBJECTS_CAP + 1);
  for (const [k, n] of Object.entries(entries)) counts[Number(k)] = n;
  return counts;
};

const car: Record<Split, ClassSplitFigures> = {
  train: figures(3, [1, 2, 0], { 4: 3 }, { 11: 1, 77: 2 }),
  val: figures(1, [0, 0, 1], { 8: 1 }, { 0: 1 }),
  test: none(),
  unassigned: none(),
};
const person: Record<Split, ClassSplitFigures> = {
  train: figures(2, [0, 1, 1], { 2: 2 }, { 45: 2 }),
  val: none(),
  test: figures(4, [4, 0, 0], { 3: 4 }, { 99: 4 }),
  unassigned: none(),
};
const bus: Record<Split, ClassSplitFigures> = { train: none(), val: none(), test: none(), unassigned: none() };

const OVERVIEW: DatasetOverview = {
  classes: [
    { id: id('c-car'), name: 'car' },
    { id: id('c-person'), name: 'person' },
    { id: id('c-bus'), name: 'bus' },
  ],
  perClass: [
    { classId: id('c-car'), splits: car },
    { classId: id('c-person'), splits: person },
    { classId: id('c-bus'), splits: bus },
  ],
  imagesByStatus: { new: 2, in_progress: 1, done: 5, needs_review: 0 },
  imagesBySplit: { train: 4, val: 2, test: 1, unassigned: 1 },
  objectsPerImage: { train: objects({ 0: 2, 2: 1, 3: 1 }), val: objects({ 0: 1, 1: 1 }), test: objects({ 4: 1 }), unassigned: objects({ [OBJECTS_CAP]: 1 }) },
  imageAspectBins: [0, 0, 0, 1, 6, 1, 0, 0, 0],
  unknownClassShapes: 25,
};

const cls = (name: string, classId: string, color: string): LabelClass => ({ id: id(classId), name, color, attributes: [] });
const CLASSES = [cls('pedestrian', 'c-person', '#3cb44b'), cls('car', 'c-car', '#e6194b'), cls('bus', 'c-bus', '#4363d8')];

// --- Reading the markup (no DOM: React renders to a string, these read it back) ----------------

const render = (overview: DatasetOverview, classes: readonly LabelClass[] = CLASSES, split?: SplitFilter) =>
  renderToStaticMarkup(createElement(DatasetOverviewView, { overview, classes, split }));

const decode = (s: string) =>
  s.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');

/** The card whose heading is `title` (cards are <section>s, never nested). */
function card(html: string, title: string): string {
  const found = [...html.matchAll(/<section[^>]*>([\s\S]*?)<\/section>/g)].find((m) => decode(/<h3[^>]*>([\s\S]*?)<\/h3>/.exec(m[1]!)?.[1] ?? '') === title);
  if (!found) throw new Error(`no card “${title}”`);
  return found[1]!;
}
/** Every table in the markup, by caption, as rows of cell texts (header row first). */
function tables(html: string): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const [, body] of html.matchAll(/<table[^>]*>([\s\S]*?)<\/table>/g)) {
    const caption = decode(/<caption>([\s\S]*?)<\/caption>/.exec(body!)?.[1] ?? '');
    const rows = [...body!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) => [...row!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, c]) => decode(c!)));
    out.set(caption, rows);
  }
  return out;
}
const table = (html: string, caption: string): string[][] => {
  const t = tables(html).get(caption);
  if (!t) throw new Error(`no table “${caption}”`);
  return t;
};
/** The aria-labels of the charts (SVGs with role="img"), in document order. */
const ariaLabels = (html: string): string[] => [...html.matchAll(/<svg[^>]*role="img"[^>]*aria-label="([^"]*)"/g)].map(([, l]) => decode(l!));
const labelOf = (html: string, start: string): string => {
  const found = ariaLabels(html).find((l) => l.startsWith(start));
  if (!found) throw new Error(`no chart labelled “${start}…”; labels: ${ariaLabels(html).join(' | ')}`);
  return found;
};

describe('DatasetOverviewView: every chart, its numbers and its text alternative', () => {
  const html = render(OVERVIEW);

  it('instances per class and split, in project order with current names; unknown classes are reported', () => {
    expect(table(html, 'Instances per class and split')).toEqual([
      ['Class', 'train', 'val', 'test', 'unassigned', 'Total'],
      ['pedestrian', '2', '0', '4', '0', '6'],
      ['car', '3', '1', '0', '0', '4'],
      ['bus', '0', '0', '0', '0', '0'],
      ['All classes', '5', '1', '4', '0', '10'],
    ]);
    expect(labelOf(html, 'Instances per class and split')).toBe(
      'Instances per class and split, all splits: 10 instances (train 5, val 1, test 4, unassigned 0) in 3 classes. Most: pedestrian (6); fewest: car (4). None: bus.',
    );
    const instances = card(html, 'Instances per class and split');
    expect(decode(instances)).toContain('25 shapes of classes the project no longer has (all splits) are left out.');
    // Every split: a legend of the split colours and bars in them.
    expect(decode(instances)).toContain('trainvaltestunassigned');
    expect(instances).toContain('fill="#56b4e9"');
  });

  it('images per split and per status, with shares', () => {
    expect(table(html, 'Images per split')).toEqual([
      ['Split', 'Images', 'Share'],
      ['train', '4', '50%'],
      ['val', '2', '25%'],
      ['test', '1', '13%'],
      ['unassigned', '1', '13%'],
      ['Total', '8', '100%'],
    ]);
    expect(labelOf(html, 'Images per split')).toBe('Images per split: train 4 (50%), val 2 (25%), test 1 (13%), unassigned 1 (13%); 8 images in all.');
    expect(table(html, 'Images per status')).toEqual([
      ['Status', 'Images', 'Share'],
      ['New', '2', '25%'],
      ['In progress', '1', '13%'],
      ['Done', '5', '63%'],
      ['Needs review', '0', '0%'],
      ['Total', '8', '100%'],
    ]);
    expect(labelOf(html, 'Images per status')).toBe('Images per status, all splits: New 2 (25%), In progress 1 (13%), Done 5 (63%), Needs review 0 (0%); 8 images in all.');
  });

  it('COCO box sizes per class, with the all-classes totals', () => {
    expect(table(html, 'Box sizes per class (COCO)')).toEqual([
      ['Class', 'Small (< 32²)', 'Medium (32²–96²)', 'Large (≥ 96²)', 'Total'],
      ['pedestrian', '4', '1', '1', '6'],
      ['car', '1', '2', '1', '4'],
      ['bus', '0', '0', '0', '0'],
      ['All classes', '5', '3', '2', '10'],
    ]);
    expect(labelOf(html, 'Box sizes')).toBe('Box sizes, all splits: 10 shapes: small 5 (50%), medium 3 (30%), large 2 (20%). Largest share of small: pedestrian (67%).');
  });

  it('objects per image, the last bin "20+"', () => {
    const rows = table(html, 'Objects per image');
    expect(rows).toHaveLength(1 + OBJECTS_CAP + 1 + 1);
    expect(rows[0]).toEqual(['Objects', 'Images']);
    expect(rows.slice(1, 6)).toEqual([
      ['0', '3'],
      ['1', '1'],
      ['2', '1'],
      ['3', '1'],
      ['4', '1'],
    ]);
    expect(rows.at(-2)).toEqual(['20+', '1']);
    expect(rows.at(-1)).toEqual(['Total', '8']);
    expect(labelOf(html, 'Objects per image')).toBe('Objects per image, all splits: 8 images; median 1; 3 with none; 1 with 20+; most often 0 (3 images).');
  });

  it('aspect ratios of shapes and of images, binned by ASPECT_BIN_EDGES and labelled as ranges', () => {
    const ranges = ['< 0.25', '0.25–0.4', '0.4–0.63', '0.63–0.8', '0.8–1.25', '1.25–1.6', '1.6–2.5', '2.5–4', '≥ 4'];
    const shapeCounts = ['0', '0', '2', '4', '3', '0', '0', '0', '1'];
    expect(table(html, 'Shape aspect ratios (width / height)')).toEqual([['Width / height', 'Shapes'], ...ranges.map((r, i) => [r, shapeCounts[i]]), ['Total', '10']]);
    expect(labelOf(html, 'Shape aspect ratios')).toBe('Shape aspect ratios (width / height), all splits: 10 shapes; 0.4–0.63: 2, 0.63–0.8: 4, 0.8–1.25: 3, ≥ 4: 1.');
    const imageCounts = ['0', '0', '0', '1', '6', '1', '0', '0', '0'];
    expect(table(html, 'Image aspect ratios (width / height)')).toEqual([['Width / height', 'Images'], ...ranges.map((r, i) => [r, imageCounts[i]]), ['Total', '8']]);
    expect(labelOf(html, 'Image aspect ratios')).toBe('Image aspect ratios (width / height), all splits: 8 images; 0.63–0.8: 1, 0.8–1.25: 6, 1.25–1.6: 1.');
  });

  it('centre heatmaps: one per class with shapes (and all classes), row 0 at the top', () => {
    const captions = [...tables(html).keys()].filter((c) => c.startsWith('Shape centres per class'));
    expect(captions).toEqual([
      'Shape centres per class: All classes (rows from the top, columns from the left)',
      'Shape centres per class: pedestrian (rows from the top, columns from the left)',
      'Shape centres per class: car (rows from the top, columns from the left)',
    ]);
    const pedestrian = table(html, captions[1]!);
    expect(pedestrian[0]).toEqual(['Row', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    // Cell 45 (row 4, column 5 from 0) holds 2; cell 99 (bottom right) holds 4; nothing else.
    expect(pedestrian[5]).toEqual(['5', '0', '0', '0', '0', '0', '2', '0', '0', '0', '0']);
    expect(pedestrian[10]).toEqual(['10', '0', '0', '0', '0', '0', '0', '0', '0', '0', '4']);
    expect(pedestrian.slice(1).flatMap((r) => r.slice(1)).reduce((a, c) => a + Number(c), 0)).toBe(6);
    const all = table(html, captions[0]!);
    expect(all[1]).toEqual(['1', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0']);
    expect(all[8]![8]).toBe('2');
    expect(labelOf(html, 'Shape centres of pedestrian')).toBe('Shape centres of pedestrian, all splits: 6 shapes; busiest cell row 10, column 10 (4); 98 of 100 cells empty.');
    expect(labelOf(html, 'Shape centres of car')).toBe('Shape centres of car, all splits: 4 shapes; busiest cell row 8, column 8 (2); 97 of 100 cells empty.');
    expect(decode(card(html, 'Shape centres per class'))).toContain('No shapes to place: bus.');
  });

  it('every chart is an SVG role="img" with an aria-label, and its numbers sit in a <details>', () => {
    // 3 image charts + 3 per-class charts + 3 heatmaps (all classes, pedestrian, car) + objects.
    expect(ariaLabels(html)).toHaveLength(10);
    expect(html.match(/<details/g)).toHaveLength(8);
    for (const [, body] of html.matchAll(/<details[^>]*>([\s\S]*?)<\/details>/g)) expect(body).toMatch(/<table/);
  });

  it('a class the project no longer has keeps its computed name and goes last, in grey', () => {
    const html2 = render(OVERVIEW, CLASSES.filter((c) => c.id !== id('c-car')));
    expect(table(html2, 'Instances per class and split').map((r) => r[0])).toEqual(['Class', 'pedestrian', 'bus', 'car', 'All classes']);
    expect(card(html2, 'Instances per class and split')).toMatch(/fill="#9aa2b1"><\/rect><text[^>]*>car</);
  });

  it('formats numbers with toLocaleString("en")', () => {
    const big = render({ ...OVERVIEW, imagesByStatus: { ...OVERVIEW.imagesByStatus, done: 12_345 } });
    expect(table(big, 'Images per status')[3]).toEqual(['Done', '12,345', '100%']);
    expect(labelOf(big, 'Images per status')).toContain('Done 12,345 (100%)');
  });
});

describe('DatasetOverviewView: the split filter', () => {
  const html = render(OVERVIEW, CLASSES, 'test');

  it('selects the split and counts only its shapes and images', () => {
    expect(html).toMatch(/<option value="test" selected="">test \(1 image\)<\/option>/);
    expect(decode(html)).toContain('The test split: 1 image, 4 shapes in 3 classes.');
    expect(table(html, 'Instances per class and split')).toEqual([['Class', 'test'], ['pedestrian', '4'], ['car', '0'], ['bus', '0'], ['All classes', '4']]);
    expect(labelOf(html, 'Instances per class and split')).toBe('Instances per class and split, the test split: 4 instances in 3 classes. Most: pedestrian (4); fewest: pedestrian (4). None: car, bus.');
    expect(table(html, 'Box sizes per class (COCO)')[1]).toEqual(['pedestrian', '4', '0', '0', '4']);
    expect(table(html, 'Objects per image').slice(1, 6).map((r) => r[1])).toEqual(['0', '0', '0', '0', '1']);
    expect(labelOf(html, 'Objects per image')).toMatch(/^Objects per image, the test split: 1 image; median 4;/);
    expect(table(html, 'Shape aspect ratios (width / height)').at(-1)).toEqual(['Total', '4']);
    expect([...tables(html).keys()].filter((c) => c.startsWith('Shape centres per class'))).toHaveLength(2);
  });

  it('draws one split in the class colours, without the split legend', () => {
    const instances = card(html, 'Instances per class and split');
    expect(instances).toContain('fill="#3cb44b"');
    expect(instances).not.toContain('fill="#56b4e9"');
    expect(instances).not.toContain('ov-legend');
  });

  it('says which figures cover every split whatever the filter', () => {
    for (const title of ['Images per status', 'Image aspect ratios (width / height)']) {
      expect(decode(card(html, title))).toContain('All splits: this figure is not broken down by split.');
      expect(decode(card(render(OVERVIEW), title))).not.toContain('not broken down');
    }
    // Per status: the same numbers as with every split.
    expect(table(html, 'Images per status')).toEqual(table(render(OVERVIEW), 'Images per status'));
  });
});

describe('DatasetOverviewView: empty data says so instead of drawing empty axes', () => {
  const noImages: DatasetOverview = {
    ...OVERVIEW,
    imagesByStatus: { new: 0, in_progress: 0, done: 0, needs_review: 0 },
    imagesBySplit: { train: 0, val: 0, test: 0, unassigned: 0 },
    objectsPerImage: { train: objects({}), val: objects({}), test: objects({}), unassigned: objects({}) },
    imageAspectBins: zeros(ASPECT_BIN_EDGES.length + 1),
  };
  const noShapes: DatasetOverview = { ...OVERVIEW, perClass: OVERVIEW.perClass.map((p) => ({ ...p, splits: bus })), unknownClassShapes: 0 };
  const noClasses: DatasetOverview = { ...noShapes, classes: [], perClass: [] };
  const isEmpty = (html: string, title: string, sentence: string) => {
    const body = card(html, title);
    expect(decode(body)).toContain(sentence);
    expect(body).not.toContain('<svg');
    expect(body).not.toContain('<table');
  };

  it('no images', () => {
    const html = render(noImages);
    for (const title of ['Images per split', 'Images per status', 'Image aspect ratios (width / height)', 'Objects per image']) isEmpty(html, title, 'No images yet.');
    // The per-class charts still draw the shapes they have.
    expect(table(html, 'Instances per class and split')).toHaveLength(5);
  });

  it('no images in the chosen split', () => {
    isEmpty(render({ ...OVERVIEW, imagesBySplit: { ...OVERVIEW.imagesBySplit, val: 0 }, objectsPerImage: { ...OVERVIEW.objectsPerImage, val: objects({}) } }, CLASSES, 'val'), 'Objects per image', 'No images in the val split.');
  });

  it('no shapes, overall and in one split', () => {
    const html = render(noShapes);
    for (const title of ['Instances per class and split', 'Box sizes per class (COCO)', 'Shape aspect ratios (width / height)', 'Shape centres per class']) isEmpty(html, title, 'No shapes yet.');
    isEmpty(render(OVERVIEW, CLASSES, 'unassigned'), 'Instances per class and split', 'No shapes in the unassigned split.');
  });

  it('shapes without a measurable outline', () => {
    const unmeasured: DatasetOverview = { ...noShapes, perClass: [{ classId: id('c-car'), splits: { ...bus, train: figures(3, [0, 0, 0], {}, {}) } }] };
    const html = render(unmeasured);
    isEmpty(html, 'Box sizes per class (COCO)', 'None of the 3 shapes in all splits has an outline that can be measured.');
    expect(table(html, 'Instances per class and split')[1]).toEqual(['car', '3', '0', '0', '0', '3']);
  });

  it('no classes', () => {
    const html = render(noClasses, []);
    for (const title of ['Instances per class and split', 'Box sizes per class (COCO)', 'Shape aspect ratios (width / height)', 'Shape centres per class']) isEmpty(html, title, 'The project has no classes yet.');
  });
});

describe('DatasetOverviewView: long class lists', () => {
  const many = (n: number): [DatasetOverview, LabelClass[]] => {
    const classes = Array.from({ length: n }, (_, i) => cls(`class ${i + 1}`, `c-${i}`, '#e6194b'));
    const perClass = classes.map((c, i) => ({ classId: c.id, splits: { ...bus, train: figures(i + 1, [i + 1, 0, 0], { 4: i + 1 }, { 0: i + 1 }) } }));
    return [{ ...OVERVIEW, classes: classes.map((c) => ({ id: c.id, name: c.name })), perClass }, classes];
  };

  it('bars scroll in their own box past 15 rows, saying so; every class stays in the table', () => {
    const [overview, classes] = many(40);
    const html = render(overview, classes);
    const instances = card(html, 'Instances per class and split');
    expect(instances).toContain('<div class="ov-scroll" tabindex="0" role="group" aria-label="Instances per class and split, scrolling"');
    expect(decode(instances)).toContain('40 rows, 15 at a time: scroll the list for the rest.');
    expect(table(html, 'Instances per class and split')).toHaveLength(1 + 40 + 1);
    expect(decode(card(html, 'Shape centres per class'))).toContain('41 maps: scroll for the rest.');
  });

  it('short lists do not scroll', () => {
    const [overview, classes] = many(15);
    expect(card(render(overview, classes), 'Instances per class and split')).not.toContain('ov-scroll');
  });
});
