/**
 * CSV: one row per shape in `annotations.csv`, images at `images/<split>/<name>` (names unique
 * per split folder, see shared/names.ts).
 *
 * Columns `image,width,height,class,kind,x,y,w,h,points,annotator,split`:
 * - image: the image's path under `images/` (`train/a.jpg`); it is also the image's
 *   relativePath when read back. split: train, val, test or `default`.
 * - kind `box`: x, y (top-left), w, h; points empty. kind `polygon`: x, y, w, h are its bounds
 *   (for spreadsheets; ignored on import) and points is `x1 y1 x2 y2 …`, space-separated.
 * - An image without shapes gets one row with empty class and kind, so background images survive.
 * - Coordinates in pixels, 2 decimals (a box's w, h are taken between its rounded corners, so
 *   each corner is off by ≤ 0.005 px).
 * - Text is UTF-8 with a byte-order mark (Excel reads BOM-less CSV in the legacy code page and
 *   breaks every non-ASCII name; the parser drops the BOM), CRLF line ends, RFC 4180 quoting.
 * - Formula injection: a text cell (image, class, annotator, split) starting with `=`, `+`, `-`,
 *   `@`, tab or CR — or with `'` itself, so the escape is unambiguous — is written with a `'`
 *   in front; import removes a `'` followed by one of those characters from text cells only.
 *   Numbers are never prefixed: they are written by formatNumber (digits, one dot, at most a
 *   leading minus that clipping rules out) and a spreadsheet reads them as numbers, not formulas.
 *
 * Import (any `.csv`): header row required, columns by name in any order and any case; image,
 * class and kind are required, x/y/w/h for box rows and points for polygon rows; width, height,
 * annotator and split optional. `;` or tab as the separator are accepted when the header uses
 * them (then a decimal comma is too). kind `rectangle`/`bbox` read as box.
 */
import Papa from 'papaparse';
import type { Shape, Split } from '../core/model';
import { CLASS_NAME_MAX } from '../core/validate';
import { ClassTable } from './classTable';
import { lineOf } from './readJson';
import { resolvePath } from './resolvePath';
import { uniqueNames } from './shared/names';
import { diagnostic, readShape } from './shared/readShape';
import { splitFromName, splitName } from './shared/splits';
import { baseName, decodeText, dirName, encodeText, formatNumber } from './shared/text';
import type { Dataset, DatasetAnnotation, DatasetImage, Diagnostic, Format, ParseInput, ParseResult, SerializeOptions, SerializeResult, Size, SourceImageInfo } from './types';

export const CSV_FILE = 'annotations.csv';
export const CSV_COLUMNS = ['image', 'width', 'height', 'class', 'kind', 'x', 'y', 'w', 'h', 'points', 'annotator', 'split'] as const;
type Column = (typeof CSV_COLUMNS)[number];

/** Longest cell read (a path, a class name, a polygon's points): a bigger one is a broken file, not data. */
const MAX_CELL = 100_000;
const DECIMALS = 2;
const STEP = 10 ** -DECIMALS;
const BOM = '\ufeff';

// ---------------------------------------------------------------------------------------------
// Export

/** Starts a spreadsheet would read as a formula (OWASP "CSV injection"), plus the escape itself. */
const NEEDS_PREFIX = /^[=+\-@\t\r']/;

/** RFC 4180: quote when the cell holds a separator, a quote or a line break (or edge spaces a reader might trim). */
function quote(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export const textCell = (value: string): string => quote(NEEDS_PREFIX.test(value) ? `'${value}` : value);
const num = (v: number): string => formatNumber(v, DECIMALS);
const rounded = (v: number): number => Number(num(v));

/** x, y, w, h cells of a box: corners rounded, w and h between them, never 0 (a sub-0.01 px box keeps 0.01 inside the image). */
function boxCells(x: number, y: number, w: number, h: number, width: number, height: number): string[] {
  const side = (lo: number, len: number, limit: number): [number, number] => {
    let a = rounded(lo);
    const b = rounded(lo + len);
    if (b - a >= STEP / 2) return [a, b - a];
    if (a + STEP > limit) a = rounded(limit - STEP);
    return [a, STEP];
  };
  const [x0, ww] = side(x, w, width);
  const [y0, hh] = side(y, h, height);
  return [num(x0), num(y0), num(ww), num(hh)];
}

function shapeCells(shape: Shape, img: DatasetImage): { box: string[]; points: string } {
  if (shape.kind === 'box') return { box: boxCells(shape.x, shape.y, shape.w, shape.h, img.width, img.height), points: '' };
  const pts = shape.points.map(rounded);
  const xs = pts.filter((_, k) => k % 2 === 0);
  const ys = pts.filter((_, k) => k % 2 === 1);
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  return { box: [num(x0), num(y0), num(Math.max(...xs) - x0), num(Math.max(...ys) - y0)], points: pts.map(num).join(' ') };
}

function serialize(dataset: Dataset, _options: SerializeOptions): SerializeResult {
  const folderOf = (i: number): string => splitName(dataset.images[i]!.split);
  const { names, notes } = uniqueNames(dataset.images, folderOf, false);
  const refs = dataset.images.map((_, i) => `${folderOf(i)}/${names[i]!}`);
  const perImage: DatasetAnnotation[][] = dataset.images.map(() => []);
  for (const a of dataset.annotations) perImage[a.image]?.push(a);

  const lines: string[] = [CSV_COLUMNS.join(',')];
  dataset.images.forEach((img, i) => {
    const head = [textCell(refs[i]!), String(img.width), String(img.height)];
    const split = textCell(folderOf(i));
    const shapes = perImage[i]!;
    if (shapes.length === 0) lines.push([...head, '', '', '', '', '', '', '', '', split].join(','));
    for (const a of shapes) {
      const { box, points } = shapeCells(a.shape, img);
      lines.push([...head, textCell(a.className), a.shape.kind, ...box, points, textCell(a.annotator ?? ''), split].join(','));
    }
  });
  const files = new Map([[CSV_FILE, encodeText(`${BOM}${lines.join('\r\n')}\r\n`)]]);
  return { files, imagePaths: refs.map((r) => `images/${r}`), imageRefs: refs, notes };
}

// ---------------------------------------------------------------------------------------------
// Import

const REQUIRED: readonly Column[] = ['image', 'class', 'kind'];
const KINDS: Readonly<Record<string, Shape['kind']>> = { box: 'box', rectangle: 'box', rect: 'box', bbox: 'box', polygon: 'polygon', poly: 'polygon' };
const UNPREFIX = /^'[=+\-@\t\r']/;

/** A text cell as written: without the formula-escape prefix. */
export const readTextCell = (cell: string): string => (UNPREFIX.test(cell) ? cell.slice(1) : cell);

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The separator the header row uses: ',' unless only ';' or a tab split it into the required columns. */
function separatorOf(text: string): ',' | ';' | '\t' {
  const first = text.slice(0, text.search(/\r|\n|$/)).toLowerCase();
  for (const sep of [',', ';', '\t'] as const) {
    const cells = first.split(sep).map((c) => c.trim().replace(/^"|"$/g, ''));
    if (REQUIRED.every((r) => cells.includes(r))) return sep;
  }
  return ',';
}

interface ImageState {
  readonly index: number;
  readonly size: Size | undefined;
  /** Where the image was first met, and the width and height cells there. */
  readonly line: number;
  readonly file: string;
  readonly width: number | undefined;
  readonly height: number | undefined;
}

interface Row {
  readonly cells: readonly string[];
  readonly line: number;
  readonly problem?: string;
}

/** The rows of a CSV text (empty rows left out), each with the line it starts on. */
function rowsOf(text: string, delimiter: string): Row[] {
  const rows: Row[] = [];
  let start = 0;
  let line = 1;
  let counted = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    step: (result) => {
      line += lineOf(text.slice(counted, start), Infinity) - 1;
      counted = start;
      const cells = result.data;
      const problem = result.errors[0]?.message;
      if (cells.some((c) => c !== '') || problem !== undefined) rows.push({ cells, line, ...(problem !== undefined ? { problem } : {}) });
      start = result.meta.cursor;
    },
  });
  return rows;
}

function parse(input: ParseInput): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const classes = new ClassTable();
  const images: DatasetImage[] = [];
  const annotations: DatasetAnnotation[] = [];
  const states = new Map<string, ImageState>();
  const imageFiles = new Map(input.images.map((i) => [i.path, i]));

  for (const [file, bytes] of input.files) {
    if (!file.toLowerCase().endsWith('.csv')) continue;
    let text: string;
    try {
      text = decodeText(bytes);
    } catch {
      diagnostics.push(diagnostic('error', { file }, 'skipped: the file is not UTF-8 text'));
      continue;
    }
    if (text.trim() === '') {
      diagnostics.push(diagnostic('error', { file }, 'skipped: the file is empty'));
      continue;
    }
    const sep = separatorOf(text);
    let rows: Row[];
    try {
      rows = rowsOf(text, sep);
    } catch (e) {
      diagnostics.push(diagnostic('error', { file }, `skipped: the file could not be read as CSV (${e instanceof Error ? e.message : String(e)})`));
      continue;
    }
    const header = rows.shift();
    if (!header) {
      diagnostics.push(diagnostic('error', { file }, 'skipped: the file has no header row'));
      continue;
    }
    const columns = new Map<string, number>();
    const unknown: string[] = [];
    header.cells.forEach((raw, k) => {
      const name = raw.replace(/^\ufeff/, '').trim().toLowerCase();
      if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
        if (name !== '') unknown.push(raw.trim());
      } else if (columns.has(name)) {
        diagnostics.push(diagnostic('warning', { file, line: header.line }, `column "${name}" appears twice; the first is read`));
      } else columns.set(name, k);
    });
    const missing = REQUIRED.filter((c) => !columns.has(c));
    if (missing.length > 0) {
      diagnostics.push(diagnostic('error', { file, line: header.line }, `skipped: the header has no ${missing.map((m) => `"${m}"`).join(', ')} column (required: ${REQUIRED.join(', ')})`));
      continue;
    }
    if (unknown.length > 0) diagnostics.push(diagnostic('info', { file, line: header.line }, `column${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `"${u}"`).join(', ')} ignored`));
    if (sep !== ',') diagnostics.push(diagnostic('info', { file, line: header.line }, `read with "${sep === '\t' ? 'tab' : sep}" as the separator`));
    const reportedMissing = new Set<string>();
    const dir = dirName(file);

    for (const row of rows) {
      const where = { file, line: row.line };
      if (row.problem !== undefined) {
        diagnostics.push(diagnostic('error', where, `skipped the row: ${row.problem}`));
        continue;
      }
      if (row.cells.length !== header.cells.length) {
        diagnostics.push(diagnostic('error', where, `skipped the row: it has ${row.cells.length} cells, the header has ${header.cells.length} (a comma in an unquoted name?)`));
        continue;
      }
      const huge = row.cells.findIndex((c) => c.length > MAX_CELL);
      if (huge >= 0) {
        const name = header.cells[huge]?.trim() || `column ${huge + 1}`;
        diagnostics.push(diagnostic('error', { ...where, field: name }, `skipped the row: its ${name} cell holds ${row.cells[huge]!.length.toLocaleString('en')} characters (at most ${MAX_CELL.toLocaleString('en')} are read)`));
        continue;
      }
      const cell = (c: Column): string | undefined => {
        const k = columns.get(c);
        return k === undefined ? undefined : row.cells[k];
      };
      /** A number cell: undefined when absent or empty, NaN (reported) when not a number. */
      const toNumber = (raw: string): number => {
        const v = sep !== ',' ? raw.replace(',', '.') : raw;
        return NUMBER.test(v) ? Number(v) : Number.NaN;
      };
      /** width or height: undefined when absent or empty, NaN (reported) when not a number. */
      const number = (c: Column): number | undefined => {
        const raw = cell(c)?.trim();
        if (raw === undefined || raw === '') return undefined;
        const v = toNumber(raw);
        if (Number.isNaN(v)) diagnostics.push(diagnostic('error', where, `${c} "${raw}" is not a number; ignored`));
        return v;
      };

      const imageCell = readTextCell(cell('image') ?? '');
      const resolved = resolvePath('', imageCell);
      if (resolved.path === '') {
        diagnostics.push(diagnostic('error', where, 'skipped the row: the image cell is empty'));
        continue;
      }
      const relativePath = resolved.path;
      let state = states.get(relativePath);
      const width = number('width');
      const height = number('height');
      const splitCell = readTextCell(cell('split') ?? '').trim();
      const split: Split = splitCell !== '' ? splitFromName(splitCell) : splitFromName(relativePath.split('/')[0] ?? '');
      if (!state) {
        const prefix = dir === '' ? '' : `${dir}/`;
        const real = imageFiles.get(`${prefix}images/${relativePath}`) ?? imageFiles.get(`${prefix}${relativePath}`);
        const size = sizeFor(relativePath, width, height, where, real, input, diagnostics);
        state = { index: images.length, size, line: row.line, file, width, height };
        states.set(relativePath, state);
        images.push({ relativePath, fileName: baseName(relativePath), width: size?.width ?? 0, height: size?.height ?? 0, split, source: file, ...(real?.sha256 !== undefined ? { sha256: real.sha256 } : {}) });
      } else {
        const img = images[state.index]!;
        const differs = (v: number | undefined, first: number | undefined): boolean => v !== undefined && !Number.isNaN(v) && first !== undefined && !Number.isNaN(first) && v !== first;
        if (differs(width, state.width) || differs(height, state.height)) {
          diagnostics.push(diagnostic('warning', where, `line ${state.line}${state.file === file ? '' : ` of ${state.file}`} gives ${relativePath} another width and height; this row's are ignored`));
        }
        if (img.split !== split) diagnostics.push(diagnostic('warning', where, `${relativePath} is in split ${splitName(img.split)} (line ${state.line}); this row's split is ignored`));
      }

      // Names are kept exactly as written (the importer cleans them like any typed name).
      const className = readTextCell(cell('class') ?? '');
      const kindCell = (cell('kind') ?? '').trim();
      if (className.trim() === '' && kindCell === '') continue; // an image without shapes
      if (className.trim() === '') {
        diagnostics.push(diagnostic('error', where, `skipped a ${kindCell}: the class cell is empty`));
        continue;
      }
      if (className.trim().length > CLASS_NAME_MAX) {
        diagnostics.push(diagnostic('error', { ...where, field: 'class' }, `skipped a ${kindCell || 'shape'}: the class name is ${className.trim().length.toLocaleString('en')} characters long (a class name has at most ${CLASS_NAME_MAX})`));
        continue;
      }
      if (kindCell === '') {
        diagnostics.push(diagnostic('error', where, `skipped a shape of class "${className}": the kind cell is empty (box or polygon)`));
        continue;
      }
      const kind = KINDS[kindCell.toLowerCase()];
      if (kind === undefined) {
        diagnostics.push(diagnostic('error', where, `skipped a shape: unknown kind "${kindCell}" (box or polygon)`));
        continue;
      }
      const needs: Column[] = kind === 'box' ? ['x', 'y', 'w', 'h'] : ['points'];
      const absent = needs.filter((c) => !columns.has(c));
      if (absent.length > 0) {
        const key = absent.join(',');
        if (!reportedMissing.has(key)) {
          reportedMissing.add(key);
          diagnostics.push(diagnostic('error', { file, line: header.line }, `the header has no ${absent.map((c) => `"${c}"`).join(', ')} column: every ${kind} row is skipped`));
        }
        continue;
      }
      let shape: Shape;
      if (kind === 'box') {
        const cells = (['x', 'y', 'w', 'h'] as const).map((c) => [c, (cell(c) ?? '').trim()] as const);
        const bad = cells.find(([, raw]) => Number.isNaN(toNumber(raw)));
        if (bad) {
          diagnostics.push(diagnostic('error', where, `skipped a box of class "${className}": ${bad[0]} ${bad[1] === '' ? 'is empty' : `"${bad[1]}" is not a number`}`));
          continue;
        }
        const [x, y, w, h] = cells.map(([, raw]) => toNumber(raw)) as [number, number, number, number];
        shape = { kind: 'box', x, y, w, h };
      } else {
        const raw = (cell('points') ?? '').trim();
        const parts = raw === '' ? [] : raw.split(sep === ',' ? /[\s,;]+/ : /[\s;]+/);
        const points = parts.map(toNumber);
        const bad = parts.findIndex((_, k) => Number.isNaN(points[k]));
        if (bad >= 0) {
          diagnostics.push(diagnostic('error', where, `skipped a polygon of class "${className}": "${parts[bad]!}" in points is not a number`));
          continue;
        }
        if (points.length % 2 !== 0) {
          diagnostics.push(diagnostic('error', where, `skipped a polygon of class "${className}": points holds ${points.length} numbers, not x y pairs`));
          continue;
        }
        shape = { kind: 'polygon', points };
      }
      const read = readShape(shape, state.size, where, diagnostics);
      if (!read) continue;
      const cls = classes.resolve(className);
      if (cls.renamed) diagnostics.push(diagnostic('info', where, `class "${className}" read as "${cls.name}" (the same name in another spelling)`));
      const annotator = readTextCell(cell('annotator') ?? '');
      annotations.push({ image: state.index, className: cls.name, shape: read, attributes: {}, ...(annotator.trim() !== '' ? { annotator } : {}) });
    }
  }
  return { dataset: { classes: classes.classes, images, annotations }, diagnostics };
}

/** The image file's own size when it is in the source (a different width/height in the CSV is a warning), else the CSV's, else sizeOf. */
function sizeFor(
  relativePath: string,
  width: number | undefined,
  height: number | undefined,
  where: { file: string; line: number },
  real: SourceImageInfo | undefined,
  input: ParseInput,
  out: Diagnostic[],
): Size | undefined {
  let stated: Size | undefined;
  if (width !== undefined || height !== undefined) {
    if (width !== undefined && height !== undefined && Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0) stated = { width, height };
    else if (!Number.isNaN(width) && !Number.isNaN(height)) out.push(diagnostic('warning', where, `width × height (${width ?? 'empty'} × ${height ?? 'empty'}) are not positive whole numbers; ignored`));
  }
  if (real && real.width > 0 && real.height > 0) {
    if (stated && (stated.width !== real.width || stated.height !== real.height)) {
      out.push(diagnostic('warning', where, `the row says ${relativePath} is ${stated.width}×${stated.height} but ${real.path} is ${real.width}×${real.height}; the image's own size is used`));
    }
    return { width: real.width, height: real.height };
  }
  if (stated) return stated;
  const known = input.sizeOf?.(relativePath);
  if (known && known.width > 0 && known.height > 0) return known;
  out.push(diagnostic('warning', where, `the size of ${relativePath} is unknown (no width and height, no image file); shapes are not checked against it`));
  return undefined;
}

function detect(files: ReadonlyMap<string, Uint8Array>): number {
  let best = 0;
  for (const [path, bytes] of files) {
    if (!path.toLowerCase().endsWith('.csv')) continue;
    const head = decodeText(bytes.subarray(0, 4096));
    const first = head.slice(0, head.search(/\r|\n|$/)).toLowerCase();
    const cells = first.split(separatorOf(head)).map((c) => c.trim().replace(/^"|"$/g, ''));
    const score = REQUIRED.every((r) => cells.includes(r)) ? 0.9 : cells.includes('image') && cells.includes('class') ? 0.5 : 0;
    best = Math.max(best, score);
  }
  return best;
}

export const csv: Format = {
  id: 'csv',
  label: 'CSV',
  shapes: 'both',
  precision: () => 0.01,
  detect,
  serialize,
  parse,
};
