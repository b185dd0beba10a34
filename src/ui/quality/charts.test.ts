import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ASPECT_BIN_EDGES, OBJECTS_CAP } from '../../quality/overview';
import { breakLabel, clip, heatColor, HeatGrid, niceTicks } from './charts';
import { ASPECT_LABELS, medianBin, OBJECTS_LABELS, percent } from './overviewData';

describe('chart helpers', () => {
  it('labels the aspect bins as ranges between ASPECT_BIN_EDGES, open at both ends', () => {
    expect(ASPECT_LABELS).toHaveLength(ASPECT_BIN_EDGES.length + 1);
    expect(ASPECT_LABELS).toEqual(['< 0.25', '0.25–0.4', '0.4–0.63', '0.63–0.8', '0.8–1.25', '1.25–1.6', '1.6–2.5', '2.5–4', '≥ 4']);
    expect(OBJECTS_LABELS).toHaveLength(OBJECTS_CAP + 1);
    expect(OBJECTS_LABELS.at(-1)).toBe('20+');
  });

  it('percentages: whole numbers, "<1%" for a sliver, 0% for none', () => {
    expect([percent(1, 8), percent(5, 8), percent(0, 8), percent(1, 1000), percent(3, 0)]).toEqual(['13%', '63%', '0%', '<1%', '0%']);
  });

  it('the median bin of a histogram', () => {
    expect(medianBin([3, 1, 1, 1, 1])).toBe(1);
    expect(medianBin([0, 0, 5])).toBe(2);
    expect(medianBin([0, 0, 0])).toBeNull();
  });

  it('axis ticks at 1, 2 or 5 × 10ᵏ, covering the largest value', () => {
    expect(niceTicks(980)).toEqual([0, 500, 1000]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(1)).toEqual([0, 1]);
    expect(niceTicks(0)).toEqual([0]);
  });

  it('fits labels: cut with an ellipsis, column labels broken after the dash or at a space', () => {
    expect(clip('temporary pedestrian crossing sign', 72)).toBe('temporary…');
    expect(clip('temporary pedestrian crossing sign', 80)).toBe('temporary…'); // no space before the ellipsis
    expect(clip('car', 72)).toBe('car');
    expect(breakLabel('0.25–0.4', 100)).toEqual(['0.25–0.4']);
    expect(breakLabel('0.25–0.4', 30)).toEqual(['0.25–', '0.4']);
    expect(breakLabel('< 0.25', 20)).toEqual(['<', '0.25']);
  });
});

describe('HeatGrid', () => {
  it('shades cells in proportion to their count, blank when empty, row 0 at the top', () => {
    const counts = new Array<number>(100).fill(0);
    counts[0] = 1; // top left
    counts[45] = 2; // row 4, column 5
    counts[99] = 4; // bottom right
    const html = renderToStaticMarkup(createElement(HeatGrid, { label: 'Shape centres of car', counts, size: 10, cellSize: 9 }));
    expect(html).toMatch(/^<svg[^>]*role="img" aria-label="Shape centres of car"/);
    const cells = [...html.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="9" height="9" fill="(#[0-9a-f]{6})"/g)].map(([, x, y, fill]) => ({ x: Number(x), y: Number(y), fill }));
    expect(cells).toHaveLength(100);
    expect(cells[0]).toEqual({ x: 1, y: 1, fill: heatColor(1, 4) });
    expect(cells[45]).toEqual({ x: 1 + 5 * 9, y: 1 + 4 * 9, fill: heatColor(2, 4) });
    expect(cells[99]).toEqual({ x: 82, y: 82, fill: '#ffd166' });
    expect(cells.filter((c) => c.fill === heatColor(0, 4))).toHaveLength(97);
  });

  it('the shade grows linearly with the count (above a faint floor for one)', () => {
    const channel = (hex: string) => parseInt(hex.slice(1, 3), 16);
    expect(heatColor(0, 10)).toBe('#1c1f26');
    expect(heatColor(10, 10)).toBe('#ffd166');
    const steps = [2, 4, 6, 8].map((n) => channel(heatColor(n, 10)));
    const diffs = steps.slice(1).map((v, i) => v - steps[i]!);
    for (const d of diffs) expect(Math.abs(d - diffs[0]!)).toBeLessThanOrEqual(1);
    expect(diffs[0]).toBeGreaterThan(0);
  });
});
