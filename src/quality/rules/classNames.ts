/**
 * Class names (QUALITY.md, "Class names"): variants of one name, likely typos, and classes
 * nobody uses.
 */
import pluralize from 'pluralize';
import type { ClassId, LabelClass, Project } from '../../core/model';
import { makeIssue, sortedIds } from '../issue';
import type { Issue } from '../types';

/**
 * The canonical key of a class name: NFKC, trimmed, lower case, runs of spaces, `_`, `-` and
 * `.` as one space, and the last word in the singular ("Traffic_Lights" → "traffic light").
 * Only the last word is singularised: in an English noun phrase it carries the number, and the
 * singular rules misread some other words ("us").
 */
export function canonicalClassKey(name: string): string {
  const words = name.normalize('NFKC').trim().toLocaleLowerCase('en').split(/[\s_\-.]+/u).filter((w) => w.length > 0);
  if (words.length === 0) return '';
  const last = words.length - 1;
  if (/\p{L}/u.test(words[last]!)) words[last] = pluralize.singular(words[last]!);
  return words.join(' ');
}

/**
 * Damerau–Levenshtein distance in its optimal-string-alignment form: insertions, deletions,
 * substitutions and swaps of adjacent characters each cost 1 (a substring is edited once).
 * Counts code points, not UTF-16 units. Stops early and returns limit + 1 once the distance
 * is certain to exceed `limit`.
 */
export function damerauLevenshtein(s: string, t: string, limit = Infinity): number {
  const a = [...s];
  const b = [...t];
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const cols = b.length + 1;
  let prev2 = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  let cur = new Array<number>(cols).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/** Letters (any script) in a key: what "names of 4+ letters" counts. */
const letterCount = (key: string): number => (key.match(/\p{L}/gu) ?? []).length;

/** Largest distance still reported as a typo between two keys, by the shorter key's letters. */
function typoLimit(a: string, b: string): number {
  const letters = Math.min(letterCount(a), letterCount(b));
  return letters >= 8 ? 2 : letters >= 4 ? 1 : 0;
}

/**
 * The class that absorbs the others in a merge: the most used, then the first in the project's
 * order (the one a user set up first).
 */
function mergeTarget(classes: readonly LabelClass[], counts: ReadonlyMap<ClassId, number>, order: ReadonlyMap<ClassId, number>): LabelClass {
  return [...classes].sort((a, b) => (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0) || order.get(a.id)! - order.get(b.id)!)[0]!;
}

const quoted = (c: LabelClass): string => `“${c.name}”`;

/** Name clashes (error) and possible typos (warning); depend on the class names only. */
export function classNameIssues(project: Project, counts: ReadonlyMap<ClassId, number>): Issue[] {
  const order = new Map(project.classes.map((c, i) => [c.id, i]));
  const keys = project.classes.map((c) => canonicalClassKey(c.name));
  const byKey = new Map<string, LabelClass[]>();
  project.classes.forEach((c, i) => {
    const list = byKey.get(keys[i]!);
    if (list) list.push(c);
    else byKey.set(keys[i]!, [c]);
  });
  const out: Issue[] = [];
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    const into = mergeTarget(group, counts, order);
    const ids = sortedIds(group.map((c) => c.id));
    out.push(
      makeIssue({
        rule: 'class-name-clash',
        severity: 'error',
        keyParts: [ids.join(',')],
        classIds: ids,
        measured: { classes: group.length },
        message: `${group.map(quoted).join(', ')} are one class written ${group.length} ways; merge them into ${quoted(into)}.`,
        fixes: [{ kind: 'merge-classes', into: into.id, from: ids.filter((id) => id !== into.id) }],
      }),
    );
  }
  // One representative per key: variants already reported above are not also typos of each other.
  const reps = [...byKey.entries()].map(([key, group]) => ({ key, cls: group[0]! }));
  for (let i = 0; i < reps.length; i++) {
    for (let j = i + 1; j < reps.length; j++) {
      const a = reps[i]!;
      const b = reps[j]!;
      const limit = typoLimit(a.key, b.key);
      if (limit === 0) continue;
      const d = damerauLevenshtein(a.key, b.key, limit);
      if (d > limit) continue;
      const pair = [a.cls, b.cls];
      const into = mergeTarget(pair, counts, order);
      const other = pair.find((c) => c !== into)!;
      out.push(
        makeIssue({
          rule: 'class-name-typo',
          severity: 'warning',
          keyParts: [sortedIds([a.cls.id, b.cls.id]).join(',')],
          classIds: sortedIds([a.cls.id, b.cls.id]),
          measured: { distance: d },
          threshold: limit,
          message: `${quoted(a.cls)} and ${quoted(b.cls)} differ by ${d} edit${d === 1 ? '' : 's'}: a typo?`,
          fixes: [{ kind: 'merge-classes', into: into.id, from: [other.id] }],
        }),
      );
    }
  }
  return out;
}

/** Classes defined but used by no shape (warning). */
export function unusedClassIssues(project: Project, counts: ReadonlyMap<ClassId, number>): Issue[] {
  return project.classes
    .filter((c) => (counts.get(c.id) ?? 0) === 0)
    .map((c) =>
      makeIssue({
        rule: 'unused-class',
        severity: 'warning',
        keyParts: [c.id],
        classIds: [c.id],
        measured: { shapes: 0 },
        message: `No shape uses the class ${quoted(c)}.`,
      }),
    );
}
