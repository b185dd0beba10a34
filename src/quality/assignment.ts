/**
 * Optimal one-to-one assignment on a sparse set of allowed pairs (the Hungarian algorithm, via
 * `munkres`).
 *
 * Objective: first the largest number of pairs, then, among assignments of that size, the
 * smallest total cost. Costs of allowed pairs lie in [0, 1] (1 − IoU here), and a forbidden pair
 * costs more than any assignment of allowed pairs can, so a full rectangular assignment uses a
 * forbidden pair only where no allowed one is left; those are dropped afterwards.
 *
 * The pairs split into connected components (rows and columns linked by allowed pairs); each is
 * solved on its own, which gives the same optimum and keeps 5,000 shapes on one image cheap
 * (the cubic step only ever sees the few shapes that compete for each other).
 */
import { munkres } from 'munkres';
import { sortSmall } from './smallSort';

export interface Candidate {
  readonly row: number;
  readonly col: number;
  /** In [0, 1]. */
  readonly cost: number;
}

/**
 * The chosen pairs, sorted by row. Deterministic for a given candidate list in any order: ties
 * between equally good assignments are settled by the row and column numbers, which callers
 * make canonical (sorted ids) so that the result does not depend on input order either.
 */
export function assign(candidates: readonly Candidate[]): Candidate[] {
  if (candidates.length === 0) return [];
  const sorted = sortSmall([...candidates], (p, q) => p.row - q.row || p.col - q.col);
  if (uncontested(sorted)) return sorted;

  // Union-find over rows (r) and columns (c, offset by the row count of the key space).
  const rowIds = new Map<number, number>();
  const colIds = new Map<number, number>();
  for (const p of sorted) {
    if (!rowIds.has(p.row)) rowIds.set(p.row, rowIds.size);
    if (!colIds.has(p.col)) colIds.set(p.col, colIds.size);
  }
  const rows = rowIds.size;
  const parent = new Int32Array(rows + colIds.size);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x]! !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const p of sorted) {
    const a = find(rowIds.get(p.row)!);
    const b = find(rows + colIds.get(p.col)!);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const components = new Map<number, Candidate[]>();
  for (const p of sorted) {
    const root = find(rowIds.get(p.row)!);
    const list = components.get(root);
    if (list) list.push(p);
    else components.set(root, [p]);
  }

  const chosen: Candidate[] = [];
  for (const pairs of components.values()) {
    if (pairs.length === 1) {
      chosen.push(pairs[0]!);
      continue;
    }
    chosen.push(...solveComponent(pairs));
  }
  return sortSmall(chosen, (p, q) => p.row - q.row);
}

/**
 * True when no row and no column appears twice: every candidate is then its own component and
 * all of them are chosen (the usual case on an image: each shape overlaps one counterpart).
 * Checked by pairs for the short lists where that is cheaper than building maps.
 */
function uncontested(sorted: readonly Candidate[]): boolean {
  if (sorted.length > 32) return false;
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      if (sorted[i]!.row === sorted[j]!.row || sorted[i]!.col === sorted[j]!.col) return false;
    }
  }
  return true;
}

function solveComponent(pairs: readonly Candidate[]): Candidate[] {
  const rowList = [...new Set(pairs.map((p) => p.row))].sort((a, b) => a - b);
  const colList = [...new Set(pairs.map((p) => p.col))].sort((a, b) => a - b);
  const rowAt = new Map(rowList.map((r, i) => [r, i]));
  const colAt = new Map(colList.map((c, i) => [c, i]));
  // Any assignment of allowed pairs costs at most min(rows, cols) ≤ forbidden.
  const forbidden = Math.min(rowList.length, colList.length) + 1;
  const matrix: number[][] = rowList.map(() => new Array<number>(colList.length).fill(forbidden));
  const byCell = new Map<number, Candidate>();
  for (const p of pairs) {
    const r = rowAt.get(p.row)!;
    const c = colAt.get(p.col)!;
    matrix[r]![c] = p.cost;
    byCell.set(r * colList.length + c, p);
  }
  const out: Candidate[] = [];
  for (const [r, c] of munkres(matrix)) {
    const p = byCell.get(r * colList.length + c);
    if (p) out.push(p);
  }
  return out;
}
