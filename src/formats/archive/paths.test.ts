import { describe, it, expect } from 'vitest';
import { normaliseArchivePath } from './paths';

describe('normaliseArchivePath', () => {
  it.each([
    ['a.png', 'a.png'],
    ['images/cats/a.png', 'images/cats/a.png'],
    ['images\\cats\\a.png', 'images/cats/a.png'],
    ['./a/./b.png', 'a/b.png'],
    ['a//b.png', 'a/b.png'],
    ['folder/', 'folder'],
    ['folder\\', 'folder'],
    ['café/ø.png', 'café/ø.png'],
    ['a..b/c...png', 'a..b/c...png'],
    ['.hidden/x.png', '.hidden/x.png'],
  ])('accepts %j as %j', (raw, path) => {
    expect(normaliseArchivePath(raw)).toEqual({ ok: true, path });
  });

  it('answers every accepted path in NFC, ASCII names as they are (random names, ASCII or not)', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = ['a', 'B', '/', '\\', '.', ' ', '-', 'e\u0301', '\u00e9', 'A\u030a', '\u212b', '\ufb01', '日本', 'x.jpg'];
    for (let k = 0; k < 3000; k++) {
      const raw = Array.from({ length: 1 + rand(8) }, () => pieces[rand(pieces.length)]!).join('');
      const got = normaliseArchivePath(raw);
      const decomposed = normaliseArchivePath(raw.normalize('NFD'));
      expect(decomposed.ok).toBe(got.ok);
      if (!got.ok || !decomposed.ok) continue;
      expect(got.path).toBe(got.path.normalize('NFC'));
      expect(decomposed.path).toBe(got.path);
      if (/^[\u0000-\u007f]*$/.test(raw)) expect(got.path).toBe(raw.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.').join('/'));
    }
  });

  it('composes decomposed (NFD) names so the same visible name is one path', () => {
    const nfd = 'cafe\u0301.png';
    expect(normaliseArchivePath(nfd)).toEqual({ ok: true, path: 'caf\u00e9.png' });
  });

  const climbs = "climbs out of the archive with '..'";
  const absolute = 'is an absolute path';
  const drive = 'is an absolute path (it starts with a drive letter)';
  it.each([
    ['../evil.png', climbs],
    ['a/../../evil.png', climbs],
    ['a/../b.png', climbs],
    ['..', climbs],
    ['..\\x.png', climbs],
    ['a\\..\\..\\x.png', climbs],
    ['/etc/passwd', absolute],
    ['//server/share/x.png', absolute],
    ['\\\\server\\share\\x.png', absolute],
    ['\\x.png', absolute],
    ['C:\\x.png', drive],
    ['C:/x.png', drive],
    ['c:x.png', drive],
    ['a\u0000.png', 'contains a NUL character'],
    ['a\u0007.png', 'contains a control character'],
    ['a\nb.png', 'contains a control character'],
    ['a\u0085b.png', 'contains a control character'],
    ['', 'has an empty name'],
    ['./', "has an empty name once '.' and empty parts are removed"],
    ['//', absolute],
    ['a/.../b.png', "has a file or folder name made only of dots and spaces ('...')"],
    ['.. /x.png', "has a file or folder name made only of dots and spaces ('.. ')"],
  ])('rejects %j: %s', (raw, reason) => {
    expect(normaliseArchivePath(raw)).toEqual({ ok: false, reason });
  });

  it('is idempotent on what it accepts', () => {
    for (const raw of ['a/b/c.png', 'x\\y\\z', './q/./r/', 'café/ø.png']) {
      const first = normaliseArchivePath(raw);
      if (!first.ok) throw new Error(`expected ${raw} to be accepted`);
      expect(normaliseArchivePath(first.path)).toEqual(first);
    }
  });
});
