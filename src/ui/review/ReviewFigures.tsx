/**
 * The Review figures (issue 11, "Review"): what a lead reads at a glance before stepping through
 * disagreements — the overall line, the agreement settings, the review queue, the pairs of
 * annotators, the classes and the confusion matrix. Presentational: everything comes in as props
 * (the report from the agreement worker, the project's classes, the image records), and the two
 * things a lead does here go out as callbacks (change a setting, open an image).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ImageId, ImageRecord, LabelClass } from '../../core/model';
import { annotatorColours, type AgreementSummary } from '../../quality';
import { imageRows } from '../../quality/agreementFiles';
import { ClassTable } from './ClassTable';
import { ConfusionTable } from './ConfusionTable';
import { OverallLine } from './OverallLine';
import { PairTable } from './PairTable';
import { ReviewQueue } from './ReviewQueue';
import { ReviewSettings, type ReviewSettingsValue } from './ReviewSettings';

export interface ReviewFiguresProps {
  readonly report: AgreementSummary;
  /** The project's classes (names, colours, order). */
  readonly classes: readonly LabelClass[];
  /** Image records (or at least these fields) of the images in the report; others are named by id. */
  readonly images: readonly Pick<ImageRecord, 'id' | 'fileName' | 'relativePath' | 'split'>[];
  /** The settings the report was computed with, shown in the fields. */
  readonly settings: ReviewSettingsValue;
  readonly onSettingsChange: (next: ReviewSettingsValue) => void;
  readonly onOpenImage: (imageId: ImageId) => void;
  /** The image open on the canvas, marked in the queue. */
  readonly currentImageId?: ImageId | null;
  /** While a new report is computed: the settings are locked and the figures dimmed. */
  readonly busy?: boolean;
  /**
   * Lay the view out over two frames (the default): the overall line and the queue's first rows,
   * then the side tables and the other rows. False: everything at once (static rendering in tests).
   */
  readonly staged?: boolean;
}

export function ReviewFigures({ report, classes, images, settings, onSettingsChange, onOpenImage, currentImageId = null, busy = false, staged = true }: ReviewFiguresProps) {
  const firstFrame = !useAfterFirstFrame() && staged;
  const marks = useMemo(() => annotatorColours(report.annotators), [report.annotators]);
  const rows = useCallback((limit: number) => imageRows(report, images, limit), [report, images]);
  const withAttributes = useMemo(() => report.images.some((i) => i.counts.attributeMismatch > 0), [report]);
  return (
    <section className={busy ? 'rv rv-busy' : 'rv'} aria-label="Review figures" aria-busy={busy}>
      <div className="rv-head">
        {report.images.length > 0 ? (
          <OverallLine report={report} iouThreshold={settings.iouThreshold} marks={marks} />
        ) : (
          <p className="rv-empty">No image has shapes from two annotators yet: import another annotator’s work to compare.</p>
        )}
        <ReviewSettings value={settings} onChange={onSettingsChange} annotators={report.annotators.length} disabled={busy} />
      </div>
      {report.images.length > 0 && (
        <div className="rv-grid">
          <ReviewQueue rows={rows} total={report.queue.length} withAttributes={withAttributes} firstFrame={firstFrame} currentImageId={currentImageId} onOpenImage={onOpenImage} />
          <div className="rv-side">
            {!firstFrame && (
              <>
                <PairTable report={report} marks={marks} />
                <ClassTable report={report} classes={classes} />
                <ConfusionTable report={report} classes={classes} />
              </>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** False in the first frame a component is shown, true from the next one (the rest of a view is laid out then). */
function useAfterFirstFrame(): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setAfter(true));
    return () => cancelAnimationFrame(frame);
  }, []);
  return after;
}
