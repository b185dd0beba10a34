/** Building issues: one constructor with the defaults, and the number formats messages use. */
import type { AnnotationId, ClassId, ImageId } from '../core/model';
import { RULE_IDS, SEVERITIES, type Issue, type RuleId, type Severity, type SuggestedFix } from './types';

export interface IssueFields {
  readonly rule: RuleId;
  readonly severity: Severity;
  /** The ids that make the key, after the rule id (see keyOf). */
  readonly keyParts: readonly string[];
  readonly message: string;
  readonly imageIds?: readonly ImageId[];
  readonly annotationIds?: readonly AnnotationId[];
  readonly annotators?: readonly string[];
  readonly classIds?: readonly ClassId[];
  readonly measured?: Readonly<Record<string, number>>;
  readonly threshold?: number | null;
  readonly fixes?: readonly SuggestedFix[];
}

/** `rule:part1:part2…`; parts are record ids or names, never measurements. */
export function keyOf(rule: RuleId, parts: readonly string[]): string {
  return [rule, ...parts].join(':');
}

export function makeIssue(f: IssueFields): Issue {
  return {
    key: keyOf(f.rule, f.keyParts),
    rule: f.rule,
    severity: f.severity,
    imageIds: f.imageIds ?? [],
    annotationIds: f.annotationIds ?? [],
    annotators: [...new Set(f.annotators ?? [])].sort(),
    classIds: f.classIds ?? [],
    measured: f.measured ?? {},
    threshold: f.threshold ?? null,
    message: f.message,
    fixes: f.fixes ?? [],
  };
}

const SEVERITY_RANK = new Map<Severity, number>(SEVERITIES.map((s, i) => [s, i]));
const RULE_RANK = new Map<RuleId, number>(RULE_IDS.map((r, i) => [r, i]));

/**
 * The report's order: severity, rule, the first image's import order (project-wide issues
 * first), key. `seqOf` gives an image's seq.
 */
export function compareIssues(seqOf: (id: ImageId) => number): (a: Issue, b: Issue) => number {
  const seq = (i: Issue): number => (i.imageIds.length === 0 ? -1 : seqOf(i.imageIds[0]!));
  return (a, b) =>
    SEVERITY_RANK.get(a.severity)! - SEVERITY_RANK.get(b.severity)! ||
    RULE_RANK.get(a.rule)! - RULE_RANK.get(b.rule)! ||
    seq(a) - seq(b) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** A number for a message: at most `digits` decimals, trailing zeros dropped. */
export function num(v: number, digits = 2): string {
  return String(Number(v.toFixed(digits)));
}

/** A fraction as a percentage for a message. */
export function pct(v: number, digits = 1): string {
  return `${num(v * 100, digits)} %`;
}

/** Ids sorted as strings (keys and lists must not depend on input order). */
export function sortedIds<T extends string>(ids: Iterable<T>): T[] {
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
