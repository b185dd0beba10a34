import { it } from 'vitest';
import type { ClassId, ImageRecord } from './core/model';
import { formatById } from './formats';
import { makeBox, makeImage, makeProject } from './test-support/fixtures';
import { buildExport } from './exchange/exportArchive';
import { projectDataset } from './exchange/projectDataset';
import { prepareExport } from './formats/shared/prepare';

it('export timing', async () => {
  const project = makeProject();
  const images: ImageRecord[] = Array.from({ length: 1000 }, (_, i) => makeImage(i + 1, { split: i % 10 === 0 ? 'val' : 'train', fileName: `img_${i}.jpg`, relativePath: `img_${i}.jpg`, sha256: i.toString(16).padStart(64, '0') }));
  const anns = images.flatMap((img, i) => Array.from({ length: 10 }, (_, k) => makeBox(i * 10 + k, img.id, { id: `a${i}-${k}` as never, classId: (k % 2 ? 'c-car' : 'c-person') as ClassId, shape: { kind: 'box', x: 10 + k * 50, y: 20, w: 40.5, h: 30.25 } })));
  for (const id of ['yolo', 'coco', 'voc'] as const) {
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const src = projectDataset(project, images, anns, { layer: null, splits: new Set(['train', 'val', 'test', 'unassigned']) });
      const t1 = performance.now();
      const prep = prepareExport(src.dataset, formatById(id).shapes);
      const t2 = performance.now();
      formatById(id).serialize(prep.dataset, { includeImages: false, tallyVersion: '0', createdAt: 'x' });
      const t3 = performance.now();
      const marks: [string, number][] = [];
      await buildExport(src, { format: formatById(id), includeImages: false, layerLabel: 'x', createdAt: new Date() }, { imageBytes: async () => [], onProgress: (_d, _t, l) => marks.push([l, performance.now()]) });
      const t4 = performance.now();
      console.log(id, 'dataset', (t1 - t0).toFixed(0), 'prepare', (t2 - t1).toFixed(0), 'serialize', (t3 - t2).toFixed(0), 'build', (t4 - t3).toFixed(0), marks.map(([l, t]) => `${l}@${(t - t3).toFixed(0)}`).join(' '));
    }
  }
});
