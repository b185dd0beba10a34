import type { AgreementSummary, AnnotatorColour } from '../../quality';
import { AnnotatorMark } from './AnnotatorMark';
import { READING, count, ratio } from './reviewFormat';

export interface OverallLineProps {
  readonly report: AgreementSummary;
  /** τ the report was computed with. */
  readonly iouThreshold: number;
  readonly marks: ReadonlyMap<string, AnnotatorColour>;
}

/** The figures of all pairs together, in one line a lead reads first, and who was compared. */
export function OverallLine({ report, iouThreshold, marks }: OverallLineProps) {
  const { overall, alpha } = report;
  const reading = READING[alpha.overall.reading];
  return (
    <div className="rv-overall">
      <dl className="rv-figures" aria-label="Agreement, all pairs">
        <div>
          <dt>F1 @ τ {iouThreshold.toFixed(2)}</dt>
          <dd>{ratio(overall.f1)}</dd>
        </div>
        <div>
          <dt>Mean IoU</dt>
          <dd>{ratio(overall.meanIoU)}</dd>
        </div>
        <div>
          <dt>Accuracy</dt>
          <dd>{ratio(overall.accuracy)}</dd>
        </div>
        <div title={reading.hint}>
          <dt>Krippendorff’s α</dt>
          <dd>
            {ratio(alpha.overall.alpha)} <span className={`rv-reading rv-tone-${reading.tone}`}>{reading.word}</span>
          </dd>
        </div>
      </dl>
      <p className="rv-who">
        <span className="muted">
          {count(report.images.length)} {report.images.length === 1 ? 'image' : 'images'} compared ·
        </span>
        {report.annotators.map((name) => (
          <AnnotatorMark key={name} name={name} mark={marks.get(name)} />
        ))}
        {report.failedVotes + report.minorityMissing > 0 && (
          <span className="muted">
            · {count(report.failedVotes)} failed {report.failedVotes === 1 ? 'vote' : 'votes'}, {count(report.minorityMissing)} missed by a minority
          </span>
        )}
      </p>
    </div>
  );
}
