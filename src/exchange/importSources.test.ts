import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { expandSources } from './importSources';

const file = (name: string, body: string | Uint8Array<ArrayBuffer> = 'x') => new File([body], name);

describe('expandSources', () => {
  it('sorts in natural order and classifies what is not an image', async () => {
    const out = await expandSources([
      { file: file('img10.jpg'), path: 'img10.jpg' },
      { file: file('img2.JPG'), path: 'img2.JPG' },
      { file: file('scan'), path: 'scan' }, // no extension: tried, the header decides
      { file: file('notes.txt'), path: 'notes.txt' },
      { file: file('labels.json'), path: 'set/labels.json' },
      { file: file('.DS_Store'), path: 'set/.DS_Store' },
      { file: file('photo.heic'), path: 'set/photo.heic' }, // an image format: tried, and refused later by name
    ]);
    expect(out.images.map((i) => i.label)).toEqual(['img2.JPG', 'img10.jpg', 'scan', 'set/photo.heic']);
    expect(out.refused).toEqual([{ file: 'notes.txt', reason: 'not an image or a .zip of images (.txt)' }]);
    expect(out.skipped).toEqual([{ file: 'set/labels.json', reason: 'not an image' }]);
  });

  it('opens zips by their directory, keeps folder paths, and reports hostile entries by archive and entry', async () => {
    const zip = zipSync({
      'b/2.png': [new Uint8Array([1]), { level: 0 }],
      'a/1.jpg': [new Uint8Array([2]), { level: 6 }],
      '../up.jpg': new Uint8Array([3]),
      'inner.zip': new Uint8Array([4]),
      'readme.md': new Uint8Array([5]),
      '__MACOSX/a/._1.jpg': new Uint8Array([6]),
    });
    const out = await expandSources([{ file: file('set.zip', zip), path: 'set.zip' }]);
    expect(out.images.map((i) => [i.label, i.relativePath, i.fileName, i.source.kind])).toEqual([
      ['set.zip › a/1.jpg', 'a/1.jpg', '1.jpg', 'zipEntry'],
      ['set.zip › b/2.png', 'b/2.png', '2.png', 'zipEntry'],
    ]);
    expect(out.refused).toEqual([{ file: 'set.zip › ../up.jpg', reason: "climbs out of the archive with '..'" }]);
    expect(out.skipped).toEqual([
      { file: 'set.zip › inner.zip', reason: 'archives inside archives are not opened' },
      { file: 'set.zip › readme.md', reason: 'not an image' },
    ]);
  });

  it('refuses a file named .zip that is not an archive, by name', async () => {
    const out = await expandSources([{ file: file('fake.zip', 'hello'), path: 'fake.zip' }]);
    expect(out.images).toEqual([]);
    expect(out.refused).toHaveLength(1);
    expect(out.refused[0]!.file).toBe('fake.zip');
    expect(out.refused[0]!.reason).toMatch(/not a zip archive/);
  });
});
