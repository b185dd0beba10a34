import { useEffect, useRef, useState } from 'react';
import { Image as KonvaImage, Layer, Stage } from 'react-konva';
import type { ImageRecord } from '../core/model';
import type { BitmapCache } from '../media/bitmapCache';

interface ImageStageProps {
  readonly image: ImageRecord | null;
  readonly bitmaps: BitmapCache;
  /** Images to decode ahead (the neighbours in the list). */
  readonly prefetch: readonly ImageRecord[];
}

interface Shown {
  readonly id: string;
  readonly bitmap: ImageBitmap;
}

const MARGIN = 16;

/** Scale and offset that fit a w×h image in the viewport, centred, with a margin. */
export function fitToViewport(w: number, h: number, vw: number, vh: number): { scale: number; x: number; y: number } {
  const scale = Math.max(0.01, Math.min((vw - 2 * MARGIN) / w, (vh - 2 * MARGIN) / h));
  return { scale, x: (vw - w * scale) / 2, y: (vh - h * scale) / 2 };
}

/**
 * The canvas: the image layer does not listen to events (it only paints); annotation and
 * interaction layers join it with the editor. On open, the image is fitted and centred.
 */
export function ImageStage({ image, bitmaps, prefetch }: ImageStageProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [shown, setShown] = useState<Shown | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: Math.floor(entry.contentRect.width), height: Math.floor(entry.contentRect.height) });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!image) return;
    let live = true;
    void bitmaps.get(image.projectId, image.id).then((bitmap) => {
      if (!live) return;
      if (bitmap) {
        setShown({ id: image.id, bitmap });
        setFailed(null);
      } else setFailed(image.fileName);
    });
    return () => {
      live = false;
    };
  }, [image, bitmaps]);

  useEffect(() => {
    for (const p of prefetch) bitmaps.prefetch(p.projectId, p.id);
  }, [prefetch, bitmaps]);

  const visible = image && shown?.id === image.id ? shown : null;
  const fit = visible && size.width > 0 ? fitToViewport(visible.bitmap.width, visible.bitmap.height, size.width, size.height) : null;

  return (
    <div ref={boxRef} className="stage-box" role="region" aria-label="Annotation canvas" data-shown-image={visible && fit ? visible.id : undefined}>
      {size.width > 0 && (
        <Stage width={size.width} height={size.height}>
          <Layer listening={false}>
            {visible && fit && (
              <KonvaImage image={visible.bitmap} x={fit.x} y={fit.y} scaleX={fit.scale} scaleY={fit.scale} perfectDrawEnabled={false} listening={false} />
            )}
          </Layer>
        </Stage>
      )}
      {!image && <p className="stage-empty muted">Import images to start: files, a folder, or a .zip — or drop them here.</p>}
      {image && failed === image.fileName && <p className="stage-empty field-error">{image.fileName} could not be displayed.</p>}
    </div>
  );
}
