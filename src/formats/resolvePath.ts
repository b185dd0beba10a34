/**
 * A path another tool wrote inside an annotation file (LabelMe's `imagePath`, a CSV `image`
 * cell), resolved against the folder of that file into a '/'-separated path under the import
 * root. Never climbs above the root: extra `..` are dropped (and reported by the caller).
 */

export interface ResolvedPath {
  /** '/'-separated, NFC, without '.', '..' or empty segments; '' when nothing is left. */
  readonly path: string;
  /** Some `..` pointed above the import root and were dropped. */
  readonly climbed: boolean;
  /** The reference was absolute (`/…`, `C:\…`, `\\server\…`, `file:`): only its file name was kept. */
  readonly absolute: boolean;
}

const ABSOLUTE = /^(?:\/|[A-Za-z]:|file:)/i;

/** `ref` (backslashes allowed) relative to the folder `dir` ('' for the root). */
export function resolvePath(dir: string, ref: string): ResolvedPath {
  let slashed = ref.replace(/\\/g, '/');
  const absolute = ABSOLUTE.test(slashed);
  if (absolute) slashed = slashed.split(/[/:]/).pop() ?? '';
  const out = dir === '' ? [] : dir.split('/').filter((s) => s !== '' && s !== '.');
  let climbed = false;
  for (const segment of slashed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0) out.pop();
      else climbed = true;
      continue;
    }
    out.push(segment);
  }
  return { path: out.join('/').normalize('NFC'), climbed, absolute };
}
