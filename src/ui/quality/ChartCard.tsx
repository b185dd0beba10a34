/**
 * The frame of every Dataset overview chart: a card with its title, an optional note and legend,
 * the chart, and the exact numbers in tables (in a <details>, the text alternative beside the
 * chart's aria-label); or, when there is nothing to draw, one sentence instead.
 */
import { useId, type ReactNode } from 'react';
import { fmt } from './overviewData';

export type CardSpan = 'third' | 'half' | 'full';
/** Natural widths of a chart in a third and a half of the grid (a ~1,100 px dialog). */
export const THIRD_WIDTH = 320;
export const HALF_WIDTH = 500;

/** The exact numbers behind a chart: column heads, then rows whose first cell names the row. */
export interface TableSpec {
  readonly caption: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** A last row of totals, set apart in <tfoot>. */
  readonly foot?: readonly (string | number)[];
}

export interface LegendItem {
  readonly name: string;
  readonly color: string;
}

interface ChartCardProps {
  readonly title: string;
  readonly span: CardSpan;
  /** A sentence shown instead of the chart and its numbers when there is nothing to draw. */
  readonly empty?: string | null;
  /** What is counted, under the title (e.g. that a figure covers every split). */
  readonly note?: ReactNode;
  readonly legend?: readonly LegendItem[];
  /** The numbers; the first table's caption is the card's title. */
  readonly tables: readonly TableSpec[];
  readonly children: ReactNode;
}

const cell = (v: string | number): string => (typeof v === 'number' ? fmt(v) : v);

function NumbersTable({ table }: { readonly table: TableSpec }) {
  const row = (cells: readonly (string | number)[]) =>
    cells.map((v, i) =>
      i === 0 ? (
        <th key={i} scope="row">
          {cell(v)}
        </th>
      ) : (
        <td key={i}>{cell(v)}</td>
      ),
    );
  return (
    <table className="ov-table">
      <caption>{table.caption}</caption>
      <thead>
        <tr>
          {table.head.map((h, i) => (
            <th key={i} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((r, i) => (
          <tr key={i}>{row(r)}</tr>
        ))}
      </tbody>
      {table.foot && (
        <tfoot>
          <tr>{row(table.foot)}</tr>
        </tfoot>
      )}
    </table>
  );
}

export function Legend({ items }: { readonly items: readonly LegendItem[] }) {
  return (
    <ul className="ov-legend">
      {items.map((item) => (
        <li key={item.name}>
          <span className="swatch" style={{ background: item.color }} />
          {item.name}
        </li>
      ))}
    </ul>
  );
}

/** One chart in the overview's grid; it never scrolls as a whole (long bar lists scroll inside). */
export function ChartCard({ title, span, empty, note, legend, tables, children }: ChartCardProps) {
  const titleId = useId();
  return (
    <section className={`ov-card ov-${span}`} aria-labelledby={titleId}>
      <h3 id={titleId} className="ov-title">
        {title}
      </h3>
      {note && <p className="ov-note">{note}</p>}
      {empty ? (
        <p className="ov-empty">{empty}</p>
      ) : (
        <>
          {legend && legend.length > 0 && <Legend items={legend} />}
          {children}
          <details className="ov-numbers">
            <summary>
              Numbers<span className="visually-hidden">: {title}</span>
            </summary>
            <div className="ov-table-scroll" tabIndex={0} role="region" aria-label={`Numbers: ${title}`}>
              {tables.map((t, i) => (
                <NumbersTable key={i} table={t} />
              ))}
            </div>
          </details>
        </>
      )}
    </section>
  );
}

/**
 * A long list scrolls in its own box (reachable by keyboard) instead of stretching its card, with
 * a line under it saying so: overlay scrollbars do not show that there is more.
 */
export function ScrollBox({ label, maxHeight, hint, children }: { readonly label: string; readonly maxHeight: number; readonly hint: string; readonly children: ReactNode }) {
  return (
    <>
      <div className="ov-scroll" tabIndex={0} role="group" aria-label={`${label}, scrolling`} style={{ maxHeight }}>
        {children}
      </div>
      <p className="ov-note">{hint}</p>
    </>
  );
}
