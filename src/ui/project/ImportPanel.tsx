import { useApp, useJobs } from '../../app/context';
import type { ImportProblem, ImportReport } from '../../state/stores';
import { ProgressBar } from '../common/ProgressBar';

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en')} ${count === 1 ? one : many}`;

function summary(r: ImportReport): string {
  const parts = [`${n(r.stored, 'image')} imported`];
  if (r.duplicates.length) parts.push(`${n(r.duplicates.length, 'duplicate')} not stored again`);
  if (r.refused.length) parts.push(`${n(r.refused.length, 'file')} refused`);
  if (r.skipped.length) parts.push(`${n(r.skipped.length, 'other file')} skipped`);
  if (r.notAttempted) parts.push(`${n(r.notAttempted, 'file')} not attempted`);
  if (r.stopReason) return `Import stopped: ${r.stopReason} ${capitalise(parts.join(', '))}. Free some space, then import again: images already stored are skipped.`;
  return `${r.cancelled ? 'Import cancelled' : 'Import finished'}: ${parts.join(', ')}.`;
}

function Problems({ title, items }: { readonly title: string; readonly items: readonly ImportProblem[] }) {
  if (items.length === 0) return null;
  const shown = items.slice(0, 50);
  return (
    <details open={title === 'Refused'}>
      <summary>
        {title} ({items.length.toLocaleString('en')})
      </summary>
      <ul className="problem-list">
        {shown.map((p, i) => (
          <li key={i}>
            <span className="problem-file">{p.file}</span>: {p.reason}
          </li>
        ))}
        {items.length > shown.length && <li className="muted">…and {(items.length - shown.length).toLocaleString('en')} more</li>}
      </ul>
    </details>
  );
}

/** Progress with Cancel while an import runs; afterwards, what happened to every file that was not imported. */
export function ImportPanel() {
  const { services, imports } = useApp();
  const job = useJobs((s) => s.job);
  const report = useJobs((s) => s.lastReport);

  if (job) {
    return (
      <section className="import-panel" aria-label="Import">
        <div className="import-line">
          <span>
            {job.label}…{job.total !== null && ` ${job.done.toLocaleString('en')} / ${job.total.toLocaleString('en')}`}
          </span>
          <button type="button" onClick={() => imports.cancel()}>
            Cancel
          </button>
        </div>
        <ProgressBar label="Import progress" value={job.done} max={job.total} />
      </section>
    );
  }
  if (!report) return null;
  const troubled = report.refused.length > 0 || report.stopReason !== null;
  return (
    <section className={`import-panel ${troubled ? 'import-troubled' : ''}`} aria-label="Import report">
      <div className="import-line">
        <span role={troubled ? 'alert' : 'status'}>{summary(report)}</span>
        <button type="button" onClick={() => services.stores.jobs.setState({ lastReport: null })}>
          Dismiss
        </button>
      </div>
      <Problems title="Refused" items={report.refused} />
      <Problems title="Duplicates" items={report.duplicates} />
      <Problems title="Skipped" items={report.skipped} />
    </section>
  );
}
