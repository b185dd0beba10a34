/**
 * Finding an image by a path as another tool wrote it: whole path, then the longest run of
 * trailing folders and name the two share (`train/a.jpg` finds `images/train/a.jpg`, and the
 * reverse), then base name, then stem — each only when unambiguous.
 */
import { baseName, stemOf } from './text';

export type PathMatch<T> = { readonly kind: 'found'; readonly value: T; readonly by: 'path' | 'name' | 'stem' } | { readonly kind: 'none' } | { readonly kind: 'ambiguous'; readonly by: 'name' | 'stem'; readonly count: number };

const AMBIGUOUS = Symbol('ambiguous');
const IMAGE_EXTENSION = /\.(jpe?g|jpe|jfif|png|gif|webp|bmp|avif|tiff?|heic|heif)$/i;

export class PathIndex<T> {
  private readonly byPath = new Map<string, T | typeof AMBIGUOUS>();
  /** Every trailing run of at least two segments of every path (`b/c.jpg` of `a/b/c.jpg`). */
  private readonly bySuffix = new Map<string, T | typeof AMBIGUOUS>();
  private readonly byName = new Map<string, T | typeof AMBIGUOUS>();
  private readonly byStem = new Map<string, T | typeof AMBIGUOUS>();
  /** Distinct values per name and stem, for the count in an ambiguous match. */
  private readonly nameValues = new Map<string, Set<T>>();
  private readonly stemValues = new Map<string, Set<T>>();

  add(path: string, value: T): void {
    const name = baseName(path).toLowerCase();
    const stem = stemOf(path).toLowerCase();
    put(this.byPath, path, value);
    for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) {
      const suffix = path.slice(at + 1);
      if (suffix.includes('/')) put(this.bySuffix, suffix, value);
    }
    put(this.byName, name, value);
    put(this.byStem, stem, value);
    remember(this.nameValues, name, value);
    remember(this.stemValues, stem, value);
  }

  find(path: string): PathMatch<T> {
    const exact = this.byPath.get(path);
    if (exact !== undefined && exact !== AMBIGUOUS) return { kind: 'found', value: exact, by: 'path' };
    const shared = this.findSuffix(path);
    if (shared !== undefined) return { kind: 'found', value: shared, by: 'path' };
    const name = baseName(path).toLowerCase();
    const byName = this.byName.get(name);
    if (byName === AMBIGUOUS) return { kind: 'ambiguous', by: 'name', count: this.nameValues.get(name)?.size ?? 2 };
    if (byName !== undefined) return { kind: 'found', value: byName, by: 'name' };
    // A path without an image extension (a YOLO label whose image is not in the archive:
    // `images/train/a.b`) may be a stem already: its whole name is tried as one first.
    if (!IMAGE_EXTENSION.test(path) && this.byStem.has(name)) return this.findStem(name);
    return this.findStem(stemOf(path).toLowerCase());
  }

  /** The one value whose path ends with the longest trailing run (≥ 2 segments) of `path`, or whose whole path is such a run. */
  private findSuffix(path: string): T | undefined {
    if (this.bySuffix.size === 0 && this.byPath.size === 0) return undefined;
    // Tails of at least two segments, longest first, cut at each '/' (no arrays built).
    for (let at = -1; ; at = path.indexOf('/', at + 1)) {
      const tail = at < 0 ? path : path.slice(at + 1);
      if (!tail.includes('/')) return undefined;
      const hit = this.bySuffix.get(tail) ?? (at >= 0 ? this.byPath.get(tail) : undefined);
      if (hit === AMBIGUOUS) return undefined;
      if (hit !== undefined) return hit;
      if (at >= 0 && path.indexOf('/', at + 1) < 0) return undefined;
    }
  }

  private findStem(stem: string): PathMatch<T> {
    const byStem = this.byStem.get(stem);
    if (byStem === AMBIGUOUS) return { kind: 'ambiguous', by: 'stem', count: this.stemValues.get(stem)?.size ?? 2 };
    if (byStem !== undefined) return { kind: 'found', value: byStem, by: 'stem' };
    return { kind: 'none' };
  }

  /** The value when the path finds exactly one, else undefined. */
  get(path: string): T | undefined {
    const m = this.find(path);
    return m.kind === 'found' ? m.value : undefined;
  }
}

function put<T>(map: Map<string, T | typeof AMBIGUOUS>, key: string, value: T): void {
  const had = map.get(key);
  map.set(key, had === undefined || had === value ? value : AMBIGUOUS);
}

function remember<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/**
 * A PathIndex that answers a path found whole (and unambiguous) from one map, and builds the full
 * index (trailing folders, names, stems) only when a lookup needs it: reading back an export looks
 * up every image by the very path it was written under. Answers exactly what a PathIndex of the
 * same additions answers.
 */
export class ExactFirstPathIndex<T> {
  private readonly byPath = new Map<string, T | typeof AMBIGUOUS>();
  private readonly added: [string, T][] = [];
  private index: PathIndex<T> | null = null;

  add(path: string, value: T): void {
    put(this.byPath, path, value);
    this.added.push([path, value]);
    this.index?.add(path, value);
  }

  get(path: string): T | undefined {
    const exact = this.byPath.get(path);
    if (exact !== undefined && exact !== AMBIGUOUS) return exact;
    if (!this.index) {
      this.index = new PathIndex<T>();
      for (const [p, v] of this.added) this.index.add(p, v);
    }
    return this.index.get(path);
  }
}
