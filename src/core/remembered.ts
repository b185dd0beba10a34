/**
 * A string function remembered per argument, for names asked once per shape: a file of 10,000
 * shapes names a few classes and annotators 10,000 times, and their keys (NFKC, lower case) are
 * the costly part. Keep one for the length of one read, plan or build: it never forgets.
 */
export function remembered(fn: (s: string) => string): (s: string) => string {
  const known = new Map<string, string>();
  return (s) => {
    let v = known.get(s);
    if (v === undefined) known.set(s, (v = fn(s)));
    return v;
  };
}
