/**
 * A stable in-place sort for the short lists of the matcher and the agreement (the shapes,
 * candidates and clusters of one image): insertion sort up to SMALL items, Array.prototype.sort
 * (stable too) above. Same order as Array.prototype.sort for any comparator, without the work
 * array that sort allocates on every call — tens of thousands of calls add up. Pure.
 */
const SMALL = 32;

export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > SMALL) return items.sort(compare);
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    let j = i - 1;
    while (j >= 0 && compare(items[j]!, item) > 0) {
      items[j + 1] = items[j]!;
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}

/** True when `items` are already in `compare`'s order (sorting them would change nothing). */
export function isSorted<T>(items: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < items.length; i++) if (compare(items[i - 1]!, items[i]!) > 0) return false;
  return true;
}
