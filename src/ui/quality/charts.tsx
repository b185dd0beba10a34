/**
 * Small hand-written SVG charts for the Dataset overview: horizontal bars, columns and a heat
 * grid. Each SVG is role="img" with an aria-label that states its figures; geometry is in viewBox
 * units that are CSS pixels when the chart is drawn at its natural width (it scales with its card,
 * up to 125%).
 */
import type { ReactNode } from 'react';
import { ScrollBox } from './ChartCard';
import { fmt } from './overviewData';

/** Font sizes (viewBox units) and the average advance of a character, for fitting labels. */
const FONT = 12;
const SMALL = 10;
const textWidth = (text: string, size: number): number => Array.from(text).length * size * 0.6;
/** The text, cut with "…" to at most maxWidth units. */
export function clip(text: string, maxWidth: number, size = FONT): string {
  const chars = Array.from(text);
  const fit = Math.floor(maxWidth / (size * 0.6));
  return chars.length <= fit ? text : `${chars.slice(0, Math.max(1, fit - 1)).join('').trimEnd()}…`;
}

/** Gridline steps of 1, 2 or 5 × 10ᵏ, about `ticks` of them up to max (integers: step ≥ 1). */
export function niceTicks(max: number, ticks = 4): number[] {
  if (max <= 0) return [0];
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  const step = Math.max(1, (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude);
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

/** An SVG picture of `width` × `height` units, named for assistive technology by `label`. */
function Figure({ label, width, height, children }: { readonly label: string; readonly width: number; readonly height: number; readonly children: ReactNode }) {
  return (
    <svg className="ov-svg" role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width={width} height={height} style={{ maxWidth: width * 1.25 }}>
      {children}
    </svg>
  );
}

// --- Horizontal bars ---------------------------------------------------------------------------

export interface BarSegment {
  readonly name: string;
  readonly value: number;
  readonly color: string;
}

export interface BarRow {
  readonly key: string;
  readonly label: string;
  /** A class colour: drawn as a swatch before the label. */
  readonly swatch?: string;
  readonly segments: readonly BarSegment[];
  /** After the bar; default the row's total. */
  readonly valueText?: string;
  /** Outline the segments (class colours can be as dark as the background). */
  readonly outlined?: boolean;
  /** Bold label and a rule under the row (a totals row first). */
  readonly emphasis?: boolean;
}

interface HBarChartProps {
  /** The chart's title: names the box a long list scrolls in. */
  readonly name: string;
  /** The figures in words (aria-label). */
  readonly label: string;
  readonly rows: readonly BarRow[];
  readonly width: number;
  /** 'count': lengths against the largest total; 'share': every bar full, segments as shares. */
  readonly scale: 'count' | 'share';
}

/** Row pitch and bar thickness: lists of a few rows get roomier bars. */
const ROW = 22;
const BAR = 14;
const ROOMY_ROW = 30;
const ROOMY_BAR = 18;
const ROOMY_UP_TO = 5;
/** Rows shown before the list scrolls inside its card. */
export const MAX_VISIBLE_ROWS = 15;

export function HBarChart({ name, label, rows, width, scale }: HBarChartProps) {
  const labelWidth = Math.round(Math.min(170, Math.max(96, width * 0.3)));
  const totals = rows.map((r) => r.segments.reduce((a, s) => a + s.value, 0));
  const valueWidth = Math.max(...rows.map((r, i) => textWidth(r.valueText ?? fmt(totals[i]!), SMALL + 1)), 0) + 8;
  const barWidth = width - labelWidth - valueWidth - 8;
  const largest = Math.max(1, ...totals);
  const roomy = rows.length <= ROOMY_UP_TO;
  const pitch = roomy ? ROOMY_ROW : ROW;
  const thickness = roomy ? ROOMY_BAR : BAR;
  const height = rows.length * pitch + 4;
  const svg = (
    <Figure label={label} width={width} height={height}>
      {rows.map((row, i) => {
        const y = 2 + i * pitch;
        const total = totals[i]!;
        const length = scale === 'share' ? (total > 0 ? barWidth : 0) : (total / largest) * barWidth;
        const swatchSpace = row.swatch ? 16 : 0;
        const shown = clip(row.label, labelWidth - swatchSpace - 8);
        let x = labelWidth;
        return (
          <g key={row.key} className={row.emphasis ? 'ov-row ov-row-emphasis' : 'ov-row'}>
            {shown !== row.label && <title>{row.label}</title>}
            {row.swatch && <rect className="ov-outlined" x={0} y={y + (pitch - 10) / 2} width={10} height={10} rx={2} fill={row.swatch} />}
            <text className="ov-label" x={swatchSpace} y={y + pitch / 2} dominantBaseline="central" fontSize={FONT}>
              {shown}
            </text>
            {row.segments.map((s) => {
              if (s.value <= 0) return null;
              const w = total > 0 ? (s.value / total) * length : 0;
              const rect = (
                <rect key={s.name} className={row.outlined ? 'ov-outlined' : 'ov-seg'} x={x} y={y + (pitch - thickness) / 2} width={Math.max(w, 0.75)} height={thickness} fill={s.color}>
                  <title>{`${row.label} · ${s.name}: ${fmt(s.value)}`}</title>
                </rect>
              );
              x += w;
              return rect;
            })}
            <text className="ov-value" x={labelWidth + length + 6} y={y + pitch / 2} dominantBaseline="central" fontSize={SMALL + 1}>
              {row.valueText ?? fmt(total)}
            </text>
            {row.emphasis && <line className="ov-rule" x1={0} x2={width} y1={y + pitch + 0.5} y2={y + pitch + 0.5} />}
          </g>
        );
      })}
      <line className="ov-axis" x1={labelWidth - 0.5} x2={labelWidth - 0.5} y1={0} y2={height} />
    </Figure>
  );
  if (rows.length <= MAX_VISIBLE_ROWS) return svg;
  return (
    <ScrollBox label={name} maxHeight={MAX_VISIBLE_ROWS * ROW + 4} hint={`${fmt(rows.length)} rows, ${fmt(MAX_VISIBLE_ROWS)} at a time: scroll the list for the rest.`}>
      {svg}
    </ScrollBox>
  );
}

// --- Columns -------------------------------------------------------------------------------------

/** A column label in at most two lines: whole if it fits, else broken after "–" or at a space. */
export function breakLabel(label: string, width: number): string[] {
  if (textWidth(label, SMALL) <= width) return [label];
  const dash = label.indexOf('–');
  if (dash >= 0) return [label.slice(0, dash + 1), label.slice(dash + 1)];
  const space = label.indexOf(' ');
  return space >= 0 ? [label.slice(0, space), label.slice(space + 1)] : [label];
}

interface ColumnChartProps {
  readonly label: string;
  /** One per column; a label too wide for its column breaks in two (see breakLabel). */
  readonly labels: readonly string[];
  readonly values: readonly number[];
  readonly width: number;
  readonly color: string;
  /** Under the axis, e.g. "objects in the image". */
  readonly axisTitle: string;
  /** Height of the plot area (px), axis labels not included. */
  readonly plotHeight?: number;
}

export function ColumnChart({ label, labels, values, width, color, axisTitle, plotHeight = 130 }: ColumnChartProps) {
  const top = 16;
  const ticks = niceTicks(Math.max(...values, 1));
  const topTick = ticks[ticks.length - 1]!;
  const left = Math.max(24, textWidth(fmt(topTick), SMALL) + 8);
  const plotWidth = width - left - 4;
  const step = plotWidth / values.length;
  const barWidth = Math.max(2, step * 0.74);
  const wraps = labels.some((l) => textWidth(l, SMALL) > step - 2);
  const labelLines = labels.map((l) => (wraps ? breakLabel(l, step - 2) : [l]));
  const axisY = top + plotHeight;
  const height = axisY + (wraps ? 28 : 16) + 18;
  const yOf = (v: number) => axisY - (v / topTick) * plotHeight;
  const valuesFit = values.every((v) => textWidth(fmt(v), SMALL) <= step);
  return (
    <Figure label={label} width={width} height={height}>
      {ticks.map((t) => (
        <g key={t}>
          <line className={t === 0 ? 'ov-axis' : 'ov-gridline'} x1={left} x2={width - 4} y1={yOf(t) + 0.5} y2={yOf(t) + 0.5} />
          <text className="ov-tick" x={left - 5} y={yOf(t)} textAnchor="end" dominantBaseline="central" fontSize={SMALL}>
            {fmt(t)}
          </text>
        </g>
      ))}
      {values.map((v, i) => {
        const cx = left + step * (i + 0.5);
        return (
          <g key={i}>
            {v > 0 && (
              <rect className="ov-seg" x={cx - barWidth / 2} y={yOf(v)} width={barWidth} height={Math.max(axisY - yOf(v), 1)} fill={color}>
                <title>{`${labels[i]}: ${fmt(v)}`}</title>
              </rect>
            )}
            {valuesFit && v > 0 && (
              <text className="ov-value" x={cx} y={yOf(v) - 4} textAnchor="middle" fontSize={SMALL}>
                {fmt(v)}
              </text>
            )}
            <text className="ov-tick" x={cx} y={axisY + 12} textAnchor="middle" fontSize={SMALL}>
              {labelLines[i]!.map((line, j) => (
                <tspan key={j} x={cx} dy={j === 0 ? 0 : 11}>
                  {line}
                </tspan>
              ))}
            </text>
          </g>
        );
      })}
      <text className="ov-tick" x={left + plotWidth / 2} y={height - 4} textAnchor="middle" fontSize={SMALL}>
        {axisTitle}
      </text>
    </Figure>
  );
}

// --- Heat grid -------------------------------------------------------------------------------------

const HEAT_EMPTY = [0x1c, 0x1f, 0x26];
const HEAT_FULL = [0xff, 0xd1, 0x66];
/**
 * The shade of a cell: blank for none, then linear in count / max from a faint 12% (so a single
 * centre still shows where the busiest cell has hundreds) to full for the busiest cell.
 */
export function heatColor(count: number, max: number): string {
  const t = count <= 0 || max <= 0 ? 0 : 0.12 + 0.88 * (count / max);
  const hex = HEAT_EMPTY.map((e, i) => Math.round(e + (HEAT_FULL[i]! - e) * t).toString(16).padStart(2, '0'));
  return `#${hex.join('')}`;
}
export const HEAT_LEGEND = { low: heatColor(1, 1e9), high: heatColor(1, 1) };

interface HeatGridProps {
  readonly label: string;
  /** Row-major size × size counts, row 0 at the top. */
  readonly counts: readonly number[];
  readonly size: number;
  /** Side of a cell in px. */
  readonly cellSize: number;
}

/** The image frame as a size × size grid; each cell shaded against the grid's busiest cell. */
export function HeatGrid({ label, counts, size, cellSize }: HeatGridProps) {
  const max = Math.max(0, ...counts);
  const side = size * cellSize + 2;
  return (
    <Figure label={label} width={side} height={side}>
      {counts.map((c, i) => (
        <rect key={i} x={1 + (i % size) * cellSize} y={1 + Math.floor(i / size) * cellSize} width={cellSize} height={cellSize} fill={heatColor(c, max)} />
      ))}
      <rect className="ov-frame" x={0.5} y={0.5} width={side - 1} height={side - 1} />
    </Figure>
  );
}
