import { useState } from 'react';
import type { ImageId } from '../../core/model';
import type { ImageRow } from '../../quality/agreementFiles';
import { FileName } from '../common/FileName';
import { count, ratio } from './reviewFormat';

/** Rows shown at first and added by each "Show more": a 10,000-image queue renders 50 rows. */
export const QUEUE_PAGE = 50;

export interface ReviewQueueProps {
  /** Worst agreement first (imageRows of the report). */
  readonly rows: readonly ImageRow[];
  /** The image open on the canvas, marked in the queue. */
  readonly currentImageId?: ImageId | null;
  readonly onOpenImage: (imageId: ImageId) => void;
}

/**
 * The review queue: images where annotators disagree, worst first (disagreement = 1 − mean
 * pairwise F1, drawn as a bar), with the findings by kind summed over the image's pairs. Choosing
 * a row (its file-name button, or anywhere on the row) opens the image.
 */
export function ReviewQueue({ rows, currentImageId = null, onOpenImage }: ReviewQueueProps) {
  const [shown, setShown] = useState(QUEUE_PAGE);
  const visible = rows.slice(0, shown);
  const withAttributes = rows.some((r) => r.counts.attributeMismatch > 0);
  return (
    <div className="rv-queue">
      <table className="rv-table rv-queue-table">
        <caption>
          Review queue <span className="rv-caption-note">{count(rows.length)} images, worst agreement first</span>
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
      {rows.length > shown && (
        <button type="button" className="rv-more" onClick={() => setShown((n) => n + QUEUE_PAGE)}>
          Show {count(Math.min(QUEUE_PAGE, rows.length - shown))} more ({count(rows.length - shown)} left)
        </button>
      )}
    </div>
  );
}
