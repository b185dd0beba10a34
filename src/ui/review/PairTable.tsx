import { memo } from 'react';
import type { AgreementFigures, AgreementSummary, AnnotatorColour } from '../../quality';
import { AnnotatorMark } from './AnnotatorMark';
import { count, ratio } from './reviewFormat';

const HEAD = ['Images', 'F1', 'Mean IoU', 'Accuracy', 'Matched', 'Missing', 'Extra', 'Label mismatch'] as const;

function figureCells(images: number, f: AgreementFigures) {
  const m = f.metrics;
  return [count(images), ratio(f.f1), ratio(f.meanIoU), ratio(f.accuracy), count(m.tp), count(m.missing), count(m.extra), count(m.mismatches)].map((text, i) => <td key={i}>{text}</td>);
}

/**
 * One row per pair of annotators (and all pairs together when there are several). Missing: shapes
 * of the first annotator the second did not draw; extra: the second's shapes the first did not.
 */
export const PairTable = memo(function PairTable({ report, marks }: { readonly report: AgreementSummary; readonly marks: ReadonlyMap<string, AnnotatorColour> }) {
  return (
    <div className="rv-scroll" role="region" aria-label="Pairs of annotators" tabIndex={0}>
      <table className="rv-table">
        <caption>Pairs of annotators</caption>
        <thead>
          <tr>
            <th scope="col">Annotators</th>
            {HEAD.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.pairs.map((p) => (
            <tr key={p.annotators.join('\u0000')}>
              <th scope="row">
                <span className="rv-pair">
                  <AnnotatorMark name={p.annotators[0]} mark={marks.get(p.annotators[0])} />
                  <span className="muted">vs</span>
                  <AnnotatorMark name={p.annotators[1]} mark={marks.get(p.annotators[1])} />
                </span>
              </th>
              {figureCells(p.images, p)}
            </tr>
          ))}
        </tbody>
        {report.pairs.length > 1 && (
          <tfoot>
            <tr>
              <th scope="row">All pairs</th>
              {figureCells(report.images.length, report.overall)}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
});
