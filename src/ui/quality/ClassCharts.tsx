/**
 * The overview's per-class charts: instances per class and split, COCO box sizes, shape aspect
 * ratios and the centre heatmaps. Each draws the classes in project order with their colours;
 * the split filter decides which splits' shapes are counted.
 */
import { SPLITS } from '../../core/model';
import { HEATMAP_SIZE, SIZE_BINS, type ClassSplitFigures } from '../../quality/overview';
import { ChartCard, HALF_WIDTH, ScrollBox } from './ChartCard';
import { ColumnChart, HBarChart, HEAT_LEGEND, HeatGrid, type BarRow } from './charts';
import {
  argMax,
  ASPECT_LABELS,
  COLUMN_COLOR,
  filterWords,
  fmt,
  listNonZero,
  percent,
  plural,
  SIZE_COLORS,
  SIZE_LABELS,
  SPLIT_COLORS,
  sum,
  sumFigures,
  type ClassFigures,
  type SplitFilter,
} from './overviewData';

interface ClassChartProps {
  readonly rows: readonly ClassFigures[];
  readonly filter: SplitFilter;
}

const noShapes = (filter: SplitFilter): string => (filter === 'all' ? 'No shapes yet.' : `No shapes in ${filterWords(filter)}.`);
const NO_CLASSES = 'The project has no classes yet.';

/** The empty-state sentence for charts of measured shapes (null when there is something to draw). */
function emptyMeasured(rows: readonly ClassFigures[], filter: SplitFilter, measured: number): string | null {
  if (rows.length === 0) return NO_CLASSES;
  const instances = sum(rows.map((r) => r.figures.instances));
  if (instances === 0) return noShapes(filter);
  if (measured > 0) return null;
  return instances === 1
    ? `The one shape in ${filterWords(filter)} has no outline that can be measured.`
    : `None of the ${plural(instances, 'shape')} in ${filterWords(filter)} has an outline that can be measured.`;
}

/** "bus, truck and 3 more" for sentences. */
function nameList(names: readonly string[], shown = 3): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${fmt(names.length - shown)} more`;
}

/** Figures of every class together (zeros when there are no classes). */
function allClasses(rows: readonly ClassFigures[]): ClassSplitFigures | null {
  return rows.length === 0 ? null : sumFigures(rows.map((r) => r.figures), rows[0]!.figures);
}

export function InstancesChart({ rows, filter, unknownShapes }: ClassChartProps & { readonly unknownShapes: number }) {
  const title = 'Instances per class and split';
  const splits = filter === 'all' ? SPLITS : [filter];
  const count = (r: ClassFigures) => r.figures.instances;
  const total = sum(rows.map(count));
  const bars: BarRow[] = rows.map((r) => ({
    key: r.id,
    label: r.name,
    swatch: r.color,
    // One split: bars in the class colour; every split: stacked in the split colours.
    segments: filter === 'all' ? SPLITS.map((s) => ({ name: s, value: r.bySplit[s], color: SPLIT_COLORS[s] })) : [{ name: filter, value: r.bySplit[filter], color: r.color }],
    outlined: filter !== 'all',
  }));
  const most = argMax(rows.map(count));
  const none = rows.filter((r) => count(r) === 0).map((r) => r.name);
  const fewest = argMax(rows.map((r) => (count(r) === 0 ? -Infinity : -count(r))));
  const perSplit = filter === 'all' ? ` (${SPLITS.map((s) => `${s} ${fmt(sum(rows.map((r) => r.bySplit[s])))}`).join(', ')})` : '';
  const label =
    `${title}, ${filterWords(filter)}: ${plural(total, 'instance')}${perSplit} in ${plural(rows.length, 'class', 'classes')}. ` +
    (total > 0 ? `Most: ${rows[most]!.name} (${fmt(count(rows[most]!))}); fewest: ${rows[fewest]!.name} (${fmt(count(rows[fewest]!))}).` : '') +
    (none.length > 0 ? ` None: ${nameList(none)}.` : '');
  const head = ['Class', ...splits, ...(filter === 'all' ? ['Total'] : [])];
  const tableRow = (name: string, bySplit: (s: (typeof SPLITS)[number]) => number) => [
    name,
    ...splits.map(bySplit),
    ...(filter === 'all' ? [sum(SPLITS.map(bySplit))] : []),
  ];
  return (
    <ChartCard
      title={title}
      span="half"
      empty={rows.length === 0 ? NO_CLASSES : total === 0 ? noShapes(filter) : null}
      note={unknownShapes > 0 ? `${plural(unknownShapes, 'shape')} of classes the project no longer has (all splits) are left out.` : undefined}
      legend={filter === 'all' ? SPLITS.map((s) => ({ name: s, color: SPLIT_COLORS[s] })) : undefined}
      tables={[
        {
          caption: title,
          head,
          rows: rows.map((r) => tableRow(r.name, (s) => r.bySplit[s])),
          foot: tableRow('All classes', (s) => sum(rows.map((r) => r.bySplit[s]))),
        },
      ]}
    >
      <HBarChart name={title} label={label} rows={bars} width={HALF_WIDTH} scale="count" />
    </ChartCard>
  );
}

export function BoxSizesChart({ rows, filter }: ClassChartProps) {
  const title = 'Box sizes per class (COCO)';
  const all = allClasses(rows);
  const measured = all ? sum(all.sizeBins) : 0;
  const bar = (key: string, name: string, bins: readonly number[], extra: Partial<BarRow>): BarRow => ({
    key,
    label: name,
    segments: SIZE_BINS.map((_, i) => ({ name: SIZE_LABELS[i]!, value: bins[i] ?? 0, color: SIZE_COLORS[i]! })),
    ...extra,
  });
  const bars = all ? [bar('all', 'All classes', all.sizeBins, { emphasis: true }), ...rows.map((r) => bar(r.id, r.name, r.figures.sizeBins, { swatch: r.color }))] : [];
  const smallShare = (r: ClassFigures) => (sum(r.figures.sizeBins) > 0 ? r.figures.sizeBins[0]! / sum(r.figures.sizeBins) : -1);
  const mostSmall = argMax(rows.map(smallShare));
  const label =
    `Box sizes, ${filterWords(filter)}: ${plural(measured, 'shape')}: ` +
    SIZE_BINS.map((bin, i) => `${bin} ${fmt(all?.sizeBins[i] ?? 0)} (${percent(all?.sizeBins[i] ?? 0, measured)})`).join(', ') +
    (rows.length > 1 && mostSmall >= 0 && smallShare(rows[mostSmall]!) > 0 ? `. Largest share of small: ${rows[mostSmall]!.name} (${percent(rows[mostSmall]!.figures.sizeBins[0]!, sum(rows[mostSmall]!.figures.sizeBins))}).` : '.');
  const tableRow = (name: string, bins: readonly number[]) => [name, ...bins, sum(bins)];
  return (
    <ChartCard
      title={title}
      span="half"
      empty={emptyMeasured(rows, filter, measured)}
      note="Bounding-box area in image pixels. Bars show each class's shares; the number is its count."
      legend={SIZE_LABELS.map((name, i) => ({ name, color: SIZE_COLORS[i]! }))}
      tables={[{ caption: title, head: ['Class', ...SIZE_LABELS, 'Total'], rows: rows.map((r) => tableRow(r.name, r.figures.sizeBins)), foot: tableRow('All classes', all?.sizeBins ?? []) }]}
    >
      <HBarChart name={title} label={label} rows={bars} width={HALF_WIDTH} scale="share" />
    </ChartCard>
  );
}

export function ShapeAspectChart({ rows, filter }: ClassChartProps) {
  const title = 'Shape aspect ratios (width / height)';
  const values = allClasses(rows)?.aspectBins ?? [];
  const measured = sum(values);
  const label = `${title}, ${filterWords(filter)}: ${plural(measured, 'shape')}; ${listNonZero(ASPECT_LABELS, values)}.`;
  return (
    <ChartCard
      title={title}
      span="half"
      empty={emptyMeasured(rows, filter, measured)}
      note="Of each shape's bounding box, all classes: below 1 is tall, above 1 is wide."
      tables={[{ caption: title, head: ['Width / height', 'Shapes'], rows: ASPECT_LABELS.map((l, i) => [l, values[i] ?? 0]), foot: ['Total', measured] }]}
    >
      <ColumnChart label={label} labels={ASPECT_LABELS} values={values} width={HALF_WIDTH} color={COLUMN_COLOR} axisTitle="width / height (1 is square)" />
    </ChartCard>
  );
}

/** Maps shown before the maps scroll in their own box, and the box's height in rows of maps. */
const MAX_VISIBLE_MAPS = 30;
const MAP_ROWS_SHOWN = 3;
/** Height of a row of maps: a 92 px map, a two-line caption and the gap (see .ov-map). */
const MAP_PITCH = 140;

/** "row 3, column 5" of a heatmap index, counted from 1 at the top left. */
const cellName = (i: number): string => `row ${Math.floor(i / HEATMAP_SIZE) + 1}, column ${(i % HEATMAP_SIZE) + 1}`;

export function CentreHeatmaps({ rows, filter }: ClassChartProps) {
  const title = 'Shape centres per class';
  const all = allClasses(rows);
  const candidates = [
    ...(all ? [{ key: 'all', name: 'All classes', color: null, heatmap: all.heatmap }] : []),
    ...rows.map((r) => ({ key: r.id, name: r.name, color: r.color, heatmap: r.figures.heatmap })),
  ];
  const drawn = candidates.filter((m) => sum(m.heatmap) > 0);
  const without = rows.filter((r) => sum(r.figures.heatmap) === 0).map((r) => r.name);
  const columns = Array.from({ length: HEATMAP_SIZE }, (_, i) => String(i + 1));
  const gallery = (
    <div className="ov-maps">
      {drawn.map((m) => {
        const n = sum(m.heatmap);
        const peak = argMax(m.heatmap);
        const empty = m.heatmap.filter((c) => c === 0).length;
        const label =
          `Shape centres of ${m.name}, ${filterWords(filter)}: ${plural(n, 'shape')}; busiest cell ${cellName(peak)} (${fmt(m.heatmap[peak]!)}); ` +
          `${fmt(empty)} of ${fmt(m.heatmap.length)} cells empty.`;
        return (
          <figure key={m.key} className="ov-map">
            <HeatGrid label={label} counts={m.heatmap} size={HEATMAP_SIZE} cellSize={9} />
            <figcaption>
              <span className="ov-map-name" title={m.name}>
                {m.color && <span className="swatch" style={{ background: m.color }} />}
                <span>{m.name}</span>
              </span>
              <span className="muted">{plural(n, 'shape')}</span>
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
  return (
    <ChartCard
      title={title}
      span="full"
      empty={emptyMeasured(rows, filter, all ? sum(all.heatmap) : 0)}
      note={`Each square is the image frame, top edge at the top, in ${HEATMAP_SIZE} × ${HEATMAP_SIZE} cells. Each map is shaded against its own busiest cell.`}
      tables={drawn.map((m) => ({
        caption: `${title}: ${m.name} (rows from the top, columns from the left)`,
        head: ['Row', ...columns],
        rows: columns.map((r, y) => [r, ...m.heatmap.slice(y * HEATMAP_SIZE, (y + 1) * HEATMAP_SIZE)]),
      }))}
    >
      <div className="ov-heat-legend" aria-hidden="true">
        <span>fewest</span>
        <span className="ov-heat-ramp" style={{ background: `linear-gradient(to right, ${HEAT_LEGEND.low}, ${HEAT_LEGEND.high})` }} />
        <span>busiest cell</span>
      </div>
      {drawn.length <= MAX_VISIBLE_MAPS ? (
        gallery
      ) : (
        <ScrollBox label={title} maxHeight={MAP_ROWS_SHOWN * MAP_PITCH} hint={`${fmt(drawn.length)} maps: scroll for the rest.`}>
          {gallery}
        </ScrollBox>
      )}
      {without.length > 0 && <p className="ov-note">No shapes to place: {nameList(without, 12)}.</p>}
    </ChartCard>
  );
}
