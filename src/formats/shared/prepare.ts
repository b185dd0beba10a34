/**
 * What every export does before a format writes a byte: clip shapes to their image, drop what
 * becomes empty, convert shapes the format cannot hold, and settle the splits — each change
 * recorded as an ExportNote for manifest.json. The result is also what the export verification
 * expects to read back.
 */
import { clipShape } from '../../core/clip';
import { shapeBounds } from '../../core/geometry';
import type { Shape } from '../../core/model';
import type { Dataset, DatasetAnnotation, DatasetImage, ExportNote, ShapeSupport } from '../types';

export interface Prepared {
  readonly dataset: Dataset;
  readonly notes: ExportNote[];
}

const boxToPolygon = (s: Shape): Shape =>
  s.kind === 'box' ? { kind: 'polygon', points: [s.x, s.y, s.x + s.w, s.y, s.x + s.w, s.y + s.h, s.x, s.y + s.h] } : s;

function polygonToBox(s: Shape): Shape {
  if (s.kind === 'box') return s;
  const b = shapeBounds(s);
  return { kind: 'box', x: b.x, y: b.y, w: b.w, h: b.h };
}

/**
 * Images without a split go with train when any other image has a split (a training script
 * reads only the split folders it is told about); when none has one, they stay unassigned and
 * formats write them as `default`.
 */
function settleSplits(images: readonly DatasetImage[], notes: ExportNote[]): readonly DatasetImage[] {
  const unassigned = images.filter((i) => i.split === 'unassigned').length;
  if (unassigned === 0 || unassigned === images.length) return images;
  notes.push({ kind: 'changed', message: `${unassigned} image${unassigned === 1 ? '' : 's'} without a split exported in train` });
  return images.map((i) => (i.split === 'unassigned' ? { ...i, split: 'train' } : i));
}

/** `keepUnassigned`: the Tally package records "no split" as such; training formats do not (see settleSplits). */
export function prepareExport(dataset: Dataset, support: ShapeSupport, keepUnassigned = false): Prepared {
  const notes: ExportNote[] = [];
  const images = keepUnassigned ? dataset.images : settleSplits(dataset.images, notes);
  const classNames = new Set(dataset.classes.map((c) => c.name));
  const annotations: DatasetAnnotation[] = [];
  let converted = 0;
  for (const a of dataset.annotations) {
    const image = images[a.image];
    if (!image) continue;
    const where = image.relativePath;
    if (!classNames.has(a.className)) {
      notes.push({ kind: 'dropped', image: where, message: `a ${a.shape.kind} of class "${a.className}", which is not in the project` });
      continue;
    }
    const clipped = clipShape(a.shape, image.width, image.height);
    if (clipped.kind === 'empty') {
      notes.push({ kind: 'dropped', image: where, message: `a ${a.shape.kind} of class "${a.className}": nothing of it is inside the ${image.width}×${image.height} image` });
      continue;
    }
    if (clipped.kind === 'clipped') {
      notes.push({ kind: 'clipped', image: where, message: `a ${a.shape.kind} of class "${a.className}" reached outside the ${image.width}×${image.height} image and was cut at its edge` });
    }
    let shape = clipped.shape;
    if (support === 'boxes' && shape.kind === 'polygon') {
      shape = polygonToBox(shape);
      converted++;
    } else if (support === 'polygons' && shape.kind === 'box') {
      shape = boxToPolygon(shape);
      converted++;
    }
    annotations.push(shape === a.shape ? a : { ...a, shape });
  }
  if (converted > 0) {
    notes.push({
      kind: 'changed',
      message:
        support === 'boxes'
          ? `${converted} polygon${converted === 1 ? '' : 's'} written as bounding boxes (the format holds boxes only)`
          : `${converted} box${converted === 1 ? '' : 'es'} written as 4-corner polygons (the format holds polygons only)`,
    });
  }
  return { dataset: { ...dataset, images, annotations }, notes };
}
