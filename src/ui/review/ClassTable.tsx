import { memo } from 'react';
import type { LabelClass } from '../../core/model';
import { UNMATCHED, type AgreementSummary } from '../../quality';
import { classRows } from '../../quality/agreementFiles';
import { READING, count, ratio } from './reviewFormat';

/**
 * Per class: Krippendorff's α of the class against the rest, its reading, and the shapes compared.
 * Memoised (like the pair and confusion tables): counting shapes walks every cluster, and the
 * queue's current image changes far more often than the report.
 */
export const ClassTable = memo(function ClassTable({ report, classes }: { readonly report: AgreementSummary; readonly classes: readonly LabelClass[] }) {
  const colours = new Map<string, string>(classes.map((c) => [c.id, c.color]));
  const rows = classRows(report, classes).rows.filter((r) => r.label.id !== UNMATCHED);
  const overall = READING[report.alpha.overall.reading];
  return (
    <table className="rv-table">
      <caption>Classes</caption>
      <thead>
        <tr>
          <th scope="col">Class</th>
          <th scope="col">α</th>
          <th scope="col" className="rv-left">
            Reading
          </th>
          <th scope="col">Shapes</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const reading = READING[r.alpha?.reading ?? 'undefined'];
          return (
            <tr key={r.label.id}>
              <th scope="row">
                <span className="rv-class">
                  <span className="swatch" style={{ background: colours.get(r.label.id) ?? 'var(--muted)' }} aria-hidden="true" />
                  {r.label.name}
                </span>
              </th>
              <td>{ratio(r.alpha?.alpha)}</td>
              <td className="rv-left" title={reading.hint}>
                <span className={`rv-reading rv-tone-${reading.tone}`}>{reading.word}</span>
              </td>
              <td>{count(r.shapes)}</td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">All classes</th>
          <td>{ratio(report.alpha.overall.alpha)}</td>
          <td className="rv-left" title={overall.hint}>
            <span className={`rv-reading rv-tone-${overall.tone}`}>{overall.word}</span>
          </td>
          <td>{count(rows.reduce((s, r) => s + r.shapes, 0))}</td>
        </tr>
      </tfoot>
    </table>
  );
});
