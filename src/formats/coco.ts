/**
 * COCO instances JSON (FORMATS.md): `annotations/instances_<split>.json` per split, images at
 * `images/<split>/<file_name>`. Writing: cocoWrite.ts; reading: cocoParse.ts; where files and
 * images sit: cocoLayout.ts.
 */
import { parseCoco } from './cocoParse';
import { serializeCoco } from './cocoWrite';
import { baseName, decodeText } from './shared/text';
import type { Format } from './types';

/** Bytes read from each end of a JSON file: COCO 2017 puts `categories` after megabytes of annotations. */
const PEEK = 64 * 1024;

function detect(files: ReadonlyMap<string, Uint8Array>): number {
  let best = 0;
  let looked = 0;
  for (const [path, bytes] of files) {
    const name = baseName(path).toLowerCase();
    if (!name.endsWith('.json') || path === 'manifest.json' || name === 'tally.json') continue;
    const text = decodeText(bytes.subarray(0, PEEK)) + (bytes.length > PEEK ? decodeText(bytes.subarray(Math.max(PEEK, bytes.length - PEEK))) : '');
    const images = /"images"\s*:\s*\[/.test(text);
    const categories = /"categories"\s*:\s*\[/.test(text);
    const annotations = /"annotations"\s*:\s*\[/.test(text);
    const named = /^instances_.*\.json$/.test(name) || name.endsWith('.coco.json');
    let score = images && categories ? 0.9 : images && annotations ? 0.5 : 0;
    if (named && score > 0) score = 1;
    best = Math.max(best, score);
    if (best === 1 || ++looked >= 20) break;
  }
  return best;
}

export const coco: Format = {
  id: 'coco',
  label: 'COCO',
  shapes: 'both',
  readsRectanglesAsBoxes: true,
  // Two decimals of coordinates stored at 1/100 px; box corners are rounded, not sizes.
  precision: () => 0.01,
  detect,
  serialize: serializeCoco,
  parse: parseCoco,
};
