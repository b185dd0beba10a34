/**
 * LabelMe 3.0 XML (the MIT LabelMe tool's format, as CVAT and Datumaro export it): one
 * `<annotation>` file per image, every object an outline of `<pt><x>…</x><y>…</y></pt>` points.
 *
 * Written: `<split>/<stem>.xml` beside the image at `<split>/<name>` (`default` for images
 * without a split; names unique per folder by stem), each
 *
 *     <annotation><filename/><folder/><source/><imagesize><nrows>H</nrows><ncols>W</ncols></imagesize>
 *       <object><name/><deleted>0</deleted><verified>0</verified><occluded>yes|no</occluded>
 *         <date/><id>k</id><parts><hasparts/><ispartof/></parts>
 *         <type>bounding_box</type>?            (a box: its 4 corners, clockwise from top-left)
 *         <polygon><pt><x/><y/></pt>…<username/></polygon>
 *         <attributes>truncated=true, difficult=false, colour=red</attributes>
 *       </object></annotation>
 *
 * Coordinates are Tally's (continuous pixels from the top-left corner), written at full
 * precision. LabelMe has no classes list: classes are the object names, in first-seen order.
 *
 * Read (any .xml whose root is `<annotation>` with `<object><polygon>` or `<imagesize>`):
 * - the image is `<filename>` in the XML's own folder (`<folder>` is where LabelMe kept it on its
 *   server, not in the archive); its split the first folder of that path named like a split;
 * - the size from `<imagesize>` (nrows = height, ncols = width), else the image file, else the
 *   project's image; a stated size that differs from the image file is a warning;
 * - `<type>bounding_box</type>` with 4 axis-aligned corners → a box; any other outline of ≥ 3
 *   points → a polygon; a 4-point outline on a rectangle without the type stays a polygon;
 * - `<deleted>1</deleted>` objects are skipped (LabelMe keeps deleted objects in the file);
 *   `<segm>` masks and outlines of fewer than 3 points are skipped, each said;
 * - `<occluded>yes</occluded>`, and `<attributes>` as comma-separated `name=value` (a bare
 *   `name` is true); `<parts>` relations are not kept (said once per file).
 */
import type { AnnotationAttributes, Shape } from '../core/model';
import { uniqueNames } from './shared/names';
import { diagnostic, readShape, type Where } from './shared/readShape';
import { splitName, splitOfPath } from './shared/splits';
import { baseName, dirName, encodeText, escapeXml, extensionOf, stemOf } from './shared/text';
import type { Dataset, DatasetAnnotation, DatasetImage, Diagnostic, Format, ParseInput, ParseResult, SerializeOptions, SerializeResult, Size } from './types';
import { ClassCollector, child, childText, childrenNamed, forEachXmlFile, neverThrows, peekText, sizeFinder, sizeFromText, toFlag, toNumber, type XmlElement } from './xmlTree';

// ---------------------------------------------------------------------------------------------
// Export

/** Full precision without float noise (1.4 + 30.2 = 31.599999999999998). */
const num = (v: number): string => String(Number(v.toPrecision(15)) || 0);

const FLAGS = ['truncated', 'difficult'] as const;

/** `<attributes>` text: `name=value` pairs; commas and `=` inside values cannot be written, so they become spaces (said by the caller). */
function attributesText(a: AnnotationAttributes): { text: string; changed: boolean } {
  let changed = false;
  const clean = (s: string): string => {
    const c = s.replace(/[,=\r\n]/g, ' ').trim();
    if (c !== s) changed = true;
    return c;
  };
  const pairs: string[] = [];
  for (const f of FLAGS) if (a[f] !== undefined) pairs.push(`${f}=${a[f] ? 'true' : 'false'}`);
  for (const [k, v] of Object.entries(a.custom ?? {})) pairs.push(`${clean(k)}=${typeof v === 'boolean' ? String(v) : clean(v)}`);
  return { text: pairs.join(', '), changed };
}

function objectXml(a: DatasetAnnotation, k: number): { xml: string[]; changed: boolean } {
  const s = a.shape;
  const points: [number, number][] = [];
  if (s.kind === 'box') points.push([s.x, s.y], [s.x + s.w, s.y], [s.x + s.w, s.y + s.h], [s.x, s.y + s.h]);
  else for (let i = 0; i + 1 < s.points.length; i += 2) points.push([s.points[i]!, s.points[i + 1]!]);
  const attrs = attributesText(a.attributes);
  const xml = [
    '\t<object>',
    `\t\t<name>${escapeXml(a.className)}</name>`,
    '\t\t<deleted>0</deleted>',
    '\t\t<verified>0</verified>',
    `\t\t<occluded>${a.attributes.occluded ? 'yes' : 'no'}</occluded>`,
    '\t\t<date></date>',
    `\t\t<id>${k}</id>`,
    '\t\t<parts>',
    '\t\t\t<hasparts></hasparts>',
    '\t\t\t<ispartof></ispartof>',
    '\t\t</parts>',
    ...(s.kind === 'box' ? ['\t\t<type>bounding_box</type>'] : []),
    '\t\t<polygon>',
    ...points.map(([x, y]) => `\t\t\t<pt><x>${num(x)}</x><y>${num(y)}</y></pt>`),
    '\t\t\t<username></username>',
    '\t\t</polygon>',
    `\t\t<attributes>${escapeXml(attrs.text)}</attributes>`,
    '\t</object>',
  ];
  return { xml, changed: attrs.changed };
}

function serialize(dataset: Dataset, options: SerializeOptions): SerializeResult {
  const folderOf = (i: number): string => splitName(dataset.images[i]!.split);
  const { names, notes } = uniqueNames(dataset.images, folderOf, true);
  const perImage: DatasetAnnotation[][] = dataset.images.map(() => []);
  for (const a of dataset.annotations) perImage[a.image]?.push(a);
  const files = new Map<string, Uint8Array>();
  const imagePaths: string[] = [];
  let changedValues = 0;
  dataset.images.forEach((img, i) => {
    const folder = folderOf(i);
    const name = names[i]!;
    const out = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<annotation>',
      `\t<filename>${escapeXml(name)}</filename>`,
      `\t<folder>${escapeXml(folder)}</folder>`,
      '\t<source>',
      '\t\t<sourceImage></sourceImage>',
      `\t\t<sourceAnnotation>Tally ${escapeXml(options.tallyVersion)}</sourceAnnotation>`,
      '\t</source>',
      '\t<imagesize>',
      `\t\t<nrows>${img.height}</nrows>`,
      `\t\t<ncols>${img.width}</ncols>`,
      '\t</imagesize>',
    ];
    perImage[i]!.forEach((a, k) => {
      const o = objectXml(a, k);
      if (o.changed) changedValues++;
      out.push(...o.xml);
    });
    out.push('</annotation>', '');
    files.set(`${folder}/${stemOf(name)}.xml`, encodeText(out.join('\n')));
    imagePaths.push(`${folder}/${name}`);
  });
  if (changedValues > 0) {
    notes.push({ kind: 'changed', message: `${changedValues} shape${changedValues === 1 ? '' : 's'} had an attribute name or value with a comma, = or line break, written as a space (LabelMe's attributes are "name=value, …")` });
  }
  return { files, imagePaths, imageRefs: imagePaths, notes };
}

// ---------------------------------------------------------------------------------------------
// Import

/** Whether an XML root looks like LabelMe 3.0: an <annotation> with outlined objects or an <imagesize>. */
const isLabelme = (root: XmlElement): boolean =>
  root.name === 'annotation' && (child(root, 'imagesize') !== undefined || childrenNamed(root, 'object').some((o) => child(o, 'polygon') !== undefined || child(o, 'segm') !== undefined));

function attributesOf(obj: XmlElement): AnnotationAttributes {
  const out: { occluded?: boolean; truncated?: boolean; difficult?: boolean; custom?: Record<string, string | boolean> } = {};
  if (/^(yes|1|true)$/i.test((childText(obj, 'occluded') ?? '').trim())) out.occluded = true;
  for (const pair of (childText(obj, 'attributes') ?? '').split(',')) {
    const [rawKey = '', ...rest] = pair.split('=');
    const key = rawKey.trim();
    if (key === '') continue;
    const raw = rest.join('=').trim();
    const value: string | boolean = rest.length === 0 ? true : /^(true|false)$/i.test(raw) ? raw.toLowerCase() === 'true' : raw;
    if (key === 'occluded' || key === 'truncated' || key === 'difficult') out[key] = value === true || (typeof value === 'string' && toFlag(value));
    else (out.custom ??= {})[key] = value;
  }
  return out;
}

/** The outline of an object: the points of its <polygon>, or a message why there is none. */
function outlineOf(obj: XmlElement): number[] | string {
  const polygon = child(obj, 'polygon');
  if (!polygon) return child(obj, 'segm') ? 'it is a mask (<segm>), which Tally does not read' : 'it has no <polygon>';
  const points: number[] = [];
  for (const pt of childrenNamed(polygon, 'pt')) points.push(toNumber(childText(pt, 'x')), toNumber(childText(pt, 'y')));
  if (!points.every(Number.isFinite)) return 'a point of its <polygon> is not a pair of numbers';
  if (points.length < 6) return `its <polygon> has ${points.length / 2} point${points.length === 2 ? '' : 's'}, not the 3 an outline needs`;
  return points;
}

/** A bounding_box outline: 4 points on the corners of their bounds (any order), as a box. */
function boxOf(points: readonly number[]): Shape | null {
  if (points.length !== 8) return null;
  const xs = [points[0]!, points[2]!, points[4]!, points[6]!];
  const ys = [points[1]!, points[3]!, points[5]!, points[7]!];
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const cornered = xs.every((x, k) => (x === x0 || x === x1) && (ys[k] === y0 || ys[k] === y1));
  return cornered ? { kind: 'box', x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
}

function parse(input: ParseInput): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const classes = new ClassCollector();
  const images: DatasetImage[] = [];
  const annotations: DatasetAnnotation[] = [];
  const findSize = sizeFinder(input);
  const describedBy = new Map<string, string>();

  forEachXmlFile(input.files, diagnostics, (file, root) => {
    if (!isLabelme(root)) {
      diagnostics.push(diagnostic('info', { file }, `ignored: not a LabelMe 3.0 file (root element <${root.name}> without outlined objects or <imagesize>)`));
      return;
    }
    const name = baseName((childText(root, 'filename') ?? '').replace(/\\/g, '/')).trim() || `${stemOf(file)}.jpg`;
    if ((childText(root, 'filename') ?? '').trim() === '') diagnostics.push(diagnostic('warning', { file, field: 'filename' }, `no <filename>: the image is taken to be ${name}`));
    const dir = dirName(file);
    const relativePath = dir === '' ? name : `${dir}/${name}`;
    const earlier = describedBy.get(relativePath);
    if (earlier !== undefined) {
      diagnostics.push(diagnostic('error', { file }, `skipped: ${earlier} already describes the image ${relativePath}`));
      return;
    }
    describedBy.set(relativePath, file);

    const sizeEl = child(root, 'imagesize');
    const stated = sizeEl ? sizeFromText(childText(sizeEl, 'ncols'), childText(sizeEl, 'nrows')) : undefined;
    if (sizeEl && !stated) diagnostics.push(diagnostic('warning', { file, field: 'imagesize' }, `<imagesize> has no positive <nrows> and <ncols>: the size is taken from the image`));
    const found = findSize([relativePath]);
    if (stated && found && (found.size.width !== stated.width || found.size.height !== stated.height)) {
      diagnostics.push(diagnostic('warning', { file, field: 'imagesize' }, `the file says ${stated.width}×${stated.height}, the image is ${found.size.width}×${found.size.height}; coordinates are read against the file's size`));
    }
    const size: Size | undefined = stated ?? found?.size;
    if (!size) diagnostics.push(diagnostic('warning', { file, field: 'imagesize' }, `the size of ${relativePath} is unknown (no <imagesize>, no image file): shapes are not checked against it`));
    const own = found?.path === relativePath ? found.sha256 : undefined;
    const imageIndex = images.length;
    images.push({ relativePath, fileName: name, width: size?.width ?? 0, height: size?.height ?? 0, split: splitOfPath(relativePath), source: file, ...(own !== undefined ? { sha256: own } : {}) });

    let related = 0;
    childrenNamed(root, 'object').forEach((obj, k) => {
      const where: Where = { file, line: obj.line, field: `object[${k}]` };
      const label = (childText(obj, 'name') ?? '').trim();
      if (toFlag(childText(obj, 'deleted'))) {
        diagnostics.push(diagnostic('info', where, `skipped object ${k + 1}${label ? ` (${label})` : ''}: it is marked deleted`));
        return;
      }
      if (label === '') {
        diagnostics.push(diagnostic('error', { ...where, field: `object[${k}].name` }, `skipped object ${k + 1}: it has no <name>`));
        return;
      }
      const outline = outlineOf(obj);
      if (typeof outline === 'string') {
        diagnostics.push(diagnostic(outline.startsWith('it is a mask') ? 'warning' : 'error', where, `skipped object ${k + 1} (${label}): ${outline}`));
        return;
      }
      const parts = child(obj, 'parts');
      if (parts && ((childText(parts, 'hasparts') ?? '').trim() !== '' || (childText(parts, 'ispartof') ?? '').trim() !== '')) related++;
      const asBox = (childText(obj, 'type') ?? '').trim() === 'bounding_box' ? boxOf(outline) : null;
      const shape = readShape(asBox ?? { kind: 'polygon', points: outline }, size, where, diagnostics);
      if (!shape) return;
      annotations.push({ image: imageIndex, className: classes.resolve(label, where, diagnostics), shape, attributes: attributesOf(obj) });
    });
    if (related > 0) diagnostics.push(diagnostic('info', { file }, `${related} object${related === 1 ? ' is' : 's are'} part of another or has parts (<parts>): the relation is not kept, each object is read on its own`));
  });
  return { dataset: { classes: classes.classes, images, annotations }, diagnostics };
}

// ---------------------------------------------------------------------------------------------
// Detection

function detect(files: ReadonlyMap<string, Uint8Array>): number {
  let best = 0;
  let peeked = 0;
  for (const [path, bytes] of files) {
    if (extensionOf(path) !== '.xml' || peeked >= 20) continue;
    peeked++;
    const head = peekText(bytes, 16384);
    if (!/<annotation[\s>]/.test(head)) continue;
    const outlined = /<polygon[\s>]/.test(head) && /<pt[\s>]/.test(head);
    if (outlined || /<imagesize[\s>]/.test(head)) best = Math.max(best, outlined && /<imagesize[\s>]/.test(head) ? 0.95 : 0.85);
  }
  return best;
}

export const labelmeXml: Format = {
  id: 'labelme-xml',
  label: 'LabelMe 3.0 XML',
  shapes: 'both',
  precision: () => 0.001,
  detect,
  serialize,
  parse: neverThrows(parse, 'LabelMe 3.0'),
};
