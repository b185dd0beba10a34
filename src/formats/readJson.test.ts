import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, lineOf, readJson } from './readJson';
import { resolvePath } from './resolvePath';
import { HEAVY_TEST_MS } from '../test-support/heavy';

describe('readJson', () => {
  it('finds the line of the first syntax error', () => {
    expect(readJson('{\n  "a": 1,\n  "b": }\n')).toMatchObject({ ok: false, line: 3 });
    expect(readJson('{\r\n"a": [1, 2\r\n')).toMatchObject({ ok: false, line: 3 });
    expect(readJson('[1, 2] x')).toMatchObject({ ok: false, line: 1 });
    expect(readJson('  ')).toEqual({ ok: false, message: 'the file is empty' });
    expect(readJson('{"a": [1, {"b": null}]}')).toEqual({ ok: true, value: { a: [1, { b: null }] } });
  });

  it('agrees with JSON.parse on what is valid', () => {
    const accepts = (s: string): boolean => {
      try {
        JSON.parse(s);
        return true;
      } catch {
        return false;
      }
    };
    const nearJson = fc.oneof(
      fc.json(),
      fc.json().chain((j) => fc.nat(j.length).map((n) => j.slice(0, n))),
      fc.tuple(fc.json(), fc.nat(), fc.constantFrom('"', ',', ']', '}', '\\', '-', '0', 'e', ' ', '\u0001')).map(([j, i, c]) => j.slice(0, i % (j.length + 1)) + c + j.slice(i % (j.length + 1))),
      fc.string(),
    );
    fc.assert(
      fc.property(nearJson, (s) => {
        expect(jsonErrorOffset(s) === undefined).toBe(accepts(s));
      }),
      { numRuns: 500 },
    );
  }, HEAVY_TEST_MS);

  it('counts CRLF, LF and lone CR as line ends', () => {
    expect(lineOf('a\r\nb\nc\rd', 8)).toBe(4);
  });
});

describe('resolvePath', () => {
  it.each([
    ['ann', '../images/x.jpg', 'images/x.jpg', false, false],
    ['a/b', './c/../x.jpg', 'a/b/x.jpg', false, false],
    ['', '../../x.jpg', 'x.jpg', true, false],
    ['a', '..\\..\\img\\x.jpg', 'img/x.jpg', true, false],
    ['a', 'C:\\data\\x.jpg', 'a/x.jpg', false, true],
    ['a', '/home/u/x.jpg', 'a/x.jpg', false, true],
    ['', 'file:///x/y.jpg', 'y.jpg', false, true],
    ['', 'cafe\u0301.jpg', 'caf\u00e9.jpg', false, false],
  ])('resolves %j + %j', (dir, ref, path, climbed, absolute) => {
    expect(resolvePath(dir, ref)).toEqual({ path, climbed, absolute });
  });
});
