import fc from 'fast-check';
import { describe, it } from 'vitest';
import { GOLDEN_OPTIONS, goldenDataset } from '../test-support/datasets';
import { prepareExport } from './shared/prepare';
import { encodeText } from './shared/text';
import type { SourceImageInfo } from './types';
import { yolo, yoloSeg } from './yolo';
import { expectSoundParse } from '../test-support/formatChecks';
import { HEAVY_TEST_MS } from '../test-support/heavy';

/** YOLO reads no label without its image's size, and never gives up on a whole file. */
const YOLO_SOUNDNESS = { sizesKnown: true, forbidden: /^could not be read as YOLO/ };

/** What every parse result must satisfy, whatever the input. */

/** FUZZ_RUNS=5000 for a longer search. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

const PATHS = ['data.yaml', 'labels/train/a.txt', 'labels/val/b.txt', 'train/labels/c.txt', 'obj.names', 'obj.data', 'train.txt', 'classes.txt', 'obj_train_data/d.txt', 'x/e.txt'];
const IMAGES: SourceImageInfo[] = [
  { path: 'images/train/a.jpg', width: 640, height: 480 },
  { path: 'train/images/c.png', width: 1, height: 1 },
  { path: 'obj_train_data/d.jpg', width: 33, height: 7 },
  { path: 'x/e.jpg', width: 0, height: 0 },
];
const TOKENS = ['0', '1', '2', '-1', '0.5', '1.5', '-0.2', '1e-3', 'nan', 'NaN', 'inf', '0x1', ' ', '\t', '\n', '\r\n', '#', 'names:', 'train:', ' [a, b]', '{0: a}', ':', '- ', '"', "'", '&a', '*a', '\u00e9', '\ud83d'];
const row = fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }).map((t) => t.join(' '));
const content = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.array(row, { maxLength: 8 }).map((rows) => encodeText(rows.join('\n'))),
  fc.string({ maxLength: 120 }).map(encodeText),
);
const sizeOf = (p: string): { width: number; height: number } | undefined => (p.includes('b') ? { width: 10, height: 20 } : undefined);

describe('YOLO parse, fuzzed', () => {
  it('never throws on random files, and what it returns is sound', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...PATHS), content, { maxKeys: 6 }), fc.boolean(), (dict, withImages) => {
        for (const f of [yolo, yoloSeg]) {
          const files = new Map(Object.entries(dict));
          expectSoundParse(f.parse({ files, images: withImages ? IMAGES : [], sizeOf }), YOLO_SOUNDNESS);
          f.detect(files);
        }
      }),
      { numRuns: RUNS },
    );
  }, HEAVY_TEST_MS * Math.max(1, RUNS / 200));

  it('never throws on mutations of a valid export (truncation, byte flips, deleted and duplicated lines)', () => {
    for (const f of [yolo, yoloSeg]) {
      const written = prepareExport(goldenDataset(), f.shapes).dataset;
      const out = f.serialize(written, GOLDEN_OPTIONS);
      const images = written.images.map((img, i) => ({ path: out.imagePaths[i]!, width: img.width, height: img.height }));
      const paths = [...out.files.keys()];
      const mutation = fc.oneof(
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
      );
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.constantFrom(...paths), mutation), { minLength: 1, maxLength: 4 }), fc.boolean(), (muts, withImages) => {
          const files = new Map(out.files);
          for (const [path, m] of muts) {
            const bytes = files.get(path)!;
            if (m.kind === 'truncate') files.set(path, bytes.slice(0, bytes.length === 0 ? 0 : m.at % bytes.length));
            else if (m.kind === 'flip') {
              if (bytes.length === 0) continue;
              const copy = bytes.slice();
              copy[m.at % copy.length] = m.byte;
              files.set(path, copy);
            } else {
              const lines = new TextDecoder().decode(bytes).split('\n');
              const k = m.at % lines.length;
              if (m.kind === 'delete') lines.splice(k, 1);
              else lines.splice(k, 0, lines[k]!);
              files.set(path, encodeText(lines.join('\n')));
            }
          }
          expectSoundParse(f.parse({ files, images: withImages ? images : [], sizeOf }), YOLO_SOUNDNESS);
        }),
        { numRuns: RUNS },
      );
    }
  }, HEAVY_TEST_MS * Math.max(1, RUNS / 200));
});
