/**
 * Files the user chose, dropped, or picked as a folder, each with the path the user knows it by.
 */
import type { PickedFile } from './pickedFile';

export type { PickedFile };

/** From an <input type=file> (with or without webkitdirectory). */
export function fromFileList(files: FileList | readonly File[]): PickedFile[] {
  return Array.from(files, (file) => ({ file, path: file.webkitRelativePath || file.name }));
}

const fileOf = (entry: FileSystemFileEntry): Promise<File> => new Promise((resolve, reject) => entry.file(resolve, reject));

/** A directory reader returns entries in chunks; read until it returns none. */
async function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const out: FileSystemEntry[] = [];
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) return out;
    out.push(...chunk);
  }
}

async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) out.push({ file: await fileOf(entry as FileSystemFileEntry), path });
  else if (entry.isDirectory) {
    for (const child of await readAll(entry as FileSystemDirectoryEntry)) await walk(child, path, out);
  }
}

/** From a drop: files and whole folders (walked recursively). */
export async function fromDataTransfer(dt: DataTransfer): Promise<PickedFile[]> {
  // Entries must be taken synchronously, before the first await: the DataTransfer empties after.
  const entries = Array.from(dt.items, (item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null));
  const plain = Array.from(dt.files);
  const out: PickedFile[] = [];
  if (entries.some((e) => e !== null)) {
    for (const entry of entries) if (entry) await walk(entry, '', out);
    return out;
  }
  return fromFileList(plain);
}
