import { inflateSync, strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bytesReader, crc32, listZip, readEntry } from '../formats/archive/zipReader';
import { BlobZipWriter, checkZipLimits, crcOf, DEFLATE_FROM, deflateText, deflateTextAhead } from './zipWriter';

describe('BlobZipWriter', () => {
  it('writes a zip that our reader and fflate both read back: stored and deflated entries, UTF-8 names, an empty file', async () => {
    const big = strToU8('{"a": 1}\n'.repeat(DEFLATE_FROM / 4));
    const files: [string, Uint8Array][] = [
      ['data.yaml', strToU8('names: [car]\n')],
      ['labels/train/Straße 日本.txt', strToU8('0 0.5 0.5 0.1 0.1\n')],
      ['labels/train/empty.txt', new Uint8Array()],
      ['annotations/instances_train.json', big],
    ];
    const writer = new BlobZipWriter(new Date(2026, 0, 2, 3, 4, 6));
    for (const [path, data] of files) writer.addText(path, data);
    writer.addStored('images/train/a.jpg', new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]));
    const blob = writer.finish();
    expect(blob.size).toBe(writer.written);
    const zip = new Uint8Array(await blob.arrayBuffer());

    const reader = bytesReader(zip);
    const listing = await listZip(reader);
    expect(listing.problems).toEqual([]);
    expect(listing.entries.map((e) => [e.path, e.method])).toEqual([
      ['data.yaml', 0],
      ['labels/train/Straße 日本.txt', 0],
      ['labels/train/empty.txt', 0],
      ['annotations/instances_train.json', 8],
      ['images/train/a.jpg', 0],
    ]);
    for (const [k, [, data]] of files.entries()) expect(await readEntry(reader, listing.entries[k]!)).toEqual(data);
    expect(listing.entries[3]!.compressedSize).toBeLessThan(big.length / 4);

    // One part: the writer still holds the very bytes the Blob was made of.
    expect(writer.bytes).toEqual(zip);

    const theirs = unzipSync(zip);
    expect(Object.keys(theirs)).toEqual([...files.map(([p]) => p), 'images/train/a.jpg']);
    expect(theirs['annotations/instances_train.json']).toEqual(big);
  });

  it('flushes into Blob parts as it goes and writes the same bytes', async () => {
    const image = new Uint8Array(3 * 1024 * 1024).map((_, i) => i * 31);
    const writer = new BlobZipWriter(new Date(2026, 0, 2));
    for (let i = 0; i < 6; i++) writer.addStored(`images/${i}.jpg`, image);
    expect(writer.bytes).toBeNull(); // not finished yet
    const zip = new Uint8Array(await writer.finish().arrayBuffer());
    // Several parts: the earlier ones are only in the Blob.
    expect(writer.bytes).toBeNull();
    const listing = await listZip(bytesReader(zip));
    expect(listing.entries).toHaveLength(6);
    const back = await readEntry(bytesReader(zip), listing.entries[5]!);
    expect(Buffer.from(back).equals(Buffer.from(image))).toBe(true);
  });

  it('reuses its buffer across parts without leaking old bytes: many distinct entries around several flushes read back whole', async () => {
    const files: [string, Uint8Array][] = [];
    const image = (k: number): Uint8Array => new Uint8Array(3 * 1024 * 1024 + k * 1001).map((_, i) => (i * 7 + k * 13) & 0xff);
    for (let k = 0; k < 3; k++) files.push([`images/a${k}.jpg`, image(k)]);
    for (let k = 0; k < 500; k++) files.push([`labels/train/${'x'.repeat(k % 37)}${k}.txt`, strToU8(`${k % 3} 0.5 0.5 0.${k} 0.1\n`.repeat(1 + (k % 5)))]);
    for (let k = 3; k < 6; k++) files.push([`images/b${k}.jpg`, image(k)]);
    for (let k = 0; k < 200; k++) files.push([`Annotations/Straße ${k}.xml`, strToU8(`<annotation>${k}</annotation>`)]);
    const writer = new BlobZipWriter(new Date(2026, 0, 2));
    for (const [path, data] of files) writer.addText(path, data);
    const blob = writer.finish();
    expect(blob.size).toBe(writer.written);
    const zip = new Uint8Array(await blob.arrayBuffer());
    const listing = await listZip(bytesReader(zip));
    expect(listing.problems).toEqual([]);
    expect(listing.entries.map((e) => e.path)).toEqual(files.map(([p]) => p));
    for (const [k, e] of listing.entries.entries()) expect(Buffer.from(await readEntry(bytesReader(zip), e)).equals(Buffer.from(files[k]![1]))).toBe(true);
    const unzipped = unzipSync(zip);
    for (const [path, data] of files) expect(Buffer.from(unzipped[path]!).equals(Buffer.from(data))).toBe(true);
  });

  it('writes the same bytes whatever size it was told to expect (too small, right, too big)', async () => {
    const files: [string, Uint8Array][] = [];
    for (let k = 0; k < 300; k++) files.push([`labels/train/${k}.txt`, strToU8(`${k % 3} 0.5 0.5 0.${k} 0.1\n`.repeat(1 + (k % 7)))]);
    files.push(['annotations/instances_train.json', strToU8('{"a": 1}\n'.repeat(DEFLATE_FROM / 4))]);
    const write = async (expected?: number): Promise<Uint8Array> => {
      const w = new BlobZipWriter(new Date(2026, 0, 2), expected);
      for (const [path, data] of files) w.addText(path, data);
      w.addStored('manifest.json', strToU8('{}'));
      const blob = w.finish();
      const bytes = new Uint8Array(await blob.arrayBuffer());
      // One part: the bytes read back are the very bytes of the Blob.
      expect(w.bytes).toEqual(bytes);
      return bytes;
    };
    const plain = await write();
    for (const expected of [1, 1000, plain.length, plain.length * 3, 64 * 1024 * 1024]) expect(Buffer.from(await write(expected)).equals(Buffer.from(plain))).toBe(true);
  });

  it('refuses what a zip without Zip64 cannot hold', () => {
    expect(checkZipLimits(70_000, 10)).toMatch(/at most 65,534/);
    expect(checkZipLimits(10, 5 * 1024 ** 3)).toMatch(/over 4 GB/);
    expect(checkZipLimits(10, 10)).toBeNull();
  });
});

describe('crcOf', () => {
  it('is the CRC-32 of the bytes, kept per array (the headers of a zip written from arrays whose CRC was asked before are right)', async () => {
    const a = strToU8('0 0.5 0.5 0.1 0.1\n');
    const b = strToU8('x'.repeat(DEFLATE_FROM + 10));
    expect(crcOf(a)).toBe(crc32(a));
    expect(crcOf(b)).toBe(crc32(b));
    const w = new BlobZipWriter(new Date(2026, 0, 2));
    w.addText('a.txt', a);
    w.addText('b.txt', b);
    const zip = new Uint8Array(await w.finish().arrayBuffer());
    const reader = bytesReader(zip);
    const { entries, problems } = await listZip(reader);
    expect(problems).toEqual([]);
    for (const e of entries) expect(e.crc32 >>> 0).toBe(crc32(e.path === 'a.txt' ? a : b));
    // readEntry checks each CRC-32 against the bytes read.
    for (const e of entries) await readEntry(reader, e);
  });

  it('writes a file deflated ahead by the platform (deflateTextAhead) that reads back whole, once per array', async () => {
    const big = strToU8(Array.from({ length: 4000 }, (_, i) => `{"id": ${i}, "bbox": [${i % 97}, ${i % 13}, 10, 20]}`).join(',\n'));
    expect(big.length).toBeGreaterThan(DEFLATE_FROM);
    await deflateTextAhead(big);
    const d = deflateText(big);
    expect(deflateText(big)).toBe(d);
    expect(inflateSync(d)).toEqual(big);
    const writer = new BlobZipWriter();
    writer.addText('annotations/instances_train.json', big);
    const zip = new Uint8Array(await writer.finish().arrayBuffer());
    const listing = await listZip(bytesReader(zip));
    expect(listing.entries.map((e) => [e.method, e.compressedSize])).toEqual([[8, d.length]]);
    expect(await readEntry(bytesReader(zip), listing.entries[0]!)).toEqual(big);
    expect(unzipSync(zip)['annotations/instances_train.json']).toEqual(big);
  });
});
