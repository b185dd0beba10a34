/**
 * Words, numbers and colours of the Review figures (pure, no React): how a ratio is printed, what
 * an α reading is called and coloured, and how strongly a confusion cell is shaded.
 */
import type { AlphaReading } from '../../quality';

/** A ratio in [0, 1] (or α in (−1, 1]) with two decimals; an undefined figure as an en dash. */
export const ratio = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(2));

export const count = (n: number): string => n.toLocaleString('en');

/** The reading as the lead reads it, and the colour token (a CSS class suffix) it is shown in. */
export const READING: Readonly<Record<AlphaReading, { readonly word: string; readonly tone: 'ok' | 'warn' | 'bad' | 'none'; readonly hint: string }>> = {
  reliable: { word: 'reliable', tone: 'ok', hint: 'α ≥ 0.8: conclusions can rest on these labels.' },
  tentative: { word: 'tentative', tone: 'warn', hint: 'α from 0.667 to 0.8: good enough for tentative conclusions only.' },
  unreliable: { word: 'unreliable', tone: 'bad', hint: 'α below 0.667: the annotators do not agree enough.' },
  undefined: { word: 'undefined', tone: 'none', hint: 'α is undefined: every value is the same, so there is no variation to explain.' },
};

/**
 * Opacity of a confusion cell's shade: 0 for an empty cell, otherwise from a visible floor up to
 * the strongest for the largest count (square root, so a few stray confusions still show).
 */
export function shade(n: number, max: number): number {
  if (n <= 0 || max <= 0) return 0;
  return 0.12 + 0.58 * Math.sqrt(n / max);
}
