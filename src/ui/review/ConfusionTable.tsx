import { memo, useId, useState } from 'react';
import type { LabelClass } from '../../core/model';
import { UNMATCHED, type AgreementSummary } from '../../quality';
import { namedLabels } from '../../quality/agreementFiles';
import { count, shade } from './reviewFormat';

/**
 * The confusion matrix of all pairs or of one pair: rows are the class the first annotator of a
 * pair gave (names sorted), columns the second's; the `unmatched` row counts the second's extras
 * and the `unmatched` column the first's missing shapes. Cells are shaded by count: agreement
 * (the diagonal) in blue, disagreement in orange, empty cells blank.
 */
export const ConfusionTable = memo(function ConfusionTable({ report, classes }: { readonly report: AgreementSummary; readonly classes: readonly LabelClass[] }) {
  const [choice, setChoice] = useState(-1);
  const selectId = useId();
  // A newer report may have fewer pairs: a choice that is gone shows all pairs.
  const pair = choice >= 0 ? report.pairs[choice] : undefined;
  const matrix = (pair ?? report.overall).confusion;
  const labels = namedLabels(matrix, classes);
  const max = Math.max(0, ...matrix.counts.flat());
  const [rowsWho, colsWho] = pair ? pair.annotators : ['first annotator', 'second annotator'];
  const labelCell = (id: string, name: string) => (id === UNMATCHED ? <span className="rv-unmatched">{name}</span> : name);
  return (
    <div className="rv-confusion">
      {report.pairs.length > 1 && (
        <div className="rv-confusion-bar">
          <label htmlFor={selectId}>Confusion of</label>
          <select id={selectId} value={pair ? choice : -1} onChange={(e) => setChoice(Number(e.target.value))}>
            <option value={-1}>All pairs</option>
            {report.pairs.map((p, i) => (
              <option key={i} value={i}>
                {p.annotators[0]} vs {p.annotators[1]}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="rv-scroll" role="region" aria-label="Confusion matrix" tabIndex={0}>
        <table className="rv-table rv-matrix">
          <caption>
            Confusion matrix{pair ? `: ${pair.annotators[0]} vs ${pair.annotators[1]}` : ', all pairs'}
            <span className="rv-caption-note">
              rows: {rowsWho}’s class · columns: {colsWho}’s
            </span>
          </caption>
          <thead>
            <tr>
              <td className="rv-corner" />
              {labels.map((l) => (
                <th key={l.id} scope="col">
                  {labelCell(l.id, l.name)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((rowLabel, i) => (
              <tr key={rowLabel.id}>
                <th scope="row">{labelCell(rowLabel.id, rowLabel.name)}</th>
                {matrix.counts[i]!.map((n, j) => {
                  const strength = shade(n, max);
                  const agree = i === j && rowLabel.id !== UNMATCHED;
                  return (
                    <td
                      key={j}
                      className={n === 0 ? 'rv-zero' : undefined}
                      style={strength > 0 ? { background: agree ? `rgba(76, 141, 255, ${strength})` : `rgba(230, 159, 0, ${strength})` } : undefined}
                    >
                      {count(n)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});
