import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { fixLabel } from '../../app/checkController';
import { useApp, useCheck, useDocument } from '../../app/context';
import type { Project } from '../../core/model';
import { RULES, type Issue, type SuggestedFix } from '../../quality';
import { reportResult } from '../../state/stores';
import type { IssuePage, IssueRow, IssueSort } from '../../workers/checkApi';
import { NameDialog } from '../common/NameDialog';

const ROW_HEIGHT = 36;
/** Rows asked of the worker at a time. */
const BLOCK = 100;

const COLUMNS: readonly { readonly sort: IssueSort; readonly title: string; readonly className: string }[] = [
  { sort: 'type', title: 'Type', className: 'col-type' },
  { sort: 'severity', title: 'Severity', className: 'col-severity' },
  { sort: 'image', title: 'Image', className: 'col-image' },
  { sort: 'details', title: 'Details', className: 'col-details' },
];

interface RowProps {
  readonly row: IssueRow;
  readonly index: number;
  readonly chosen: boolean;
  readonly project: Project;
  readonly onChoose: (issue: Issue, index: number) => void;
  readonly onFix: (fix: SuggestedFix) => void;
  readonly onDismiss: (issue: Issue) => void;
  readonly onReopen: (issue: Issue) => void;
  readonly readOnly: boolean;
}

const Row = memo(function Row({ row, index, chosen, project, onChoose, onFix, onDismiss, onReopen, readOnly }: RowProps) {
  const { issue, image, dismissal } = row;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={chosen}
      className={`issue-row severity-${issue.severity}${chosen ? ' is-chosen' : ''}`}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('button')) return;
        onChoose(issue, index);
      }}
    >
      <span role="cell" className="col-type">
        {RULES[issue.rule].title}
      </span>
      <span role="cell" className="col-severity">
        <span className={`severity-badge severity-${issue.severity}`}>{issue.severity}</span>
      </span>
      <span role="cell" className="col-image" title={image ? `${image.fileName} (${image.split})` : 'The whole project'}>
        {image ? image.fileName : '—'}
        {issue.imageIds.length > 1 && <span className="muted"> +{issue.imageIds.length - 1}</span>}
      </span>
      <span role="cell" className="col-details" title={dismissal ? `${issue.message}\nDismissed by ${dismissal.by}: ${dismissal.reason}` : issue.message}>
        {dismissal ? <span className="muted">Dismissed: {dismissal.reason} · </span> : null}
        {issue.message}
      </span>
      <span role="cell" className="col-actions">
        {!dismissal &&
          issue.fixes.map((fix, k) => (
            <button key={k} type="button" className="fix-button" disabled={readOnly} onClick={() => onFix(fix)}>
              {fixLabel(fix, project)}
            </button>
          ))}
        {dismissal ? (
          <button type="button" disabled={readOnly} onClick={() => onReopen(issue)}>
            Reopen
          </button>
        ) : (
          <button type="button" disabled={readOnly} onClick={() => onDismiss(issue)}>
            Dismiss
          </button>
        )}
      </span>
    </div>
  );
});

/**
 * The Issues table: Type, Severity, Image, Details, and each row's fixes and Dismiss. The rows
 * stay in the check worker; the table asks for the ones in view, a block at a time, so 30,000
 * issues scroll like 30.
 */
export function IssuesTable() {
  const { checks, services } = useApp();
  const project = useDocument((s) => s.doc?.project ?? null);
  const readOnly = useDocument((s) => s.mode === 'read-only');
  const version = useCheck((s) => s.result?.version ?? 0);
  const filter = useCheck((s) => s.filter);
  const sort = useCheck((s) => s.sort);
  const descending = useCheck((s) => s.descending);
  const chosen = useCheck((s) => s.chosen);
  const [total, setTotal] = useState(0);
  /** Blocks of rows fetched for one query (a reply for an older query is dropped). */
  const [blocks, setBlocks] = useState<{ readonly key: string; readonly pages: ReadonlyMap<number, IssuePage> }>({ key: '', pages: new Map() });
  const [dismissing, setDismissing] = useState<Issue | null>(null);
  const asked = useRef(new Set<number>());
  const scrollRef = useRef<HTMLDivElement>(null);
  const queryKey = useMemo(() => JSON.stringify([version, filter, sort, descending]), [version, filter, sort, descending]);

  // A new report, filter or order: start again from the first block.
  useEffect(() => {
    let live = true;
    asked.current = new Set([0]);
    void checks.issues(checks.query(0, BLOCK)).then((page) => {
      if (!live) return;
      setTotal(page.total);
      setBlocks({ key: queryKey, pages: new Map([[0, page]]) });
    });
    return () => {
      live = false;
    };
  }, [checks, queryKey]);

  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // Ask for the blocks the visible rows fall in.
  useEffect(() => {
    for (let b = Math.floor(first / BLOCK); b <= Math.floor(last / BLOCK); b++) {
      if (asked.current.has(b)) continue;
      asked.current.add(b);
      void checks.issues(checks.query(b * BLOCK, BLOCK)).then((page) => {
        setBlocks((prev) => (prev.key === queryKey ? { key: queryKey, pages: new Map(prev.pages).set(b, page) } : prev));
      });
    }
  }, [first, last, checks, queryKey]);

  // The chosen row stays in view when the keys move it.
  const chosenIndex = chosen?.index ?? -1;
  useEffect(() => {
    if (chosenIndex >= 0) virtualizer.scrollToIndex(chosenIndex, { align: 'auto' });
  }, [chosenIndex, virtualizer]);

  if (!project) return null;
  const rowAt = (i: number): IssueRow | undefined => (blocks.key === queryKey ? blocks.pages.get(Math.floor(i / BLOCK))?.rows[i % BLOCK] : undefined);
  const sortBy = (s: IssueSort) =>
    services.stores.check.setState((st) => (st.sort === s ? { descending: !st.descending, chosen: null } : { sort: s, descending: false, chosen: null }));

  return (
    <div role="table" aria-label="Issues" aria-rowcount={total + 1} className="issues-table">
      <div role="rowgroup" className="issues-head">
        <div role="row" aria-rowindex={1} className="issue-row issue-header">
          {COLUMNS.map((c) => (
            <span
              key={c.sort}
              role="columnheader"
              className={c.className}
              aria-sort={sort === c.sort ? (descending ? 'descending' : 'ascending') : 'none'}
            >
              <button type="button" className="sort-button" onClick={() => sortBy(c.sort)} title={`Sort by ${c.title.toLowerCase()}`}>
                {c.title}
                {sort === c.sort && <span aria-hidden="true">{descending ? ' ▾' : ' ▴'}</span>}
              </button>
            </span>
          ))}
          <span role="columnheader" className="col-actions">
            <span className="visually-hidden">Actions</span>
          </span>
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" className="issues-body">
        {total === 0 && <p className="empty-list muted">{filter.dismissed ? 'No dismissed issues.' : 'No issues with these filters.'}</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const row = rowAt(v.index);
            return (
              <div key={v.index} className="issue-slot" style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}>
                {row ? (
                  <Row
                    row={row}
                    index={v.index}
                    chosen={chosen?.key === row.issue.key}
                    project={project}
                    readOnly={readOnly}
                    onChoose={(issue, index) => void checks.show(issue, index)}
                    onFix={(fix) => void checks.fix(fix).then((r) => reportResult(services.stores, r.ok ? { ok: true, value: null } : r))}
                    onDismiss={setDismissing}
                    onReopen={(issue) => void checks.undismiss(issue).then((r) => reportResult(services.stores, r.ok ? { ok: true, value: null } : r))}
                  />
                ) : (
                  <div role="row" className="issue-row muted">
                    <span role="cell">Loading…</span>
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
      {dismissing && (
        <NameDialog
          title={`Dismiss: ${RULES[dismissing.rule].title}`}
          label="Reason"
          initial=""
          submitLabel="Dismiss"
          onClose={() => setDismissing(null)}
          onSubmit={async (reason) => checks.dismiss(dismissing, reason)}
        />
      )}
    </div>
  );
}
