import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRow, parseAnyRows, parsePlainRows, parseRows } from './rows';

/** A plain number token: digits, optionally a dot and more digits (what Tally writes, and more). */
const plainNumber = fc
  .tuple(fc.stringMatching(/^[0-9]{1,8}$/), fc.option(fc.stringMatching(/^[0-9]{0,8}$/), { nil: undefined }))
  .map(([int, frac]) => (frac === undefined ? int : `${int}.${frac}`));
const classId = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 100_000 })).map(String);
const plainRow = fc.tuple(classId, fc.oneof(fc.constant(4), fc.integer({ min: 3, max: 12 }).map((n) => 2 * n))).chain(([cls, n]) =>
  fc.array(plainNumber, { minLength: n, maxLength: n }).map((values) => [cls, ...values].join(' ')),
);
/** Plain files: rows, blank lines, with or without the last line end. */
const plainFile = fc
  .tuple(fc.array(fc.oneof({ weight: 8, arbitrary: plainRow }, { weight: 1, arbitrary: fc.constant('') }), { maxLength: 30 }), fc.boolean())
  .map(([lines, end]) => lines.join('\n') + (end ? '\n' : ''));

/** Anything a label file might hold: plain rows with some of their characters changed or inserted. */
const oddFile = fc
  .tuple(plainFile, fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '  ', '\t', '\r', '\r\n', '#', '-', '+', 'e', 'E', '.', 'x', '1e3', '0'.repeat(16), '\u00a0', '')), { maxLength: 4 }))
  .map(([text, edits]) => {
    let out = text;
    for (const [at, s] of edits) {
      const i = out.length === 0 ? 0 : at % (out.length + 1);
      out = out.slice(0, i) + s + out.slice(i);
    }
    return out;
  });

describe('YOLO rows: the one-pass reader of plain files', () => {
  it('reads plain files (explicit sizes: up to 30 rows of 4 to 24 numbers of up to 16 digits) exactly as the general reader does', () => {
    fc.assert(
      fc.property(plainFile, (text) => {
        const reference = parseAnyRows(text);
        const fast = parsePlainRows(text);
        // Up to 15 digits in all it must take the file; a longer number may send it to the general reader.
        const long = text.split(/\s+/).some((t) => t.replace('.', '').length > 15);
        if (!long) expect(fast).not.toBeNull();
        if (fast) expect(fast).toEqual(reference);
        expect(parseRows(text)).toEqual(reference);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives up on anything else (comments, CR, tabs, signs, exponents, extra spaces, problem rows), so parseRows still says the same as the general reader', () => {
    fc.assert(
      fc.property(oddFile, (text) => {
        const reference = parseAnyRows(text);
        const fast = parsePlainRows(text);
        if (fast) expect(fast).toEqual(reference);
        expect(parseRows(text)).toEqual(reference);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives up on each kind of unusual text', () => {
    for (const text of [
      '# comment\n0 0.5 0.5 0.1 0.1',
      '0 0.5 0.5 0.1 0.1\r\n',
      '0\t0.5 0.5 0.1 0.1',
      '0  0.5 0.5 0.1 0.1',
      ' 0 0.5 0.5 0.1 0.1',
      '0 0.5 0.5 0.1 0.1 ',
      '0 -0.5 0.5 0.1 0.1',
      '0 +0.5 0.5 0.1 0.1',
      '0 5e-1 0.5 0.1 0.1',
      '0 .5 0.5 0.1 0.1',
      '0 0.1234567890123456 0.5 0.1 0.1',
      '0 0.5 0.5 0.1',
      '0 0.5 0.5 0.1 0.1 0.2',
      '100001 0.5 0.5 0.1 0.1',
      'a 0.5 0.5 0.1 0.1',
      '0',
    ]) {
      expect(parsePlainRows(text), text).toBeNull();
      expect(parseRows(text), text).toEqual(parseAnyRows(text));
    }
  });

  it('reads every value as Number reads its text (integer over a power of ten, both exact)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,7}$/), fc.stringMatching(/^[0-9]{0,8}$/), (int, frac) => {
        const token = `${int}.${frac}`;
        const got = parsePlainRows(`0 ${token} ${token} ${token} ${token}`);
        expect(got?.rows[0]?.values).toEqual([Number(token), Number(token), Number(token), Number(token)]);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads what Tally writes in one pass', () => {
    const rows = [formatRow(0, { kind: 'box', x: 10.3, y: 20, w: 33.3, h: 1 }, 1280, 720), formatRow(2, { kind: 'polygon', points: [0, 0, 1280, 0, 640, 719.9] }, 1280, 720)];
    const text = `${rows.join('\n')}\n`;
    expect(parsePlainRows(text)).not.toBeNull();
    expect(parsePlainRows(text)).toEqual(parseAnyRows(text));
  });
});
