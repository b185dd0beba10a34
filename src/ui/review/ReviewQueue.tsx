import { useMemo, useState } from 'react';
import type { ImageId } from '../../core/model';
import type { ImageRow } from '../../quality/agreementFiles';
import { FileName } from '../common/FileName';
import { count, ratio } from './reviewFormat';

/** Rows shown at first and added by each "Show more": a 10,000-image queue renders 50 rows. */
export const QUEUE_PAGE = 50;

/**
 * Rows in the frame that first shows the figures; the rest of the page follows in the next frame
 * (ReviewFigures' `firstFrame`). Laying out the whole view at once (the side tables and 50 rows of
 * bars and names) took one 60–100 ms frame on a 2-core machine; the rows first seen are the same.
 */
export const FIRST_FRAME_ROWS = 15;

export interface ReviewQueueProps {
  /** The first `limit` rows, worst agreement first (imageRows of the report): only the rows shown are built. */
  readonly rows: (limit: number) => readonly ImageRow[];
  /** Rows in all. */
  readonly total: number;
  /** Whether any image has attribute mismatches (the column is shown then). */
  readonly withAttributes: boolean;
  /** The first frame of the view: only FIRST_FRAME_ROWS rows are built. */
  readonly firstFrame?: boolean;
  /** The image open on the canvas, marked in the queue. */
  readonly currentImageId?: ImageId | null;
  readonly onOpenImage: (imageId: ImageId) => void;
}

/**
 * The review queue: images where annotators disagree, worst first (disagreement = 1 − mean
 * pairwise F1, drawn as a bar), with the findings by kind summed over the image's pairs. Choosing
 * a row (its file-name button, or anywhere on the row) opens the image.
 */
export function ReviewQueue({ rows, total, withAttributes, firstFrame = false, currentImageId = null, onOpenImage }: ReviewQueueProps) {
  const [shown, setShown] = useState(QUEUE_PAGE);
  const built = firstFrame ? Math.min(shown, FIRST_FRAME_ROWS) : shown;
  const visible = useMemo(() => rows(built), [rows, built]);
  return (
    <div className="rv-queue">
      <table className="rv-table rv-queue-table">
        <caption>
          Review queue <span className="rv-caption-note">{count(total)} images, worst agreement first</span>
        </caption>
        <thead>
          <tr>
            <th scope="col" className="rv-rank">
              #
            </th>
            <th scope="col" className="rv-left">
              Image
            </th>
            <th scope="col">Disagreement</th>
            <th scope="col">Missing</th>
            <th scope="col">Extra</th>
            <th scope="col">Label mismatch</th>
            <th scope="col">Low overlap</th>
            {withAttributes && <th scope="col">Attributes</th>}
          </tr>
        </thead>
        <tbody>
          {visible.map((r, i) => {
            const current = r.imageId === currentImageId;
            const zero = (n: number) => (n === 0 ? 'rv-zero' : undefined);
            return (
              <tr key={r.imageId} className={current ? 'rv-current' : undefined} aria-current={current ? 'true' : undefined} onClick={() => onOpenImage(r.imageId)}>
                <td className="rv-rank">{i + 1}</td>
                <th scope="row">
                  <button
                    type="button"
                    className="rv-open"
                    title={`${r.path || r.fileName} (${r.split}) · ${r.annotators.join(', ')}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      onOpenImage(r.imageId);
                    }}
                  >
                    <FileName name={r.fileName} title="" className="rv-file" />
                  </button>
                </th>
                <td>
                  <span className="rv-disagreement">
                    <span className="rv-bar" aria-hidden="true">
                      <span style={{ width: `${Math.round(r.disagreement * 100)}%` }} />
                    </span>
                    {ratio(r.disagreement)}
                  </span>
                </td>
                <td className={zero(r.counts.missing)}>{count(r.counts.missing)}</td>
                <td className={zero(r.counts.extra)}>{count(r.counts.extra)}</td>
                <td className={zero(r.counts.labelMismatch)}>{count(r.counts.labelMismatch)}</td>
                <td className={zero(r.counts.lowOverlap)}>{count(r.counts.lowOverlap)}</td>
                {withAttributes && <td className={zero(r.counts.attributeMismatch)}>{count(r.counts.attributeMismatch)}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
      {total > shown && (
        <button type="button" className="rv-more" onClick={() => setShown((n) => n + QUEUE_PAGE)}>
          Show {count(Math.min(QUEUE_PAGE, total - shown))} more ({count(total - shown)} left)
        </button>
      )}
    </div>
  );
}
