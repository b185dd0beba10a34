/**
 * What the last check says about one export: the open (not dismissed) issues that concern a
 * layer and a set of splits, counted per severity and per rule. The Export dialog names them and
 * manifest.json carries them. Pure (the check worker calls it on its report; tested in Node).
 */
import type { ImageId, Split } from '../core/model';
import type { Issue, RuleId, Severity } from '../quality';

export interface OpenIssueSummary {
  /** When the report was made (its last full check or re-check), ms since the Unix epoch. */
  readonly checkedAt: number;
  /** The layer asked about (an annotator's name, 'Consensus'), or null for every layer. */
  readonly layer: string | null;
  readonly splits: readonly Split[];
  /** Open issues concerning them, per severity. */
  readonly open: Readonly<Record<Severity, number>>;
  /** Dismissed issues concerning them (not in `open`). */
  readonly dismissed: number;
  /** Open issues per rule (rules with none left out), all severities. */
  readonly byRule: Readonly<Partial<Record<RuleId, number>>>;
  /** Open errors per rule (what the dialog names). */
  readonly errorsByRule: Readonly<Partial<Record<RuleId, number>>>;
}

export interface OpenIssueQuery {
  readonly layer: string | null;
  readonly splits: readonly Split[];
}

/**
 * True when the issue concerns the layer and one of the splits. An issue concerns a layer when
 * it names that annotator or names none (project-wide and image findings: class names, coverage,
 * duplicates, image properties); every issue concerns "every layer" (null). It concerns a split
 * when one of its images is in it, or when it has no image (project-wide: class names, imbalance).
 * Images no longer in the project (`splitOf` answers undefined) are in no split.
 */
export function concerns(issue: Issue, query: OpenIssueQuery, splitOf: (id: ImageId) => Split | undefined): boolean {
  if (query.layer !== null && issue.annotators.length > 0 && !issue.annotators.includes(query.layer)) return false;
  if (issue.imageIds.length === 0) return true;
  return issue.imageIds.some((id) => {
    const split = splitOf(id);
    return split !== undefined && query.splits.includes(split);
  });
}

/** Counts the report's issues that concern the query; `isDismissed` says which keys are dismissed. */
export function openIssueSummary(
  issues: readonly Issue[],
  isDismissed: (key: string) => boolean,
  splitOf: (id: ImageId) => Split | undefined,
  query: OpenIssueQuery,
  checkedAt: number,
): OpenIssueSummary {
  const open: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byRule: Partial<Record<RuleId, number>> = {};
  const errorsByRule: Partial<Record<RuleId, number>> = {};
  let dismissed = 0;
  for (const issue of issues) {
    if (!concerns(issue, query, splitOf)) continue;
    if (isDismissed(issue.key)) {
      dismissed++;
      continue;
    }
    open[issue.severity]++;
    byRule[issue.rule] = (byRule[issue.rule] ?? 0) + 1;
    if (issue.severity === 'error') errorsByRule[issue.rule] = (errorsByRule[issue.rule] ?? 0) + 1;
  }
  return { checkedAt, layer: query.layer, splits: [...query.splits], open, dismissed, byRule, errorsByRule };
}
