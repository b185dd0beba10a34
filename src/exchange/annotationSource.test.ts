import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readAnnotationSource } from './annotationSource';
import type { PickedFile } from './pickedFile';

const pick = (path: string, data: Uint8Array | string): PickedFile => ({ path, file: new File([typeof data === 'string' ? strToU8(data) : (data as Uint8Array<ArrayBuffer>)], path.split('/').pop()!) });

/** A 1×1 PNG (signature, IHDR), enough for the header reader. */
function png(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes.set([8, 6, 0, 0, 0], 24);
  return bytes;
}

/** Rewrites the declared uncompressed size of every entry (local and central headers) of a stored zip. */
function declareSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, size, true);
    if (sig === 0x02014b50) view.setUint32(i + 24, size, true);
  }
  return out;
}

describe('readAnnotationSource', () => {
  it('reads annotation files by path and images as size + SHA-256, from files and from a zip', async () => {
    const zip = zipSync({ 'export/data.yaml': strToU8('names: [car]'), 'export/images/a.png': png(4, 3) }, { level: 0 });
    const source = await readAnnotationSource([pick('export.zip', zip)]);
    expect(source.problems).toEqual([]);
    // The folder every path shares is dropped: paths are relative to the dataset root.
    expect([...source.files.keys()]).toEqual(['data.yaml']);
    expect(source.images).toEqual([{ path: 'images/a.png', width: 4, height: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  it('refuses entries that climb out with ../ and says which', async () => {
    const zip = zipSync({ '../evil.json': strToU8('{}'), 'ok.json': strToU8('{}') });
    const source = await readAnnotationSource([pick('bad.zip', zip)]);
    expect([...source.files.keys()]).toEqual(['ok.json']);
    expect(source.problems).toEqual([expect.objectContaining({ severity: 'error', file: 'bad.zip › ../evil.json', message: expect.stringMatching(/climbs out/) })]);
  });

  it('refuses a zip entry that declares 1 GB without reading it', async () => {
    const zip = declareSize(zipSync({ 'big.json': strToU8('{}') }, { level: 0 }), 1_000_000_000);
    const source = await readAnnotationSource([pick('bomb.zip', zip)]);
    expect(source.files.size).toBe(0);
    expect(source.problems).toHaveLength(1);
    expect(source.problems[0]).toMatchObject({ severity: 'error', file: expect.stringContaining('bomb.zip') });
    expect(source.problems[0]!.message).toMatch(/GB|MB/);
  });

  it("looks at an image entry's first bytes before inflating it: a non-image is skipped, never extracted", async () => {
    // 4 MB of zeros named like an image, with a CRC that does not match: extracting it whole
    // would fail the CRC check (an error); looking at its head finds no image (a warning).
    const zip = zipSync({ 'big.png': new Uint8Array(4 << 20), 'a.json': strToU8('{}') }, { level: 6 });
    const view = new DataView(zip.buffer);
    for (let i = 0; i + 4 <= zip.length; i++) if (view.getUint32(i, true) === 0x02014b50 && zip[i + 46] === 0x62) view.setUint32(i + 16, 0x12345678, true);
    const source = await readAnnotationSource([pick('bomb.zip', zip)]);
    expect(source.images).toEqual([]);
    expect(source.problems).toEqual([{ severity: 'warning', file: 'bomb.zip › big.png', message: expect.stringMatching(/^not a readable image/) }]);
  });

  it('says so when a .zip is not a zip', async () => {
    const source = await readAnnotationSource([pick('broken.zip', 'not a zip at all')]);
    expect(source.files.size).toBe(0);
    expect(source.problems[0]).toMatchObject({ severity: 'error', file: 'broken.zip' });
  });

  it('keeps an empty file (the parser names it) and skips system clutter and nested zips', async () => {
    const inner = zipSync({ 'x.json': strToU8('{}') });
    const outer = zipSync({ 'labels/empty.txt': new Uint8Array(), 'labels/.DS_Store': strToU8('x'), '__MACOSX/labels/._empty.txt': strToU8('x'), 'labels/inner.zip': inner });
    const source = await readAnnotationSource([pick('outer.zip', outer)]);
    expect([...source.files.entries()]).toEqual([['empty.txt', new Uint8Array()]]);
    expect(source.problems).toEqual([expect.objectContaining({ severity: 'info', message: 'archives inside archives are not opened' })]);
  });

  it('warns about an image it cannot read instead of failing', async () => {
    const source = await readAnnotationSource([pick('a.json', '{}'), pick('b.jpg', 'not a jpeg')]);
    expect(source.images).toEqual([]);
    expect(source.problems).toEqual([expect.objectContaining({ severity: 'warning', file: 'b.jpg' })]);
  });
});
