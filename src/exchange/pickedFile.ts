/** A file the user chose, dropped, or picked inside a folder, with the path the user knows it by (no DOM beyond File: workers use it too). */
export interface PickedFile {
  readonly file: File;
  /** '/'-separated, relative to what was picked: `a.jpg`, `street/day/a.jpg`. */
  readonly path: string;
}
