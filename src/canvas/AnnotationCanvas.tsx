import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type Konva from 'konva';
import { Layer, Shape as KonvaShape, Stage } from 'react-konva';
import { fitViewport, focusViewport, screenPoint, zoomAt } from '../core/viewport';
import type { Annotation, ImageRecord } from '../core/model';
import { layerName } from '../core/document';
import type { BitmapCache } from '../media/bitmapCache';
import type { Stores } from '../state/stores';
import type { ToolRunner } from '../app/toolRunner';
import { paintInteraction, paintMarks, paintShapes } from './paint';
import { drawVisiblePart, newScene, shapeGroups, type Scene, type Shown } from './scene';
import { bindCanvasInput, KEYBOARD_HOME } from './canvasInput';
import type { CanvasControls } from './canvasControls';
import { useElementSize } from './useElementSize';

interface AnnotationCanvasProps {
  readonly image: ImageRecord | null;
  readonly bitmaps: BitmapCache;
  /** Images to decode ahead (the neighbours in the list). */
  readonly prefetch: readonly ImageRecord[];
  readonly stores: Stores;
  readonly runner: ToolRunner;
  /** Set by the canvas: fit the image again, zoom by a factor at the centre, hold Space to pan. */
  readonly controls: CanvasControls;
}

/**
 * The canvas: an image layer and a shapes layer that only paint (listening off), and an
 * interaction layer for what follows the pointer. Input is read from DOM pointer events on the
 * container, converted once to image pixels and given to the tool runner; React renders this
 * component only when the image or the container size changes.
 */
export function AnnotationCanvas({ image, bitmaps, prefetch, stores, runner, controls }: AnnotationCanvasProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const readoutRef = useRef<HTMLOutputElement>(null);
  /** Image and shapes share one layer (one <canvas>): see the note on the Stage below. */
  const sceneLayer = useRef<Konva.Layer>(null);
  const interactionLayer = useRef<Konva.Layer>(null);
  const size = useElementSize(boxRef);
  const [shown, setShown] = useState<Shown | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const scene = useRef<Scene>(newScene());
  const fitted = useRef(true);

  const visible = image && shown?.id === image.id ? shown : null;
  useLayoutEffect(() => {
    const s = scene.current;
    s.shown = visible;
    s.image = image;
    s.width = size.width;
    s.height = size.height;
    sceneLayer.current?.batchDraw();
    interactionLayer.current?.batchDraw();
  }, [visible, image, size.width, size.height]);

  // Decode the image (and a reduced copy of a big one).
  useEffect(() => {
    if (!image) return;
    let live = true;
    void bitmaps.get(image.projectId, image.id).then(async (bitmap) => {
      if (!live) return;
      if (!bitmap) {
        setFailed(image.fileName);
        return;
      }
      let reduced: ImageBitmap | null = null;
      const longest = Math.max(bitmap.width, bitmap.height);
      if (longest > 4096) {
        const k = 2048 / longest;
        reduced = await createImageBitmap(bitmap, { resizeWidth: Math.round(bitmap.width * k), resizeHeight: Math.round(bitmap.height * k), resizeQuality: 'medium' }).catch(() => null);
      }
      if (!live) return;
      setShown({ id: image.id, bitmap, reduced });
      setFailed(null);
    });
    return () => {
      live = false;
    };
  }, [image, bitmaps]);

  useEffect(() => {
    for (const p of prefetch) bitmaps.prefetch(p.projectId, p.id);
  }, [prefetch, bitmaps]);

  // Fit and centre when an image appears, and on resize while fitted (the scene is up to date:
  // layout effects run first).
  const shownId = visible?.id;
  useEffect(
    () =>
      controls.attach(
        () => {
          const s = scene.current;
          if (!s.image || s.width === 0) return;
          fitted.current = true;
          stores.interaction.setState({ viewport: fitViewport(s.image.width, s.image.height, s.width, s.height) });
        },
        (factor) => {
          const v = stores.interaction.getState().viewport;
          if (!v) return;
          fitted.current = false;
          stores.interaction.setState({ viewport: zoomAt(v, screenPoint(scene.current.width / 2, scene.current.height / 2), factor) });
        },
        (region) => {
          const s = scene.current;
          if (!s.image || s.width === 0) return;
          fitted.current = false;
          const fit = fitViewport(s.image.width, s.image.height, s.width, s.height);
          stores.interaction.setState({ viewport: focusViewport(region, s.width, s.height, fit.scale) });
        },
      ),
    [controls, stores],
  );
  useEffect(() => {
    if (shownId === undefined) return;
    controls.fit();
    controls.shown(shownId);
  }, [shownId, controls]);
  useEffect(() => {
    if (fitted.current) controls.fit();
  }, [size.width, size.height, controls]);

  // Repaints, driven by the stores (not by React renders).
  useEffect(() => {
    const drawAll = () => {
      sceneLayer.current?.batchDraw();
      drawInteraction();
    };
    // An interaction layer that showed nothing and would show nothing is left alone: every
    // repainted canvas costs a copy to the compositor on each frame.
    const drawInteraction = () => {
      const s = scene.current;
      const it = stores.interaction.getState();
      const tool = stores.session.getState().tool;
      const wanted = s.selected.length > 0 || it.hover !== null || !!it.preview.draft || !!it.preview.moved || !!it.preview.band || ((tool === 'box' || tool === 'polygon') && it.cursor !== null);
      if (!wanted && !s.interactionShown) return;
      s.interactionShown = wanted;
      interactionLayer.current?.batchDraw();
    };
    const rebuild = () => {
      const s = scene.current;
      const view = runner.view();
      s.visibleById = new Map(view.visible.map((a) => [a.id, a]));
      const doc = stores.document.getState().doc;
      const classes = doc?.project.classes ?? [];
      s.styles = new Map(classes.map((c) => [c.id, { color: c.color, name: c.name }]));
      const { groups, groupStyles } = shapeGroups(view.visible, doc?.layers ?? [], s.styles, stores.session.getState().colourBy);
      s.groups = groups;
      s.groupStyles = groupStyles;
      const el = boxRef.current;
      if (el) el.dataset.colourBy = s.groupStyles === s.styles ? 'class' : 'annotator';
      const sel = stores.session.getState().selection;
      s.selected = sel.map((id) => s.visibleById.get(id)).filter((a): a is Annotation => a !== undefined);
      s.shapesVersion++;
      sceneLayer.current?.batchDraw();
      drawInteraction();
    };
    const showMarks = () => {
      const s = scene.current;
      const r = stores.review.getState();
      const marks = r.marks;
      if (marks === s.marks && r.focused === s.focusedMark && r.imageId === s.marksImage) return;
      s.marks = marks;
      s.marksImage = r.imageId;
      s.focusedMark = r.focused;
      // For tests: how many disagreements are marked, and which one the keys moved to.
      const el = boxRef.current;
      if (el) {
        el.dataset.disagreements = String(marks.length);
        el.dataset.focusedDisagreement = r.focused ?? '';
      }
      sceneLayer.current?.batchDraw();
    };
    rebuild();
    showMarks();
    const unsubs = [
      stores.review.subscribe(showMarks),
      stores.annotations.subscribe(rebuild),
      stores.session.subscribe((s, prev) => {
        if (s.selection !== prev.selection || s.hiddenShapes !== prev.hiddenShapes || s.hiddenClasses !== prev.hiddenClasses || s.lockedShapes !== prev.lockedShapes || s.hiddenLayers !== prev.hiddenLayers || s.blind !== prev.blind || s.colourBy !== prev.colourBy || s.annotatorName !== prev.annotatorName || s.activeClassId !== prev.activeClassId || s.tool !== prev.tool) rebuild();
      }),
      stores.document.subscribe((s, prev) => {
        if (s.doc?.project.classes !== prev.doc?.project.classes || s.doc?.layers !== prev.doc?.layers) rebuild();
      }),
      stores.interaction.subscribe((s, prev) => {
        if (s.viewport !== prev.viewport) {
          drawAll();
          return;
        }
        if (s.preview !== prev.preview) {
          const keys = s.preview.moved ? [...s.preview.moved.keys()].join() : '';
          if (keys !== scene.current.movedKeys) {
            scene.current.movedKeys = keys;
            scene.current.shapesVersion++;
            sceneLayer.current?.batchDraw();
          }
        }
        // Which shape is outlined as hovered (from the canvas or the Annotations list), for tests.
        if (s.hover !== prev.hover) {
          const el = boxRef.current;
          if (el) el.dataset.hoverShape = s.hover ?? '';
        }
        // The cursor alone matters only to the crosshair (drawing tools).
        const tool = stores.session.getState().tool;
        const onlyCursor = s.preview === prev.preview && s.hover === prev.hover;
        if (!onlyCursor || tool === 'box' || tool === 'polygon') drawInteraction();
      }),
    ];
    return () => unsubs.forEach((u) => u());
  }, [stores, runner]);

  // The cursor readout, written straight into its text node: no React render, no new nodes.
  useEffect(() => {
    const out = readoutRef.current;
    if (!out) return;
    const text = document.createTextNode('–');
    out.replaceChildren(text);
    return stores.interaction.subscribe((s, prev) => {
      if (s.cursor === prev.cursor) return;
      text.data = s.cursor ? `${s.cursor.x}, ${s.cursor.y}` : '–';
    });
  }, [stores]);

  // Pointer, wheel and Space input.
  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    return bindCanvasInput(el, {
      stores,
      runner,
      controls,
      imageOf: () => scene.current.image,
      unfit: () => {
        fitted.current = false;
      },
    });
  }, [stores, runner, controls]);

  const paintImage = (ctx: Konva.Context) => {
    const s = scene.current;
    const v = stores.interaction.getState().viewport;
    if (!s.shown || !v) return;
    const c = ctx._context;
    const { id, bitmap, reduced } = s.shown;
    const w = bitmap.width * v.scale;
    const h = bitmap.height * v.scale;
    c.imageSmoothingEnabled = v.scale < 4; // zoomed far in: show pixels as pixels
    const source = reduced && w <= reduced.width * 1.5 ? reduced : bitmap;
    s.imageCache.draw(c, `${id}|${v.scale}`, { x: v.x, y: v.y, width: w, height: h }, (t, ox, oy) => {
      if (t === c && source === bitmap) drawVisiblePart(c, bitmap, v, s.width, s.height);
      else t.drawImage(source, ox, oy, w, h);
    });
  };

  const paintShapesLayer = (ctx: Konva.Context) => {
    const s = scene.current;
    const v = stores.interaction.getState().viewport;
    if (!s.shown || !s.image || !v) return;
    const c = ctx._context;
    const moved = stores.interaction.getState().preview.moved;
    const extent = { x: v.x, y: v.y, width: s.image.width * v.scale, height: s.image.height * v.scale };
    s.shapesCache.draw(c, `${s.shapesVersion}|${v.scale}`, extent, (t, ox, oy) =>
      // Painting straight to the screen culls to it; painting the cache keeps everything.
      t === c ? paintShapes(c, s.groups, s.groupStyles, v, s.width, s.height, moved) : paintShapes(t, s.groups, s.groupStyles, { scale: v.scale, x: ox, y: oy }, Infinity, Infinity, moved),
    );
    // How many shapes the canvas shows, for tests and benchmarks (pixels alone cannot tell).
    const painted = String(s.visibleById.size - (moved?.size ?? 0));
    const el = boxRef.current;
    if (el && el.dataset.paintedShapes !== painted) el.dataset.paintedShapes = painted;
  };

  const paintMarksLayer = (ctx: Konva.Context) => {
    const s = scene.current;
    const v = stores.interaction.getState().viewport;
    if (!s.shown || !v || s.marks.length === 0 || s.marksImage !== s.shown.id) return;
    paintMarks(ctx._context, s.marks, s.focusedMark, v);
  };

  const paintInteractionLayer = (ctx: Konva.Context) => {
    const s = scene.current;
    const c = ctx._context;
    const it = stores.interaction.getState();
    const v = it.viewport;
    if (!s.shown || !v || !s.image) {
      c.clearRect(0, 0, c.canvas.width, c.canvas.height);
      s.interactionDirty = [];
      return;
    }
    const session = stores.session.getState();
    const hover = it.hover ? (s.visibleById.get(it.hover) ?? null) : null;
    // This layer is not cleared by Konva (clearBeforeDraw off): only what the last paint drew.
    // Whole pixels and a margin: antialiased edges spill into the next pixel.
    for (const r of s.interactionDirty) c.clearRect(Math.floor(r.x) - 2, Math.floor(r.y) - 2, Math.ceil(r.w) + 5, Math.ceil(r.h) + 5);
    s.interactionDirty = paintInteraction(c, {
      viewport: v,
      imageWidth: s.image.width,
      imageHeight: s.image.height,
      preview: it.preview,
      selected: s.selected,
      hover: s.selected.some((a) => a.id === hover?.id) && session.tool !== 'select' ? null : hover,
      hoverLayer: hover ? layerName(stores.document.getState().doc ?? { layers: [] }, hover.layerId) : '',
      styles: s.styles,
      activeStyle: session.activeClassId ? (s.styles.get(session.activeClassId) ?? null) : null,
      cursor: it.cursor,
      crosshair: session.tool === 'box' || (session.tool === 'polygon' && !it.preview.draft),
    });
  };

  return (
    <div className="canvas-wrap">
      <div
        ref={boxRef}
        className="stage-box"
        role="region"
        aria-label="Annotation canvas"
        tabIndex={-1}
        {...{ [KEYBOARD_HOME]: '' }}
        data-shown-image={visible ? visible.id : undefined}
      >
        {size.width > 0 && (
          <Stage width={size.width} height={size.height} listening={false}>
            {/* The image and the shapes are two painters on one layer: every Konva layer is its own
                <canvas>, and on a software compositor each canvas repainted costs ~2 ms per frame
                to hand over. Pan and zoom repaint both, so one canvas halves that; when only the
                shapes change, the photo is a blit from its zoom cache. */}
            <Layer ref={sceneLayer} listening={false}>
              <KonvaShape sceneFunc={paintImage} listening={false} perfectDrawEnabled={false} />
              <KonvaShape sceneFunc={paintShapesLayer} listening={false} perfectDrawEnabled={false} />
              <KonvaShape sceneFunc={paintMarksLayer} listening={false} perfectDrawEnabled={false} />
            </Layer>
            <Layer ref={interactionLayer} listening={false} clearBeforeDraw={false}>
              <KonvaShape sceneFunc={paintInteractionLayer} listening={false} perfectDrawEnabled={false} />
            </Layer>
          </Stage>
        )}
        {!image && (
          <p className="stage-empty muted">
            <span>
              <strong>Start with Import images</strong> (top left): image files or a .zip — or a whole folder with Import folder, or drop them here.
            </span>
          </p>
        )}
        {image && failed === image.fileName && <p className="stage-empty field-error">{image.fileName} could not be displayed.</p>}
      </div>
      <div className="canvas-status">
        <span className="muted">Cursor</span>
        {/* Not a live region: a screen reader would announce every pointer move. */}
        <output ref={readoutRef} aria-label="Cursor position" aria-live="off" className="cursor-readout" />
      </div>
    </div>
  );
}
