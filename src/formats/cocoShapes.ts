/**
 * COCO import, the per-annotation part: what a file's diagnostics look like (at most 200 listed,
 * then a count; notes said once per file), an annotation's attributes, and the shapes its
 * segmentation and bbox stand for. Used by cocoParse.ts; the rules are in its comment.
 */
import type { AnnotationAttributes, Shape } from '../core/model';
import { rleBounds } from './cocoRle';
import { diagnostic } from './shared/readShape';
import type { Diagnostic, Severity } from './types';

export type Json = Readonly<Record<string, unknown>>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const FLAGS = ['occluded', 'truncated', 'difficult'] as const;
const MAX_PER_FILE = 200;
const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** One file's diagnostics: the first MAX_PER_FILE listed, then one line counting the rest. */
export class FileLog {
  private listed = 0;
  private hidden = 0;
  private worst: Severity = 'info';
  constructor(
    readonly file: string,
    private readonly out: Diagnostic[],
  ) {}

  add(severity: Severity, field: string | undefined, message: string): void {
    this.push(diagnostic(severity, { file: this.file, ...(field !== undefined ? { field } : {}) }, message));
  }

  push(d: Diagnostic): void {
    if (this.listed < MAX_PER_FILE) {
      this.out.push(d);
      this.listed++;
      return;
    }
    this.hidden++;
    if (RANK[d.severity] > RANK[this.worst]) this.worst = d.severity;
  }

  /** A note said once per file however often it applies: the first place, and how many times. */
  private readonly counted = new Map<string, { field: string; n: number; message: (n: number) => string }>();
  count(key: string, field: string, message: (n: number) => string): void {
    const c = this.counted.get(key);
    if (c) c.n++;
    else this.counted.set(key, { field, n: 1, message });
  }

  close(): void {
    for (const c of this.counted.values()) this.add('info', c.field, c.message(c.n));
    if (this.hidden > 0) this.out.push(diagnostic(this.worst, { file: this.file }, `${plural(this.hidden, 'more problem')} in this file not listed`));
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function readAttributes(raw: unknown, crowd: boolean, f: string, log: FileLog): AnnotationAttributes {
  const out: Mutable<AnnotationAttributes> = crowd ? { iscrowd: true } : {};
  if (raw === undefined || raw === null) return out;
  if (!isObject(raw)) {
    log.add('info', `${f}.attributes`, 'attributes is not an object: ignored');
    return out;
  }
  const custom: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(raw)) {
    const flag = FLAGS.find((x) => x === k);
    if (flag) {
      if (typeof v === 'boolean' || v === 0 || v === 1) out[flag] = v === true || v === 1;
      else log.add('info', `${f}.attributes.${k}`, `${k} ${show(v)} is not true or false: ignored`);
    } else if (k === 'rotation') {
      if (isFiniteNumber(v) && v % 360 !== 0) log.add('warning', `${f}.attributes.rotation`, `the box is rotated by ${v}°: Tally's boxes are upright, it was read without the rotation`);
    } else if (k !== 'iscrowd' && (typeof v === 'string' || typeof v === 'boolean')) {
      custom[k] = v;
    } else if (k !== 'iscrowd' && isFiniteNumber(v)) {
      // A number (a track id, a score) is kept like a text value: Tally's free attributes are text or true/false.
      custom[k] = String(v);
    } else if (k !== 'iscrowd') {
      log.add('info', `${f}.attributes.${k}`, `${k} ${show(v)} is not text, a number or true/false: ignored`);
    }
  }
  if (Object.keys(custom).length > 0) out.custom = custom;
  return out;
}

type Box = { readonly shape: Shape } | { readonly problem: string };

function bboxOf(v: unknown): Box {
  if (v === undefined || v === null) return { problem: 'skipped: it has no polygon and no bbox' };
  if (!Array.isArray(v) || v.length !== 4) return { problem: `skipped: bbox ${show(v)} is not a list [x, y, width, height]` };
  if (!(v as unknown[]).every(isFiniteNumber)) return { problem: `skipped: bbox ${show(v)} holds values that are not numbers` };
  const [x, y, w, h] = v as number[];
  return { shape: { kind: 'box', x: x!, y: y!, w: w!, h: h! } };
}

/** Whether a segmentation part is exactly the 4 corners of `box` (any starting corner, either direction; within 1/100 px). */
function isBoxCorners(part: unknown, box: Shape): boolean {
  if (box.kind !== 'box' || !Array.isArray(part) || part.length !== 8 || !(part as unknown[]).every(isFiniteNumber)) return false;
  const p = part as number[];
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= 0.005 + 1e-9;
  const corners = [
    [box.x, box.y],
    [box.x + box.w, box.y],
    [box.x + box.w, box.y + box.h],
    [box.x, box.y + box.h],
  ] as const;
  const at = (k: number): [number, number] => [p[2 * (k % 4)]!, p[2 * (k % 4) + 1]!];
  for (let start = 0; start < 4; start++) {
    for (const dir of [1, 3]) {
      if (corners.every(([x, y], k) => {
        const [px, py] = at(start + dir * k);
        return near(px, x) && near(py, y);
      })) return true;
    }
  }
  return false;
}

interface Located {
  readonly shape: Shape;
  readonly field: string;
}

/** The shapes an annotation stands for, before the readShape gate (see the module comment). */
export function shapesOf(a: Json, f: string, log: FileLog): Located[] {
  const seg = a.segmentation;
  const box = bboxOf(a.bbox);
  const boxOnly = (why?: string): Located[] => {
    if ('problem' in box) {
      log.add('error', `${f}.bbox`, box.problem);
      return [];
    }
    if (why !== undefined) log.add('warning', `${f}.segmentation`, why);
    return [{ shape: box.shape, field: `${f}.bbox` }];
  };
  if (isObject(seg)) {
    if ('shape' in box) return boxOnly('an RLE mask (crowd region): Tally holds no masks, its bbox was imported as a box');
    const bounds = rleBounds(seg);
    if (bounds) {
      log.add('warning', `${f}.segmentation`, "an RLE mask (crowd region) without a usable bbox: Tally holds no masks, the mask's bounds were imported as a box");
      return [{ shape: bounds, field: `${f}.segmentation` }];
    }
    log.add('error', `${f}.segmentation`, 'skipped an RLE mask (crowd region): Tally holds no masks, and neither its bbox nor its counts and size could be read');
    return [];
  }
  if (Array.isArray(seg) && seg.length > 0) {
    if ('shape' in box && seg.length === 1 && isBoxCorners(seg[0], box.shape)) {
      // A box written as its 4 corners (Tally's "for mask training" option, Detectron2
      // conversions): read back as the box it is.
      log.count('boxCorners', `${f}.segmentation`, (n) => `${plural(n, 'annotation')} whose segmentation is the 4 corners of its bbox (a box written for mask training): read as ${n === 1 ? 'a box' : 'boxes'}`);
      return [{ shape: box.shape, field: `${f}.bbox` }];
    }
    const flat = (seg as unknown[]).every((v) => typeof v === 'number');
    if (flat) log.add('info', `${f}.segmentation`, 'a flat list of numbers: read as one polygon');
    const parts: unknown[] = flat ? [seg] : seg;
    const polygons: Located[] = [];
    parts.forEach((p, j) => {
      const pf = flat ? `${f}.segmentation` : `${f}.segmentation[${j}]`;
      if (!Array.isArray(p) || !(p as unknown[]).every(isFiniteNumber)) return log.add('error', pf, 'skipped a polygon: it is not a list of numbers [x1, y1, x2, y2, …]');
      if (p.length < 6 || p.length % 2 !== 0) return log.add('error', pf, `skipped a polygon of ${plural(p.length, 'number')}: it needs at least 3 x, y pairs`);
      polygons.push({ shape: { kind: 'polygon', points: p as number[] }, field: pf });
    });
    if (parts.length > 1) log.add('warning', `${f}.segmentation`, `an object in ${parts.length} parts: each part was imported as a polygon of its own`);
    if (polygons.length > 0) return polygons;
    return 'shape' in box ? boxOnly('no usable polygon in the segmentation: the bbox was imported as a box') : [];
  }
  if (seg !== undefined && seg !== null && !Array.isArray(seg)) {
    log.add('warning', `${f}.segmentation`, `segmentation ${show(seg)} is neither a polygon list nor an RLE mask: ignored`);
  }
  return boxOnly();
}

