/**
 * What files look like, in a few words, for the message when no format recognises them: "not a
 * supported format: labels.json is a JSON object with keys "foo", "bar"; b.xml is XML with root
 * <dataset> holding <item>". Reads only the first 64 KB of each file. Pure; never throws.
 */
import { baseName, decodeText, extensionOf } from './shared/text';

const HEAD = 65536;
const MAX_FILES = 3;

const list = (names: readonly string[], max = 4): string => names.slice(0, max).join(', ') + (names.length > max ? ', …' : '');

function describeJson(text: string): string {
  const t = text.trimStart();
  if (t.startsWith('[')) {
    const keys = [...new Set([...t.slice(0, 4096).matchAll(/"([^"\\]{1,40})"\s*:/g)].map((m) => `"${m[1]}"`))];
    return keys.length > 0 ? `a JSON list of objects with keys ${list(keys)}` : 'a JSON list';
  }
  if (!t.startsWith('{')) return 'not JSON';
  // Top-level keys: those at nesting depth 1 of the head.
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < t.length && keys.length < 6; i++) {
    const c = t[i];
    if (c === '"') {
      const end = t.indexOf('"', i + 1);
      if (end < 0) break;
      if (depth === 1 && /^\s*:/.test(t.slice(end + 1, end + 8))) keys.push(`"${t.slice(i + 1, Math.min(end, i + 41))}"`);
      i = end;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys.length > 0 ? `a JSON object with keys ${list(keys, 5)}` : 'an empty JSON object';
}

function describeXml(text: string): string {
  const tags = [...text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>/g, '').matchAll(/<([A-Za-z_][\w.:-]*)/g)].map((m) => m[1]!);
  if (tags.length === 0) return 'XML without elements';
  const [root, ...rest] = tags;
  const inner = [...new Set(rest)].map((t) => `<${t}>`);
  return `XML with root <${root}>${inner.length > 0 ? ` holding ${list(inner)}` : ''}`;
}

function describeOne(path: string, bytes: Uint8Array): string {
  let text: string;
  try {
    text = decodeText(bytes.subarray(0, HEAD));
  } catch {
    return `${baseName(path)} is not text`;
  }
  if (bytes.length === 0) return `${baseName(path)} is empty`;
  const ext = extensionOf(path);
  const t = text.trimStart();
  if (ext === '.json' || t.startsWith('{') || t.startsWith('[')) return `${path} is ${describeJson(text)}`;
  if (ext === '.xml' || t.startsWith('<')) return `${path} is ${describeXml(text)}`;
  const first = t.split(/\r\n|\r|\n/)[0]!.slice(0, 60);
  return `${path} starts with “${first}${first.length === 60 ? '…' : ''}”`;
}

/** A few words on what the first files are, for "not a supported format: …". */
export function describeFiles(files: ReadonlyMap<string, Uint8Array>): string {
  const parts = [...files].slice(0, MAX_FILES).map(([path, bytes]) => describeOne(path, bytes));
  return parts.join('; ') + (files.size > MAX_FILES ? `; and ${files.size - MAX_FILES} more file${files.size - MAX_FILES === 1 ? '' : 's'}` : '');
}
