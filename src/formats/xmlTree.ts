/**
 * Reading XML for the Pascal VOC and CVAT modules, with saxes (no DOMParser: parsing runs in a
 * worker; and saxes is strict and ~5× faster than a validate-then-parse library on a thousand
 * small VOC files). Safe and literal:
 * - invalid XML becomes one message with its line;
 * - DOCTYPE entities (billion laughs) are never expanded: a reference stays as written; a file
 *   declaring an external entity is refused; the five predefined entities and character
 *   references are decoded by the parser;
 * - no number or boolean guessing (every value stays the string the file holds);
 * - element order kept, so shapes come back in file order, with the line of every start tag.
 * The result is a small tree of XmlElement; accessors below never throw.
 */
import { SaxesParser } from 'saxes';
import { fastXml, type Building } from './xmlFast';
import { classNameKey } from '../core/validate';
import { remembered } from '../core/remembered';
import { diagnostic, whereOf, type WhereLater } from './shared/readShape';
import { PathIndex } from './shared/pathIndex';
import { decodeText, extensionOf } from './shared/text';
import type { DatasetClass, Diagnostic, ParseInput, ParseResult, Size, SourceImageInfo } from './types';

export interface XmlElement {
  readonly name: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The text directly inside (entities decoded, CDATA verbatim), each piece trimmed, pieces joined. */
  readonly text: string;
  /** 1-based line of the start tag (0 when unknown). */
  readonly line: number;
}

export type XmlRead =
  | {
      readonly ok: true;
      readonly root: XmlElement;
      /** Entity references left as written (`&name;` other than the five predefined ones): DOCTYPE entities are never expanded. */
      readonly unexpandedEntities: readonly string[];
    }
  | { readonly ok: false; readonly line?: number; readonly message: string };

const ENTITY_DECLARATION = /<!ENTITY\s+(%\s*)?([A-Za-z_:][\w.:-]*)\s+(SYSTEM|PUBLIC)?/g;


/**
 * Parses a whole document: the plain XML annotation tools write with the fast reader
 * (xmlFast.ts), anything else with saxes (a strict, streaming parser: well-formedness errors
 * come with their line). Both give the same tree. Never throws: invalid XML comes back as a
 * message with its line.
 */
export function readXml(text: string): XmlRead {
  const fast = fastXml(text);
  return fast ? { ok: true, root: fast, unexpandedEntities: [] } : readXmlWithSaxes(text);
}

/** readXml with saxes alone (what the fast reader must agree with). */
export function readXmlWithSaxes(text: string): XmlRead {
  const parser = new SaxesParser({ position: true });
  const unexpanded = new Set<string>();
  const stack: Building[] = [];
  const roots: XmlElement[] = [];
  let failure: { line: number; message: string } | null = null;
  let external: string | null = null;
  const addText = (t: string, verbatim: boolean) => {
    const top = stack[stack.length - 1];
    if (!top) return;
    const piece = verbatim ? t : t.trim();
    if (piece !== '') top.text += piece;
  };
  parser.on('doctype', (doctype) => {
    // DOCTYPE entities are never expanded (billion laughs): a reference to one stays as written.
    for (const m of doctype.matchAll(ENTITY_DECLARATION)) {
      if (m[3] !== undefined) external ??= m[2]!;
      if (m[1] === undefined) {
        parser.ENTITIES[m[2]!] = `&${m[2]!};`;
        unexpanded.add(m[2]!);
      }
    }
  });
  parser.on('opentag', (tag) => {
    const attrs = new Map<string, string>();
    for (const [k, v] of Object.entries(tag.attributes)) attrs.set(k, v);
    stack.push({ name: tag.name, attrs, children: [], text: '', line: parser.line });
  });
  parser.on('text', (t) => addText(t, false));
  parser.on('cdata', (t) => addText(t, true));
  parser.on('closetag', () => {
    const done = stack.pop();
    if (!done) return;
    const el: XmlElement = { name: done.name, attrs: done.attrs, children: done.children, text: done.text, line: done.line };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else roots.push(el);
  });
  parser.on('error', (e) => {
    failure ??= { line: parser.line, message: e.message.replace(/^[^:]*:\d+:\d+: /, '') };
  });
  try {
    parser.write(text).close();
  } catch (e) {
    failure ??= { line: parser.line, message: e instanceof Error ? e.message : String(e) };
  }
  if (external !== null) return { ok: false, message: `it declares an external entity (${external}); such files are refused and nothing is fetched` };
  if (failure !== null) {
    const f: { line: number; message: string } = failure;
    return { ok: false, line: f.line, message: `not valid XML: ${f.message} (line ${f.line})` };
  }
  if (roots.length === 0) return { ok: false, message: 'not valid XML: the file holds no element' };
  const used = [...unexpanded].filter((name) => text.includes(`&${name};`));
  return { ok: true, root: roots[0]!, unexpandedEntities: used };
}

// ---------------------------------------------------------------------------------------------
// Accessors

/** The first child element called `name` (case-sensitive, as XML is). */
/**
 * Reads every .xml file of the input: each parsed (invalid XML → an error with its line) and
 * handed to `read` with its root; an exception thrown by `read` skips that file with an error.
 */
export function forEachXmlFile(files: ReadonlyMap<string, Uint8Array>, diagnostics: Diagnostic[], read: (file: string, root: XmlElement) => void): void {
  for (const [file, bytes] of files) {
    if (extensionOf(file) !== '.xml') continue;
    try {
      const xml = readXml(decodeText(bytes));
      if (!xml.ok) {
        diagnostics.push(diagnostic('error', { file, ...(xml.line !== undefined ? { line: xml.line } : {}) }, `skipped: ${xml.message}`));
        continue;
      }
      if (xml.unexpandedEntities.length > 0) {
        diagnostics.push(diagnostic('info', { file }, `entity references left as written (DOCTYPE entities are not expanded): ${xml.unexpandedEntities.slice(0, 5).map((n) => `&${n};`).join(' ')}`));
      }
      read(file, xml.root);
    } catch (e) {
      diagnostics.push(diagnostic('error', { file }, `skipped: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
}

/** A parser that never throws: an unexpected exception becomes one error naming the first file. */
export function neverThrows(parse: (input: ParseInput) => ParseResult, label: string): (input: ParseInput) => ParseResult {
  return (input) => {
    try {
      return parse(input);
    } catch (e) {
      const first = input.files.keys().next();
      return {
        dataset: { classes: [], images: [], annotations: [] },
        diagnostics: [diagnostic('error', { file: first.done ? '(no files)' : first.value }, `could not read the ${label} files: ${e instanceof Error ? e.message : String(e)}`)],
      };
    }
  };
}

export const child = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.name === name);

/** Every child element called `name`, in file order. */
export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);

/** The text of the first child called `name`, or undefined when there is none. */
export const childText = (el: XmlElement, name: string): string | undefined => child(el, name)?.text;

/** The element at a path of child names (`['meta', 'task', 'labels']`). */
export function descend(el: XmlElement, path: readonly string[]): XmlElement | undefined {
  let cur: XmlElement | undefined = el;
  for (const name of path) {
    if (!cur) return undefined;
    cur = child(cur, name);
  }
  return cur;
}

/** A decimal number as XML holds it (`12`, `12.5`, ` 1e2 `); NaN for anything else, including ''. */
export function toNumber(text: string | undefined): number {
  if (text === undefined) return NaN;
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}

/** `1`, `true`, `yes` (any case) → true; anything else, empty included → false. */
export const toFlag = (text: string | undefined): boolean => text !== undefined && (text === '1' || (text !== '0' && /^(1|true|yes)$/i.test(text.trim())));

// ---------------------------------------------------------------------------------------------
// Import helpers shared by the XML formats

/**
 * Class names in first-appearance order. Names that differ only in case (classNameKey) are one
 * class in Tally: later spellings are read as the first one, with a warning.
 */
export class ClassCollector {
  readonly classes: DatasetClass[] = [];
  private readonly byKey = new Map<string, DatasetClass>();
  private readonly warned = new Set<string>();
  /** Each spelling's classNameKey, computed once: a file of 10,000 objects names a few classes 10,000 times (NFKC normalisation is the costly part). */
  private readonly keyOf = remembered(classNameKey);

  /** Adds a class (a later one with the same key only fills in a missing colour or attributes). */
  declare(cls: DatasetClass): void {
    const key = this.keyOf(cls.name);
    const known = this.byKey.get(key);
    if (!known) {
      this.byKey.set(key, cls);
      this.classes.push(cls);
      return;
    }
    if ((known.color === undefined && cls.color !== undefined) || (known.attributes === undefined && cls.attributes !== undefined)) {
      const merged: DatasetClass = { ...known, ...(known.color === undefined && cls.color !== undefined ? { color: cls.color } : {}), ...(known.attributes === undefined && cls.attributes !== undefined ? { attributes: cls.attributes } : {}) };
      this.byKey.set(key, merged);
      this.classes[this.classes.indexOf(known)] = merged;
    }
  }

  /** The spelling to store for `name`, adding the class when new. */
  resolve(name: string, where: WhereLater, out: Diagnostic[]): string {
    const key = this.keyOf(name);
    const known = this.byKey.get(key);
    if (!known) {
      this.declare({ name });
      return name;
    }
    if (known.name !== name && !this.warned.has(name)) {
      this.warned.add(name);
      out.push(diagnostic('warning', whereOf(where), `class "${name}" read as "${known.name}" (class names that differ only in case are one class)`));
    }
    return known.name;
  }

  has(name: string): boolean {
    return this.byKey.has(this.keyOf(name));
  }
}

export interface FoundSize {
  readonly size: Size;
  /** The source image's path when the size came from an image file in the source. */
  readonly path?: string;
  /** That image file's SHA-256, when known. */
  readonly sha256?: string;
}

/**
 * Finds the size of an image an annotation file names: an image file of the source at one of
 * the given paths (in order), else the one source image with that base name or stem, else the
 * project's image (sizeOf: whole path, base name, stem).
 */
export function sizeFinder(input: ParseInput): (paths: readonly string[]) => FoundSize | undefined {
  const index = new PathIndex<SourceImageInfo>();
  for (const img of input.images) index.add(img.path, img);
  const found = (img: SourceImageInfo): FoundSize => ({ size: { width: img.width, height: img.height }, path: img.path, ...(img.sha256 !== undefined ? { sha256: img.sha256 } : {}) });
  // Without image files (an export read back, labels imported alone) the index finds nothing.
  const searched = input.images.length > 0;
  return (paths) => {
    if (searched) {
      for (const p of paths) {
        const m = index.find(p);
        if (m.kind === 'found' && m.by === 'path') return found(m.value);
      }
      for (const p of paths) {
        const m = index.find(p);
        if (m.kind === 'found') return found(m.value);
      }
    }
    for (const p of paths) {
      try {
        const s = input.sizeOf?.(p);
        if (s && s.width > 0 && s.height > 0) return { size: s };
      } catch {
        // sizeOf is the caller's: a throw there means "unknown", not a failed parse.
      }
    }
    return undefined;
  };
}

/** A positive whole size from a file's width/height text, or undefined. */
export function sizeFromText(w: string | undefined, h: string | undefined): Size | undefined {
  const width = toNumber(w);
  const height = toNumber(h);
  return width >= 1 && height >= 1 && Number.isFinite(width) && Number.isFinite(height) ? { width: Math.round(width), height: Math.round(height) } : undefined;
}

/** A peek at the start of a file as text, for detect(): never throws. */
export function peekText(bytes: Uint8Array, max = 4096): string {
  try {
    return decodeText(bytes.subarray(0, max));
  } catch {
    return '';
  }
}
