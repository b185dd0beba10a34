import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseName, decodeText, decodeTogether, dirName, encodeText, escapeXml, extensionOf, formatNumber, stemOf } from './text';

describe('decodeText / encodeText', () => {
  it('strips a leading UTF-8 byte-order mark', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x62]))).toBe('ab');
  });

  it('decodes text without a BOM unchanged, including non-ASCII', () => {
    expect(decodeText(encodeText('Straße ✓ 日本'))).toBe('Straße ✓ 日本');
    expect(decodeText(new Uint8Array([]))).toBe('');
  });

  it('keeps a zero-width no-break space that is not at the start', () => {
    expect(decodeText(encodeText('a\uFEFFb'))).toBe('a\uFEFFb');
  });

  it('does not strip a partial BOM', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb]))).not.toBe('');
  });
});

describe('escapeXml', () => {
  it('escapes the five XML entities', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
  });

  it('escapes an ampersand in an existing entity again', () => {
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('leaves other text, non-ASCII included, as it is', () => {
    expect(escapeXml('Ünïcödé 猫 plain')).toBe('Ünïcödé 猫 plain');
    expect(escapeXml('')).toBe('');
  });
});

describe('path helpers', () => {
  it('baseName is the last segment', () => {
    expect(baseName('a/b/c.jpg')).toBe('c.jpg');
    expect(baseName('c.jpg')).toBe('c.jpg');
    expect(baseName('a/b/')).toBe('');
  });

  it('stemOf drops only the last extension and ignores folders', () => {
    expect(stemOf('a.jpg')).toBe('a');
    expect(stemOf('a.b.jpg')).toBe('a.b');
    expect(stemOf('dir.d/img.PNG')).toBe('img');
    expect(stemOf('dir.d/noext')).toBe('noext');
    expect(stemOf('.hidden')).toBe('.hidden');
    expect(stemOf('x/.hidden')).toBe('.hidden');
    expect(stemOf('trailing.')).toBe('trailing');
  });

  it('extensionOf gives the lower-cased extension with its dot, or empty', () => {
    expect(extensionOf('a.JPG')).toBe('.jpg');
    expect(extensionOf('a.b.Jpeg')).toBe('.jpeg');
    expect(extensionOf('noext')).toBe('');
    expect(extensionOf('.hidden')).toBe('');
    expect(extensionOf('dir.d/file')).toBe('');
    expect(extensionOf('images/x.png')).toBe('.png');
  });

  it('dirName is the folder part without a trailing slash, empty at the root', () => {
    expect(dirName('a/b/c.jpg')).toBe('a/b');
    expect(dirName('a/c.jpg')).toBe('a');
    expect(dirName('c.jpg')).toBe('');
  });
});

describe('formatNumber', () => {
  it('drops trailing zeros and a bare dot', () => {
    expect(formatNumber(1.5, 3)).toBe('1.5');
    expect(formatNumber(2, 2)).toBe('2');
    expect(formatNumber(1.1, 6)).toBe('1.1');
    expect(formatNumber(10, 2)).toBe('10');
    expect(formatNumber(100, 0)).toBe('100');
  });

  it('rounds to the given decimals', () => {
    expect(formatNumber(123.456, 2)).toBe('123.46');
    expect(formatNumber(0.1 + 0.2, 6)).toBe('0.3');
    expect(formatNumber(-2.345678, 3)).toBe('-2.346');
  });

  it('never writes -0', () => {
    expect(formatNumber(-0, 2)).toBe('0');
    expect(formatNumber(-0.001, 2)).toBe('0');
    expect(formatNumber(-1e-9, 6)).toBe('0');
  });

  it('never writes exponent notation for tiny values', () => {
    expect(formatNumber(1e-7, 6)).toBe('0');
    expect(formatNumber(1e-7, 8)).toBe('0.0000001');
    expect(formatNumber(-1e-7, 8)).toBe('-0.0000001');
    expect(formatNumber(5e-7, 7)).toBe('0.0000005');
    expect(formatNumber(1.25e-7, 9)).toBe('0.000000125');
  });

  it('never writes exponent notation for huge values', () => {
    expect(formatNumber(1e20, 2)).toBe('100000000000000000000');
    expect(formatNumber(1e21, 2)).toBe('1000000000000000000000');
    expect(formatNumber(-1e21, 2)).toBe('-1000000000000000000000');
    expect(formatNumber(1.5e22, 0)).toBe('15000000000000000000000');
    expect(formatNumber(Number.MAX_SAFE_INTEGER, 2)).toBe('9007199254740991');
  });

  it('writes only digits, one optional dot and an optional minus, for many values', () => {
    const values = [0, 1, -1, 0.5, 1e-12, 3.14159, 1e15, 1e21, 1e300, -1e300, 123456.789, 1 / 3, 2 / 3];
    for (const v of values) for (const d of [0, 2, 6]) expect(formatNumber(v, d)).toMatch(/^-?\d+(\.\d*[1-9])?$/);
  });
});

describe('decodeTogether', () => {
  it('leaves decodeText saying exactly what it says alone, for 300 generated sets of files (explicit sizes: up to 40 files of up to 300 bytes: ASCII, UTF-8, a byte-order mark, invalid bytes, empty)', () => {
    const file = fc.oneof(
      fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 300 }).map(encodeText),
      fc.string({ unit: 'grapheme', maxLength: 100 }).map(encodeText),
      fc.string({ maxLength: 100 }).map((s) => new Uint8Array([0xef, 0xbb, 0xbf, ...encodeText(s)])),
      fc.uint8Array({ maxLength: 300 }),
    );
    fc.assert(
      fc.property(fc.array(file, { maxLength: 40 }), (files) => {
        // Copies, decoded alone, are the reference (decodeTogether knows only the arrays it was given).
        const alone = files.map((f) => decodeText(f.slice()));
        decodeTogether(files);
        expect(files.map((f) => decodeText(f))).toEqual(alone);
        // A second call changes nothing either.
        decodeTogether(files);
        expect(files.map((f) => decodeText(f))).toEqual(alone);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes the ASCII files of a set together and leaves the others to decodeText', () => {
    const a = encodeText('0 0.5 0.5 0.1 0.1\n');
    const b = encodeText('<a>x</a>');
    const c = encodeText('Straße');
    decodeTogether([a, b, c]);
    expect([decodeText(a), decodeText(b), decodeText(c)]).toEqual(['0 0.5 0.5 0.1 0.1\n', '<a>x</a>', 'Straße']);
  });
});
