/**
 * The check worker's API (served over the rpc protocol, rpc.ts). The worker reads the project
 * from IndexedDB itself, keeps the last report and the incremental state between calls, and
 * answers the Issues table's questions a window at a time: the page never holds tens of
 * thousands of issues, and no long task runs on it.
 */
import type { ClassId, Split } from '../core/model';
import type { AgreementOptions, AgreementSummary, CheckSummary, DatasetOverview, Issue, RuleId, Severity } from '../quality';
import type { OpenCount } from '../quality/disagreements';
import type { PackedSummary } from './agreementTransport';
import type { OpenIssueQuery, OpenIssueSummary } from './openIssues';
import type { Method } from './rpc';

export type { OpenCount, OpenIssueQuery, OpenIssueSummary };

export interface CheckProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

/** A check's outcome, in numbers (the rows come through `issues`). */
export interface CheckResult {
  /** Goes up with every report the worker makes: the table refetches when it changes. */
  readonly version: number;
  readonly summary: CheckSummary;
  /** Open (not dismissed) issues per severity: what the Export dialog and the buttons say. */
  readonly open: Readonly<Record<Severity, number>>;
  readonly dismissed: number;
  /** Every annotator with shapes in the project (the table's annotator filter). */
  readonly annotators: readonly string[];
  /** How long the check took in the worker (ms). */
  readonly elapsedMs: number;
}

export type IssueSort = 'severity' | 'type' | 'image' | 'details';

export interface IssueFilter {
  readonly rules?: readonly RuleId[];
  readonly severities?: readonly Severity[];
  readonly classIds?: readonly ClassId[];
  readonly annotators?: readonly string[];
  readonly splits?: readonly Split[];
  /** Show the dismissed issues instead of the open ones. */
  readonly dismissed?: boolean;
}

export interface IssueQuery {
  readonly filter: IssueFilter;
  readonly sort: IssueSort;
  readonly descending: boolean;
  readonly offset: number;
  readonly limit: number;
}

/** One row of the Issues table. */
export interface IssueRow {
  readonly issue: Issue;
  /** The first image's file name and split, for the Image column (null: project-wide). */
  readonly image: { readonly fileName: string; readonly split: Split } | null;
  /** Why it was dismissed, when it was. */
  readonly dismissal: { readonly reason: string; readonly by: string; readonly at: number } | null;
}

export interface IssuePage {
  readonly version: number;
  /** Rows matching the filter. */
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly IssueRow[];
  /** Matching rows per rule (the filter's rule choice aside: what each rule option would show). */
  readonly byRule: Readonly<Partial<Record<RuleId, number>>>;
}

/** Images edited since the worker last read them (it reads them again). */
export interface Touched {
  readonly projectId: string;
  readonly imageIds: readonly string[];
  readonly projectChanged: boolean;
}

/** The agreement between the project's annotators (Review), with what it was computed from. */
export interface AgreementResult {
  readonly report: AgreementSummary;
  /** The project's τ, τ_low and quorum the report used (every annotator layer compared). */
  readonly options: AgreementOptions;
  /** Annotator layers holding shapes, sorted (the consensus and prediction layers are not annotators). */
  readonly annotators: readonly string[];
  /** How long the comparison took in the worker (ms). */
  readonly elapsedMs: number;
  /** Before that: reading what changed and gathering the annotator layers' shapes (ms). */
  readonly readMs: number;
}

/** AgreementResult as the worker sends it: the summary packed (agreementTransport.ts). */
export interface AgreementReply extends Omit<AgreementResult, 'report'> {
  readonly report: PackedSummary;
}

export interface CheckApi {
  /**
   * Reads the project ahead of a check (when it opens): reading 200,000 shapes from IndexedDB
   * takes seconds, checking them about one. Nothing is checked yet.
   */
  open: Method<{ readonly projectId: string }, { readonly readMs: number }>;
  /** Checks the whole project from scratch (reading it first unless `open` did; re-reading what was touched since). */
  check: Method<Touched, CheckResult, CheckProgress>;
  /**
   * Re-reads the touched images (and the project record, the dismissals) and, when there is a
   * report, checks again: the per-image rules only for those images, the project-wide ones in
   * full. Null when there is no report to update.
   */
  recheck: Method<Touched, CheckResult | null, CheckProgress>;
  /** A window of the last report's issues. */
  issues: Method<IssueQuery, IssuePage>;
  /**
   * The last report's open issues that concern a layer (null: every layer) and splits — what the
   * Export dialog names and manifest.json carries (openIssues.ts). Null when the project has not
   * been checked (no report in the worker for it).
   */
  openIssues: Method<OpenIssueQuery & { readonly projectId: string }, OpenIssueSummary | null>;
  /** The figures of the Dataset overview (of one layer, or of every layer). */
  overview: Method<{ readonly projectId: string; readonly layer: string | null }, DatasetOverview>;
  /**
   * The agreement report (QUALITY.md "Agreement between annotators") over the shapes as they are
   * now (reading the project first unless `open` did; re-reading what was touched since), with
   * the project's settings, each image summarized (its figures, not its matches and clusters: the
   * review panel computes those for the image it shows). Only annotator layers are compared.
   */
  agreement: Method<Touched, AgreementReply, CheckProgress>;
  /**
   * The disagreements still open (QUALITY.md; not settled by a decision in Review) over the same
   * shapes and settings as `agreement`, with the decisions as saved now: what exporting the
   * Consensus leaves out. Counted here, so the page never receives every image's clusters.
   */
  openDisagreements: Method<Touched, OpenCount, CheckProgress>;
  /** Forgets the project (closed): the next check reads it again. */
  forget: Method<null, null>;
}
