/**
 * JSON text to a value, or a message with the 1-based line of the first syntax error. Browsers
 * word JSON.parse errors differently and not all give a position, so on failure a small
 * validator finds where the text stops being JSON. Never throws.
 */

import { decodeText } from './shared/text';

export type JsonRead = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string; readonly line?: number };

export function readJson(text: string): JsonRead {
  if (text.trim() === '') return { ok: false, message: 'the file is empty' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const at = jsonErrorOffset(text);
    if (at === undefined) {
      // Valid syntax that JSON.parse still refused (nesting too deep for the engine…).
      return { ok: false, message: `the file could not be read as JSON (${e instanceof Error ? e.message : String(e)})` };
    }
    const where = at >= text.length ? 'the text ends too early' : `unexpected ${describe(text.codePointAt(at)!)}`;
    return { ok: false, message: `not valid JSON: ${where}`, line: lineOf(text, at) };
  }
}

/** The JSON in a file's bytes (UTF-8, with or without a byte-order mark). */
export function readJsonFile(bytes: Uint8Array): JsonRead {
  let text: string;
  try {
    text = decodeText(bytes);
  } catch {
    return { ok: false, message: 'the file is not UTF-8 text' };
  }
  return readJson(text);
}

/** 1-based line of a character offset (CRLF, LF and lone CR each end a line). */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) line++;
  }
  return line;
}

function describe(cp: number): string {
  if (cp < 0x20 || cp === 0x7f) return `control character U+${cp.toString(16).padStart(4, '0').toUpperCase()}`;
  return `“${String.fromCodePoint(cp)}”`;
}

type State = 'value' | 'valueOrClose' | 'keyOrClose' | 'key' | 'colon' | 'after';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** Offset of the first character that makes `text` invalid JSON (text.length when it ends too early), or undefined when it is valid. */
export function jsonErrorOffset(text: string): number | undefined {
  const stack: ('{' | '[')[] = [];
  let i = 0;
  let state: State = 'value';
  const n = text.length;
  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  /** Scans a string starting at the quote at i; returns false (i at the fault) when it is not valid. */
  const scanString = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 92) {
        const e = text[i + 1];
        if (e === undefined) {
          i = n;
          return false;
        }
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i = Math.min(i + 2, n);
            return false;
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) {
          i++;
          return false;
        }
        i += 2;
        continue;
      }
      i++;
    }
    return false;
  };
  for (;;) {
    skipWs();
    if (i >= n) return state === 'after' && stack.length === 0 ? undefined : n;
    const c = text[i]!;
    switch (state) {
      case 'valueOrClose':
        if (c === ']') {
          stack.pop();
          i++;
          state = 'after';
          continue;
        }
        state = 'value';
        continue;
      case 'value':
        if (c === '{') {
          stack.push('{');
          i++;
          state = 'keyOrClose';
        } else if (c === '[') {
          stack.push('[');
          i++;
          state = 'valueOrClose';
        } else if (c === '"') {
          if (!scanString()) return i;
          state = 'after';
        } else {
          NUMBER.lastIndex = i;
          LITERAL.lastIndex = i;
          if (NUMBER.test(text)) i = NUMBER.lastIndex;
          else if (LITERAL.test(text)) i = LITERAL.lastIndex;
          else return i;
          state = 'after';
        }
        continue;
      case 'keyOrClose':
        if (c === '}') {
          stack.pop();
          i++;
          state = 'after';
          continue;
        }
        state = 'key';
        continue;
      case 'key':
        if (c !== '"' || !scanString()) return i;
        state = 'colon';
        continue;
      case 'colon':
        if (c !== ':') return i;
        i++;
        state = 'value';
        continue;
      case 'after': {
        const top = stack[stack.length - 1];
        if (top === undefined) return i;
        if (c === ',') {
          i++;
          state = top === '{' ? 'key' : 'value';
        } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
          stack.pop();
          i++;
        } else return i;
        continue;
      }
    }
  }
}
