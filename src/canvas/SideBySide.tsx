import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { fitViewport, focusViewport, type Viewport } from '../core/viewport';
import type { Annotation, ImageRecord, Layer } from '../core/model';
import type { BitmapCache } from '../media/bitmapCache';
import { annotatorColours } from '../quality/annotatorColours';
import type { ReviewMark, Stores } from '../state/stores';
import { groupByClass, paintMarks, paintShapes, type ClassStyle } from './paint';
import { useElementSize } from './useElementSize';

interface SideBySideProps {
  readonly image: ImageRecord;
  readonly bitmaps: BitmapCache;
  readonly stores: Stores;
}

const NO_SHAPES: readonly Annotation[] = [];
const NO_LAYERS: readonly Layer[] = [];
/** Class names are written beside the shapes while a pane holds at most this many. */
const NAMED_UP_TO = 60;

/**
 * Review, side by side: each layer that has shapes on the open image in its own pane (annotators
 * by name, then Consensus), shapes in their class's colour with the class named, the open
 * disagreements marked in every pane. All panes show the same region: the whole image, or the
 * disagreement the review keys (N / Shift+N) moved to, so one object's variants sit next to each
 * other. The panes only show; drawing and editing happen in the overlaid view.
 */
export function SideBySide({ image, bitmaps, stores }: SideBySideProps) {
  const items = useStore(stores.annotations, (s) => (s.imageId === image.id ? s.items : null)) ?? NO_SHAPES;
  const layers = useStore(stores.document, (s) => s.doc?.layers ?? NO_LAYERS);
  const classes = useStore(stores.document, (s) => s.doc?.project.classes);
  const { marks, focused, imageId } = useStore(stores.review);
  const [bitmap, setBitmap] = useState<ImageBitmap | null>(null);

  useEffect(() => {
    let live = true;
    void bitmaps.get(image.projectId, image.id).then((b) => {
      if (live) setBitmap(b);
    });
    return () => {
      live = false;
    };
  }, [image, bitmaps]);

  const styles = useMemo(() => new Map((classes ?? []).map((c) => [c.id, { color: c.color, name: c.name }])), [classes]);
  const colours = useMemo(() => annotatorColours(layers.filter((l) => l.kind === 'annotator').map((l) => l.name).sort()), [layers]);
  const panes = useMemo(() => {
    const used = new Set(items.map((a) => a.layerId));
    const shown = layers.filter((l) => used.has(l.id));
    shown.sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind === 'annotator' ? -1 : 1));
    return shown.map((l) => ({ layer: l, shapes: items.filter((a) => a.layerId === l.id) }));
  }, [items, layers]);
  const ownMarks = imageId === image.id ? marks : [];
  const focus = ownMarks.find((m) => m.key === focused)?.bounds ?? null;

  return (
    <div className="side-by-side" role="region" aria-label="Side by side" data-panes={panes.length}>
      <div className="sbs-panes">
      {panes.map(({ layer, shapes }) => (
        <figure key={layer.id} className="sbs-pane" aria-label={`${layer.name}'s layer`}>
          <Pane image={image} bitmap={bitmap} shapes={shapes} styles={styles} marks={ownMarks} focused={focused} focus={focus} />
          <figcaption>
            <span className="swatch" style={{ background: layer.kind === 'annotator' ? colours.get(layer.name)?.colour : '#ffffff' }} aria-hidden="true" /> {layer.name}{' '}
            <span className="muted">
              {shapes.length} shape{shapes.length === 1 ? '' : 's'}
            </span>
          </figcaption>
        </figure>
      ))}
      </div>
      <p className="sbs-hint muted small">N / Shift+N: next / previous disagreement, the same region in every pane. Turn off Side by side to draw and edit.</p>
    </div>
  );
}

interface PaneProps {
  readonly image: ImageRecord;
  readonly bitmap: ImageBitmap | null;
  readonly shapes: readonly Annotation[];
  readonly styles: ReadonlyMap<string, ClassStyle>;
  readonly marks: readonly ReviewMark[];
  readonly focused: string | null;
  /** The region every pane shows (image px), null: the whole image. */
  readonly focus: { readonly x: number; readonly y: number; readonly w: number; readonly h: number } | null;
}

function Pane({ image, bitmap, shapes, styles, marks, focused, focus }: PaneProps) {
  const box = useRef<HTMLDivElement>(null);
  const ref = useRef<HTMLCanvasElement>(null);
  const size = useElementSize(box);

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || size.width === 0 || size.height === 0) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.width * dpr);
    canvas.height = Math.round(size.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.width, size.height);
    const fit = fitViewport(image.width, image.height, size.width, size.height, 8);
    let v: Viewport = fit;
    if (focus) {
      const mx = Math.max(focus.w, 8) * 0.5, my = Math.max(focus.h, 8) * 0.5;
      v = focusViewport({ x: focus.x - mx, y: focus.y - my, w: focus.w + 2 * mx, h: focus.h + 2 * my }, size.width, size.height, fit.scale, 0.9);
    }
    if (bitmap) ctx.drawImage(bitmap, v.x, v.y, image.width * v.scale, image.height * v.scale);
    paintShapes(ctx, groupByClass(shapes), styles, v, size.width, size.height, undefined);
    if (shapes.length <= NAMED_UP_TO) nameShapes(ctx, shapes, styles, v);
    paintMarks(ctx, marks, focused, v);
  }, [image, bitmap, shapes, styles, marks, focused, focus, size]);

  return (
    <div ref={box} className="sbs-canvas">
      <canvas ref={ref} style={{ width: size.width, height: size.height }} />
    </div>
  );
}

/** Each shape's class name under its top-left corner, so label mismatches read at a glance. */
function nameShapes(ctx: CanvasRenderingContext2D, shapes: readonly Annotation[], styles: ReadonlyMap<string, ClassStyle>, v: Viewport): void {
  ctx.font = '11px system-ui, sans-serif';
  for (const a of shapes) {
    const s = a.shape;
    const x = (s.kind === 'box' ? s.x : Math.min(...s.points.filter((_, i) => i % 2 === 0))) * v.scale + v.x;
    const y = (s.kind === 'box' ? s.y + s.h : Math.max(...s.points.filter((_, i) => i % 2 === 1))) * v.scale + v.y;
    const style = styles.get(a.classId);
    const text = style?.name ?? '?';
    const w = ctx.measureText(text).width + 6;
    ctx.fillStyle = 'rgba(0,0,0,0.7)';
    ctx.fillRect(x, y + 2, w, 15);
    ctx.fillStyle = style?.color ?? '#cccccc';
    ctx.fillText(text, x + 3, y + 13);
  }
}
