/**
 * Checks the format tests share: what every parse result must satisfy whatever the input, the
 * mutations the fuzz tests feed parsers, and reading a golden folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';
import { classNameKey, validateShape } from '../core/validate';
import { decodeText, encodeText } from '../formats/shared/text';
import type { ParseResult } from '../formats/types';

export interface SoundnessOptions {
  /** The format always knows each image's size (YOLO: a label without one is not read). */
  readonly sizesKnown?: boolean;
  /** A diagnostic message that would mean the parser failed as a whole. */
  readonly forbidden?: RegExp;
}

/**
 * Every class named once (ignoring case) and every annotation's class among them; every shape
 * valid and, where the image's size is known, inside the image; every diagnostic names a file.
 */
export function expectSoundParse(r: ParseResult, options: SoundnessOptions = {}): void {
  const names = new Set(r.dataset.classes.map((c) => c.name));
  expect(new Set(r.dataset.classes.map((c) => classNameKey(c.name))).size).toBe(r.dataset.classes.length);
  for (const a of r.dataset.annotations) {
    expect(names.has(a.className)).toBe(true);
    expect(validateShape(a.shape).ok).toBe(true);
    const img = r.dataset.images[a.image];
    expect(img).toBeDefined();
    if (!img) continue;
    const known = img.width > 0 && img.height > 0;
    if (options.sizesKnown) expect(known).toBe(true);
    if (!known) continue;
    const c = a.shape.kind === 'box' ? [a.shape.x, a.shape.y, a.shape.x + a.shape.w, a.shape.y + a.shape.h] : a.shape.points;
    c.forEach((v, k) => {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual((k % 2 === 0 ? img.width : img.height) + 1e-9);
    });
  }
  for (const d of r.diagnostics) {
    expect(d.file).not.toBe('');
    if (options.forbidden) expect(d.message).not.toMatch(options.forbidden);
  }
}

export type Mutation = 'truncate' | 'flip' | 'delete' | 'duplicate';

/** A valid file damaged one way: cut short, one byte changed, one line deleted or doubled. */
export function mutate(text: string, how: Mutation, at: number, value: number): Uint8Array {
  const bytes = encodeText(text);
  if (how === 'truncate') return bytes.slice(0, at % (bytes.length + 1));
  if (how === 'flip') {
    const copy = bytes.slice();
    if (copy.length > 0) copy[at % copy.length] = value % 256;
    return copy;
  }
  const lines = text.split('\n');
  const n = at % lines.length;
  return encodeText((how === 'delete' ? lines.filter((_, i) => i !== n) : lines.flatMap((l, i) => (i === n ? [l, l] : [l]))).join('\n'));
}

/**
 * A serializer's files equal the golden folder byte for byte (as text). With UPDATE_GOLDEN set,
 * the folder is written from them first.
 */
export function expectGoldenFiles(root: string, files: ReadonlyMap<string, Uint8Array>): void {
  const got = new Map([...files].map(([k, v]) => [k, decodeText(v)]));
  if (process.env.UPDATE_GOLDEN) {
    for (const [k, v] of got) {
      mkdirSync(dirname(join(root, k)), { recursive: true });
      writeFileSync(join(root, k), v);
    }
  }
  const golden = readTree(root);
  expect([...got.keys()].sort()).toEqual([...golden.keys()].sort());
  for (const [k, v] of got) expect(v, k).toBe(golden.get(k));
}

/** Every file below root, by '/'-separated relative path, as text (an empty map when root is missing). */
export function readTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}
