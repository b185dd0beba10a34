import { describe, expect, it } from 'vitest';
import type { ImageRecord } from '../core/model';
import { formatById } from '../formats';
import { makeBox, makeImage, makeLayer, makeProject } from '../test-support/fixtures';
import { buildExport, planExport, type ExportSettings } from './exportArchive';
import { consensusRefusal, layoutOf, previewExport } from './exportPreview';
import { projectDataset } from './projectDataset';

const project = makeProject();
const images: ImageRecord[] = Array.from({ length: 6 }, (_, i) => makeImage(i + 1, { split: i < 4 ? 'train' : 'unassigned', byteSize: 50_000 }));
const annotations = [
  makeBox(1, images[0]!.id, { shape: { kind: 'polygon', points: [10, 10, 60, 12, 40, 50] } }),
  makeBox(2, images[1]!.id, { shape: { kind: 'box', x: 1200, y: 700, w: 200, h: 100 } }),
  makeBox(3, images[2]!.id),
];
const source = () => projectDataset(project, images, annotations, [makeLayer('ana')], { layer: null, splits: new Set(['train', 'unassigned']) });
const settings = (id: Parameters<typeof formatById>[0], includeImages: boolean): ExportSettings => ({ format: formatById(id), includeImages, layerLabel: 'ana', createdAt: new Date('2026-01-02T00:00:00Z') });

describe('previewExport', () => {
  it('says, for YOLO, the layout, both sizes and every conversion — val pointing at train said plainly', () => {
    const p = previewExport(planExport(source(), settings('yolo', true)));
    expect(p.images).toBe(6);
    expect(p.shapes).toBe(3);
    expect(p.layout.map((e) => [e.path, e.files, e.images])).toEqual([
      ['data.yaml', 1, false],
      ['labels/train/', 6, false],
      ['images/train/', 6, true],
      ['manifest.json', 1, false],
    ]);
    expect(p.general).toEqual([
      '2 images without a split exported in train',
      '1 polygon written as bounding boxes (the format holds boxes only)',
      'data.yaml: no image is in the val split, so val: points at images/train (Ultralytics requires a val set; its validation scores will be measured on these training images)',
    ]);
    expect(p.counts).toMatchObject({ clipped: 1 });
    expect(p.perImage).toEqual([expect.objectContaining({ kind: 'clipped', image: 'drive/frame_2.jpg' })]);
    expect(p.zipBytes.withImages - p.zipBytes.withoutImages).toBeGreaterThanOrEqual(6 * 50_000);
  });

  it('estimates the zip within 10 % of what is written', async () => {
    const hooks = { imageBytes: async (batch: readonly ImageRecord[]) => batch.map((i) => new Uint8Array(i.byteSize)), onProgress: () => undefined };
    for (const id of ['yolo', 'voc', 'coco', 'cvat', 'labelme', 'labelme-xml', 'createml', 'csv', 'tally'] as const) {
      for (const includeImages of [false, true]) {
        const plan = planExport(source(), settings(id, includeImages));
        const estimate = previewExport(plan).zipBytes[includeImages ? 'withImages' : 'withoutImages'];
        const { blob } = await buildExport(plan.source, plan.settings, hooks, plan);
        expect(Math.abs(estimate - blob.size) / blob.size, `${id} ${includeImages}`).toBeLessThan(0.1);
      }
    }
  });

  it('estimates a big export (500 images × 10 boxes: files that are deflated) within 10 %', async () => {
    const many = Array.from({ length: 500 }, (_, i) => makeImage(i + 1, { split: i % 10 === 0 ? 'val' : 'train', relativePath: `set/img_${i}.jpg`, fileName: `img_${i}.jpg` }));
    const boxes = many.flatMap((img, i) => Array.from({ length: 10 }, (_, k) => makeBox(i * 10 + k, img.id, { shape: { kind: 'box', x: 10 + k * 37.25, y: 20 + (i % 50) * 3.5, w: 30.5, h: 22.75 } })));
    const big = projectDataset(project, many, boxes, [makeLayer('ana')], { layer: null, splits: new Set(['train', 'val']) });
    const hooks = { imageBytes: async (batch: readonly ImageRecord[]) => batch.map((i) => new Uint8Array(i.byteSize)), onProgress: () => undefined };
    for (const id of ['yolo', 'voc', 'coco', 'cvat', 'csv', 'labelme', 'tally'] as const) {
      const plan = planExport(big, settings(id, false));
      const { blob } = await buildExport(plan.source, plan.settings, hooks, plan);
      expect(Math.abs(previewExport(plan).zipBytes.withoutImages - blob.size) / blob.size, id).toBeLessThan(0.1);
    }
  }, 60_000);

  it('lists small folders file by file and big ones as one line', () => {
    expect(layoutOf([{ path: 'a.json', bytes: 1 }, { path: 'x/b.txt', bytes: 2 }, { path: 'x/c.txt', bytes: 3 }, { path: 'y/1', bytes: 1 }, { path: 'y/2', bytes: 1 }, { path: 'y/3', bytes: 1 }], false)).toEqual([
      { path: 'a.json', files: 1, bytes: 1, images: false },
      { path: 'x/b.txt', files: 1, bytes: 2, images: false },
      { path: 'x/c.txt', files: 1, bytes: 3, images: false },
      { path: 'y/', files: 3, bytes: 3, images: false },
    ]);
  });
});

describe('consensusRefusal', () => {
  it('refuses an empty Consensus, however spelt, and nothing else', () => {
    expect(consensusRefusal('Consensus', 0)).toMatch(/^The Consensus layer is empty: no disagreement has been settled in Review yet/);
    expect(consensusRefusal('consensus', 0)).not.toBeNull();
    expect(consensusRefusal('Consensus', 3)).toBeNull();
    expect(consensusRefusal('bob', 0)).toBeNull();
    expect(consensusRefusal(null, 0)).toBeNull();
  });
});
