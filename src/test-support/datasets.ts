/**
 * Datasets for the format tests: small, fixed (golden files are written from them) and full of
 * the traps of ../shared/FORMATS.md — names with <, &, ", commas and non-ASCII letters, a box
 * reaching outside its image, a background image, two images with the same file name in
 * different folders, images in train, val and without a split.
 */
import type { Dataset, SerializeOptions } from '../formats/types';

export const GOLDEN_OPTIONS: SerializeOptions = { includeImages: true, tallyVersion: '0.1.0', createdAt: '2026-01-02T03:04:05.000Z' };

/** Every image has a split: what a training export looks like. */
export function goldenDataset(): Dataset {
  return {
    project: { name: 'Streets <north> & "south"' },
    classes: [
      { name: 'car', color: '#e6194b' },
      { name: 'person, walking', color: '#3cb44b' },
      { name: 'Straße <&> "sign"', color: '#4363d8' },
      { name: 'bicycle', color: '#f58231' },
    ],
    images: [
      { relativePath: 'day/frame_001.jpg', fileName: 'frame_001.jpg', width: 640, height: 480, split: 'train', sha256: 'a'.repeat(64) },
      { relativePath: 'night/frame_001.jpg', fileName: 'frame_001.jpg', width: 320, height: 240, split: 'train', sha256: 'b'.repeat(64) },
      { relativePath: 'day/empty road.png', fileName: 'empty road.png', width: 800, height: 600, split: 'val', sha256: 'c'.repeat(64) },
      { relativePath: 'day/crossing.jpg', fileName: 'crossing.jpg', width: 1024, height: 768, split: 'val', sha256: 'd'.repeat(64) },
    ],
    annotations: [
      { image: 0, className: 'car', shape: { kind: 'box', x: 10.25, y: 20.5, w: 100, h: 50.75 }, attributes: { occluded: true }, annotator: 'ana' },
      { image: 0, className: 'person, walking', shape: { kind: 'polygon', points: [200, 100, 260, 110, 240, 220, 190, 200] }, attributes: {}, annotator: 'ana' },
      { image: 0, className: 'Straße <&> "sign"', shape: { kind: 'box', x: 600, y: 420, w: 40, h: 80 }, attributes: { truncated: true }, annotator: 'ana' },
      { image: 1, className: 'car', shape: { kind: 'box', x: 0, y: 0, w: 320, h: 240 }, attributes: { difficult: true }, annotator: 'ana' },
      { image: 3, className: 'car', shape: { kind: 'box', x: 1.4, y: 2.6, w: 30.2, h: 40.8 }, attributes: {}, annotator: 'ana' },
      { image: 3, className: 'person, walking', shape: { kind: 'box', x: 500, y: 300, w: 20, h: 60 }, attributes: {}, annotator: 'ana' },
      { image: 3, className: 'car', shape: { kind: 'polygon', points: [700, 500, 760, 500, 760, 560] }, attributes: {}, annotator: 'ana' },
    ],
  };
}

const RANDOM_NAME_PARTS = ['car', 'Straße', 'a,b', '"q"', '<tag>', 'x & y', '日本', 'émile', '-x', '=sum', 'ß', "it's"];

/**
 * A seeded random dataset for round trips: 1–5 classes with awkward names, 1–6 images of random
 * sizes and splits (names that repeat across folders), boxes and polygons anywhere around the
 * image (some reaching outside, so export clips them), some with flags.
 */
export function randomDataset(rnd: () => number): Dataset {
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const classes = [...new Set(Array.from({ length: 1 + int(5) }, () => `${pick(RANDOM_NAME_PARTS)}${pick(RANDOM_NAME_PARTS)}`.trim() || 'c'))].map((name, i) => ({ name: `${name}${i}` }));
  const images: Dataset['images'][number][] = Array.from({ length: 1 + int(6) }, (_, i) => {
    const fileName = `${pick(['img', 'Bild', 'photo,1', 'é'])}${int(3)}.${pick(['jpg', 'png'])}`;
    return { relativePath: `${pick(['a', 'b'])}/${fileName}`, fileName, width: 1 + int(2000), height: 1 + int(2000), split: pick(['train', 'val', 'test', 'unassigned'] as const), sha256: String(i) };
  });
  const annotations: Dataset['annotations'][number][] = [];
  images.forEach((img, i) => {
    for (let k = int(6); k > 0; k--) {
      const className = pick(classes).name;
      const x = rnd() * img.width * 1.1 - img.width * 0.05;
      const y = rnd() * img.height * 1.1 - img.height * 0.05;
      if (rnd() < 0.5) {
        annotations.push({ image: i, className, shape: { kind: 'box', x, y, w: 0.5 + rnd() * img.width * 0.5, h: 0.5 + rnd() * img.height * 0.5 }, attributes: rnd() < 0.3 ? { truncated: true } : {} });
      } else {
        const n = 3 + int(6);
        const r = 1 + rnd() * Math.min(img.width, img.height) * 0.3;
        const points = Array.from({ length: n }, (_, p) => [x + r * Math.cos((2 * Math.PI * p) / n), y + r * Math.sin((2 * Math.PI * p) / n)]).flat();
        annotations.push({ image: i, className, shape: { kind: 'polygon', points }, attributes: {} });
      }
    }
  });
  return { classes, images, annotations };
}
