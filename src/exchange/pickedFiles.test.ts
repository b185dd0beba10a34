import { describe, expect, it } from 'vitest';
import { fromDataTransfer, fromFileList } from './pickedFiles';

/** Just enough of the File and Directory Entries API to stand for a dropped folder tree. */
type Tree = { [name: string]: Tree | string };

function entryFor(name: string, node: Tree | string, chunk = 2): FileSystemEntry {
  if (typeof node === 'string') {
    const file = new File([node], name);
    return { name, isFile: true, isDirectory: false, file: (ok: (f: File) => void) => ok(file) } as unknown as FileSystemEntry;
  }
  const children = Object.entries(node).map(([n, child]) => entryFor(n, child, chunk));
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let at = 0;
      // Browsers hand directory entries over in chunks (100 at a time in Chrome).
      return { readEntries: (ok: (e: FileSystemEntry[]) => void) => ok(children.slice(at, (at += chunk))) };
    },
  } as unknown as FileSystemEntry;
}

function dataTransfer(entries: FileSystemEntry[]): DataTransfer {
  return {
    items: entries.map((e) => ({ kind: 'file', webkitGetAsEntry: () => e })),
    files: [],
  } as unknown as DataTransfer;
}

describe('picked files', () => {
  it('walks dropped folders recursively, reading every chunk of every directory', async () => {
    const tree: Tree = { 'a.jpg': 'a', day: { 'b.jpg': 'b', 'c.jpg': 'c', 'd.jpg': 'd', night: { 'e.jpg': 'e' } }, empty: {} };
    const dropped = [entryFor('shoot', tree), entryFor('loose.png', 'x')];
    const picked = await fromDataTransfer(dataTransfer(dropped));
    expect(picked.map((p) => p.path)).toEqual(['shoot/a.jpg', 'shoot/day/b.jpg', 'shoot/day/c.jpg', 'shoot/day/d.jpg', 'shoot/day/night/e.jpg', 'loose.png']);
    expect(await picked[4]!.file.text()).toBe('e');
  });

  it('falls back to the plain file list when the browser gives no entries', async () => {
    const file = new File(['x'], 'x.jpg');
    const dt = { items: [{ kind: 'file', webkitGetAsEntry: () => null }], files: [file] } as unknown as DataTransfer;
    expect(await fromDataTransfer(dt)).toEqual([{ file, path: 'x.jpg' }]);
  });

  it('keeps the folder path of files picked with a directory chooser', () => {
    const inFolder = Object.assign(new File(['x'], 'b.jpg'), {});
    Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'trip/day/b.jpg' });
    const plain = new File(['y'], 'c.jpg');
    expect(fromFileList([inFolder, plain]).map((p) => p.path)).toEqual(['trip/day/b.jpg', 'c.jpg']);
  });
});
