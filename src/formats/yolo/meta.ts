/**
 * The files around YOLO label files: Ultralytics / Roboflow `data.yaml`, Darknet `obj.data`,
 * `obj.names` / `classes.txt`, and image lists (`train.txt`…). What they say about class
 * names, split folders and listed images.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { Split } from '../../core/model';
import { resolvePath } from '../resolvePath';
import { diagnostic } from '../shared/readShape';
import { splitFromName } from '../shared/splits';
import { baseName, decodeText, dirName } from '../shared/text';
import type { Diagnostic } from '../types';

/** Paths of the source, found case-insensitively. */
export interface PathSet {
  /** The actual spelling of a path ('/'-separated), if present. */
  get(path: string): string | undefined;
}

export function pathSet(paths: Iterable<string>): PathSet {
  const m = new Map<string, string>();
  for (const p of paths) if (!m.has(p.toLowerCase())) m.set(p.toLowerCase(), p);
  return { get: (p) => m.get(p.toLowerCase()) };
}

export interface ClassNames {
  /** By class id; undefined where the file gives no name for an id. */
  readonly names: readonly (string | undefined)[];
  readonly file: string;
}

export interface Listed {
  readonly path: string;
  readonly split: Split;
  /** The list (train.txt, data.yaml) that names it. */
  readonly file: string;
}

export interface Meta {
  readonly names?: ClassNames;
  /** Image folders data.yaml names, with the key that named each. */
  readonly splitDirs: readonly { readonly dir: string; readonly split: Split }[];
  /** Images named by list files, by path (lower case). */
  readonly listed: ReadonlyMap<string, Listed>;
  /** Files that are metadata (never label files). */
  readonly metaFiles: ReadonlySet<string>;
}

const depth = (p: string): number => p.split('/').length;
const shallowest = (paths: string[]): string | undefined => paths.sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
const join = (dir: string, p: string): string => (dir === '' ? p : p === '' ? dir : `${dir}/${p}`);

/** The folders and name of a path another tool wrote, without `.`, `..`, empty segments or a drive letter. */
const refSegments = (ref: string): string[] =>
  ref
    .replace(/\\/g, '/')
    .trim()
    .split('/')
    .filter((s, i) => s !== '' && s !== '.' && s !== '..' && !(i === 0 && /^[A-Za-z]:$/.test(s)));

/**
 * A path another tool wrote (relative to its own working folder, which may not be ours): tried
 * against `base`, then against the root, then with leading folders dropped (`data/obj.names` →
 * `obj.names`), keeping at least `minSegments` of it.
 */
export function locate(ref: string, bases: readonly string[], set: PathSet, minSegments = 1): string | undefined {
  const segs = refSegments(ref);
  const keep = Math.min(minSegments, segs.length);
  for (let k = 0; k <= segs.length - keep; k++) {
    const tail = segs.slice(k).join('/');
    for (const base of bases) {
      const hit = set.get(resolvePath(base, tail).path);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

/** Lines of a names file: one class per line, trailing blank lines dropped. */
function readNamesFile(text: string): (string | undefined)[] {
  const lines = text.split(/\r\n|\r|\n/).map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l === '' ? undefined : l));
}

const scalarText = (n: unknown): string | undefined => {
  if (!isScalar(n)) return undefined;
  const v = n.value;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
};

interface YamlFacts {
  names?: (string | undefined)[];
  namesFile?: string;
  nc?: number;
  root?: string;
  splits: { split: Split; values: string[] }[];
}

function readYaml(file: string, text: string, out: Diagnostic[]): YamlFacts {
  const facts: YamlFacts = { splits: [] };
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    out.push(diagnostic('error', { file }, 'not read: this is not YAML'));
    return facts;
  }
  for (const e of doc.errors) {
    out.push(diagnostic('error', { file, ...(e.linePos ? { line: e.linePos[0].line } : {}) }, `not valid YAML: ${e.message.split('\n')[0]}`));
  }
  if (doc.errors.length > 0) return facts;
  const root = doc.contents;
  if (!isMap(root)) {
    out.push(diagnostic('error', { file }, 'not read: expected keys such as train, val and names'));
    return facts;
  }
  const get = (key: string): YamlNode | undefined => {
    // A repeated key: the last one counts, as in PyYAML.
    const pair = root.items.findLast((p) => scalarText(p.key) === key);
    return (pair?.value ?? undefined) as YamlNode | undefined;
  };
  const path = scalarText(get('path'));
  if (path !== undefined) facts.root = path;
  const nc = scalarText(get('nc'));
  if (nc !== undefined) {
    const n = Number(nc);
    if (Number.isInteger(n) && n >= 0) facts.nc = n;
    else out.push(diagnostic('warning', { file, field: 'nc' }, `nc "${nc}" is not a whole number: ignored`));
  }
  for (const [key, split] of [['train', 'train'], ['val', 'val'], ['valid', 'val'], ['test', 'test']] as const) {
    const node = get(key);
    const values = isSeq(node) ? node.items.map(scalarText) : [scalarText(node)];
    const strings = values.filter((v): v is string => v !== undefined && v.trim() !== '');
    if (strings.length > 0) facts.splits.push({ split, values: strings });
  }
  const names = get('names');
  if (isSeq(names)) {
    facts.names = names.items.map((n, i) => {
      const s = scalarText(n);
      if (s === undefined) out.push(diagnostic('warning', { file, field: `names[${i}]` }, `class ${i} has no name: named "${i}"`));
      return s;
    });
  } else if (isMap(names)) {
    const list: (string | undefined)[] = [];
    for (const pair of names.items) {
      const key = scalarText(pair.key) ?? '';
      const id = Number(key);
      const name = scalarText(pair.value);
      if (!/^\d+$/.test(key.trim()) || id > 100_000) {
        out.push(diagnostic('warning', { file, field: `names.${key}` }, `"${key}" is not a class id (0, 1, 2…): ignored`));
      } else if (name === undefined) {
        out.push(diagnostic('warning', { file, field: `names.${key}` }, `class ${id} has no name: named "${id}"`));
      } else list[id] = name;
    }
    facts.names = Array.from({ length: list.length }, (_, i) => list[i]);
  } else if (scalarText(names) !== undefined) {
    facts.namesFile = scalarText(names)!;
  }
  return facts;
}

/** `key = value` lines of a Darknet obj.data. */
function readObjData(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r\n|\r|\n/)) {
    const m = /^\s*([A-Za-z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out.set(m[1]!.toLowerCase(), m[2]!);
  }
  return out;
}

/**
 * Where a listed image is: the source's image file at that path (tried against `bases`), else the
 * path in the source's folder of that name (the image itself not being in the import), else
 * undefined.
 */
function locateImage(ref: string, bases: readonly string[], images: PathSet, dirs: PathSet): string | undefined {
  const path = locate(ref, bases, images);
  if (path !== undefined) return path;
  const segs = refSegments(ref);
  if (segs.length < 2) return undefined;
  const dir = locate(segs.slice(0, -1).join('/'), bases, dirs);
  return dir === undefined ? undefined : join(dir, segs[segs.length - 1]!);
}

/** Image paths in a list file (train.txt): one per line, resolved to where the source has them or their folder. */
function readList(file: string, text: string, split: Split, images: PathSet, dirs: PathSet, into: Map<string, Listed>, out: Diagnostic[]): void {
  const lines = text.split(/\r\n|\r|\n/);
  let missing = 0;
  lines.forEach((raw, i) => {
    const ref = raw.trim();
    if (ref === '' || ref.startsWith('#')) return;
    const path = locateImage(ref, [dirName(file), ''], images, dirs);
    if (path === undefined) {
      if (missing++ === 0) out.push(diagnostic('info', { file, line: i + 1 }, `${ref}: no such image or folder in the import (further ones not listed)`));
      return;
    }
    if (!into.has(path.toLowerCase())) into.set(path.toLowerCase(), { path, split, file });
  });
}

const IMAGE_FILE = /\.(jpe?g|jpe|jfif|png|gif|webp|bmp|avif|tiff?|heic|heif)$/i;

const isListName = (p: string): boolean => /^(train|val|valid|validation|test)\.txt$/i.test(baseName(p));
const inLabelFolder = (p: string): boolean => dirName(p).split('/').some((s) => /^labels$/i.test(s) || /^obj_.*_data$/i.test(s));

export function readMeta(files: ReadonlyMap<string, Uint8Array>, images: PathSet, dirs: PathSet, out: Diagnostic[]): Meta {
  const all = [...files.keys()];
  const fileSet = pathSet(all);
  const metaFiles = new Set<string>();
  const text = (p: string): string => decodeText(files.get(p)!);
  const listFiles = new Map<string, Split>();
  /** Images data.yaml lists itself (`train: [images/a.jpg, …]`). */
  const yamlListed = new Map<string, Listed>();
  let names: ClassNames | undefined;
  const splitDirs: { dir: string; split: Split }[] = [];

  const yamlFiles = all.filter((p) => /\.ya?ml$/i.test(p));
  const yamlPath = shallowest(yamlFiles.filter((p) => /^data\.ya?ml$/i.test(baseName(p)))) ?? shallowest(yamlFiles.filter((p) => /^\s*names\s*:/m.test(text(p))));
  if (yamlPath !== undefined) {
    metaFiles.add(yamlPath);
    const facts = readYaml(yamlPath, text(yamlPath), out);
    const yamlDir = dirName(yamlPath);
    // `path` is where the dataset was on the writer's machine: only a relative one can mean something here.
    const rootDir = facts.root !== undefined && !/^(?:[\\/~]|[A-Za-z]:)/.test(facts.root) ? resolvePath(yamlDir, facts.root).path : yamlDir;
    for (const { split, values } of facts.splits) {
      for (const v of values) {
        if (IMAGE_FILE.test(v.trim())) {
          // An image the list names: where the import has it, else where the list says (label
          // files alone: the project's image of that name is matched on import).
          const path = locateImage(v, [rootDir, yamlDir, ''], images, dirs) ?? resolvePath(rootDir, v.trim()).path;
          if (path !== '' && !yamlListed.has(path.toLowerCase())) yamlListed.set(path.toLowerCase(), { path, split, file: yamlPath });
          continue;
        }
        if (/\.txt$/i.test(v)) {
          const list = locate(v, [rootDir, yamlDir], fileSet);
          if (list !== undefined) listFiles.set(list, split);
          continue;
        }
        const dir = locate(v, [rootDir, yamlDir, ''], dirs, 2);
        if (dir !== undefined) splitDirs.push({ dir, split });
        else out.push(diagnostic('info', { file: yamlPath, field: split }, `folder ${v} is not in the import`));
      }
    }
    if (facts.names !== undefined) {
      names = { names: facts.nc !== undefined && facts.nc > facts.names.length ? [...facts.names, ...Array<undefined>(facts.nc - facts.names.length)] : facts.names, file: yamlPath };
      if (facts.nc !== undefined && facts.nc !== facts.names.length) {
        out.push(diagnostic('warning', { file: yamlPath, field: 'nc' }, `nc is ${facts.nc} but names has ${facts.names.length} entries: ${Math.max(facts.nc, facts.names.length)} classes read`));
      }
    } else if (facts.namesFile !== undefined) {
      const nf = locate(facts.namesFile, [rootDir, yamlDir], fileSet);
      if (nf !== undefined) names = { names: readNamesFile(text(nf)), file: nf };
    } else if (facts.nc !== undefined) {
      names = { names: Array<undefined>(facts.nc), file: yamlPath };
    }
  }

  const objData = shallowest(all.filter((p) => /\.data$/i.test(p)));
  let objNames: string | undefined;
  if (objData !== undefined) {
    metaFiles.add(objData);
    const kv = readObjData(text(objData));
    for (const [key, split] of [['train', 'train'], ['valid', 'val'], ['val', 'val'], ['test', 'test']] as const) {
      const ref = kv.get(key);
      const list = ref !== undefined ? locate(ref, [dirName(objData), ''], fileSet) : undefined;
      if (list !== undefined) listFiles.set(list, split);
    }
    const ref = kv.get('names');
    objNames = ref !== undefined ? locate(ref, [dirName(objData), ''], fileSet) : undefined;
  }
  objNames ??= shallowest(all.filter((p) => /\.names$/i.test(p)));
  const classesTxt = shallowest(all.filter((p) => /^classes\.txt$/i.test(baseName(p))));
  for (const p of [objNames, classesTxt]) if (p !== undefined) metaFiles.add(p);
  if (names === undefined) {
    const nf = objNames ?? classesTxt;
    if (nf !== undefined) names = { names: readNamesFile(text(nf)), file: nf };
  }

  for (const p of all) if (isListName(p) && !inLabelFolder(p) && !listFiles.has(p)) listFiles.set(p, splitFromName(baseName(p).replace(/\.txt$/i, '')));
  const listed = new Map<string, Listed>(yamlListed);
  for (const [p, split] of listFiles) {
    metaFiles.add(p);
    readList(p, text(p), split, images, dirs, listed, out);
  }
  return { ...(names ? { names } : {}), splitDirs, listed, metaFiles };
}
