import { useMemo } from 'react';
import { useApp, useDocument, useSession } from '../../app/context';
import { setCurrentSplit, setCurrentStatus, stepImage, visibleImages } from '../../app/imageActions';
import { IMAGE_STATUSES, IMAGE_STATUS_LABELS, SPLITS, type ImageStatus, type Split } from '../../core/model';

/** Above the canvas: previous/next, where we are, and the open image's split and status. */
export function ImageNav() {
  const { services } = useApp();
  const images = useDocument((s) => s.doc?.images);
  const readOnly = useDocument((s) => s.mode === 'read-only');
  const filter = useSession((s) => s.statusFilter);
  const currentId = useSession((s) => s.currentImageId);
  const shown = useMemo(() => (images ? visibleImages(images, filter) : []), [images, filter]);
  const at = shown.findIndex((i) => i.id === currentId);
  const image = at >= 0 ? shown[at]! : images?.find((i) => i.id === currentId);

  return (
    <div className="image-nav">
      <button type="button" aria-label="Previous image" title="Previous image (A, ←)" disabled={at <= 0} onClick={() => stepImage(services, -1)}>
        ‹ Prev
      </button>
      <span className="nav-position" aria-live="polite">
        {shown.length === 0 ? '0 / 0' : `${(at + 1).toLocaleString('en')} / ${shown.length.toLocaleString('en')}`}
      </span>
      <button
        type="button"
        aria-label="Next image"
        title="Next image (D, →)"
        disabled={at < 0 || at >= shown.length - 1}
        onClick={() => stepImage(services, 1)}
      >
        Next ›
      </button>
      {image && (
        <>
          <span className="nav-file" title={image.relativePath}>
            {image.fileName}
          </span>
          <span className="muted nav-size">
            {image.width} × {image.height}
          </span>
          <span className="topbar-spacer" />
          <label className="inline-field">
            <span>Split</span>
            <select aria-label="Split" value={image.split} disabled={readOnly} onChange={(e) => setCurrentSplit(services, e.target.value as Split)}>
              {SPLITS.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span>Status</span>
            <select aria-label="Image status" value={image.status} disabled={readOnly} onChange={(e) => setCurrentStatus(services, e.target.value as ImageStatus)}>
              {IMAGE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {IMAGE_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
    </div>
  );
}
