import { describe, expect, it } from 'vitest';
import { ANNOTATOR_PALETTE, annotatorColourAt, annotatorColours } from './annotatorColours';

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((k) => {
    const c = parseInt(hex.slice(k, k + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('annotatorColours', () => {
  it('gives the Okabe–Ito colours in order, solid, one per distinct name', () => {
    const marks = annotatorColours(['alice', 'bob', 'carol']);
    expect([...marks.keys()]).toEqual(['alice', 'bob', 'carol']);
    expect([...marks.values()]).toEqual([
      { colour: '#e69f00', dash: [] },
      { colour: '#56b4e9', dash: [] },
      { colour: '#cc79a7', dash: [] },
    ]);
  });

  it('is stable by order: a name keeps its colour when names are appended, a repeat keeps its first', () => {
    const two = annotatorColours(['alice', 'bob']);
    const more = annotatorColours(['alice', 'bob', 'alice', 'dan']);
    expect(more.get('alice')).toEqual(two.get('alice'));
    expect(more.get('bob')).toEqual(two.get('bob'));
    expect(more.get('dan')).toEqual(annotatorColourAt(2));
    expect(more.size).toBe(3);
  });

  it('keeps 21 annotators apart by colour and dash, then repeats', () => {
    const names = Array.from({ length: 22 }, (_, i) => `a${i}`);
    const marks = [...annotatorColours(names).values()].map((m) => `${m.colour}/${m.dash.join(',')}`);
    expect(new Set(marks.slice(0, 21)).size).toBe(21);
    expect(marks[21]).toBe(marks[0]);
    expect(annotatorColourAt(7)).toEqual({ colour: '#e69f00', dash: [6, 3] });
    expect(annotatorColourAt(14).dash).toEqual([2, 3]);
  });

  it('every colour holds 3:1 against the dark panels, and none is black', () => {
    for (const c of ANNOTATOR_PALETTE) {
      expect(c).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrast(c, '#1c1f26')).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(ANNOTATOR_PALETTE).size).toBe(ANNOTATOR_PALETTE.length);
  });
});
