/**
 * Pascal VOC: one XML file per image, boxes only.
 *
 * Layout written: `Annotations/<stem>.xml`, `ImageSets/Main/<split>.txt` (the stems of each
 * split present, one per line; `default.txt` for images without a split), `labelmap.txt` (every
 * class with its colour, as CVAT's VOC export writes it: `# label:color_rgb:parts:actions`, then
 * `background:0,0,0::` and one `name:r,g,b::` line per class, so CVAT and Datumaro load classes
 * outside VOC's twenty) and, with images,
 * `JPEGImages/<name>` (the original extension is kept even when it is not .jpg). VOC keeps
 * every image in one flat folder, so names are made unique across the whole export by stem
 * (`a.jpg` and `a.png` would share `a.xml`): later ones become `a_2.png`, reported as a change.
 *
 * Coordinates — the original devkit's convention, written strictly: integer pixel indices,
 * 1-based, inclusive corners. Tally's continuous box [x0, x1] × [y0, y1] becomes
 *   xmin = round(x0) + 1, ymin = round(y0) + 1, xmax = round(x1), ymax = round(y1),
 * clamped to 1..W and 1..H; a box too thin to cover one pixel after rounding becomes the
 * 1-pixel-wide (or high) box of the pixel under its centre (reported as a change), so xmax ≥
 * xmin always. Reading subtracts 1 from xmin and ymin (xmax, ymax unchanged), so a round trip
 * moves a corner by at most 1 px (precision 1).
 *
 * Reading accepts what other tools write: a file with any xmin or ymin below 1 cannot be
 * 1-based — Roboflow, CVAT and Datumaro write 0-based corners — so that file is read unshifted
 * (and says so); float coordinates; a missing `<size>` (the size then comes from the image);
 * an empty `<difficult/>`; elements in any order; zero objects (a background image);
 * `<attributes><attribute><name>…<value>…` (CVAT's VOC flavour); LabelImg's layout (the XML
 * next to its image, no Annotations folder). An image's relativePath is its place in the VOC
 * tree: `<root>JPEGImages/<filename>` for `<root>Annotations/<stem>.xml`, else the XML's own
 * folder + `<filename>`. Its split comes from `ImageSets/Main/{train,val,test}.txt` next to
 * the Annotations folder (comments and blank lines allowed); in none of them → unassigned.
 * `labelmap.txt` beside Annotations/ declares the classes in its order, with its colours
 * (`background` is no class; parts and actions are not read). `<part>` boxes inside an object
 * (VOC's person layout: head, hand, foot) are not read, and each object that has them says so.
 * A file in Tally's own layout that reads without a remark takes a short path (vocPlain.ts,
 * readPlain) to the same result.
 */
import { shapeBounds } from '../core/geometry';
import type { AnnotationAttributes, Shape, Split } from '../core/model';
import { uniqueNames } from './shared/names';
import { diagnostic, isBoxWellInside, readShape, type Where } from './shared/readShape';
import { splitFromName, splitName, splitsPresent } from './shared/splits';
import { baseName, decodeText, dirName, encodeText, escapeXml, extensionOf, stemOf } from './shared/text';
import type { Dataset, DatasetAnnotation, DatasetImage, Diagnostic, ExportNote, Format, ParseInput, ParseResult, SerializeResult, Size } from './types';
import { LABELMAP, labelmapText, readLabelmap } from './vocLabelmap';
import { plainVoc, type PlainVoc } from './vocPlain';
import { ClassCollector, neverThrows, child, childText, childrenNamed, forEachXmlFile, peekText, sizeFinder, sizeFromText, toFlag, toNumber, type XmlElement } from './xmlTree';

// ---------------------------------------------------------------------------------------------
// Export

/** One axis of a box in devkit corners: [min, max] 1-based inclusive, and whether it had to be widened to a whole pixel. */
export function devkitSpan(lo: number, hi: number, size: number): { min: number; max: number; widened: boolean } {
  const limit = Math.max(1, Math.round(size));
  const clamp = (v: number): number => Math.min(limit, Math.max(1, v));
  const min = Math.round(lo) + 1;
  const max = Math.round(hi);
  if (max >= min) return { min: clamp(min), max: clamp(max), widened: false };
  const pixel = Math.min(limit - 1, Math.max(0, Math.floor((lo + hi) / 2)));
  return { min: pixel + 1, max: pixel + 1, widened: true };
}

const flag = (v: boolean | undefined): string => (v ? '1' : '0');

function serialize(dataset: Dataset): SerializeResult {
  const files = new Map<string, Uint8Array>();
  const { names, notes: renameNotes } = uniqueNames(dataset.images, () => '', true);
  const notes: ExportNote[] = [...renameNotes];
  const perImage: DatasetAnnotation[][] = dataset.images.map(() => []);
  for (const a of dataset.annotations) perImage[a.image]?.push(a);
  let customValues = 0;

  dataset.images.forEach((img, i) => {
    const name = names[i]!;
    const out: string[] = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<annotation>',
      '\t<folder>JPEGImages</folder>',
      `\t<filename>${escapeXml(name)}</filename>`,
      '\t<size>',
      `\t\t<width>${img.width}</width>`,
      `\t\t<height>${img.height}</height>`,
      '\t\t<depth>3</depth>',
      '\t</size>',
      '\t<segmented>0</segmented>',
    ];
    for (const a of perImage[i]!) {
      const b = a.shape.kind === 'box' ? a.shape : shapeBounds(a.shape);
      const x = devkitSpan(b.x, b.x + b.w, img.width);
      const y = devkitSpan(b.y, b.y + b.h, img.height);
      if (x.widened || y.widened) {
        notes.push({ kind: 'changed', image: img.relativePath, message: `a box of class "${a.className}" thinner than a pixel was written 1 px ${x.widened && y.widened ? 'wide and high' : x.widened ? 'wide' : 'high'} (VOC corners are whole pixels)` });
      }
      if (a.attributes.custom) customValues += Object.keys(a.attributes.custom).length;
      out.push(
        '\t<object>',
        `\t\t<name>${escapeXml(a.className)}</name>`,
        '\t\t<pose>Unspecified</pose>',
        `\t\t<truncated>${flag(a.attributes.truncated)}</truncated>`,
        `\t\t<difficult>${flag(a.attributes.difficult)}</difficult>`,
        `\t\t<occluded>${flag(a.attributes.occluded)}</occluded>`,
        '\t\t<bndbox>',
        `\t\t\t<xmin>${x.min}</xmin>`,
        `\t\t\t<ymin>${y.min}</ymin>`,
        `\t\t\t<xmax>${x.max}</xmax>`,
        `\t\t\t<ymax>${y.max}</ymax>`,
        '\t\t</bndbox>',
        '\t</object>',
      );
    }
    out.push('</annotation>', '');
    files.set(`Annotations/${stemOf(name)}.xml`, encodeText(out.join('\n')));
  });

  for (const split of splitsPresent(dataset.images)) {
    const stems = dataset.images.flatMap((img, i) => (splitName(img.split) === split ? [stemOf(names[i]!)] : []));
    files.set(`ImageSets/Main/${split}.txt`, encodeText(stems.map((s) => `${s}\n`).join('')));
  }
  const labelmap = labelmapText(dataset.classes);
  if (typeof labelmap === 'string') files.set(LABELMAP, encodeText(labelmap));
  else notes.push({ kind: 'changed', message: labelmap.notWritten });
  if (customValues > 0) {
    notes.push({ kind: 'changed', message: `${customValues} custom attribute value${customValues === 1 ? '' : 's'} not written: Pascal VOC has no place for them` });
  }
  const paths = names.map((n) => `JPEGImages/${n}`);
  return { files, imagePaths: paths, imageRefs: paths, notes };
}

// ---------------------------------------------------------------------------------------------
// Import


const SPLIT_ORDER: readonly Split[] = ['train', 'val', 'test'];

/** Where a VOC annotation file sits: the root above `Annotations/` and the folders below it, or (LabelImg) no Annotations folder. */
function placeOf(path: string): { imageDir: string; root: string | null } {
  const segments = dirName(path).split('/').filter((s) => s !== '');
  const at = segments.lastIndexOf('Annotations');
  if (at === -1) return { imageDir: segments.join('/'), root: null };
  const root = segments.slice(0, at).join('/');
  const below = segments.slice(at + 1);
  return { imageDir: [...(root ? [root] : []), 'JPEGImages', ...below].join('/'), root };
}

const join = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`);

/** Split membership from `<root>/ImageSets/Main/{train,val,test}.txt`, by root, then by stem. */
function readImageSets(files: ReadonlyMap<string, Uint8Array>, out: Diagnostic[]): Map<string, Map<string, { split: Split; file: string }>> {
  const lists: { root: string; split: Split; path: string; bytes: Uint8Array }[] = [];
  for (const [path, bytes] of files) {
    const m = /^(?:(.*)\/)?ImageSets\/Main\/([^/]+)\.txt$/i.exec(path);
    if (!m) continue;
    const split = splitFromName(m[2]!);
    if (split === 'unassigned') continue;
    lists.push({ root: m[1] ?? '', split, path, bytes });
  }
  lists.sort((a, b) => SPLIT_ORDER.indexOf(a.split) - SPLIT_ORDER.indexOf(b.split));
  const byRoot = new Map<string, Map<string, { split: Split; file: string }>>();
  for (const list of lists) {
    let members = byRoot.get(list.root);
    if (!members) byRoot.set(list.root, (members = new Map()));
    const lines = decodeText(list.bytes).split(/\r\n|\r|\n/);
    lines.forEach((raw, n) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      // The whole line is the stem: stems may hold spaces.
      const had = members.get(line);
      if (had && had.split !== list.split) {
        out.push(diagnostic('warning', { file: list.path, line: n + 1 }, `"${line}" is also listed in ${had.file}; kept in ${had.split}`));
        return;
      }
      if (!had) members.set(line, { split: list.split, file: list.path });
    });
  }
  return byRoot;
}

interface RawBox {
  readonly index: number;
  readonly el: XmlElement;
  readonly xmin: number;
  readonly ymin: number;
  readonly xmax: number;
  readonly ymax: number;
}

function attributesOf(obj: XmlElement): AnnotationAttributes {
  const attrs: { occluded?: boolean; truncated?: boolean; difficult?: boolean; custom?: Record<string, string | boolean> } = {};
  const set = (name: string, value: string): void => {
    if (name === 'occluded' || name === 'truncated' || name === 'difficult') {
      if (toFlag(value)) attrs[name] = true;
      return;
    }
    const v = /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : value;
    (attrs.custom ??= {})[name] = v;
  };
  // One pass over the object's children: the first <truncated>, <difficult>, <occluded> and
  // <attributes>, and whether it has <attribute>s of its own.
  let truncated: string | undefined;
  let difficult: string | undefined;
  let occluded: string | undefined;
  let group: XmlElement | undefined;
  let own = false;
  for (const c of obj.children) {
    if (c.name === 'truncated') truncated ??= c.text;
    else if (c.name === 'difficult') difficult ??= c.text;
    else if (c.name === 'occluded') occluded ??= c.text;
    else if (c.name === 'attributes') group ??= c;
    else if (c.name === 'attribute') own = true;
  }
  if (truncated !== undefined) set('truncated', truncated);
  if (difficult !== undefined) set('difficult', difficult);
  if (occluded !== undefined) set('occluded', occluded);
  if (group || own) {
    for (const a of childrenNamed(group ?? obj, 'attribute')) {
      const name = childText(a, 'name');
      if (name) set(name, childText(a, 'value') ?? '');
    }
  }
  return attrs;
}

/** Reads VOC files; `plain` false leaves the short path (vocPlain.ts) out, for the tests that compare the two. */
export function parseVoc(input: ParseInput, plain = true): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const classes = new ClassCollector();
  const images: DatasetImage[] = [];
  const annotations: DatasetAnnotation[] = [];
  const findSize = sizeFinder(input);
  let splitLists: Map<string, Map<string, { split: Split; file: string }>>;
  try {
    splitLists = readImageSets(input.files, diagnostics);
  } catch {
    splitLists = new Map();
  }
  const listed = new Set<string>();
  const byPath = new Map<string, string>();
  // labelmap.txt first, so its classes come in its order with its colours; the shallowest one counts.
  const labelmaps = [...input.files.keys()].filter((p) => baseName(p).toLowerCase() === LABELMAP).sort((a, b) => a.split('/').length - b.split('/').length);
  if (labelmaps[0] !== undefined) readLabelmap(labelmaps[0], input.files.get(labelmaps[0])!, classes, diagnostics);

  for (const [file, bytes] of input.files) {
    if (extensionOf(file) !== '.xml') continue;
    const doc = plain ? plainVoc(bytes) : null;
    if (!doc || !readPlain(file, doc)) forEachXmlFile(new Map([[file, bytes]]), diagnostics, readFile);
  }

  /**
   * A file in Tally's own layout whose reading says nothing (the usual case: an export read
   * back), read as readFile would read it; false, having changed nothing, for anything readFile
   * would say something about (it then reads the file).
   */
  function readPlain(file: string, doc: PlainVoc): boolean {
    const place = placeOf(file);
    const fileName = doc.filename;
    if (fileName.includes('/') || fileName.includes('\\')) return false;
    const relativePath = join(place.imageDir, fileName);
    const size = sizeFromText(doc.width, doc.height);
    const found = findSize([relativePath]);
    if (!size || byPath.has(relativePath) || (found && (found.path !== undefined && found.path !== relativePath || found.size.width !== size.width || found.size.height !== size.height))) return false;
    const shapes: Shape[] = [];
    for (const o of doc.objects) {
      // 1-based corners: an xmin or ymin below 1 (a 0-based file, which readFile says) is a
      // negative corner here, not well inside.
      const x = o.xmin - 1;
      const y = o.ymin - 1;
      if (!isBoxWellInside(x, y, o.xmax - x, o.ymax - y, size.width, size.height)) return false;
      shapes.push({ kind: 'box', x, y, w: o.xmax - x, h: o.ymax - y });
    }
    byPath.set(relativePath, file);
    const stem = stemOf(file);
    const member = (place.root !== null ? splitLists.get(place.root) : splitLists.get(place.imageDir))?.get(stem);
    if (member) listed.add(`${member.file}\u0000${stem}`);
    const imageIndex = images.length;
    images.push({ relativePath, fileName, width: size.width, height: size.height, split: member?.split ?? 'unassigned', source: file });
    doc.objects.forEach((o, index) => {
      const attributes: { truncated?: boolean; difficult?: boolean; occluded?: boolean } = {};
      if (o.truncated) attributes.truncated = true;
      if (o.difficult) attributes.difficult = true;
      if (o.occluded) attributes.occluded = true;
      const where = (): Where => ({ file, line: o.line, field: `object[${index}]` });
      annotations.push({ image: imageIndex, className: classes.resolve(o.name, where, diagnostics), shape: shapes[index]!, attributes });
    });
    return true;
  }

  function readFile(file: string, root: XmlElement): void {
    const place = placeOf(file);
    if (root.name !== 'annotation') {
      if (place.root !== null) diagnostics.push(diagnostic('error', { file, line: root.line }, `skipped: a Pascal VOC file has an <annotation> root element, this one has <${root.name}>`));
      else diagnostics.push(diagnostic('info', { file }, `ignored: not a Pascal VOC annotation (root element <${root.name}>)`));
      return;
    }

    // Which image.
    const stem = stemOf(file);
    let fileName = baseName((childText(root, 'filename') ?? '').replace(/\\/g, '/')).trim();
    if (fileName === '') {
      const fromPath = baseName((childText(root, 'path') ?? '').replace(/\\/g, '/')).trim();
      const found = fromPath === '' ? findSize([join(place.imageDir, stem)]) : undefined;
      fileName = fromPath !== '' ? fromPath : found?.path ? baseName(found.path) : `${stem}.jpg`;
      diagnostics.push(diagnostic(fromPath !== '' || found?.path ? 'info' : 'warning', { file, field: 'filename' }, `no <filename>: the image is taken to be ${fileName}`));
    }
    let relativePath = join(place.imageDir, fileName);
    const sizeText = child(root, 'size');
    const fileSize = sizeText ? sizeFromText(childText(sizeText, 'width'), childText(sizeText, 'height')) : undefined;
    const found = findSize([relativePath]);
    if (found?.path && found.path !== relativePath && !input.images.some((i) => i.path === relativePath)) relativePath = found.path;
    fileName = baseName(relativePath);
    if (byPath.has(relativePath)) {
      diagnostics.push(diagnostic('error', { file }, `skipped: ${byPath.get(relativePath)} already annotates ${relativePath}`));
      return;
    }
    byPath.set(relativePath, file);

    let size: Size | undefined = fileSize;
    if (fileSize && found && (found.size.width !== fileSize.width || found.size.height !== fileSize.height)) {
      diagnostics.push(diagnostic('warning', { file, field: 'size' }, `the file says ${fileSize.width}×${fileSize.height}, the image is ${found.size.width}×${found.size.height}; coordinates are read against the file's size`));
    }
    if (!size && found) {
      size = found.size;
      if (sizeText) diagnostics.push(diagnostic('info', { file, field: 'size' }, `<size> has no usable width and height: took ${size.width}×${size.height} from the image`));
    }
    if (!size) diagnostics.push(diagnostic('warning', { file, field: 'size' }, `the image size is unknown (no <size>, no image ${fileName}): shapes are not checked against the image`));

    const members = place.root !== null ? splitLists.get(place.root) : splitLists.get(place.imageDir);
    const member = members?.get(stem);
    if (member) listed.add(`${member.file}\u0000${stem}`);
    const imageIndex = images.length;
    images.push({ relativePath, fileName, width: size?.width ?? 0, height: size?.height ?? 0, split: member?.split ?? 'unassigned', source: file });

    // Objects: read every bndbox first, to tell 1-based from 0-based files.
    const objects = childrenNamed(root, 'object');
    // Where a diagnostic about an object points (made only when there is one to write).
    const at = (el: XmlElement, field: string): Where => ({ file, line: el.line, field });
    const raw: (RawBox | null)[] = objects.map((obj, index) => {
      const box = child(obj, 'bndbox');
      if (!box) {
        diagnostics.push(diagnostic('error', at(obj, `object[${index}].bndbox`), `skipped object ${index + 1}: it has no <bndbox>`));
        return null;
      }
      const xmin = toNumber(childText(box, 'xmin'));
      const ymin = toNumber(childText(box, 'ymin'));
      const xmax = toNumber(childText(box, 'xmax'));
      const ymax = toNumber(childText(box, 'ymax'));
      if (!(Number.isFinite(xmin) && Number.isFinite(ymin) && Number.isFinite(xmax) && Number.isFinite(ymax))) {
        const v = { xmin, ymin, xmax, ymax };
        const bad = (Object.keys(v) as (keyof typeof v)[]).filter((k) => !Number.isFinite(v[k]));
        diagnostics.push(diagnostic('error', at(obj, `object[${index}].bndbox`), `skipped object ${index + 1}: ${bad.map((k) => `<${k}>`).join(', ')} ${bad.length === 1 ? 'is' : 'are'} missing or not a number`));
        return null;
      }
      if (xmax < xmin || ymax < ymin) {
        diagnostics.push(diagnostic('error', at(obj, `object[${index}].bndbox`), `skipped object ${index + 1}: ${xmax < xmin ? `xmax ${xmax} is less than xmin ${xmin}` : `ymax ${ymax} is less than ymin ${ymin}`}`));
        return null;
      }
      return { index, el: obj, xmin, ymin, xmax, ymax };
    });
    const zeroBased = raw.some((b) => b !== null && (b.xmin < 1 || b.ymin < 1));
    if (zeroBased) {
      diagnostics.push(diagnostic('info', { file }, 'read as 0-based corners (an xmin or ymin is below 1, as Roboflow, CVAT and Datumaro write them): coordinates taken unshifted'));
    }
    const shift = zeroBased ? 0 : 1;
    for (const b of raw) {
      if (!b) continue;
      const where = (): Where => at(b.el, `object[${b.index}]`);
      const name = (childText(b.el, 'name') ?? '').trim();
      if (name === '') {
        diagnostics.push(diagnostic('error', at(b.el, `object[${b.index}].name`), `skipped object ${b.index + 1}: it has no <name>`));
        continue;
      }
      const x0 = b.xmin - shift;
      const y0 = b.ymin - shift;
      const shape = readShape({ kind: 'box', x: x0, y: y0, w: b.xmax - x0, h: b.ymax - y0 }, size, () => at(b.el, `object[${b.index}].bndbox`), diagnostics);
      if (!shape) continue;
      annotations.push({ image: imageIndex, className: classes.resolve(name, where, diagnostics), shape, attributes: attributesOf(b.el) });
      if (b.el.children.some((c) => c.name === 'part')) {
        const parts = childrenNamed(b.el, 'part');
        const names = parts.map((p) => (childText(p, 'name') ?? '').trim() || '?');
        diagnostics.push(diagnostic('info', where(), `object ${b.index + 1} (${name}) has ${parts.length} <part> box${parts.length === 1 ? '' : 'es'} (${names.join(', ')}): parts are not read, only the object's own box`));
      }
    }
  }

  // ImageSets entries without an annotation file.
  for (const members of splitLists.values()) {
    const missing = new Map<string, string[]>();
    for (const [stem, m] of members) {
      if (listed.has(`${m.file}\u0000${stem}`)) continue;
      const list = missing.get(m.file);
      if (list) list.push(stem);
      else missing.set(m.file, [stem]);
    }
    for (const [file, stems] of missing) {
      diagnostics.push(diagnostic('info', { file }, `${stems.length} listed name${stems.length === 1 ? ' has' : 's have'} no annotation file (${stems.slice(0, 3).join(', ')}${stems.length > 3 ? ', …' : ''}): not read`));
    }
  }

  return { dataset: { classes: classes.classes, images, annotations }, diagnostics };
}


// ---------------------------------------------------------------------------------------------
// Detection

function detect(files: ReadonlyMap<string, Uint8Array>): number {
  let best = 0;
  let peeked = 0;
  for (const [path, bytes] of files) {
    const inAnnotations = /(^|\/)Annotations\/[^/]+\.xml$/i.test(path);
    if (/(^|\/)ImageSets\/Main\/[^/]+\.txt$/i.test(path)) best = Math.max(best, 0.4);
    if (extensionOf(path) !== '.xml' || peeked >= 20) continue;
    peeked++;
    const head = peekText(bytes, 16384);
    if (/<annotation[\s>]/.test(head)) {
      // LabelMe 3.0 outlines objects with <polygon><pt> and has no <bndbox>: not VOC.
      if (/<polygon[\s>]/.test(head) && /<pt[\s>]/.test(head) && !/<bndbox[\s>]/.test(head)) continue;
      const vocish = /<(bndbox|size)[\s>]/.test(head);
      const named = /<(filename|object)[\s>]/.test(head);
      best = Math.max(best, inAnnotations ? (vocish ? 0.95 : named ? 0.6 : 0) : vocish ? 0.8 : named ? 0.5 : 0);
    }
  }
  return best;
}

export const voc: Format = {
  id: 'voc',
  label: 'Pascal VOC',
  shapes: 'boxes',
  precision: () => 1,
  detect,
  serialize: (dataset) => serialize(dataset),
  parse: neverThrows((input) => parseVoc(input), 'Pascal VOC'),
};
