/**
 * Path safety for names read out of archives.
 *
 * Invariant of every accepted path: relative, '/'-separated, NFC-normalised, made of
 * non-empty segments none of which is '.', '..' or only dots and spaces, free of control
 * characters and backslashes, and never starting with '/' or a drive letter. Such a path
 * can be joined under an import root without leaving it.
 */

export type NormalisedPath = { ok: true; path: string } | { ok: false; reason: string };

/** C0 controls, DEL and C1 controls: invisible in the UI and meaningful to some file systems. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A drive letter makes a name absolute ('C:/x') or drive-relative ('C:x') on Windows; both escape the root. */
const DRIVE = /^[A-Za-z]:/;
/** Windows strips trailing dots and spaces, so such a segment can turn into '..' or nothing at all. */
const DOTS_AND_SPACES = /^[. ]+$/;
const NOT_ASCII = /[^\u0000-\u007f]/;

/**
 * Turns a raw archive name into a safe relative path, or says in words why it cannot.
 * A trailing '/' (a directory marker) is accepted and dropped; the caller decides what a directory is.
 */
export function normaliseArchivePath(raw: string): NormalisedPath {
  if (raw.length === 0) return { ok: false, reason: 'has an empty name' };
  if (raw.includes('\u0000')) return { ok: false, reason: 'contains a NUL character' };
  if (CONTROL.test(raw)) return { ok: false, reason: 'contains a control character' };

  // Windows archivers write '\' as the separator, and extraction on Windows honours it,
  // so it has to be treated as a separator before any check that looks at segments.
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return { ok: false, reason: 'is an absolute path' };
  if (DRIVE.test(slashed)) return { ok: false, reason: 'is an absolute path (it starts with a drive letter)' };

  const kept: string[] = [];
  for (const segment of slashed.split('/')) {
    // '..' is refused even where it would stay inside ('a/../b'): an archive that uses it is
    // either hostile or broken, and silently resolving it would hide that from the user.
    if (segment === '..') return { ok: false, reason: "climbs out of the archive with '..'" };
    if (segment === '' || segment === '.') continue;
    if (DOTS_AND_SPACES.test(segment)) {
      return { ok: false, reason: `has a file or folder name made only of dots and spaces ('${segment}')` };
    }
    kept.push(segment);
  }
  if (kept.length === 0) return { ok: false, reason: "has an empty name once '.' and empty parts are removed" };

  // macOS writes decomposed (NFD) names; without NFC the same visible name could appear twice.
  // ASCII text is its own NFC form: most names skip the normaliser (costly on a cold worker).
  const joined = kept.join('/');
  return { ok: true, path: NOT_ASCII.test(joined) ? joined.normalize('NFC') : joined };
}
