import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../formats/shared/text';
import { agreementSummary, type AgreementOptions } from './agreement';
import { AGREEMENT_FILES, agreementFiles, agreementTexts, imageRows, type AgreementFilesInput } from './agreementFiles';
import { box, classId, image, project, shape, twoAnnotatorCase } from './testFixtures';

// τ_low 0.85 (not the default 0.8) so that the 9/11 match below also counts as low overlap.
const OPTIONS: AgreementOptions = { iouThreshold: 0.5, lowOverlapThreshold: 0.85, quorum: 0 };

/** Rows of a CSV file as the exporter wrote it (BOM and CRLF checked, then parsed). */
function table(text: string): string[][] {
  expect(text.startsWith('\ufeff')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
  const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('agreement files: two annotators, figures worked out by hand', () => {
  // Image 1 (frame_1.jpg, train): obj1 car/car IoU 1; obj2 car/car shifted 1 px, IoU 90/110 = 9/11
  // (below τ_low 0.85: low overlap); obj3 alice person, bob car (label mismatch); obj4 a car only
  // alice drew (missing from bob).
  // Image 2 (frame_2.jpg, val): obj5 person/person IoU 1; obj6 a person only bob drew (extra).
  const img1 = image(1);
  const img2 = image(2, { split: 'val' });
  const annotations = twoAnnotatorCase(img1, img2);
  const p = project();
  const input: AgreementFilesInput = {
    report: agreementSummary({ project: p, images: [img1, img2], annotations }, OPTIONS),
    classes: p.classes,
    images: [img1, img2],
    options: OPTIONS,
  };
  const texts = agreementTexts(input);

  it('writes the four files, named as documented', () => {
    expect([...texts.keys()]).toEqual(['agreement-images.csv', 'agreement-pairs.csv', 'agreement-classes.csv', 'agreement.json']);
    const bytes = agreementFiles(input);
    expect(decodeText(bytes.get(AGREEMENT_FILES.json)!)).toBe(texts.get(AGREEMENT_FILES.json));
  });

  it('the queue’s rows: all of them, or the first few only (what the Review view shows)', () => {
    const all = imageRows(input.report, input.images);
    expect(all.map((r) => [r.fileName, r.split])).toEqual([
      [img1.fileName, 'train'],
      [img2.fileName, 'val'],
    ]);
    expect(imageRows(input.report, input.images, 1)).toEqual(all.slice(0, 1));
    expect(imageRows(input.report, input.images, 5)).toEqual(all);
  });

  it('per image, worst first', () => {
    // Image 1: |A| = 4, |B| = 3, TP = 2 (obj1, obj2): F1 = 2·2 / 7 = 4/7 = 0.5714, disagreement 3/7.
    // Image 2: |A| = 1, |B| = 2, TP = 1: F1 = 2/3, disagreement 1/3 — less, so it comes second.
    expect(table(texts.get(AGREEMENT_FILES.images)!)).toEqual([
      ['image', 'path', 'split', 'annotators', 'mean_f1', 'disagreement', 'missing', 'extra', 'label_mismatch', 'low_overlap', 'attribute_mismatch'],
      ['frame_1.jpg', 'frame_1.jpg', 'train', 'alice; bob', '0.5714', '0.4286', '1', '0', '1', '1', '0'],
      ['frame_2.jpg', 'frame_2.jpg', 'val', 'alice; bob', '0.6667', '0.3333', '0', '1', '0', '0', '0'],
    ]);
  });

  it('per pair and overall', () => {
    // |A| = 5, |B| = 5, TP = 3 (obj1, obj2, obj5): F1 = 2·3 / (5 + 5) = 0.6.
    // Mean IoU of the matches = (1 + 9/11 + 1) / 3 = 31/33 = 0.9394.
    // Accuracy = TP / (TP + mismatches + missing + extra) = 3 / (3 + 1 + 1 + 1) = 0.5.
    const row = ['2', '0.6', '0.9394', '0.5', '5', '5', '3', '1', '1', '1'];
    expect(table(texts.get(AGREEMENT_FILES.pairs)!)).toEqual([
      ['scope', 'annotator_a', 'annotator_b', 'images', 'f1', 'mean_iou', 'accuracy', 'shapes_a', 'shapes_b', 'tp', 'missing', 'extra', 'label_mismatch'],
      ['pair', 'alice', 'bob', ...row],
      ['overall', '', '', ...row],
    ]);
  });

  it("per class: Krippendorff's α, shapes and the confusion row", () => {
    // Units (alice, bob): obj1 (car, car), obj2 (car, car), obj3 (person, car), obj4 (car, ∅),
    // obj5 (person, person), obj6 (∅, person); n = 12 values.
    // Car against the rest: n_car = 6, n_rest = 6, expected 2·6·6 = 72; obj3 and obj4 disagree,
    //   2 each: α = 1 − 11·4/72 = 28/72 = 0.3889 (unreliable).
    // Person against the rest: n_person = 4, n_rest = 8, expected 2·4·8 = 64; obj3 and obj6
    //   disagree: α = 1 − 11·4/64 = 20/64 = 0.3125 (unreliable).
    // Shapes: car a1 b1 a2 b2 b3 a4 = 6; person a3 a5 b5 b6 = 4.
    // Confusion (alice's class in rows, bob's in columns): car → car 2 (obj1, obj2), unmatched 1
    // (obj4); person → car 1 (obj3), person 1 (obj5); unmatched → person 1 (obj6).
    expect(table(texts.get(AGREEMENT_FILES.classes)!)).toEqual([
      ['class', 'alpha', 'reading', 'shapes', 'vs car', 'vs person', 'vs unmatched'],
      ['car', '0.3889', 'unreliable', '6', '2', '0', '1'],
      ['person', '0.3125', 'unreliable', '4', '1', '1', '0'],
      ['unmatched', '', '', '0', '0', '1', '0'],
    ]);
  });

  it('JSON: settings, α overall, the same figures unrounded, null where undefined', () => {
    const doc = JSON.parse(texts.get(AGREEMENT_FILES.json)!);
    expect(doc.format).toBe('tally-agreement');
    expect(doc.settings).toEqual({ iouThreshold: 0.5, lowOverlapThreshold: 0.85, quorum: 0 });
    expect(doc.annotators).toEqual(['alice', 'bob']);
    // Overall α (hand-computed in agreement.test.ts): 1 − 11·6/88 = 0.25.
    expect(doc.overall.alpha.alpha).toBeCloseTo(0.25, 12);
    expect(doc.overall).toMatchObject({ images: 2, f1: 0.6, accuracy: 0.5, tp: 3, missing: 1, extra: 1, labelMismatch: 1 });
    expect(doc.overall.meanIoU).toBeCloseTo(31 / 33, 12);
    expect(doc.pairs[0].confusion.labels.map((l: { name: string }) => l.name)).toEqual(['car', 'person', 'unmatched']);
    expect(doc.pairs[0].confusion.counts).toEqual([
      [2, 0, 1],
      [1, 1, 0],
      [0, 1, 0],
    ]);
    expect(doc.classes.map((c: { name: string; shapes: number }) => [c.name, c.shapes])).toEqual([
      ['car', 6],
      ['person', 4],
    ]);
    expect(doc.classes[1].alpha.alpha).toBeCloseTo(20 / 64, 12);
    expect(doc.images.map((i: { fileName: string; lowOverlap: number }) => [i.fileName, i.lowOverlap])).toEqual([
      ['frame_1.jpg', 1],
      ['frame_2.jpg', 0],
    ]);
    expect(doc.failedVotes).toBe(3);
  });
});

describe('agreement files: cells a spreadsheet must not run', () => {
  it('prefixes text starting with = + - @ and quotes separators, never numbers', () => {
    const img = image(1, { fileName: '=HYPERLINK("x").jpg', relativePath: 'dir, one/=HYPERLINK("x").jpg' });
    const p = project(['@sum', '-car']);
    const annotations = [
      shape(img, box(0, 0, 10, 10), { id: 'x1', annotator: '+eve', classId: classId('@sum') }),
      shape(img, box(0, 0, 10, 10), { id: 'x2', annotator: '-mallory', classId: classId('-car') }),
    ];
    const report = agreementSummary({ project: p, images: [img], annotations }, OPTIONS);
    const texts = agreementTexts({ report, classes: p.classes, images: [img], options: OPTIONS });
    const images = table(texts.get(AGREEMENT_FILES.images)!);
    expect(images[1]!.slice(0, 4)).toEqual(["'=HYPERLINK(\"x\").jpg", 'dir, one/=HYPERLINK("x").jpg', 'train', "'+eve; -mallory"]);
    // The raw text: the quote doubled inside a quoted cell.
    expect(texts.get(AGREEMENT_FILES.images)).toContain('"\'=HYPERLINK(""x"").jpg"');
    const pairs = table(texts.get(AGREEMENT_FILES.pairs)!);
    expect(pairs[1]!.slice(0, 3)).toEqual(['pair', "'+eve", "'-mallory"]);
    const classes = table(texts.get(AGREEMENT_FILES.classes)!);
    expect(classes[0]).toEqual(['class', 'alpha', 'reading', 'shapes', 'vs @sum', 'vs -car', 'vs unmatched']);
    expect(classes.map((r) => r[0])).toEqual(['class', "'@sum", "'-car", 'unmatched']);
    // One unit (@sum, -car): for @sum against the rest n = 2, n_v = 1, expected 2·1·1 = 2, the unit
    // disagrees by 2·1·1/1 = 2: α = 1 − (2 − 1)·2/2 = 0, written as a bare number.
    expect(classes[1]!.slice(1, 3)).toEqual(['0', 'unreliable']);
  });
});
