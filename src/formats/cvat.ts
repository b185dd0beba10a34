/**
 * CVAT for images 1.1: one `annotations.xml`, boxes and polygons.
 *
 * Written: `<annotations><version>1.1</version><meta><task>` (name = the project, size, mode
 * `annotation`, overlap, start/stop frame, `<labels>` with each class's name, colour and
 * attributes) and `<dumped>` (the export time), then one `<image id name subset width height>`
 * per image. `name` is the image's relative path as exported, `<split>/<name>` (`default/…`
 * for images without a split; names made unique per split), and the image bytes go at
 * `images/<name>` — CVAT's own layout. `id` is the frame index: images sorted by name (code
 * unit order), ids 0…n−1, written in that order. `subset` carries the split (newer CVAT writes
 * it; read back, anything but train/val/test is unassigned).
 *
 * Shapes: `<box label occluded xtl ytl xbr ybr z_order="0">` and `<polygon label occluded
 * points="x0,y0;x1,y1;…" z_order="0">`, absolute pixels with 2 decimals (CVAT's own `%.2f`),
 * no ±1. Occluded is CVAT's built-in flag; truncated and difficult are declared on every label
 * as checkbox attributes and written on every shape, like CVAT writes a label's attributes.
 * Class attributes (boolean → checkbox, select → select, text → text) are declared and written
 * when a shape has a value. A box that rounds to zero width or height is widened by 0.01 px.
 *
 * An image's identity is its subset and its name: a CVAT project dump repeats names across
 * subsets (`img0.jpg` in train and again in test). Its image file is looked for at
 * `images/<subset>/<name>` (a project dump), `images/<name>` (a task), then `<name>`; when the
 * source has it, its SHA-256 matches the project's image. A name repeated across subsets is read
 * as `<subset>/<name>`, which the importer matches against a project path ending with it.
 * A width or height that is not a positive number is said (the image's own size is used).
 *
 * Read: the same, plus `<meta><project>` / `<job>` labels, shapes whose label is not declared
 * (the class is added), rotated boxes (read as 4-corner polygons, with a warning), `outside="1"`
 * (skipped), `<points>` / `<polyline>` (skipped: not closed shapes), `<mask>` (skipped: RLE
 * masks are not read), `<tag>` (ignored), `<track>` (video annotation, skipped).
 */
import type { AnnotationAttributes, AttributeSpec, Shape } from '../core/model';
import { BUILT_IN, serializeCvat } from './cvatWrite';
import { diagnostic, readShape, type Where } from './shared/readShape';
import { splitFromName } from './shared/splits';
import { baseName, extensionOf } from './shared/text';
import type { DatasetAnnotation, DatasetClass, DatasetImage, Diagnostic, Format, ParseInput, ParseResult, Size } from './types';
import { ClassCollector, neverThrows, child, childText, childrenNamed, descend, forEachXmlFile, peekText, sizeFinder, sizeFromText, toFlag, toNumber, type XmlElement } from './xmlTree';

// ---------------------------------------------------------------------------------------------
// Import

type SpecTypes = Map<string, Map<string, AttributeSpec['type']>>;

function readLabel(el: XmlElement): DatasetClass | null {
  const name = (childText(el, 'name') ?? '').trim();
  if (name === '') return null;
  const colorText = (childText(el, 'color') ?? '').trim().toLowerCase();
  const specs: AttributeSpec[] = [];
  for (const a of childrenNamed(child(el, 'attributes') ?? el, 'attribute')) {
    const an = (childText(a, 'name') ?? '').trim();
    if (an === '' || an === 'occluded' || (BUILT_IN as readonly string[]).includes(an) || specs.some((s) => s.name === an)) continue;
    const type = (childText(a, 'input_type') ?? '').trim().toLowerCase();
    const values = [...new Set((childText(a, 'values') ?? '').split(/\r?\n/).map((v) => v.trim()).filter((v) => v !== ''))];
    if (type === 'checkbox') specs.push({ name: an, type: 'boolean', options: [] });
    else if ((type === 'select' || type === 'radio') && values.length > 0) specs.push({ name: an, type: 'select', options: values });
    else specs.push({ name: an, type: 'text', options: [] });
  }
  return {
    name,
    ...(/^#[0-9a-f]{6}$/.test(colorText) ? { color: colorText } : {}),
    ...(specs.length > 0 ? { attributes: specs } : {}),
  };
}

/** Corners of a box rotated by `degrees` clockwise (CVAT's rotation) about its centre. */
function rotatedCorners(x0: number, y0: number, x1: number, y1: number, degrees: number): number[] {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const out: number[] = [];
  for (const [dx, dy] of [[x0 - cx, y0 - cy], [x1 - cx, y0 - cy], [x1 - cx, y1 - cy], [x0 - cx, y1 - cy]] as const) {
    out.push(cx + dx * cos - dy * sin, cy + dx * sin + dy * cos);
  }
  return out;
}

function parsePoints(text: string): number[] {
  const out: number[] = [];
  for (const pair of text.split(';')) {
    if (pair.trim() === '') continue;
    const xy = pair.split(',');
    if (xy.length !== 2) return [NaN];
    out.push(toNumber(xy[0]), toNumber(xy[1]));
  }
  return out;
}

function attributesOf(el: XmlElement, specs: ReadonlyMap<string, AttributeSpec['type']> | undefined): AnnotationAttributes {
  const attrs: { occluded?: boolean; truncated?: boolean; difficult?: boolean; custom?: Record<string, string | boolean> } = {};
  if (toFlag(el.attrs.get('occluded'))) attrs.occluded = true;
  for (const a of childrenNamed(el, 'attribute')) {
    const name = (a.attrs.get('name') ?? '').trim();
    if (name === '') continue;
    if (name === 'occluded' || name === 'truncated' || name === 'difficult') {
      if (toFlag(a.text)) attrs[name] = true;
      continue;
    }
    const type = specs?.get(name);
    const value = type === 'boolean' || (type === undefined && /^(true|false)$/.test(a.text)) ? toFlag(a.text) : a.text;
    (attrs.custom ??= {})[name] = value;
  }
  return attrs;
}

/** An <image>'s name as a '/'-separated relative path. */
const imageName = (el: XmlElement): string => (el.attrs.get('name') ?? '').replace(/\\/g, '/').replace(/^\/+/, '').trim();

const NOT_CLOSED = new Set(['points', 'polyline']);
const OTHER_SHAPES = new Set(['cuboid', 'ellipse', 'skeleton', 'cuboid_3d']);

function parse(input: ParseInput): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const classes = new ClassCollector();
  const specTypes: SpecTypes = new Map();
  const images: DatasetImage[] = [];
  const annotations: DatasetAnnotation[] = [];
  const findSize = sizeFinder(input);
  /** subset + name → where it was first met. */
  const names = new Map<string, string>();
  /** Names listed under more than one subset, per file. */
  let repeated = new Set<string>();

  forEachXmlFile(input.files, diagnostics, readFile);

  function readFile(file: string, root: XmlElement): void {
    if (root.name !== 'annotations') {
      if (baseName(file) === 'annotations.xml') diagnostics.push(diagnostic('error', { file, line: root.line }, `skipped: a CVAT file has an <annotations> root element, this one has <${root.name}>`));
      else diagnostics.push(diagnostic('info', { file }, `ignored: not a CVAT annotation file (root element <${root.name}>)`));
      return;
    }
    const version = child(root, 'version');
    if (!version) diagnostics.push(diagnostic('info', { file }, 'no <version>: read as CVAT for images 1.1'));
    else if (version.text !== '1.1') diagnostics.push(diagnostic('info', { file, line: version.line }, `version ${version.text || '(empty)'}: read as CVAT for images 1.1`));

    let declaredLabels = 0;
    for (const path of [['meta', 'task', 'labels'], ['meta', 'project', 'labels'], ['meta', 'job', 'labels']]) {
      const labels = descend(root, path);
      if (!labels) continue;
      for (const el of childrenNamed(labels, 'label')) {
        const cls = readLabel(el);
        if (!cls) {
          diagnostics.push(diagnostic('warning', { file, line: el.line }, 'a <label> without a <name> was ignored'));
          continue;
        }
        declaredLabels++;
        classes.declare(cls);
        if (cls.attributes) specTypes.set(cls.name, new Map(cls.attributes.map((s) => [s.name, s.type])));
      }
    }
    if (declaredLabels === 0) diagnostics.push(diagnostic('info', { file }, 'no labels in <meta>: classes are taken from the shapes'));

    const subsetsOf = new Map<string, Set<string>>();
    for (const el of root.children) {
      if (el.name !== 'image') continue;
      const name = imageName(el);
      subsetsOf.set(name, (subsetsOf.get(name) ?? new Set<string>()).add(el.attrs.get('subset') ?? ''));
    }
    repeated = new Set([...subsetsOf].filter(([, subsets]) => subsets.size > 1).map(([name]) => name));
    let imageNo = 0;
    for (const el of root.children) {
      if (el.name === 'track') {
        diagnostics.push(diagnostic('warning', { file, line: el.line }, `skipped a <track> of label "${el.attrs.get('label') ?? ''}": tracks (video annotation) are not read`));
        continue;
      }
      if (el.name !== 'image') continue;
      readImage(file, el, imageNo++, declaredLabels > 0);
    }
  }

  function readImage(file: string, el: XmlElement, index: number, labelsDeclared: boolean): void {
    const imageWhere: Where = { file, line: el.line, field: `image[${index}]` };
    const name = imageName(el);
    if (name === '') {
      diagnostics.push(diagnostic('error', imageWhere, 'skipped an <image> without a name'));
      return;
    }
    const subset = (el.attrs.get('subset') ?? '').trim();
    const key = `${subset}\u0000${name}`;
    if (names.has(key)) {
      diagnostics.push(diagnostic('error', imageWhere, `skipped: another <image> (${names.get(key)}) is already called ${name}${subset ? ` in subset ${subset}` : ''}`));
      return;
    }
    names.set(key, `line ${el.line}`);
    const stated = { width: el.attrs.get('width'), height: el.attrs.get('height') };
    const fileSize = sizeFromText(stated.width, stated.height);
    if (!fileSize && (stated.width !== undefined || stated.height !== undefined)) {
      diagnostics.push(diagnostic('warning', { ...imageWhere, field: `image[${index}].width` }, `${name}: width "${stated.width ?? ''}" and height "${stated.height ?? ''}" are not positive numbers; the size is taken from the image instead`));
    }
    const relativePath = repeated.has(name) && subset !== '' ? `${subset}/${name}` : name;
    const found = findSize([...(subset !== '' ? [`images/${subset}/${name}`] : []), `images/${name}`, name, ...(relativePath !== name ? [relativePath] : [])]);
    if (fileSize && found && (found.size.width !== fileSize.width || found.size.height !== fileSize.height)) {
      diagnostics.push(diagnostic('warning', imageWhere, `${name}: the file says ${fileSize.width}×${fileSize.height}, the image is ${found.size.width}×${found.size.height}; coordinates are read against the file's size`));
    }
    const size: Size | undefined = fileSize ?? found?.size;
    if (!size) diagnostics.push(diagnostic('warning', imageWhere, `${name}: the image size is unknown (no width and height, no image file): shapes are not checked against the image`));
    // Only a file found at one of this image's own paths is certainly it (a name alone may be another subset's).
    const own = found?.path !== undefined && [`images/${subset}/${name}`, `images/${name}`, name].includes(found.path) ? found.sha256 : undefined;
    const imageIndex = images.length;
    images.push({ relativePath, fileName: baseName(name), width: size?.width ?? 0, height: size?.height ?? 0, split: splitFromName(subset), source: file, ...(own !== undefined ? { sha256: own } : {}) });

    let tags = 0;
    for (const s of el.children) {
      const where: Where = { file, line: s.line };
      if (s.name === 'tag') {
        tags++;
        continue;
      }
      if (NOT_CLOSED.has(s.name)) {
        diagnostics.push(diagnostic('warning', where, `skipped <${s.name}> on ${name}: not a closed shape`));
        continue;
      }
      if (s.name === 'mask') {
        diagnostics.push(diagnostic('warning', where, `skipped a <mask> on ${name}: RLE masks are not read`));
        continue;
      }
      if (OTHER_SHAPES.has(s.name)) {
        diagnostics.push(diagnostic('warning', where, `skipped <${s.name}> on ${name}: Tally reads boxes and polygons`));
        continue;
      }
      if (s.name !== 'box' && s.name !== 'polygon') continue;
      const label = (s.attrs.get('label') ?? '').trim();
      if (label === '') {
        diagnostics.push(diagnostic('error', { ...where, field: 'label' }, `skipped a <${s.name}> on ${name}: it has no label`));
        continue;
      }
      if (toFlag(s.attrs.get('outside'))) {
        diagnostics.push(diagnostic('info', where, `skipped a <${s.name}> on ${name} marked outside="1"`));
        continue;
      }
      let shape: Shape;
      if (s.name === 'box') {
        const [xtl, ytl, xbr, ybr] = (['xtl', 'ytl', 'xbr', 'ybr'] as const).map((k) => toNumber(s.attrs.get(k)));
        const bad = (['xtl', 'ytl', 'xbr', 'ybr'] as const).filter((k) => !Number.isFinite(toNumber(s.attrs.get(k))));
        if (bad.length > 0) {
          diagnostics.push(diagnostic('error', { ...where, field: bad[0]! }, `skipped a box on ${name}: ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} missing or not a number`));
          continue;
        }
        if (xbr! < xtl! || ybr! < ytl!) {
          diagnostics.push(diagnostic('error', where, `skipped a box on ${name}: ${xbr! < xtl! ? `xbr ${xbr} is less than xtl ${xtl}` : `ybr ${ybr} is less than ytl ${ytl}`}`));
          continue;
        }
        const rotation = toNumber(s.attrs.get('rotation'));
        if (Number.isFinite(rotation) && rotation % 360 !== 0) {
          diagnostics.push(diagnostic('warning', { ...where, field: 'rotation' }, `a box on ${name} rotated by ${rotation}° was read as a 4-corner polygon`));
          shape = { kind: 'polygon', points: rotatedCorners(xtl!, ytl!, xbr!, ybr!, rotation) };
        } else {
          shape = { kind: 'box', x: xtl!, y: ytl!, w: xbr! - xtl!, h: ybr! - ytl! };
        }
      } else {
        const points = parsePoints(s.attrs.get('points') ?? '');
        if (points.length === 0 || !points.every(Number.isFinite)) {
          diagnostics.push(diagnostic('error', { ...where, field: 'points' }, `skipped a polygon on ${name}: points must look like "x0,y0;x1,y1;…"`));
          continue;
        }
        shape = { kind: 'polygon', points };
      }
      const kept = readShape(shape, size, where, diagnostics);
      if (!kept) continue;
      if (labelsDeclared && !classes.has(label)) diagnostics.push(diagnostic('info', { ...where, field: 'label' }, `label "${label}" is not declared in <meta>: added as a class`));
      const className = classes.resolve(label, where, diagnostics);
      annotations.push({ image: imageIndex, className, shape: kept, attributes: attributesOf(s, specTypes.get(className)) });
    }
    if (tags > 0) diagnostics.push(diagnostic('info', imageWhere, `${name}: ${tags} image-level <tag>${tags === 1 ? '' : 's'} ignored (Tally has no image tags)`));
  }

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
    const head = peekText(bytes);
    if (!/<annotations[\s>]/.test(head)) continue;
    const cvatish = /<version>\s*1\.\d\s*<\/version>/.test(head) || /<image\s[^>]*\bname=|<track\s|<meta[\s>]/.test(head);
    if (cvatish) best = Math.max(best, baseName(path) === 'annotations.xml' ? 0.95 : 0.85);
  }
  return best;
}

export const cvat: Format = {
  id: 'cvat',
  label: 'CVAT XML',
  shapes: 'both',
  precision: () => 0.01,
  detect,
  serialize: serializeCvat,
  parse: neverThrows(parse, 'CVAT'),
};
