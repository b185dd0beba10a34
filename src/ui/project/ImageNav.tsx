import { useMemo } from 'react';
import { useApp, useDocument, useSession } from '../../app/context';
import { setCurrentSplit, setCurrentStatus, visibleImages } from '../../app/imageActions';
import { IMAGE_STATUSES, IMAGE_STATUS_LABELS, SPLITS, type ImageStatus, type Split } from '../../core/model';
import { CommandButton } from '../common/CommandButton';
import { FileName } from '../common/FileName';

/** Above the canvas: previous/next, where we are, the open image's name, split and status. */
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
      <CommandButton command="image.previous" className="nav-step">
        ‹
      </CommandButton>
      <span className="nav-position" aria-live="polite">
        {shown.length === 0 ? '0 / 0' : `${(at + 1).toLocaleString('en')} / ${shown.length.toLocaleString('en')}`}
      </span>
      <CommandButton command="image.next" className="nav-step">
        ›
      </CommandButton>
      {image && (
        <>
          <FileName className="nav-file" name={image.fileName} title={`${image.relativePath} (${image.width} × ${image.height})`} />
          <span className="muted nav-size">
            {image.width} × {image.height}
          </span>
          <label className="inline-field" title="Split">
            <span className="narrow-hidden">Split</span>
            <select aria-label="Split" value={image.split} disabled={readOnly} onChange={(e) => setCurrentSplit(services, e.target.value as Split)}>
              {SPLITS.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field" title="Status">
            <span className="narrow-hidden">Status</span>
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
