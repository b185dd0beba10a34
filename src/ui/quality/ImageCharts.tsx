/**
 * The overview's image-level charts: images per split and per status, image aspect ratios and
 * objects per image. Statuses and image aspects are figured over every split (the overview does not
 * break them down), and say so when a split is chosen.
 */
import { IMAGE_STATUS_LABELS, IMAGE_STATUSES, SPLITS } from '../../core/model';
import type { DatasetOverview } from '../../quality/overview';
import { ChartCard, HALF_WIDTH, THIRD_WIDTH } from './ChartCard';
import { ColumnChart, HBarChart, type BarRow } from './charts';
import {
  argMax,
  ASPECT_LABELS,
  COLUMN_COLOR,
  filterWords,
  fmt,
  imagesIn,
  listNonZero,
  medianBin,
  OBJECTS_LABELS,
  objectsPerImage,
  percent,
  plural,
  SPLIT_COLORS,
  STATUS_COLORS,
  sum,
  type SplitFilter,
} from './overviewData';

interface ImageChartProps {
  readonly overview: DatasetOverview;
  readonly filter: SplitFilter;
}

const NO_IMAGES = 'No images yet.';
const EVERY_SPLIT = 'All splits: this figure is not broken down by split.';

/** Bars of one colour each, with "count · share" after them; rows in the order given. */
function shareRows(items: readonly { key: string; label: string; value: number; color: string }[], total: number): BarRow[] {
  return items.map((it) => ({
    key: it.key,
    label: it.label,
    segments: [{ name: it.label, value: it.value, color: it.color }],
    valueText: `${fmt(it.value)} · ${percent(it.value, total)}`,
  }));
}

export function ImagesPerSplitChart({ overview, filter }: ImageChartProps) {
  const title = 'Images per split';
  const total = sum(SPLITS.map((s) => overview.imagesBySplit[s]));
  const items = SPLITS.map((s) => ({ key: s, label: s, value: overview.imagesBySplit[s], color: SPLIT_COLORS[s] }));
  const label = `${title}: ${items.map((it) => `${it.label} ${fmt(it.value)} (${percent(it.value, total)})`).join(', ')}; ${plural(total, 'image')} in all.`;
  return (
    <ChartCard
      title={title}
      span="third"
      empty={total === 0 ? NO_IMAGES : null}
      note={filter === 'all' ? undefined : 'Every split, for comparison.'}
      tables={[{ caption: title, head: ['Split', 'Images', 'Share'], rows: items.map((it) => [it.label, it.value, percent(it.value, total)]), foot: ['Total', total, '100%'] }]}
    >
      <HBarChart label={label} rows={shareRows(items, total)} width={THIRD_WIDTH} scale="count" />
    </ChartCard>
  );
}

export function ImagesPerStatusChart({ overview, filter }: ImageChartProps) {
  const title = 'Images per status';
  const total = sum(IMAGE_STATUSES.map((s) => overview.imagesByStatus[s]));
  const items = IMAGE_STATUSES.map((s) => ({ key: s, label: IMAGE_STATUS_LABELS[s], value: overview.imagesByStatus[s], color: STATUS_COLORS[s] }));
  const label = `${title}, all splits: ${items.map((it) => `${it.label} ${fmt(it.value)} (${percent(it.value, total)})`).join(', ')}; ${plural(total, 'image')} in all.`;
  return (
    <ChartCard
      title={title}
      span="third"
      empty={total === 0 ? NO_IMAGES : null}
      note={filter === 'all' ? undefined : EVERY_SPLIT}
      tables={[{ caption: title, head: ['Status', 'Images', 'Share'], rows: items.map((it) => [it.label, it.value, percent(it.value, total)]), foot: ['Total', total, '100%'] }]}
    >
      <HBarChart label={label} rows={shareRows(items, total)} width={THIRD_WIDTH} scale="count" />
    </ChartCard>
  );
}

export function ImageAspectChart({ overview, filter }: ImageChartProps) {
  const title = 'Image aspect ratios (width / height)';
  const values = overview.imageAspectBins;
  const total = sum(values);
  const label = `${title}, all splits: ${plural(total, 'image')}; ${listNonZero(ASPECT_LABELS, values)}.`;
  return (
    <ChartCard
      title={title}
      span="third"
      empty={total === 0 ? NO_IMAGES : null}
      note={filter === 'all' ? undefined : EVERY_SPLIT}
      tables={[{ caption: title, head: ['Width / height', 'Images'], rows: ASPECT_LABELS.map((l, i) => [l, values[i] ?? 0]), foot: ['Total', total] }]}
    >
      <ColumnChart label={label} labels={ASPECT_LABELS} values={values} width={THIRD_WIDTH} color={COLUMN_COLOR} axisTitle="width / height (1 is square)" plotHeight={110} />
    </ChartCard>
  );
}

export function ObjectsPerImageChart({ overview, filter }: ImageChartProps) {
  const title = 'Objects per image';
  const values = objectsPerImage(overview, filter);
  const total = imagesIn(overview, filter);
  const median = medianBin(values);
  const mode = argMax(values);
  const last = values.length - 1;
  const label =
    `${title}, ${filterWords(filter)}: ${plural(total, 'image')}; median ${OBJECTS_LABELS[median ?? 0]}; ` +
    `${fmt(values[0] ?? 0)} with none; ${fmt(values[last] ?? 0)} with ${OBJECTS_LABELS[last]}; ` +
    `most often ${OBJECTS_LABELS[mode]} (${plural(values[mode] ?? 0, 'image')}).`;
  return (
    <ChartCard
      title={title}
      span="half"
      empty={total === 0 ? (filter === 'all' ? NO_IMAGES : `No images in ${filterWords(filter)}.`) : null}
      note="The last column counts 20 or more."
      tables={[{ caption: title, head: ['Objects', 'Images'], rows: OBJECTS_LABELS.map((l, i) => [l, values[i] ?? 0]), foot: ['Total', total] }]}
    >
      <ColumnChart label={label} labels={OBJECTS_LABELS} values={values} width={HALF_WIDTH} color={COLUMN_COLOR} axisTitle="objects in the image" />
    </ChartCard>
  );
}
