import { describe, expect, it } from 'vitest';
import type { ClassId, ImageRecord } from '../core/model';
import { listZip, readEntry, bytesReader } from '../formats/archive/zipReader';
import { FORMATS, formatById } from '../formats';
import type { Format } from '../formats/types';
import { makeBox, makeImage, makeLayer, makeProject } from '../test-support/fixtures';
import { buildExport, checkEntries, ExportError, manifestCheck, MANIFEST, manifestText, planExport, planReadsBack, verifyArchive, type Manifest } from './exportArchive';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { projectDataset } from './projectDataset';
import { checkZipLimits } from './zipWriter';

const project = makeProject();
const images: ImageRecord[] = [
  makeImage(1, { split: 'train', byteSize: 300 }),
  makeImage(2, { split: 'val', byteSize: 200, fileName: 'Straße.jpg', relativePath: 'b/Straße.jpg' }),
  makeImage(3, { split: 'train', byteSize: 100 }),
];
const annotations = [
  makeBox(1, images[0]!.id),
  makeBox(2, images[0]!.id, { classId: 'c-person' as ClassId, shape: { kind: 'polygon', points: [10, 10, 60, 12, 40, 50] } }),
  // Reaches outside the 1280×720 image: clipped, and said so.
  makeBox(3, images[1]!.id, { shape: { kind: 'box', x: 1200, y: 700, w: 200, h: 100 } }),
];
const source = () => projectDataset(project, images, annotations, [makeLayer('ana')], { layer: null, splits: new Set(['train', 'val', 'test', 'unassigned']) });
/** Distinct, recognisable bytes per image. */
const bytesOf = (img: ImageRecord): Uint8Array => new Uint8Array(img.byteSize).map((_, i) => (i * 7 + img.seq) & 0xff);
const hooks = { imageBytes: async (batch: readonly ImageRecord[]) => batch.map(bytesOf), onProgress: () => undefined };
const settings = (format: Format, includeImages: boolean) => ({ format, includeImages, layerLabel: 'all annotators', createdAt: new Date('2026-01-02T00:00:00Z') });

async function entriesOf(blob: Blob): Promise<Map<string, Uint8Array>> {
  const reader = bytesReader(new Uint8Array(await blob.arrayBuffer()));
  const listing = await listZip(reader);
  expect(listing.problems).toEqual([]);
  const out = new Map<string, Uint8Array>();
  for (const e of listing.entries) out.set(e.path, await readEntry(reader, e));
  return out;
}

describe('buildExport', () => {
  for (const format of FORMATS) {
    for (const includeImages of [false, true]) {
      it(`${format.label} ${includeImages ? 'with' : 'without'} images: verified, with a manifest that lists every file and its SHA-256`, async () => {
        const { blob, manifest } = await buildExport(source(), settings(format, includeImages), hooks);
        const files = await entriesOf(blob);
        const written = JSON.parse(new TextDecoder().decode(files.get(MANIFEST))) as Manifest;
        expect(written).toEqual(JSON.parse(JSON.stringify(manifest)));
        expect(manifest.counts.images).toBe(3);
        expect(manifest.counts.shapes).toBe(3);
        expect(manifest.notes.some((n) => n.kind === 'clipped' && n.image === 'b/Straße.jpg')).toBe(true);
        expect(new Set(files.keys())).toEqual(new Set([...manifest.files.map((f) => f.path), MANIFEST]));
        for (const f of manifest.files) {
          const data = files.get(f.path)!;
          expect(data.length).toBe(f.bytes);
          const sha = Buffer.from(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>)).toString('hex');
          const image = images.find((i) => i.sha256 === f.sha256);
          // Images carry their recorded SHA-256; their bytes are the stored bytes, unchanged.
          if (image) expect(data).toEqual(bytesOf(image));
          else expect(sha).toBe(f.sha256);
        }
        expect(manifest.files.filter((f) => images.some((i) => i.sha256 === f.sha256))).toHaveLength(includeImages ? 3 : 0);
      });
    }
  }

  it('manifest.json carries the check summary given at Download (the plan made without it), or checked: false', async () => {
    const readManifest = async (blob: Blob) => JSON.parse(new TextDecoder().decode((await entriesOf(blob)).get(MANIFEST))) as Manifest;
    const plain = settings(formatById('yolo'), false);
    expect((await readManifest((await buildExport(source(), plain, hooks)).blob)).check).toEqual({ checked: false });
    expect(manifestCheck(null)).toEqual({ checked: false });
    const summary = {
      checkedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
      layer: 'bob',
      splits: ['train', 'val'] as const,
      open: { error: 1, warning: 2, info: 0 },
      dismissed: 1,
      byRule: { 'out-of-image': 1, 'tiny-box': 2 },
      errorsByRule: { 'out-of-image': 1 },
    };
    const plan = planExport(source(), plain);
    const { blob, manifest } = await buildExport(source(), { ...plain, check: manifestCheck({ ...summary, splits: [...summary.splits] }) }, hooks, plan);
    const expected = { checked: true, checkedAt: '2026-01-02T03:04:05.000Z', layer: 'bob', splits: ['train', 'val'], open: { error: 1, warning: 2, info: 0 }, dismissed: 1, byRule: { 'out-of-image': 1, 'tiny-box': 2 }, errorsByRule: { 'out-of-image': 1 } };
    expect(manifest.check).toEqual(expected);
    expect((await readManifest(blob)).check).toEqual(expected);
  });

  it('COCO with box segmentations as corners: verified, and a rectangular polygon (read back as a box) does not fail it', async () => {
    const withRectangle = [...annotations, makeBox(4, images[2]!.id, { shape: { kind: 'polygon', points: [100, 100, 150, 100, 150, 140, 100, 140] } })];
    const src = projectDataset(project, images, withRectangle, [makeLayer('ana')], { layer: null, splits: new Set(['train', 'val', 'test', 'unassigned']) });
    for (const cocoBoxSegmentation of ['empty', 'corners'] as const) {
      const { blob } = await buildExport(src, { ...settings(formatById('coco'), false), cocoBoxSegmentation }, hooks);
      const files = await entriesOf(blob);
      const train = JSON.parse(new TextDecoder().decode(files.get('annotations/instances_train.json'))) as { annotations: { segmentation: unknown; bbox: number[] }[] };
      const box = train.annotations.find((a) => a.bbox.join() === '10,10,40,30')!;
      expect(box.segmentation).toEqual(cocoBoxSegmentation === 'corners' ? [[box.bbox[0], box.bbox[1], box.bbox[0]! + box.bbox[2]!, box.bbox[1], box.bbox[0]! + box.bbox[2]!, box.bbox[1]! + box.bbox[3]!, box.bbox[0], box.bbox[1]! + box.bbox[3]!]] : []);
    }
  });

  it('refuses an archive that does not read back as written', async () => {
    const coco = formatById('coco');
    const lossy: Format = {
      ...coco,
      parse: (input) => {
        const r = coco.parse(input);
        return { ...r, dataset: { ...r.dataset, annotations: r.dataset.annotations.slice(1) } };
      },
    };
    await expect(buildExport(source(), settings(lossy, false), hooks)).rejects.toThrow(/did not read back as written[\s\S]*written, 0 read back/);
  });

  it("parses a plan's files once, for every archive of that plan; a reader's verdict on them refuses each archive", async () => {
    const yolo = formatById('yolo');
    let parses = 0;
    const counted: Format = { ...yolo, parse: (input) => (parses++, yolo.parse(input)) };
    const plan = planExport(source(), settings(counted, false));
    const first = planReadsBack(plan);
    expect(planReadsBack(plan)).toBe(first);
    expect(await first).toEqual([]);
    await buildExport(plan.source, plan.settings, hooks, plan);
    await buildExport(plan.source, plan.settings, hooks, plan);
    expect(parses).toBe(1);
    // A new plan of the same choice is parsed anew.
    await buildExport(source(), settings(counted, false), hooks);
    expect(parses).toBe(2);

    const lossy: Format = { ...yolo, parse: (input) => ({ ...yolo.parse(input), dataset: { ...yolo.parse(input).dataset, annotations: [] } }) };
    const refused = planExport(source(), settings(lossy, false));
    expect((await planReadsBack(refused)).join('\n')).toMatch(/written, 0 read back/);
    for (let k = 0; k < 2; k++) await expect(buildExport(refused.source, refused.settings, hooks, refused)).rejects.toThrow(/did not read back as written/);
  });

  it('reads a big deflated file back with the native inflater, checking its length and CRC-32', async () => {
    const big = strToU8(JSON.stringify(Array.from({ length: 40_000 }, (_, i) => ({ id: i, v: (i * 7919) % 1000 }))));
    const path = 'annotations/instances_train.json';
    const zip = zipSync({ [path]: [big, { level: 1 }] });
    const entry = (await listZip(bytesReader(zip))).entries[0]!;
    expect(entry.method).toBe(8);
    const files = [{ path, bytes: big.length }];
    const written = new Map([[path, big]]);
    const ok = await checkEntries(new Blob([zip]), written, new Set(), files);
    expect(ok.filter((p) => p.startsWith(path))).toEqual([]);
    // One byte changed in the middle of the compressed data: said, not thrown.
    const damaged = zip.slice();
    const at = 30 + path.length + Math.floor(entry.compressedSize / 2);
    damaged[at] = damaged[at]! ^ 0xff;
    const problems = await checkEntries(new Blob([damaged]), written, new Set(), files);
    expect(problems.some((p) => p.startsWith(`${path}: ${path} is damaged`))).toBe(true);
    // The same archive read back from its bytes (what buildExport does for an archive of one part): the same verdicts.
    expect((await checkEntries(zip, written, new Set(), files)).filter((p) => p.startsWith(path))).toEqual([]);
    expect((await checkEntries(damaged, written, new Set(), files)).some((p) => p.startsWith(`${path}: ${path} is damaged`))).toBe(true);
  });

  describe('still catches a damaged archive (every entry checked against the bytes the plan wrote and parsed)', () => {
    /** The archive an export made, its plan and file list, and a verify call on other bytes. */
    async function exported(id: 'yolo' | 'voc' | 'coco') {
      const format = formatById(id);
      const plan = planExport(source(), settings(format, false));
      const { blob, manifest } = await buildExport(source(), settings(format, false), hooks, plan);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const verify = (archive: Uint8Array) => verifyArchive(archive, plan, manifest.files);
      return { bytes, verify, labels: manifest.files.map((f) => f.path).filter((p) => /\.(txt|xml|json)$/.test(p) && !p.endsWith('data.yaml') && !p.includes('ImageSets') && !p.endsWith('labelmap.txt')) };
    }
    /** The same files zipped anew (right CRCs and sizes), one file's text changed by `edit`. */
    const rezip = (bytes: Uint8Array, path: string, edit: (text: string) => string): Uint8Array => {
      const files = unzipSync(bytes);
      files[path] = strToU8(edit(strFromU8(files[path]!)));
      return zipSync(Object.fromEntries(Object.entries(files).map(([p, d]) => [p, [d, { level: 0 }]])));
    };
    /** One digit of the first number after `after` changed (the length kept). */
    const changeDigit = (after: RegExp) => (text: string): string => {
      const m = after.exec(text)!;
      const at = m.index + m[0].length;
      const digit = text[at]!;
      expect(digit).toMatch(/[0-9]/);
      return text.slice(0, at) + String((Number(digit) + 5) % 10) + text.slice(at + 1);
    };
    const cases = [
      { id: 'yolo' as const, after: /^\d+ 0\./m },
      { id: 'voc' as const, after: /<xmin>/ },
      { id: 'coco' as const, after: /"bbox":\s*\[\s*/ },
    ];
    for (const { id, after } of cases) {
      it(`${id}: as written it verifies; a changed number (CRC right), a wrong CRC, a missing file are each refused`, async () => {
        const { bytes, verify, labels } = await exported(id);
        expect(await verify(bytes)).toEqual([]);
        const label = labels.find((p) => after.test(strFromU8(unzipSync(bytes)[p]!)))!;
        expect(label).toBeDefined();

        // A number changed, the archive otherwise sound (sizes and CRC-32s right): its bytes are
        // not the ones the plan wrote and read back.
        const changed = rezip(bytes, label, changeDigit(after));
        expect(changed.length).toBe(rezip(bytes, label, (t) => t).length);
        expect(await verify(changed)).toEqual([`${label}: its bytes in the archive are not the ones written`]);

        // The same bytes, with the CRC-32 the local header and central directory record made wrong.
        const badCrc = rezip(bytes, label, (t) => t);
        const listing = await listZip(bytesReader(badCrc));
        const entry = listing.entries.find((e) => e.path === label)!;
        const at = badCrc.findIndex((_, i) => i > entry.localHeaderOffset + 30 && badCrc[i] === 0x50 && badCrc[i + 1] === 0x4b && badCrc[i + 2] === 0x01 && badCrc[i + 3] === 0x02 && strFromU8(badCrc.subarray(i + 46, i + 46 + label.length)) === label);
        for (const crcAt of [entry.localHeaderOffset + 14, at + 16]) badCrc[crcAt] = badCrc[crcAt]! ^ 0x01;
        expect((await verify(badCrc)).join('\n')).toMatch(/CRC-32/);

        // A file left out.
        const without = Object.fromEntries(Object.entries(unzipSync(bytes)).filter(([p]) => p !== label));
        expect(await verify(zipSync(without))).toContain(`${label}: missing from the archive`);
      });
    }
  });

  it('refuses when stored bytes are not what was imported', async () => {
    const short = { ...hooks, imageBytes: async (batch: readonly ImageRecord[]) => batch.map((img) => bytesOf(img).subarray(1)) };
    await expect(buildExport(source(), settings(formatById('yolo'), true), short)).rejects.toThrow(ExportError);
  });

  it('reads images in batches, in order, and writes them in image order', async () => {
    const many = Array.from({ length: 40 }, (_, n) => makeImage(n + 1, { split: 'train', byteSize: 50 + n }));
    const batches: number[] = [];
    const { manifest } = await buildExport(projectDataset(project, many, [], [], { layer: null, splits: new Set(['train']) }), settings(formatById('coco'), true), {
      ...hooks,
      imageBytes: async (batch) => {
        batches.push(batch.length);
        return batch.map(bytesOf);
      },
    });
    expect(batches).toEqual([16, 16, 8]);
    expect(manifest.files.filter((f) => f.path.startsWith('images/')).map((f) => f.bytes)).toEqual(many.map((i) => i.byteSize));
  });

  it('reports progress up to the number of images', async () => {
    const seen: number[] = [];
    await buildExport(source(), settings(formatById('voc'), true), { ...hooks, onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(3);
  });

  it('stops between its steps once its signal fires (an archive made ahead for a choice no longer shown)', async () => {
    const stop = new AbortController();
    const labels: string[] = [];
    const built = buildExport(source(), settings(formatById('yolo'), false), {
      ...hooks,
      signal: stop.signal,
      onProgress: (_done, _total, label) => {
        labels.push(label);
        stop.abort(new Error('another choice'));
      },
    });
    await expect(built).rejects.toThrow('another choice');
    // Stopped before writing the files, never checking an archive.
    expect(labels).toEqual(['Writing the archive']);
  });
});

describe('manifestText', () => {
  const manifest = (files: Manifest['files'], tricky: string): Manifest => ({
    format: 'yolo',
    formatLabel: 'YOLO',
    tallyVersion: '1.0.0',
    createdAt: '2026-01-02T00:00:00.000Z',
    project: tricky,
    annotationsFrom: 'files',
    includeImages: false,
    counts: { images: 1, shapes: 0, perClass: { files: 0, [tricky]: 0 }, perSplit: { train: { images: 1, shapes: 0 } } },
    files,
    notes: [{ kind: 'changed', message: tricky }],
    check: { checked: false },
  });
  const files = [
    { path: 'labels/train/a.txt', bytes: 12, sha256: 'a'.repeat(64) },
    { path: 'labels/train/"quoted"\\Straße.txt', bytes: 0, sha256: 'b'.repeat(64) },
  ];

  it('reads back as the manifest, each file on a line of its own, whatever the strings hold', () => {
    for (const tricky of ['files', '\n  "files": 0,\n', '"files": 0', '$&$1', '']) {
      for (const list of [files, []]) {
        const m = manifest(list, tricky);
        const text = manifestText(m);
        expect(JSON.parse(text), tricky).toEqual(m);
        const lines = text.split('\n');
        for (const f of list) expect(lines).toContain(`    ${JSON.stringify(f)}${f === list.at(-1) ? '' : ','}`);
        // The rest as JSON.stringify indents it.
        expect(text.replace(/\n {2}"files": \[\n[^]*?\n {2}\]/, '\n  "files": []'), tricky).toBe(JSON.stringify({ ...m, files: [] }, null, 2));
      }
    }
  });
});

describe('checkZipLimits', () => {
  it('refuses what a zip without Zip64 cannot hold', () => {
    expect(checkZipLimits(10, 1000)).toBeNull();
    expect(checkZipLimits(70_000, 1000)).toMatch(/65,534/);
    expect(checkZipLimits(10, 5 * 2 ** 30)).toMatch(/4 GB/);
  });
});
