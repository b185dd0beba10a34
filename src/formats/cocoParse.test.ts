import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/prng';
import { coco } from './coco';
import { encodeText } from './shared/text';
import type { ParseResult } from './types';

/**
 * cocoParse reads the usual box annotation by a short path (readPlainBox). Writing an
 * annotation's id 5 as "5" changes nothing it means (the same id) but sends it down the general
 * path: both must read every file to the same dataset and the same diagnostics.
 */
function randomFile(seed: number): { plain: object; general: object } {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const images = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, i) => ({
    id: pick([i + 1, i + 1, i + 1, String(i + 1), i === 0 ? 0 : i + 1]),
    file_name: `img${i}.jpg`,
    ...(r() < 0.85 ? { width: pick([640, 100, 0.5 * 7, 1]), height: pick([480, 100, 3]) } : {}),
  }));
  const categories = [
    { id: 1, name: 'car' },
    { id: 2, name: 'person' },
    { id: 0, name: '__background__' },
  ];
  const odd = () => pick([0, 639.99, 700, -3, NaN, '5', null]);
  // Boxes at the right or bottom edge of a 640×480 or 100×100 image, or just past it.
  const edge = () => {
    const [w, h] = [1 + Math.floor(r() * 50), 1 + Math.floor(r() * 50)];
    const [width, height] = pick([[640, 480], [100, 100]] as const);
    const past = pick([0, 0, 0.5, 1]);
    return r() < 0.5 ? [width - w + past, 5, w, h] : [5, height - h + past, w, h];
  };
  const box = () => (r() < 0.3 ? edge() : r() < 0.8 ? [Math.floor(r() * 300), Math.round(r() * 2000) / 100, 1 + Math.floor(r() * 200), 0.5 + Math.floor(r() * 100)] : Array.from({ length: pick([4, 4, 4, 3]) }, () => (r() < 0.5 ? odd() : Math.floor(r() * 400))));
  const annotations = Array.from({ length: Math.floor(r() * 30) }, (_, k) => ({
    id: pick([k + 1, k + 1, k + 1, k, 0, String(k + 1), 2.5, -1, undefined]),
    image_id: pick([1, 2, 3, '1', 9, NaN, undefined]),
    category_id: pick([1, 2, 1, '2', 0, 7, undefined]),
    bbox: r() < 0.95 ? box() : pick([undefined, 'x', { x: 1 }]),
    segmentation: pick([[], [], undefined, null, [[10, 10, 50, 10, 50, 40]], { counts: [0, 4], size: [2, 2] }, 'x']),
    iscrowd: pick([0, 0, undefined, false, 1, true]),
    attributes: pick([undefined, undefined, undefined, null, { occluded: true }, { track: 3 }]),
  }));
  const strip = (o: object): object => JSON.parse(JSON.stringify(o, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v))) as object;
  const plain = strip({ images, categories, annotations });
  // `5` and `"5"` are the same id; only a numeric one is read by the short path.
  const general = strip({ images, categories, annotations: annotations.map((a) => ({ ...a, id: typeof a.id === 'number' && Number.isInteger(a.id) && a.id > 0 ? String(a.id) : a.id })) });
  return { plain, general };
}

const parse = (doc: object): ParseResult => coco.parse({ files: new Map([['annotations/instances_train.json', encodeText(JSON.stringify(doc))]]), images: [] });

describe('parseCoco: the short path for plain boxes', () => {
  it('reads 2,000 random files exactly as the general path does (dataset and diagnostics)', () => {
    let plainBoxes = 0;
    for (let seed = 1; seed <= 2_000; seed++) {
      const { plain, general } = randomFile(seed);
      const a = parse(plain);
      const b = parse(general);
      expect(a.diagnostics).toEqual(b.diagnostics);
      expect(a.dataset).toEqual(b.dataset);
      plainBoxes += a.dataset.annotations.length;
    }
    // The files do hold shapes (the comparison is not of empty results).
    expect(plainBoxes).toBeGreaterThan(2_000);
  });
});
