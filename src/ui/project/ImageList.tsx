import { useVirtualizer } from '@tanstack/react-virtual';
import { Fragment, memo, useCallback, useEffect, useMemo, useRef } from 'react';
import { Thumbnail } from '../common/Thumbnail';
import { FileName } from '../common/FileName';
import { useApp, useDocument, useSession } from '../../app/context';
import { openImage, setStatusFilter, visibleImages } from '../../app/imageActions';
import { IMAGE_STATUSES, IMAGE_STATUS_LABELS, SPLITS, type ImageId, type ImageRecord, type ImageStatus, type Split } from '../../core/model';
import type { StatusFilter } from '../../state/stores';
import { AssignSplitsButton } from './AssignSplits';

const ROW_HEIGHT = 56;

interface RowProps {
  readonly image: ImageRecord;
  readonly selected: boolean;
  readonly loadThumbnail: boolean;
  readonly onOpen: (id: ImageId) => void;
}

const Row = memo(function Row({ image, selected, loadThumbnail, onOpen }: RowProps) {
  return (
    <button type="button" className="image-row-button" onClick={() => onOpen(image.id)} aria-current={selected ? 'true' : undefined}>
      <Thumbnail projectId={image.projectId} imageId={image.id} load={loadThumbnail} />
      <span className="image-row-text">
        <FileName className="image-name" name={image.fileName} title={image.relativePath} />
        <span className="image-meta">
          <span className={`status-dot status-${image.status}`} aria-hidden="true" />
          {IMAGE_STATUS_LABELS[image.status]} ·{' '}
          {image.status === 'done' && image.annotationCount === 0 ? 'background' : `${image.annotationCount} ${image.annotationCount === 1 ? 'shape' : 'shapes'}`}
          {image.split !== 'unassigned' && <> · {image.split}</>}
        </span>
      </span>
    </button>
  );
});

/** Counts per status for the filter (one pass over the images). */
function countByStatus(images: readonly ImageRecord[]): Record<ImageStatus, number> {
  const counts = { new: 0, in_progress: 0, done: 0, needs_review: 0 };
  for (const i of images) counts[i.status]++;
  return counts;
}

/** Counts per split (one pass over the images). */
function countBySplit(images: readonly ImageRecord[]): Record<Split, number> {
  const counts = { train: 0, val: 0, test: 0, unassigned: 0 };
  for (const i of images) counts[i.split]++;
  return counts;
}

/** How the images divide into splits, and the button that assigns the unassigned ones. */
function SplitBar({ images }: { readonly images: readonly ImageRecord[] }) {
  const counts = useMemo(() => countBySplit(images), [images]);
  const shown = SPLITS.filter((s) => s !== 'unassigned' || counts.unassigned > 0);
  return (
    <div className="split-bar">
      <span className="split-counts">
        {shown.map((s, i) => (
          <Fragment key={s}>
            {i > 0 && ' · '}
            <span>
              {counts[s].toLocaleString('en')} {s}
            </span>
          </Fragment>
        ))}
      </span>
      <AssignSplitsButton />
    </div>
  );
}

/**
 * The project's images, virtualized: only the rows in view (plus a few) exist in the DOM, so
 * 10,000 images scroll like 10.
 */
export function ImageList() {
  const { services } = useApp();
  const images = useDocument((s) => s.doc?.images ?? EMPTY);
  const filter = useSession((s) => s.statusFilter);
  const currentId = useSession((s) => s.currentImageId);
  const shown = useMemo(() => visibleImages(images, filter), [images, filter]);
  const counts = useMemo(() => countByStatus(images), [images]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const open = useCallback((id: ImageId) => openImage(services, id), [services]);

  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    isScrollingResetDelay: 120,
    getItemKey: (i) => shown[i]!.id,
  });

  // Keep the open image in view when it changes by key or button.
  const currentIndex = useMemo(() => shown.findIndex((i) => i.id === currentId), [shown, currentId]);
  useEffect(() => {
    if (currentIndex >= 0) virtualizer.scrollToIndex(currentIndex, { align: 'auto' });
  }, [currentIndex, virtualizer]);

  return (
    <div className="image-panel">
      <div className="panel-head">
        <h2 className="panel-title">
          Images <span className="muted">{images.length.toLocaleString('en')}</span>
        </h2>
        <select aria-label="Filter images" value={filter} onChange={(e) => setStatusFilter(services, e.target.value as StatusFilter)}>
          <option value="all">All ({images.length.toLocaleString('en')})</option>
          {IMAGE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {IMAGE_STATUS_LABELS[s]} ({counts[s].toLocaleString('en')})
            </option>
          ))}
        </select>
      </div>
      {images.length > 0 && <SplitBar images={images} />}
      <div ref={scrollRef} className="image-scroll" data-testid="image-scroll">
        {shown.length === 0 ? (
          <p className="empty-list muted">{images.length === 0 ? 'No images yet. Import files, a folder or a .zip — or drop them here.' : 'No images with this status.'}</p>
        ) : (
          <ul aria-label="Images" className="image-list" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((row) => {
              const image = shown[row.index]!;
              return (
                <li
                  key={row.key}
                  className="image-row"
                  aria-setsize={shown.length}
                  aria-posinset={row.index + 1}
                  style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
                >
                  <Row image={image} selected={image.id === currentId} loadThumbnail={!virtualizer.isScrolling} onOpen={open} />
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}

const EMPTY: readonly ImageRecord[] = [];
