import { describe, it, expect } from 'vitest';
import { deflateSync, zipSync, type Zippable } from 'fflate';
import { crc32 as nodeCrc32 } from 'node:zlib';
import { normaliseArchivePath } from './paths';
import {
  ZipError,
  bytesReader,
  crc32,
  decodeCp437,
  decodeUtf8,
  entryDataRange,
  listZip,
  readEntry,
  type RandomAccessReader,
  type ZipEntry,
  type ZipListing,
} from './zipReader';
import { HEAVY_TEST_MS } from '../../test-support/heavy';

// ---------------------------------------------------------------------------------------------
// A tiny zip writer that lets a test set every field, including wrong ones.

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }
  u16(v: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, true);
    return this.bytes(b);
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return this.bytes(b);
  }
  u64(v: number | bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    return this.bytes(b);
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

interface RawEntry {
  /** A string is written as UTF-8 (flag bit 11 set when non-ASCII); bytes are written as is. */
  name: string | Uint8Array;
  /** Bytes written after the local header. */
  data?: Uint8Array;
  /** Uncompressed bytes, for the default CRC and size; defaults to `data`. */
  content?: Uint8Array;
  method?: number;
  flags?: number;
  crc?: number;
  /** Written into the central 32-bit fields as given (so 0xFFFFFFFF marks Zip64). */
  compressedSize?: number;
  uncompressedSize?: number;
  localHeaderOffset?: number;
  disk?: number;
  centralExtra?: Uint8Array;
  localExtra?: Uint8Array;
  localName?: Uint8Array;
  localSignature?: number;
  dataDescriptor?: boolean;
}

interface ArchiveOptions {
  comment?: Uint8Array;
  zip64?: boolean;
  declaredEntries?: number;
  directorySize?: number;
  directoryOffset?: number;
  disk?: number;
  trailing?: Uint8Array;
}

function writeZip(entries: readonly RawEntry[], options: ArchiveOptions = {}): Uint8Array {
  const out = new ByteWriter();
  const central = new ByteWriter();
  for (const e of entries) {
    const name = typeof e.name === 'string' ? utf8(e.name) : e.name;
    const data = e.data ?? new Uint8Array(0);
    const content = e.content ?? data;
    const method = e.method ?? 0;
    const flags = e.flags ?? (typeof e.name === 'string' && /[^\x00-\x7f]/.test(e.name) ? 0x800 : 0) | (e.dataDescriptor ? 0x8 : 0);
    const crc = e.crc ?? nodeCrc32(content);
    const compressed = e.compressedSize ?? data.length;
    const uncompressed = e.uncompressedSize ?? content.length;
    const localName = e.localName ?? name;
    const localExtra = e.localExtra ?? new Uint8Array(0);
    const offset = out.length;

    out.u32(e.localSignature ?? 0x04034b50).u16(20).u16(flags).u16(method).u16(0).u16(0x21);
    if (e.dataDescriptor) out.u32(0).u32(0).u32(0);
    else out.u32(crc).u32(Math.min(data.length, 0xffffffff)).u32(Math.min(content.length, 0xffffffff));
    out.u16(localName.length).u16(localExtra.length).bytes(localName).bytes(localExtra).bytes(data);
    if (e.dataDescriptor) out.u32(0x08074b50).u32(crc).u32(data.length).u32(content.length);

    const extra = e.centralExtra ?? new Uint8Array(0);
    central.u32(0x02014b50).u16(0x031e).u16(20).u16(flags).u16(method).u16(0).u16(0x21);
    central.u32(crc).u32(compressed).u32(uncompressed).u16(name.length).u16(extra.length).u16(0);
    central.u16(e.disk ?? 0).u16(0).u32(0).u32(e.localHeaderOffset ?? offset).bytes(name).bytes(extra);
  }
  const directoryOffset = options.directoryOffset ?? out.length;
  const directorySize = options.directorySize ?? central.length;
  const count = options.declaredEntries ?? entries.length;
  out.bytes(central.finish());
  const disk = options.disk ?? 0;
  if (options.zip64) {
    const recordOffset = out.length;
    out.u32(0x06064b50).u64(44).u16(45).u16(45).u32(disk).u32(disk).u64(count).u64(count).u64(directorySize).u64(directoryOffset);
    out.u32(0x07064b50).u32(0).u64(recordOffset).u32(1);
    out.u32(0x06054b50).u16(0xffff).u16(0xffff).u16(0xffff).u16(0xffff).u32(0xffffffff).u32(0xffffffff);
  } else {
    out.u32(0x06054b50).u16(disk).u16(disk).u16(count).u16(count).u32(directorySize).u32(directoryOffset);
  }
  const comment = options.comment ?? new Uint8Array(0);
  out.u16(comment.length).bytes(comment);
  if (options.trailing) out.bytes(options.trailing);
  return out.finish();
}

/** A Zip64 extended-information extra field holding the given 64-bit values in order. */
function zip64Extra(...values: (number | bigint)[]): Uint8Array {
  const w = new ByteWriter().u16(0x0001).u16(values.length * 8);
  for (const v of values) w.u64(v);
  return w.finish();
}

function deflated(name: string, content: Uint8Array, extra: Partial<RawEntry> = {}): RawEntry {
  return { name, data: deflateSync(content), content, method: 8, ...extra };
}

const text = (s: string): Uint8Array => utf8(s);
const ok = (name = 'ok.png'): RawEntry => ({ name, data: text('fine') });

function paths(listing: ZipListing): string[] {
  return listing.entries.map((e) => e.path);
}

async function listBytes(bytes: Uint8Array, options?: Parameters<typeof listZip>[1]): Promise<ZipListing> {
  return listZip(bytesReader(bytes), options);
}

function entryNamed(listing: ZipListing, path: string): ZipEntry {
  const entry = listing.entries.find((e) => e.path === path);
  if (entry === undefined) throw new Error(`no entry ${path}`);
  return entry;
}

/** Deterministic xorshift32; the fuzz must replay identically. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const next = prng(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
  return out;
}

async function zipErrorOf(promise: Promise<unknown>): Promise<ZipError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ZipError) return error;
    throw error;
  }
  throw new Error('expected a ZipError');
}

// ---------------------------------------------------------------------------------------------

describe('listZip and readEntry on archives made by fflate', () => {
  const photo = pseudoRandomBytes(3 * 1024 * 1024 + 17, 7);
  const repetitive = utf8('label,x,y\n'.repeat(400_000));
  const files: Zippable = {
    'readme.txt': [utf8('hello'), { level: 0 }],
    'images/': new Uint8Array(0),
    'images/photo.jpg': [photo, { level: 0 }],
    'images/photo-deflated.jpg': [photo, { level: 6 }],
    'labels.csv': [repetitive, { level: 9 }],
    'café/ø.png': utf8('øøø'),
    'empty.png': new Uint8Array(0),
  };
  const archive = zipSync(files);

  it('lists every entry with its safe path, kind, method and sizes, and no problems', async () => {
    const listing = await listBytes(archive);
    expect(listing.problems).toEqual([]);
    expect(listing.entries.map((e) => [e.path, e.isDirectory, e.method, e.uncompressedSize])).toEqual([
      ['readme.txt', false, 0, 5],
      ['images', true, 8, 0],
      ['images/photo.jpg', false, 0, photo.length],
      ['images/photo-deflated.jpg', false, 8, photo.length],
      ['labels.csv', false, 8, repetitive.length],
      ['café/ø.png', false, 8, 6],
      ['empty.png', false, 8, 0],
    ]);
    expect(entryNamed(listing, 'café/ø.png').rawName).toBe('café/ø.png');
    expect(entryNamed(listing, 'images').rawName).toBe('images/');
  });

  it('reads every entry back byte-identical', async () => {
    const reader = bytesReader(archive);
    const listing = await listZip(reader);
    const expected: Record<string, Uint8Array> = {
      'readme.txt': utf8('hello'),
      images: new Uint8Array(0),
      'images/photo.jpg': photo,
      'images/photo-deflated.jpg': photo,
      'labels.csv': repetitive,
      'café/ø.png': utf8('øøø'),
      'empty.png': new Uint8Array(0),
    };
    for (const entry of listing.entries) {
      const bytes = await readEntry(reader, entry);
      expect(bytes.length, entry.path).toBe(expected[entry.path]?.length);
      expect(Buffer.from(bytes).equals(Buffer.from(expected[entry.path] ?? new Uint8Array(1))), entry.path).toBe(true);
    }
  }, HEAVY_TEST_MS);

  it('gives stored entries a data range that is a plain slice of the archive', async () => {
    const reader = bytesReader(archive);
    const entry = entryNamed(await listZip(reader), 'images/photo.jpg');
    const { start, end } = await entryDataRange(reader, entry);
    expect(end - start).toBe(photo.length);
    expect(Buffer.from(archive.subarray(start, end)).equals(Buffer.from(photo))).toBe(true);
  });

  it('lists by reading only the tail and the central directory', async () => {
    let bytesRead = 0;
    const inner = bytesReader(archive);
    const counting: RandomAccessReader = {
      size: inner.size,
      read(offset, length) {
        bytesRead += length;
        return inner.read(offset, length);
      },
    };
    await listZip(counting);
    expect(archive.length).toBeGreaterThan(3_000_000);
    expect(bytesRead).toBeLessThan(65_557 + 20 + 1000);
  });

  it('lists 10,000 entries whose central directory spans more than one read chunk', async () => {
    const many: Zippable = {};
    for (let i = 0; i < 10_000; i++) many[`images/batch-${i % 7}/image-${String(i).padStart(6, '0')}-with-a-fairly-long-descriptive-name.png`] = [new Uint8Array([i & 0xff]), { level: 0 }];
    const big = zipSync(many);
    const directorySize = new DataView(big.buffer).getUint32(big.length - 22 + 12, true);
    expect(directorySize).toBeGreaterThan(1 << 20);
    const reader = bytesReader(big);
    const listing = await listZip(reader);
    expect(listing.problems).toEqual([]);
    expect(listing.entries.length).toBe(10_000);
    const last = listing.entries[9_999];
    expect(last?.path).toBe('images/batch-3/image-009999-with-a-fairly-long-descriptive-name.png');
    expect(last === undefined ? null : await readEntry(reader, last)).toEqual(new Uint8Array([9_999 & 0xff]));
  }, HEAVY_TEST_MS);

  it('detects a corrupted byte through the CRC-32', async () => {
    const copy = archive.slice();
    const listing = await listBytes(copy);
    const entry = entryNamed(listing, 'images/photo.jpg');
    const { start } = await entryDataRange(bytesReader(copy), entry);
    copy[start + 1000] = (copy[start + 1000] ?? 0) ^ 0x01;
    const error = await zipErrorOf(readEntry(bytesReader(copy), entry));
    expect(error.message).toBe("'images/photo.jpg' is damaged: its CRC-32 checksum does not match its contents");
  });
});

describe('name decoding', () => {
  it('decodes names without the UTF-8 flag as CP437', async () => {
    const listing = await listBytes(writeZip([{ name: new Uint8Array([0x63, 0x61, 0x66, 0x82, 0x2f, 0x94, 0x2e, 0x70, 0x6e, 0x67]), data: text('x') }]));
    expect(listing.problems).toEqual([]);
    expect(listing.entries.map((e) => [e.rawName, e.path])).toEqual([['café/ö.png', 'café/ö.png']]);
  });

  it('maps the CP437 upper half to the right characters', () => {
    expect(decodeCp437(new Uint8Array([0x80, 0x9b, 0xb0, 0xdb, 0xe1, 0xe6, 0xed, 0xf9, 0xfa, 0xff]))).toBe('Ç¢░█ßµφ∙·\u00a0');
    expect(decodeCp437(utf8('plain/ascii.png'))).toBe('plain/ascii.png');
  });

  it('refuses a name flagged UTF-8 that is not valid UTF-8', async () => {
    const listing = await listBytes(writeZip([{ name: new Uint8Array([0x61, 0xff, 0x2e, 0x70]), flags: 0x800, data: text('x') }, ok()]));
    expect(paths(listing)).toEqual(['ok.png']);
    expect(listing.problems).toEqual([{ entry: 'a\ufffd.p', message: 'name is not valid UTF-8' }]);
  });

  it.each([
    ['overlong 2-byte', [0xc0, 0x80]],
    ['overlong 3-byte', [0xe0, 0x80, 0x80]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['lone continuation', [0x80]],
    ['truncated sequence', [0xe2, 0x82]],
  ])('decodeUtf8 rejects %s', (_label, bytes) => {
    expect(decodeUtf8(new Uint8Array(bytes)).valid).toBe(false);
  });

  it('decodeUtf8 reads ASCII names (short and long, every byte below 0x80) and ASCII followed by more', () => {
    const all = Uint8Array.from({ length: 128 }, (_, i) => i);
    expect(decodeUtf8(all)).toEqual({ text: String.fromCharCode(...all), valid: true });
    const long = new Uint8Array(3000).fill(0x61);
    expect(decodeUtf8(long)).toEqual({ text: 'a'.repeat(3000), valid: true });
    expect(decodeUtf8(utf8('labels/a\u00e9.txt'))).toEqual({ text: 'labels/a\u00e9.txt', valid: true });
    expect(decodeUtf8(new Uint8Array([0x61, 0x62, 0xff]))).toEqual({ text: 'ab\ufffd', valid: false });
  });

  it('decodeUtf8 agrees with a strict TextDecoder on random input', () => {
    const next = prng(99);
    const strict = new TextDecoder('utf-8', { fatal: true });
    const alphabet = [0x41, 0x2f, 0x7f, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xa0, 0x9f, 0x90, 0x8f];
    for (let round = 0; round < 3000; round++) {
      const length = Math.floor(next() * 8);
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++) bytes[i] = next() < 0.5 ? (alphabet[Math.floor(next() * alphabet.length)] ?? 0) : Math.floor(next() * 256);
      let expected: string | null;
      try {
        expected = strict.decode(bytes);
      } catch {
        expected = null;
      }
      const decoded = decodeUtf8(bytes);
      expect(decoded.valid, Array.from(bytes).join(',')).toBe(expected !== null);
      if (expected !== null) expect(decoded.text).toBe(expected);
    }
  }, HEAVY_TEST_MS);
});

describe('hostile names', () => {
  const climbs = "climbs out of the archive with '..'";
  it.each([
    ['../evil.png', climbs],
    ['a/../../evil.png', climbs],
    ['a/../evil.png', climbs],
    ['..\\x.png', climbs],
    ['/etc/passwd', 'is an absolute path'],
    ['//server/share/x.png', 'is an absolute path'],
    ['C:\\x.png', 'is an absolute path (it starts with a drive letter)'],
    ['a\u0000.png', 'contains a NUL character'],
    ['a\u001b.png', 'contains a control character'],
    ['', 'has an empty name'],
    ['a/.../b.png', "has a file or folder name made only of dots and spaces ('...')"],
  ])('leaves out %j: %s', async (name, message) => {
    const listing = await listBytes(writeZip([ok('before.png'), { name, data: text('evil') }, ok('after.png')]));
    expect(paths(listing)).toEqual(['before.png', 'after.png']);
    expect(listing.problems).toEqual([{ entry: name, message }]);
  });

  it('reports every bad entry, in central-directory order', async () => {
    const listing = await listBytes(writeZip([{ name: '/a.png' }, ok(), { name: '../b.png' }, { name: 'c.png', method: 14 }]));
    expect(paths(listing)).toEqual(['ok.png']);
    expect(listing.problems.map((p) => p.entry)).toEqual(['/a.png', '../b.png', 'c.png']);
  });
});

describe('entry checks', () => {
  it('refuses an entry declaring just over 1 GiB uncompressed from the central directory alone', async () => {
    const listing = await listBytes(writeZip([deflated('bomb.png', text('tiny'), { uncompressedSize: 1024 ** 3 + 1 }), ok()]));
    expect(paths(listing)).toEqual(['ok.png']);
    expect(listing.problems).toEqual([{ entry: 'bomb.png', message: 'declares 1.0 GB uncompressed, over the 1 GB limit' }]);
  });

  it('applies a custom maxEntrySize, inclusive', async () => {
    const archive = writeZip([ok('exact.png'), { name: 'big.png', data: text('fine!') }]);
    const listing = await listBytes(archive, { maxEntrySize: 4 });
    expect(paths(listing)).toEqual(['exact.png']);
    expect(listing.problems).toEqual([{ entry: 'big.png', message: 'declares 5 bytes uncompressed, over the 4 bytes limit' }]);
  });

  it('lists a 1 GiB-declared entry under the default limit but refuses to read it, without allocating 1 GiB', async () => {
    const archive = writeZip([deflated('liar.png', text('tiny'), { uncompressedSize: 1024 ** 3 })]);
    const reader = bytesReader(archive);
    const listing = await listZip(reader);
    expect(listing.problems).toEqual([]);
    const error = await zipErrorOf(readEntry(reader, entryNamed(listing, 'liar.png')));
    expect(error.message).toBe("'liar.png' is damaged: it inflates to 4 bytes but declares 1 GB");
  });

  it('refuses encrypted entries', async () => {
    const listing = await listBytes(writeZip([{ name: 'secret.png', data: text('xxxxxxxxxxxx'), flags: 0x1 }, ok()]));
    expect(listing.problems).toEqual([{ entry: 'secret.png', message: 'is encrypted (password-protected entries are not supported)' }]);
    expect(paths(listing)).toEqual(['ok.png']);
  });

  it.each([
    [14, 'compression method 14 (LZMA) is not supported'],
    [12, 'compression method 12 (bzip2) is not supported'],
    [93, 'compression method 93 (zstd) is not supported'],
    [99, 'compression method 99 (AES) is not supported'],
    [9, 'compression method 9 (Deflate64) is not supported'],
    [77, 'compression method 77 is not supported'],
  ])('refuses compression method %i', async (method, message) => {
    const listing = await listBytes(writeZip([{ name: 'x.png', data: text('abc'), method }]));
    expect(listing).toEqual({ entries: [], problems: [{ entry: 'x.png', message }] });
  });

  it('refuses a stored entry whose two sizes differ', async () => {
    const listing = await listBytes(writeZip([{ name: 'x.png', data: text('abc'), uncompressedSize: 10 }]));
    expect(listing.problems).toEqual([{ entry: 'x.png', message: 'is stored uncompressed but records two different sizes (3 and 10 bytes)' }]);
  });

  it('refuses an entry whose data would lie outside the archive', async () => {
    const listing = await listBytes(writeZip([ok(), { name: 'far.png', data: text('abc'), localHeaderOffset: 1_000_000 }]));
    expect(paths(listing)).toEqual(['ok.png']);
    expect(listing.problems).toEqual([{ entry: 'far.png', message: 'has data outside the archive (the archive may be truncated or damaged)' }]);
  });

  it('refuses an entry whose compressed size runs into the central directory', async () => {
    const listing = await listBytes(writeZip([deflated('x.png', text('hello hello'), { compressedSize: 500 })]));
    expect(listing.problems).toEqual([{ entry: 'x.png', message: 'has data outside the archive (the archive may be truncated or damaged)' }]);
  });

  it('lists directories without size checks', async () => {
    const listing = await listBytes(writeZip([{ name: 'dir/', uncompressedSize: 0xfffffff0 }, { name: 'win\\' }]));
    expect(listing.problems).toEqual([]);
    expect(listing.entries.map((e) => [e.path, e.isDirectory])).toEqual([
      ['dir', true],
      ['win', true],
    ]);
  });

  it('accepts data descriptors, taking sizes from the central directory', async () => {
    const content = text('described later '.repeat(20));
    const archive = writeZip([deflated('dd.png', content, { dataDescriptor: true }), ok()]);
    const reader = bytesReader(archive);
    const listing = await listZip(reader);
    expect(listing.problems).toEqual([]);
    expect(Buffer.from(await readEntry(reader, entryNamed(listing, 'dd.png'))).toString()).toBe('described later '.repeat(20));
  });

  it('finds the data from the local header even when its name and extra lengths differ from the central ones', async () => {
    const archive = writeZip([{ name: 'a.png', data: text('payload'), localName: text('a-much-longer-local-name.png'), localExtra: new Uint8Array(9) }]);
    const reader = bytesReader(archive);
    const listing = await listZip(reader);
    expect(Buffer.from(await readEntry(reader, entryNamed(listing, 'a.png'))).toString()).toBe('payload');
  });
});

describe('duplicates and clashes', () => {
  it.each([
    [['a/b.png', 'a/b.png'], 'a/b.png'],
    [['a/b.png', 'a//b.png'], 'a/b.png'],
    [['x.png', './x.png'], 'x.png'],
    [['a\\b.png', 'a/b.png'], 'a/b.png'],
    [['café.png', 'cafe\u0301.png'], 'café.png'],
  ])('keeps the first of %j', async (names, path) => {
    const listing = await listBytes(writeZip(names.map((name) => ({ name, data: text(name) }))));
    expect(paths(listing)).toEqual([path]);
    expect(listing.problems).toEqual([{ entry: names[1], message: `duplicate path: '${path}' is already used by an earlier entry` }]);
  });

  it.each([
    [['a', 'a/b.png'], 'a'],
    [['a/b.png', 'a'], 'a'],
    [['a/', 'a'], 'a'],
    [['a', 'a/'], 'a'],
    [['a/b', 'a/b/c/d.png'], 'a/b'],
  ])('refuses a path used as both file and folder: %j', async (names, clash) => {
    const listing = await listBytes(writeZip(names.map((name) => ({ name, data: name.endsWith('/') ? undefined : text('x') }))));
    expect(listing.entries.map((e) => e.rawName)).toEqual([names[0]]);
    expect(listing.problems).toEqual([{ entry: names[1], message: `path conflict: '${clash}' is used both as a file and as a folder` }]);
  });

  it('merges a folder listed twice without a problem', async () => {
    const listing = await listBytes(writeZip([{ name: 'd/' }, { name: 'd/x.png', data: text('x') }, { name: 'd/' }]));
    expect(paths(listing)).toEqual(['d', 'd/x.png']);
    expect(listing.problems).toEqual([]);
  });

  it('refuses entries that share data with another (overlapping zip bomb)', async () => {
    const archive = writeZip([deflated('kernel.png', new Uint8Array(5000)), deflated('copy.png', new Uint8Array(5000), { localHeaderOffset: 0 })]);
    const listing = await listBytes(archive);
    expect(paths(listing)).toEqual(['kernel.png']);
    expect(listing.problems).toEqual([{ entry: 'copy.png', message: 'shares its data with another entry (a sign of a zip bomb)' }]);
  });
});

describe('archive-level problems', () => {
  const notZip = 'not a zip archive (no end of central directory record found)';
  const valid = zipSync({ 'a.png': text('aaaa'), 'b.png': text('bbbb'), 'c.png': text('cccc') });

  it.each([
    ['an empty file', new Uint8Array(0), 'the file is empty'],
    ['a tiny file', text('PK'), 'not a zip archive (the file is too small)'],
    ['garbage', pseudoRandomBytes(100_000, 3), notZip],
    ['a PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(40)]), notZip],
    ['a zip cut short', valid.subarray(0, valid.length - 5), notZip],
  ])('reports %s with no entries', async (_label, bytes, message) => {
    expect(await listBytes(bytes)).toEqual({ entries: [], problems: [{ entry: null, message }] });
  });

  it('reports a central directory cut off (bytes missing before the end record)', async () => {
    const eocd = valid.length - 22;
    const damaged = new Uint8Array([...valid.subarray(0, eocd - 10), ...valid.subarray(eocd)]);
    expect(await listBytes(damaged)).toEqual({
      entries: [],
      problems: [{ entry: null, message: 'the central directory is cut off or lies outside the file (the archive may be truncated)' }],
    });
  });

  it('reports a central directory that is not where the end record says', async () => {
    const listing = await listBytes(writeZip([ok()], { directoryOffset: 3 }));
    expect(listing).toEqual({ entries: [], problems: [{ entry: null, message: 'the central directory is not where the end record says (the archive is damaged)' }] });
  });

  it('reports a truncated central directory entry and keeps the entries before it', async () => {
    const entries = [ok('a.png'), ok('b.png'), { name: 'c.png', data: text('x'), centralExtra: new Uint8Array([0x99, 0x99, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]) }];
    const full = writeZip(entries);
    const directorySize = new DataView(full.buffer).getUint32(full.length - 22 + 12, true);

    const cutInExtra = await listBytes(writeZip(entries, { directorySize: directorySize - 4 }));
    expect(paths(cutInExtra)).toEqual(['a.png', 'b.png']);
    expect(cutInExtra.problems).toEqual([{ entry: 'c.png', message: 'central directory entry truncated' }]);

    const cutInName = await listBytes(writeZip(entries, { directorySize: directorySize - 14 }));
    expect(cutInName.problems).toEqual([{ entry: null, message: 'central directory entry truncated' }]);

    const cutInHeader = await listBytes(writeZip(entries, { directorySize: directorySize - 40 }));
    expect(paths(cutInHeader)).toEqual(['a.png', 'b.png']);
    expect(cutInHeader.problems).toEqual([{ entry: null, message: 'central directory entry truncated' }]);
  });

  it('reports a central directory damaged part-way and keeps the entries before it', async () => {
    const damaged = writeZip([ok('a.png'), ok('b.png')]);
    const directoryStart = new DataView(damaged.buffer).getUint32(damaged.length - 22 + 16, true);
    const secondHeader = directoryStart + 46 + 'a.png'.length;
    expect(new DataView(damaged.buffer).getUint32(secondHeader, true)).toBe(0x02014b50);
    damaged[secondHeader + 2] = 0;
    const listing = await listBytes(damaged);
    expect(paths(listing)).toEqual(['a.png']);
    expect(listing.problems).toEqual([{ entry: null, message: 'the central directory is damaged after entry 1; the rest of the archive cannot be listed' }]);
  });

  it('reports an entry count that disagrees with the end record', async () => {
    const listing = await listBytes(writeZip([ok('a.png'), ok('b.png')], { declaredEntries: 3 }));
    expect(paths(listing)).toEqual(['a.png', 'b.png']);
    expect(listing.problems).toEqual([{ entry: null, message: 'the central directory holds 2 entries but the end record declares 3 (the archive may be damaged)' }]);
  });

  it('enforces maxEntries from the declared count and from the records themselves', async () => {
    const three = [ok('a.png'), ok('b.png'), ok('c.png')];
    expect(await listBytes(writeZip(three), { maxEntries: 2 })).toEqual({
      entries: [],
      problems: [{ entry: null, message: 'the archive has 3 entries, over the limit of 2' }],
    });
    expect(await listBytes(writeZip(three, { declaredEntries: 1 }), { maxEntries: 2 })).toEqual({
      entries: [],
      problems: [{ entry: null, message: 'the archive has more than 2 entries, over the limit' }],
    });
  });

  it('refuses split archives', async () => {
    expect(await listBytes(writeZip([ok()], { disk: 1 }))).toEqual({ entries: [], problems: [{ entry: null, message: 'split (multi-part) zip archives are not supported' }] });
  });

  it('lists an empty archive as empty', async () => {
    expect(await listBytes(zipSync({}))).toEqual({ entries: [], problems: [] });
  });

  it('finds the end record before an archive comment, even one containing the signature', async () => {
    const fakeRecord = new ByteWriter().u32(0x06054b50).u16(0).u16(0).u16(9).u16(9).u32(99).u32(99).u16(0).finish();
    const comment = new Uint8Array([...text('made by a test '), ...fakeRecord, ...text(' end')]);
    const listing = await listBytes(writeZip([ok()], { comment }));
    expect(listing).toEqual({ entries: [expect.objectContaining({ path: 'ok.png' })], problems: [] });
  });

  it('finds the end record when junk follows the archive', async () => {
    const listing = await listBytes(writeZip([ok()], { trailing: text('appended junk') }));
    expect(paths(listing)).toEqual(['ok.png']);
    expect(listing.problems).toEqual([]);
  });

  it('finds the end record behind the longest possible comment', async () => {
    const listing = await listBytes(writeZip([ok()], { comment: new Uint8Array(0xffff).fill(0x20) }));
    expect(paths(listing)).toEqual(['ok.png']);
  });

  it('lets an error thrown by the reader propagate', async () => {
    const failing: RandomAccessReader = { size: 1000, read: () => Promise.reject(new Error('disk on fire')) };
    await expect(listZip(failing)).rejects.toThrow('disk on fire');
  });
});

describe('Zip64', () => {
  it('reads the Zip64 end record and sizes and offsets from the 0x0001 extra field', async () => {
    const first = text('first file, stored');
    const second = text('second '.repeat(100));
    const secondData = deflateSync(second);
    const secondOffset = 30 + 'one.png'.length + first.length;
    const archive = writeZip(
      [
        { name: 'one.png', data: first, compressedSize: 0xffffffff, uncompressedSize: 0xffffffff, centralExtra: zip64Extra(first.length, first.length) },
        {
          name: 'two.png',
          data: secondData,
          content: second,
          method: 8,
          uncompressedSize: 0xffffffff,
          localHeaderOffset: 0xffffffff,
          centralExtra: new Uint8Array([0x55, 0x54, 1, 0, 0, ...zip64Extra(second.length, secondOffset)]),
        },
      ],
      { zip64: true },
    );
    const reader = bytesReader(archive);
    const listing = await listZip(reader);
    expect(listing.problems).toEqual([]);
    expect(listing.entries.map((e) => [e.path, e.compressedSize, e.uncompressedSize, e.localHeaderOffset])).toEqual([
      ['one.png', first.length, first.length, 0],
      ['two.png', secondData.length, second.length, secondOffset],
    ]);
    expect(Buffer.from(await readEntry(reader, entryNamed(listing, 'one.png'))).toString()).toBe('first file, stored');
    expect(Buffer.from(await readEntry(reader, entryNamed(listing, 'two.png'))).toString()).toBe('second '.repeat(100));
  });

  it('refuses sizes beyond Number.MAX_SAFE_INTEGER', async () => {
    const archive = writeZip([{ name: 'huge.png', data: text('x'), uncompressedSize: 0xffffffff, centralExtra: zip64Extra(2n ** 53n) }, ok()], { zip64: true });
    const listing = await listBytes(archive);
    expect(paths(listing)).toEqual(['ok.png']);
    expect(listing.problems).toEqual([{ entry: 'huge.png', message: 'declares a size too large to handle' }]);
  });

  it('refuses an entry marked Zip64 without the extra field', async () => {
    const listing = await listBytes(writeZip([{ name: 'z.png', data: text('x'), compressedSize: 0xffffffff }]));
    expect(listing.problems).toEqual([{ entry: 'z.png', message: 'is marked as Zip64 but its Zip64 extra field is missing or too short' }]);
  });

  it('reports a Zip64 locator that points at garbage', async () => {
    const archive = writeZip([ok()], { zip64: true });
    const damaged = archive.slice();
    const recordOffset = damaged.length - 22 - 20 - 56;
    damaged[recordOffset] = 0;
    expect(await listBytes(damaged)).toEqual({ entries: [], problems: [{ entry: null, message: 'the Zip64 end record is missing or damaged' }] });
  });
});

describe('readEntry and entryDataRange failures', () => {
  async function single(entry: RawEntry): Promise<{ reader: RandomAccessReader; entry: ZipEntry; archive: Uint8Array }> {
    const archive = writeZip([entry]);
    const reader = bytesReader(archive);
    const listing = await listZip(reader);
    const first = listing.entries[0];
    if (first === undefined) throw new Error(`not listed: ${JSON.stringify(listing.problems)}`);
    return { reader, entry: first, archive };
  }

  it('detects a wrong CRC-32 in the central directory', async () => {
    const { reader, entry } = await single(deflated('x.png', text('some content'), { crc: 1234 }));
    expect((await zipErrorOf(readEntry(reader, entry))).message).toBe("'x.png' is damaged: its CRC-32 checksum does not match its contents");
  });

  it('detects corrupt deflate data', async () => {
    const { reader, entry } = await single({ name: 'x.png', method: 8, data: new Uint8Array([0xff, 0xff, 0xff, 0xff]), content: text('abc') });
    expect((await zipErrorOf(readEntry(reader, entry))).message).toMatch(/^'x\.png' is damaged: its compressed data is invalid/);
  });

  it('detects truncated deflate data', async () => {
    const data = deflateSync(pseudoRandomBytes(5000, 5));
    const { reader, entry } = await single({ name: 'x.png', method: 8, data: data.subarray(0, 100), content: pseudoRandomBytes(5000, 5) });
    expect((await zipErrorOf(readEntry(reader, entry))).message).toMatch(/^'x\.png' is damaged: its compressed data is invalid/);
  });

  it('stops inflating as soon as the output exceeds the declared size', async () => {
    const { reader, entry } = await single(deflated('bomb.png', new Uint8Array(5_000_000), { uncompressedSize: 10 }));
    expect((await zipErrorOf(readEntry(reader, entry))).message).toBe("'bomb.png' is damaged: it inflates to more than the declared 10 bytes");
  }, HEAVY_TEST_MS);

  it('refuses a bad local header signature', async () => {
    const { reader, entry } = await single({ name: 'x.png', data: text('abc'), localSignature: 0x12345678 });
    expect((await zipErrorOf(entryDataRange(reader, entry))).message).toBe("'x.png' cannot be read: its local header is damaged");
    expect((await zipErrorOf(readEntry(reader, entry))).message).toBe("'x.png' cannot be read: its local header is damaged");
  });

  it('refuses data that runs past the end because of the local extra length', async () => {
    const { reader, entry, archive } = await single({ name: 'x.png', data: text('abc') });
    const patched = archive.slice();
    new DataView(patched.buffer).setUint16(28, 0xffff, true);
    expect((await zipErrorOf(entryDataRange(bytesReader(patched), entry))).message).toBe("'x.png' cannot be read: its data runs past the end of the archive");
    expect(await readEntry(reader, entry)).toEqual(text('abc'));
  });

  it('refuses a local header offset past the end', async () => {
    const { reader, entry } = await single(ok());
    const moved: ZipEntry = { ...entry, localHeaderOffset: reader.size - 10 };
    expect((await zipErrorOf(readEntry(reader, moved))).message).toBe("'ok.png' cannot be read: its header lies past the end of the archive");
  });

  it('refuses a stored entry whose sizes were edited apart after listing', async () => {
    const { reader, entry } = await single(ok());
    const edited: ZipEntry = { ...entry, uncompressedSize: entry.uncompressedSize + 1 };
    expect((await zipErrorOf(readEntry(reader, edited))).message).toBe("'ok.png' is damaged: it is stored uncompressed but its two recorded sizes differ");
  });

  it('turns a reader that breaks its contract with a short read into a ZipError', async () => {
    const { reader, entry } = await single(ok());
    const short: RandomAccessReader = { size: reader.size, read: async (offset, length) => (await reader.read(offset, length)).subarray(0, Math.max(0, length - 1)) };
    expect((await zipErrorOf(readEntry(short, entry))).message).toMatch(/^the archive could not be read: asked for 30 bytes at offset 0, got 29$/);
  });

  it('reads a directory entry as empty', async () => {
    const { reader, entry } = await single({ name: 'd/' });
    expect(entry.isDirectory).toBe(true);
    expect(await readEntry(reader, entry)).toEqual(new Uint8Array(0));
  });
});

describe('helpers', () => {
  it('bytesReader refuses out-of-range reads', async () => {
    const reader = bytesReader(new Uint8Array(10));
    await expect(reader.read(5, 6)).rejects.toBeInstanceOf(RangeError);
    await expect(reader.read(-1, 1)).rejects.toBeInstanceOf(RangeError);
    expect(await reader.read(10, 0)).toEqual(new Uint8Array(0));
  });

  it('crc32 matches zlib, including when continued', () => {
    const data = pseudoRandomBytes(10_000, 11);
    expect(crc32(data)).toBe(nodeCrc32(data));
    expect(crc32(data.subarray(3000), crc32(data.subarray(0, 3000)))).toBe(nodeCrc32(data));
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('crc32 matches zlib for every length 0–40 and every start offset 0–7 (the 8-byte steps and the byte-by-byte tail), and on unaligned views', () => {
    const data = pseudoRandomBytes(48, 12);
    for (let start = 0; start < 8; start++) {
      for (let length = 0; length <= 40; length++) {
        const view = data.subarray(start, start + length);
        expect(crc32(view)).toBe(nodeCrc32(view));
        // Continued from any split point.
        const cut = length >> 1;
        expect(crc32(view.subarray(cut), crc32(view.subarray(0, cut)))).toBe(nodeCrc32(view));
      }
    }
    const all = new Uint8Array(256).map((_, i) => 255 - i);
    expect(crc32(all)).toBe(nodeCrc32(all));
  });
});

describe('fuzz: mutated archives', () => {
  const base = zipSync({
    'notes.txt': [text('stored text '.repeat(20)), { level: 0 }],
    'img/': new Uint8Array(0),
    'img/a.png': text('deflated content '.repeat(200)),
    'img/b.bin': [pseudoRandomBytes(600, 21), { level: 0 }],
    'ünïcode/名前.png': text('名前'),
    'empty.txt': new Uint8Array(0),
  });
  const zip64Base = writeZip(
    [
      { name: 'z.png', data: text('zip64 data'), compressedSize: 0xffffffff, uncompressedSize: 0xffffffff, centralExtra: zip64Extra(10, 10) },
      deflated('y.png', text('yyyy '.repeat(50))),
    ],
    { zip64: true },
  );

  function mutate(source: Uint8Array, next: () => number): { bytes: Uint8Array; kind: number } {
    const int = (n: number): number => Math.floor(next() * n);
    const bytes = source.slice();
    const kind = int(7);
    switch (kind) {
      case 0: {
        for (let n = 1 + int(8); n > 0; n--) {
          const at = int(bytes.length);
          bytes[at] = (bytes[at] ?? 0) ^ (1 + int(255));
        }
        return { bytes, kind };
      }
      case 1: {
        // Most interesting structure lives in the last quarter: central directory and end records.
        const from = Math.floor(bytes.length * 0.75);
        for (let n = 1 + int(4); n > 0; n--) {
          const at = from + int(bytes.length - from);
          bytes[at] = (bytes[at] ?? 0) ^ (1 + int(255));
        }
        return { bytes, kind };
      }
      case 2:
        return { bytes: bytes.slice(0, int(bytes.length)), kind };
      case 3: {
        const at = int(bytes.length);
        const length = 1 + int(64);
        return { bytes: new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + length)]), kind };
      }
      case 4: {
        const at = int(bytes.length);
        const inserted = pseudoRandomBytes(1 + int(64), 1 + int(1_000_000));
        return { bytes: new Uint8Array([...bytes.subarray(0, at), ...inserted, ...bytes.subarray(at)]), kind };
      }
      case 5: {
        const length = 1 + int(48);
        const from = int(Math.max(1, bytes.length - length));
        const to = int(Math.max(1, bytes.length - length));
        bytes.copyWithin(to, from, from + length);
        return { bytes, kind };
      }
      default: {
        // Extreme values in a size, count or offset field near the end.
        const data = new DataView(bytes.buffer);
        const at = Math.floor(bytes.length * 0.6) + int(Math.floor(bytes.length * 0.4) - 4);
        const values = [0, 0xffffffff, 0x7fffffff, 0x80000000, 1, bytes.length];
        data.setUint32(at, values[int(values.length)] ?? 0, true);
        return { bytes, kind };
      }
    }
  }

  it('never throws from listZip, and readEntry throws only ZipError, over 2,000 mutations', async () => {
    const next = prng(0xc0ffee);
    const failures: string[] = [];
    const tally = { listed: 0, withProblems: 0, read: 0, readFailed: 0 };
    const maxEntrySize = 1 << 20;
    for (let round = 0; round < 2000; round++) {
      const { bytes, kind } = mutate(round % 4 === 3 ? zip64Base : base, next);
      const reader = bytesReader(bytes);
      let listing: ZipListing;
      try {
        listing = await listZip(reader, { maxEntrySize });
      } catch (error) {
        failures.push(`round ${round} (kind ${kind}): listZip threw ${String(error)}`);
        continue;
      }
      tally.listed += listing.entries.length;
      if (listing.problems.length > 0) tally.withProblems++;
      for (const entry of listing.entries) {
        const safe = normaliseArchivePath(entry.path);
        if (!safe.ok || safe.path !== entry.path) failures.push(`round ${round}: unsafe path ${JSON.stringify(entry.path)}`);
        if (!entry.isDirectory && (entry.uncompressedSize > maxEntrySize || entry.localHeaderOffset + 30 + entry.compressedSize > bytes.length)) {
          failures.push(`round ${round}: entry ${entry.path} escaped the size checks`);
        }
        try {
          const data = await readEntry(reader, entry);
          if (data.length !== entry.uncompressedSize) failures.push(`round ${round}: ${entry.path} read ${data.length} bytes`);
          tally.read++;
        } catch (error) {
          if (error instanceof ZipError) tally.readFailed++;
          else failures.push(`round ${round} (kind ${kind}): readEntry(${entry.path}) threw ${String(error)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The mutations must actually reach every outcome, or the fuzz proves nothing.
    expect(tally.withProblems).toBeGreaterThan(500);
    expect(tally.read).toBeGreaterThan(1000);
    expect(tally.readFailed).toBeGreaterThan(50);
  }, HEAVY_TEST_MS);
});
