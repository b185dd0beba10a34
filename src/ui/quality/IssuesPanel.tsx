import { useEffect, useState } from 'react';
import { useApp, useCheck, useDocument } from '../../app/context';
import { useScope } from '../../app/useCommands';
import { SPLITS, type ClassId, type Split } from '../../core/model';
import { RULE_IDS, RULES, SEVERITIES, type RuleId, type Severity } from '../../quality';
import type { IssueFilter } from '../../workers/checkApi';
import { ProgressBar } from '../common/ProgressBar';
import { IssuesTable } from './IssuesTable';
import { CheckerSettingsDialog } from './CheckerSettings';

const ALL = '';

/** A select that narrows the table to one value (or all); `counts` gives each option's rows. */
function FilterSelect<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  readonly label: string;
  readonly value: T | undefined;
  readonly options: readonly { readonly value: T; readonly text: string }[];
  readonly onChange: (v: T | undefined) => void;
}) {
  return (
    // Its name must not contain "Split" or "Class": the editor's selects of those names (UI-CONTRACT.md) stay unique.
    <select aria-label={label} value={value ?? ALL} onChange={(e) => onChange(e.target.value === ALL ? undefined : (e.target.value as T))}>
      <option value={ALL}>{label}: all</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.text}
        </option>
      ))}
    </select>
  );
}

/** Issues per rule under the current filter (the rule select shows them). */
function useRuleCounts(): Partial<Record<RuleId, number>> {
  const { checks } = useApp();
  const version = useCheck((s) => s.result?.version ?? 0);
  const filter = useCheck((s) => s.filter);
  const [counts, setCounts] = useState<Partial<Record<RuleId, number>>>({});
  useEffect(() => {
    let live = true;
    void checks.issues({ ...checks.query(0, 0) }).then((p) => live && setCounts(p.byRule));
    return () => {
      live = false;
    };
  }, [checks, version, filter]);
  return counts;
}

/**
 * The consistency checker's results under the canvas: a summary, filters (rule with its row
 * count, severity, class, annotator, split, dismissed), the progress of a running check with
 * Cancel, and the Issues table. Keys J / K step through the issues while it is open.
 */
export function IssuesPanel() {
  const { checks, services } = useApp();
  useScope('issues');
  const status = useCheck((s) => s.status);
  const progress = useCheck((s) => s.progress);
  const result = useCheck((s) => s.result);
  const error = useCheck((s) => s.error);
  const rechecking = useCheck((s) => s.rechecking);
  const filter = useCheck((s) => s.filter);
  const classes = useDocument((s) => s.doc?.project.classes ?? []);
  const counts = useRuleCounts();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const setFilter = (patch: Partial<IssueFilter>) => {
    const merged: Record<string, unknown> = { ...services.stores.check.getState().filter, ...patch };
    const next = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as IssueFilter;
    services.stores.check.setState({ filter: next, chosen: null });
  };
  const only = <T,>(v: T | undefined): readonly T[] | undefined => (v === undefined ? undefined : [v]);

  return (
    // data-check-*: which report is shown and what it cost in the worker (benchmarks read them).
    <section
      className="issues-panel"
      aria-label="Consistency check"
      data-check-version={result?.version ?? ''}
      data-check-ms={result ? Math.round(result.elapsedMs) : ''}
      data-check-busy={status === 'running' || rechecking ? 'true' : 'false'}
    >
      <div className="issues-bar">
        <h2 className="panel-title">Issues</h2>
        {result && (
          <span className="issues-summary" aria-live="polite">
            <span className="severity-badge severity-error">{result.open.error.toLocaleString('en')} errors</span>
            <span className="severity-badge severity-warning">{result.open.warning.toLocaleString('en')} warnings</span>
            <span className="severity-badge severity-info">{result.open.info.toLocaleString('en')} info</span>
            {rechecking && <span className="muted small">checking edits…</span>}
          </span>
        )}
        {status === 'running' && progress && (
          <span className="issues-progress">
            <span className="muted small">{progress.label}</span>
            <ProgressBar label="Checking" value={progress.done} max={progress.total} />
            <button type="button" onClick={() => checks.cancel()}>
              Cancel
            </button>
          </span>
        )}
        <span className="toolbar-spacer" />
        <button type="button" onClick={() => setSettingsOpen(true)}>
          Checker settings
        </button>
        <button type="button" className="icon-button" aria-label="Close issues" title="Close (the results are kept)" onClick={() => services.stores.check.setState({ panelOpen: false })}>
          ×
        </button>
      </div>
      {error && (
        <p className="field-error issues-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <>
          <div className="issues-filters">
            <FilterSelect<RuleId>
              label="Issue type"
              value={filter.rules?.[0]}
              options={RULE_IDS.filter((r) => (counts[r] ?? 0) > 0 || filter.rules?.includes(r)).map((r) => ({ value: r, text: `${RULES[r].title} (${(counts[r] ?? 0).toLocaleString('en')})` }))}
              onChange={(v) => setFilter({ rules: only(v) })}
            />
            <FilterSelect<Severity> label="Severity" value={filter.severities?.[0]} options={SEVERITIES.map((s) => ({ value: s, text: s }))} onChange={(v) => setFilter({ severities: only(v) })} />
            <FilterSelect<ClassId> label="Label" value={filter.classIds?.[0]} options={classes.map((c) => ({ value: c.id, text: c.name }))} onChange={(v) => setFilter({ classIds: only(v) })} />
            <FilterSelect<string> label="Annotator" value={filter.annotators?.[0]} options={result.annotators.map((a) => ({ value: a, text: a }))} onChange={(v) => setFilter({ annotators: only(v) })} />
            <FilterSelect<Split> label="Subset" value={filter.splits?.[0]} options={SPLITS.map((s) => ({ value: s, text: s }))} onChange={(v) => setFilter({ splits: only(v) })} />
            <label className="check">
              <input type="checkbox" checked={filter.dismissed ?? false} onChange={(e) => setFilter({ dismissed: e.target.checked || undefined })} />
              Dismissed ({result.dismissed.toLocaleString('en')})
            </label>
            <span className="muted small issues-keys">J / K: next / previous issue</span>
          </div>
          <IssuesTable />
        </>
      )}
      {settingsOpen && <CheckerSettingsDialog onClose={() => setSettingsOpen(false)} />}
      {!result && status !== 'running' && !error && <p className="muted empty-list">Run check to find what stops a model from improving: disagreements, class-name variants, leakage between splits, shapes no reader accepts.</p>}
    </section>
  );
}
