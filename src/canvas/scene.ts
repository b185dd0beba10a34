import type { Annotation, AnnotationId, ClassId, ImageRecord, Layer } from '../core/model';
import type { Rect } from '../core/geometry';
import type { Viewport } from '../core/viewport';
import { annotatorColours } from '../quality/annotatorColours';
import type { ReviewMark, SessionState } from '../state/stores';
import { groupByClass, groupByLayer, type ClassStyle } from './paint';
import { ScaleCache } from './scaleCache';

export interface Shown {
  readonly id: string;
  readonly bitmap: ImageBitmap;
  /** A downscaled copy drawn while zoomed out on a big image (null when not needed). */
  readonly reduced: ImageBitmap | null;
}

/** Everything the scene functions read, kept outside React so a repaint never re-renders. */
export interface Scene {
  shown: Shown | null;
  image: ImageRecord | null;
  width: number;
  height: number;
  /** Shapes by class, or by layer when they are drawn in their annotators' colours. */
  groups: Map<string, Annotation[]>;
  groupStyles: Map<string, ClassStyle>;
  /** Each class's colour and name (hover labels, selection, drafts). */
  styles: Map<ClassId, ClassStyle>;
  /** Review: the open image's open disagreements, and the one the review keys moved to. */
  marks: readonly ReviewMark[];
  /** The image the marks are of (drawn only over that image). */
  marksImage: string | null;
  focusedMark: string | null;
  selected: Annotation[];
  visibleById: Map<AnnotationId, Annotation>;
  movedKeys: string;
  /** Bumped whenever what the shapes painter shows changes (its cache key). */
  shapesVersion: number;
  /** The interaction layer's last paint showed something. */
  interactionShown: boolean;
  /** Screen rectangles the interaction layer's last paint drew on (cleared before the next). */
  interactionDirty: Rect[];
  readonly imageCache: ScaleCache;
  readonly shapesCache: ScaleCache;
}


/** Only the part of a (big) image that is on screen: a 48-megapixel image drawn whole is slow. */
export function drawVisiblePart(c: CanvasRenderingContext2D, bitmap: ImageBitmap, v: Viewport, width: number, height: number): void {
  const sx0 = Math.max(0, -v.x / v.scale), sy0 = Math.max(0, -v.y / v.scale);
  const sx1 = Math.min(bitmap.width, (width - v.x) / v.scale), sy1 = Math.min(bitmap.height, (height - v.y) / v.scale);
  if (sx1 <= sx0 || sy1 <= sy0) return;
  c.drawImage(bitmap, sx0, sy0, sx1 - sx0, sy1 - sy0, v.x + sx0 * v.scale, v.y + sy0 * v.scale, (sx1 - sx0) * v.scale, (sy1 - sy0) * v.scale);
}


export function newScene(): Scene {
  return {
    shown: null,
    image: null,
    width: 0,
    height: 0,
    groups: new Map(),
    groupStyles: new Map(),
    styles: new Map(),
    marks: [],
    marksImage: null,
    focusedMark: null,
    selected: [],
    visibleById: new Map(),
    movedKeys: '',
    shapesVersion: 0,
    interactionShown: true,
    interactionDirty: [],
    imageCache: new ScaleCache(),
    shapesCache: new ScaleCache(),
  };
}

/**
 * How the shapes painter groups the visible shapes: by class in class colours, or — two layers or
 * more on screen and annotator colours on — by layer, each annotator's in their colour (the same
 * as in the layer toggles and the review panel: annotators sorted by name) and the Consensus layer
 * in white.
 */
export function shapeGroups(
  visible: readonly Annotation[],
  layers: readonly Layer[],
  classStyles: Map<ClassId, ClassStyle>,
  colourBy: SessionState['colourBy'],
): { groups: Map<string, Annotation[]>; groupStyles: Map<string, ClassStyle> } {
  const layerIds = new Set(visible.map((a) => a.layerId));
  if (layerIds.size < 2 || colourBy !== 'annotator') return { groups: groupByClass(visible), groupStyles: classStyles };
  const colours = annotatorColours(layers.filter((l) => l.kind === 'annotator').map((l) => l.name).sort());
  return {
    groups: groupByLayer(visible),
    groupStyles: new Map(layers.map((l) => [l.id, { color: (l.kind === 'annotator' && colours.get(l.name)?.colour) || '#ffffff', name: l.name }])),
  };
}
