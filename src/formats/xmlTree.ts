/**
 * Reading XML for the Pascal VOC and CVAT modules, with fast-xml-parser (no DOMParser: parsing
 * runs in a worker). The parser is configured to be safe and literal:
 * - XMLValidator runs first, so invalid XML becomes one message with its line;
 * - no entity processing by the library at all: DOCTYPE entities (billion laughs, external
 *   entities) are never expanded, and the five predefined entities and numeric character
 *   references are decoded here, in one pass, so `&amp;lt;` stays `&lt;`;
 * - no number or boolean guessing (every value stays the string the file holds);
 * - element order kept (preserveOrder), so shapes come back in file order, and the line of
 *   every start tag recorded (captureMetaData) for diagnostics.
 * The result is a small tree of XmlElement; accessors below never throw.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { classNameKey } from '../core/validate';
import { diagnostic, type Where } from './shared/readShape';
import { PathIndex } from './shared/pathIndex';
import { decodeText, extensionOf } from './shared/text';
import type { DatasetClass, Diagnostic, ParseInput, Size, SourceImageInfo } from './types';

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

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY = /&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z_:][\w.:-]*));/g;

/** Decodes the predefined entities and character references; other references stay as written (and are collected in `unknown`). */
export function decodeEntities(text: string, unknown?: Set<string>): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) {
      const v = PREDEFINED[name];
      if (v !== undefined) return v;
      unknown?.add(name);
      return whole;
    }
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    if (!(cp > 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) return whole;
    return String.fromCodePoint(cp);
  });
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  captureMetaData: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Converts fast-xml-parser's preserveOrder nodes (`{tag: [children], ':@': {attrs}}`) into XmlElements. */
function convert(nodes: unknown, starts: readonly number[], unknown: Set<string>): XmlElement[] {
  if (!Array.isArray(nodes)) return [];
  const out: XmlElement[] = [];
  for (const node of nodes as unknown[]) {
    if (!isRecord(node)) continue;
    for (const key of Object.keys(node)) {
      if (key === ':@' || key === '#text' || key === '#cdata') continue;
      const attrs = new Map<string, string>();
      const rawAttrs = node[':@'];
      if (isRecord(rawAttrs)) {
        for (const [k, v] of Object.entries(rawAttrs)) if (typeof v === 'string') attrs.set(k, decodeEntities(v, unknown));
      }
      const inner = node[key];
      const children = convert(inner, starts, unknown);
      let text = '';
      if (Array.isArray(inner)) {
        for (const c of inner as unknown[]) {
          if (!isRecord(c)) continue;
          const t = c['#text'];
          if (typeof t === 'string' || typeof t === 'number') text += decodeEntities(String(t), unknown);
          const cdata = c['#cdata'];
          if (Array.isArray(cdata)) {
            for (const d of cdata as unknown[]) if (isRecord(d) && typeof d['#text'] === 'string') text += d['#text'];
          }
        }
      }
      const meta = (node as Record<symbol, unknown>)[META];
      const start = isRecord(meta) && typeof meta.startIndex === 'number' ? meta.startIndex : -1;
      out.push({ name: key, attrs, children, text: text.trim(), line: start >= 0 ? lineAt(starts, start) : 0 });
    }
  }
  return out;
}

/** Parses a whole document. Never throws: invalid XML comes back as a message with its line. */
export function readXml(text: string): XmlRead {
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      const err = valid.err;
      return { ok: false, line: err.line, message: `not valid XML: ${err.msg}${err.col ? ` (line ${err.line}, column ${err.col})` : ` (line ${err.line})`}` };
    }
    const unknown = new Set<string>();
    const roots = convert(parser.parse(text), lineStartsOf(text), unknown);
    if (roots.length === 0) return { ok: false, message: 'not valid XML: the file holds no element' };
    if (roots.length > 1) return { ok: false, line: roots[1]!.line, message: `not valid XML: more than one root element (<${roots[0]!.name}>, <${roots[1]!.name}>)` };
    return { ok: true, root: roots[0]!, unexpandedEntities: [...unknown] };
  } catch (e) {
    return { ok: false, message: `not valid XML: ${e instanceof Error ? e.message : String(e)}` };
  }
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
export const toFlag = (text: string | undefined): boolean => text !== undefined && /^(1|true|yes)$/i.test(text.trim());

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

  /** Adds a class (a later one with the same key only fills in a missing colour or attributes). */
  declare(cls: DatasetClass): void {
    const key = classNameKey(cls.name);
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
  resolve(name: string, where: Where, out: Diagnostic[]): string {
    const key = classNameKey(name);
    const known = this.byKey.get(key);
    if (!known) {
      this.declare({ name });
      return name;
    }
    if (known.name !== name && !this.warned.has(name)) {
      this.warned.add(name);
      out.push(diagnostic('warning', where, `class "${name}" read as "${known.name}" (class names that differ only in case are one class)`));
    }
    return known.name;
  }

  has(name: string): boolean {
    return this.byKey.has(classNameKey(name));
  }
}

export interface FoundSize {
  readonly size: Size;
  /** The source image's path when the size came from an image file in the source. */
  readonly path?: string;
}

/**
 * Finds the size of an image an annotation file names: an image file of the source at one of
 * the given paths (in order), else the one source image with that base name or stem, else the
 * project's image (sizeOf: whole path, base name, stem).
 */
export function sizeFinder(input: ParseInput): (paths: readonly string[]) => FoundSize | undefined {
  const index = new PathIndex<SourceImageInfo>();
  for (const img of input.images) index.add(img.path, img);
  const found = (img: SourceImageInfo): FoundSize => ({ size: { width: img.width, height: img.height }, path: img.path });
  return (paths) => {
    for (const p of paths) {
      const m = index.find(p);
      if (m.kind === 'found' && m.by === 'path') return found(m.value);
    }
    for (const p of paths) {
      const m = index.find(p);
      if (m.kind === 'found') return found(m.value);
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
