/**
 * A fast reader for the plain XML that annotation tools write (Pascal VOC, CVAT, LabelMe 3.0):
 * elements, attributes, text with the five predefined entities and character references, CDATA
 * sections, comments and an XML declaration. It builds exactly the tree that xmlTree.ts builds
 * with saxes (the same text trimming, the same line for each start tag: the line of its `>`),
 * about twice as fast, which matters when an export of 1,000 VOC files is read back.
 *
 * It is strict by giving up: anything outside that subset, or anything saxes would call an
 * error — a DOCTYPE, a processing instruction, an unknown entity, a carriage return, a control
 * or non-BMP character, a non-ASCII name, a duplicate attribute, a tag that does not match, text
 * outside the root, `]]>` or `--` where they are not allowed — returns null, and the caller reads
 * the file with saxes, which gives the verdict and the message. Pure; never throws.
 */
import type { XmlElement } from './xmlTree';

/** An element while its children are read (xmlTree.ts builds the same). */
export interface Building {
  readonly name: string;
  readonly attrs: Map<string, string>;
  readonly children: XmlElement[];
  text: string;
  readonly line: number;
}

/**
 * An element while its children are read; closed, the same object is the XmlElement (no copy).
 * An attribute map is made only for an element that has attributes: most elements of an
 * annotation file have none, and share EMPTY_ATTRS (a Map like the others, so that the
 * element objects keep one shape).
 */
interface Open {
  readonly name: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: XmlElement[];
  text: string;
  readonly line: number;
}
const EMPTY_ATTRS: ReadonlyMap<string, string> = new Map();

const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const EQ = 0x3d;
const NL = 0x0a;
const CLOSE_BRACKET = 0x5d;

const isNameStart = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d;
/** Characters taken as they are in text and attribute values: tab, newline, U+0020–U+D7FF, U+E000–U+FFFD. */
const isPlain = (c: number): boolean => (c >= 0x20 && c < 0xd800) || c === 0x09 || c === NL || (c >= 0xe000 && c <= 0xfffd);
const isXmlChar = (n: number): boolean => n === 0x9 || n === 0xa || n === 0xd || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff);
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /^#(?:([0-9]{1,7})|x([0-9a-fA-F]{1,6}))$/;
const DECLARATION = /^<\?xml[ \t\n]+version=(["'])1\.0\1(?:[ \t\n]+encoding=(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\n]+standalone=(["'])(?:yes|no)\3)?[ \t\n]*\?>/;

/** The element tree of `text`, or null when it is not in the plain subset (read it with saxes). */
export function fastXml(text: string): XmlElement | null {
  const n = text.length;
  let i = 0;
  let line = 1;
  const stack: Open[] = [];
  let root: XmlElement | null = null;
  /** Adds a closed element to its parent (or makes it the root). */
  const close = (el: XmlElement): void => {
    const parent = stack[stack.length - 1];
    if (!parent) root = el;
    else parent.children.push(el);
  };

  /**
   * Text or an attribute value between from and end, entities decoded, lines counted; null
   * outside the subset (a character that is not plain, an unknown entity, `]]>`).
   */
  const decode = (from: number, end: number): string | null => {
    let out = '';
    let start = from;
    for (let k = from; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c === AMP) {
        const semi = text.indexOf(';', k);
        if (semi < 0 || semi >= end) return null;
        const name = text.slice(k + 1, semi);
        let value = NAMED[name];
        if (value === undefined) {
          const m = REFERENCE.exec(name);
          if (!m) return null;
          const code = m[1] !== undefined ? Number(m[1]) : parseInt(m[2]!, 16);
          if (!isXmlChar(code)) return null;
          value = String.fromCodePoint(code);
        }
        out += text.slice(start, k) + value;
        k = semi;
        start = semi + 1;
      } else if (c === NL) line++;
      else if (c === GT) {
        if (k >= from + 2 && text.charCodeAt(k - 1) === CLOSE_BRACKET && text.charCodeAt(k - 2) === CLOSE_BRACKET) return null;
      } else if (!isPlain(c)) return null;
    }
    return start === from ? text.slice(from, end) : out + text.slice(start, end);
  };

  /** Whether from..end holds only plain characters (counting lines): a comment's or a CDATA section's content. */
  const plain = (from: number, end: number): boolean => {
    for (let k = from; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c === NL) line++;
      else if (!isPlain(c)) return false;
    }
    return true;
  };

  const readName = (): string | null => {
    const start = i;
    if (i >= n || !isNameStart(text.charCodeAt(i))) return null;
    i++;
    while (i < n && isNameChar(text.charCodeAt(i))) i++;
    return text.slice(start, i);
  };

  const skipSpaces = (): boolean => {
    const start = i;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === NL) line++;
      else if (c !== 0x20 && c !== 0x09) break;
    }
    return i > start;
  };

  const decl = DECLARATION.exec(text);
  if (decl) {
    i = decl[0].length;
    for (let k = 0; k < i; k++) if (text.charCodeAt(k) === NL) line++;
  }

  while (i < n) {
    const lt = text.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    // Text up to the next markup: trimmed, kept inside an element, only whitespace outside.
    if (end > i) {
      const top = stack[stack.length - 1];
      // Only spaces, tabs and line ends (the indentation between tags): nothing to keep.
      let k = i;
      let lines = 0;
      for (; k < end; k++) {
        const w = text.charCodeAt(k);
        if (w === NL) lines++;
        else if (w !== 0x20 && w !== 0x09) break;
      }
      if (k === end) {
        line += lines;
        i = end;
      } else if (top) {
        const piece = decode(i, end);
        if (piece === null) return null;
        const trimmed = piece.trim();
        if (trimmed !== '') top.text += trimmed;
      } else {
        skipSpaces();
        if (i !== end) return null;
      }
    }
    if (lt < 0) break;
    i = lt + 1;
    const c = text.charCodeAt(i);
    if (c === 0x21) {
      if (text.startsWith('!--', i)) {
        const close = text.indexOf('--', i + 3);
        if (close < 0 || text.charCodeAt(close + 2) !== GT || !plain(i + 3, close)) return null;
        i = close + 3;
        continue;
      }
      if (stack.length > 0 && text.startsWith('![CDATA[', i)) {
        const close = text.indexOf(']]>', i + 8);
        if (close < 0 || !plain(i + 8, close)) return null;
        stack[stack.length - 1]!.text += text.slice(i + 8, close);
        i = close + 3;
        continue;
      }
      return null; // DOCTYPE and anything else
    }
    if (c === SLASH) {
      i++;
      const name = readName();
      skipSpaces();
      const done = stack.pop();
      if (name === null || text.charCodeAt(i) !== GT || !done || done.name !== name) return null;
      i++;
      close(done);
      continue;
    }
    if (root !== null) return null; // a second root element
    const name = readName();
    if (name === null) return null; // a processing instruction, or not a name
    let attrs: Map<string, string> | null = null;
    let selfClosing = false;
    for (;;) {
      const spaced = skipSpaces();
      const ch = text.charCodeAt(i);
      if (ch === GT) {
        i++;
        break;
      }
      if (ch === SLASH && text.charCodeAt(i + 1) === GT) {
        selfClosing = true;
        i += 2;
        break;
      }
      if (!spaced) return null;
      const attr = readName();
      if (attr === null || attrs?.has(attr)) return null;
      skipSpaces();
      if (text.charCodeAt(i) !== EQ) return null;
      i++;
      skipSpaces();
      const q = text.charCodeAt(i);
      if (q !== 0x22 && q !== 0x27) return null;
      const close = text.indexOf(q === 0x22 ? '"' : "'", i + 1);
      if (close < 0) return null;
      // `<` is not allowed in a value; literal tabs and newlines would be normalised to spaces.
      for (let k = i + 1; k < close; k++) {
        const v = text.charCodeAt(k);
        if (v === 0x3c || v === 0x09 || v === NL) return null;
      }
      const value = decode(i + 1, close);
      if (value === null) return null;
      (attrs ??= new Map()).set(attr, value);
      i = close + 1;
    }
    const open: Open = { name, attrs: attrs ?? EMPTY_ATTRS, children: [], text: '', line };
    if (selfClosing) close(open);
    else stack.push(open);
  }
  return stack.length === 0 && root !== null ? root : null;
}
