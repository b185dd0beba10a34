/**
 * A colour per annotator for review (issue 11: "a colour per annotator"), told apart with the
 * common colour-blindnesses: the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008)
 * without its black, which vanishes on Tally's dark panels and on dark photographs. Every hue
 * kept holds at least 3:1 against the panels (#1c1f26).
 *
 * Assignment is by position: the i-th distinct name gets the i-th mark, so the same list (the
 * report's annotators, sorted) gives the same colours on the canvas, in the tables and in the
 * legend. Seven colours exist; from the eighth annotator on, the colours repeat with a dash
 * pattern (dashed, then dotted), so marks stay distinct up to 21 annotators. Beyond that they
 * repeat and only the names tell them apart.
 */

/** Okabe–Ito without black, ordered so that the first three (the usual review) differ most. */
export const ANNOTATOR_PALETTE = ['#e69f00', '#56b4e9', '#cc79a7', '#009e73', '#f0e442', '#0072b2', '#d55e00'] as const;

/** Stroke dash patterns (in CSS px / canvas units; empty = solid), one per round of the palette. */
export const ANNOTATOR_DASHES: readonly (readonly number[])[] = [[], [6, 3], [2, 3]];

export interface AnnotatorColour {
  /** `#rrggbb`, lowercase. */
  readonly colour: string;
  /** Stroke dash pattern for outlines and swatches; empty means solid. */
  readonly dash: readonly number[];
}

/** The mark of the annotator at `index` in the list (0-based). */
export function annotatorColourAt(index: number): AnnotatorColour {
  const n = ANNOTATOR_PALETTE.length;
  const i = Math.max(0, Math.floor(index));
  return { colour: ANNOTATOR_PALETTE[i % n]!, dash: ANNOTATOR_DASHES[Math.floor(i / n) % ANNOTATOR_DASHES.length]! };
}

/** Each distinct name's mark, by first position in `names` (a repeated name keeps its first). */
export function annotatorColours(names: readonly string[]): ReadonlyMap<string, AnnotatorColour> {
  const out = new Map<string, AnnotatorColour>();
  for (const name of names) if (!out.has(name)) out.set(name, annotatorColourAt(out.size));
  return out;
}
