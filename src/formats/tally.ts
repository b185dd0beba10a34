/**
 * The Tally package: everything a Dataset holds, in `tally.json`, and the images (when included)
 * at `images/<their relativePath>` (made unique per folder, see shared/names.ts).
 *
 * tally.json (schema version 1; one image or annotation per line, so diffs and diagnostics stay readable):
 *   { format: "tally", schemaVersion: 1, tallyVersion, createdAt,
 *     project?: { name, settings? },
 *     classes: [{ id?, name, color?, attributes? }],
 *     images: [{ id?, fileName, relativePath, path, sha256?, width, height, split, status? }],
 *     annotations: [{ id?, image, className, annotator?, groupId?, shape, attributes, createdAt?, updatedAt? }],
 *     reviewDecisions: [] }
 * - `image` is the index into `images` (short, and stable within the file).
 * - `split` is Tally's own ('unassigned' included, never 'default'); shapes are Tally's
 *   (`{kind: 'box', x, y, w, h}` / `{kind: 'polygon', points}`) at full precision.
 * - Optional fields are written only when the Dataset has them, so parse(serialize(d)) deep-equals d.
 *
 * Import validates strictly and names the field (`images[2].width`): a newer schema version is
 * refused ("made by a newer Tally"); a wrong type skips the item (error) or drops the field
 * (warning); duplicate ids keep the item and drop the id (it gets a new one on import). When the
 * image file is in the archive (at `path`), its size and SHA-256 win over the package's.
 */
import type { AnnotationAttributes, Shape } from '../core/model';
import { normaliseArchivePath } from './archive/paths';
import { uniqueNames } from './shared/names';
import { baseName, decodeText, dirName, encodeText } from './shared/text';
import { packageFile, parseTally, TALLY_FILE, TALLY_SCHEMA_VERSION } from './tallyParse';
import type { Dataset, DatasetImage, Format, SerializeOptions, SerializeResult } from './types';

export { TALLY_FILE, TALLY_SCHEMA_VERSION };

// ---------------------------------------------------------------------------------------------
// Export

/** Where each image goes in the zip: `images/` + its relativePath when that is a safe archive path, else `images/` + its file name; unique per folder. */
function zipPaths(images: readonly DatasetImage[]): { paths: string[]; notes: SerializeResult['notes'] } {
  const safe = images.map((img, i) => {
    const whole = normaliseArchivePath(img.relativePath);
    if (whole.ok) return whole.path;
    const name = normaliseArchivePath(baseName(img.fileName || img.relativePath));
    return name.ok && !name.path.includes('/') ? name.path : `image_${i + 1}`;
  });
  const entries = safe.map((p) => ({ fileName: baseName(p), relativePath: p }));
  const { names, notes } = uniqueNames(entries, (i) => dirName(safe[i]!), false);
  const paths = safe.map((p, i) => `images/${dirName(p) === '' ? '' : `${dirName(p)}/`}${names[i]!}`);
  // Only the copy in the zip is renamed: relativePath in tally.json keeps the name.
  return { paths, notes: notes.map((n) => ({ ...n, message: n.message.replace(/^renamed to/, 'renamed in the zip to') })) };
}

const shapeJson = (s: Shape): Shape => (s.kind === 'box' ? { kind: 'box', x: s.x, y: s.y, w: s.w, h: s.h } : { kind: 'polygon', points: [...s.points] });

function attributesJson(a: AnnotationAttributes): AnnotationAttributes {
  return {
    ...(a.occluded !== undefined ? { occluded: a.occluded } : {}),
    ...(a.truncated !== undefined ? { truncated: a.truncated } : {}),
    ...(a.difficult !== undefined ? { difficult: a.difficult } : {}),
    ...(a.iscrowd !== undefined ? { iscrowd: a.iscrowd } : {}),
    ...(a.custom !== undefined ? { custom: { ...a.custom } } : {}),
  };
}

function serialize(dataset: Dataset, options: SerializeOptions): SerializeResult {
  const { paths, notes } = zipPaths(dataset.images);
  const p = dataset.project;
  const project = p ? { name: p.name, ...(p.settings ? { settings: p.settings } : {}) } : undefined;
  const classes = dataset.classes.map((c) => ({
    ...(c.id !== undefined ? { id: c.id } : {}),
    name: c.name,
    ...(c.color !== undefined ? { color: c.color } : {}),
    ...(c.attributes !== undefined ? { attributes: c.attributes.map((s) => ({ name: s.name, type: s.type, options: [...s.options] })) } : {}),
  }));
  const images = dataset.images.map((img, i) => ({
    ...(img.id !== undefined ? { id: img.id } : {}),
    fileName: img.fileName,
    relativePath: img.relativePath,
    path: paths[i]!,
    ...(img.sha256 !== undefined ? { sha256: img.sha256 } : {}),
    width: img.width,
    height: img.height,
    split: img.split,
    ...(img.status !== undefined ? { status: img.status } : {}),
  }));
  const annotations = dataset.annotations.map((a) => ({
    ...(a.id !== undefined ? { id: a.id } : {}),
    image: a.image,
    className: a.className,
    ...(a.annotator !== undefined ? { annotator: a.annotator } : {}),
    ...(a.groupId !== undefined ? { groupId: a.groupId } : {}),
    shape: shapeJson(a.shape),
    attributes: attributesJson(a.attributes),
    ...(a.createdAt !== undefined ? { createdAt: a.createdAt } : {}),
    ...(a.updatedAt !== undefined ? { updatedAt: a.updatedAt } : {}),
  }));
  const list = (items: readonly unknown[]): string => (items.length === 0 ? '[]' : `[\n    ${items.map((x) => JSON.stringify(x)).join(',\n    ')}\n  ]`);
  const fields: [string, string][] = [
    ['format', JSON.stringify('tally')],
    ['schemaVersion', String(TALLY_SCHEMA_VERSION)],
    ['tallyVersion', JSON.stringify(options.tallyVersion)],
    ['createdAt', JSON.stringify(options.createdAt)],
    ...(project ? [['project', JSON.stringify(project)] as [string, string]] : []),
    ['classes', list(classes)],
    ['images', list(images)],
    ['annotations', list(annotations)],
    ['reviewDecisions', '[]'],
  ];
  const text = `{\n${fields.map(([k, v]) => `  ${JSON.stringify(k)}: ${v}`).join(',\n')}\n}\n`;
  return { files: new Map([[TALLY_FILE, encodeText(text)]]), imagePaths: paths, imageRefs: dataset.images.map((i) => i.relativePath), notes };
}

function detect(files: ReadonlyMap<string, Uint8Array>): number {
  const file = packageFile(files)[0];
  if (file === undefined) return 0;
  const bytes = files.get(file)!;
  if (/"format"\s*:\s*"tally"/.test(decodeText(bytes.subarray(0, 256)))) return 1;
  // An older or hand-made tally.json: its lists must be there.
  const text = decodeText(bytes.subarray(0, 65536));
  return /"images"\s*:\s*\[/.test(text) && /"classes"\s*:\s*\[/.test(text) ? 0.7 : 0;
}

export const tally: Format = {
  id: 'tally',
  label: 'Tally',
  shapes: 'both',
  keepsUnassigned: true,
  precision: () => 0.001,
  detect,
  serialize,
  parse: parseTally,
};
