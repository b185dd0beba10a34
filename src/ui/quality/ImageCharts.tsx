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

interface CountItem {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

/** Images counted by one property: a bar of its own colour per value, "count · share" after it. */
function ImageCountsCard({ title, scope, head, items, note }: { readonly title: string; readonly scope: string; readonly head: string; readonly items: readonly CountItem[]; readonly note?: string }) {
  const total = sum(items.map((it) => it.value));
  const label = `${title}${scope}: ${items.map((it) => `${it.label} ${fmt(it.value)} (${percent(it.value, total)})`).join(', ')}; ${plural(total, 'image')} in all.`;
  const bars: BarRow[] = items.map((it) => ({
    key: it.key,
    label: it.label,
    segments: [{ name: it.label, value: it.value, color: it.color }],
    valueText: `${fmt(it.value)} · ${percent(it.value, total)}`,
  }));
  return (
    <ChartCard
      title={title}
      span="third"
      empty={total === 0 ? NO_IMAGES : null}
      note={note}
      tables={[{ caption: title, head: [head, 'Images', 'Share'], rows: items.map((it) => [it.label, it.value, percent(it.value, total)]), foot: ['Total', total, '100%'] }]}
    >
      <HBarChart name={title} label={label} rows={bars} width={THIRD_WIDTH} scale="count" />
    </ChartCard>
  );
}

export function ImagesPerSplitChart({ overview, filter }: ImageChartProps) {
  return (
    <ImageCountsCard
      title="Images per split"
      scope=""
      head="Split"
      items={SPLITS.map((s) => ({ key: s, label: s, value: overview.imagesBySplit[s], color: SPLIT_COLORS[s] }))}
      note={filter === 'all' ? undefined : 'Every split, for comparison.'}
    />
  );
}

export function ImagesPerStatusChart({ overview, filter }: ImageChartProps) {
  return (
    <ImageCountsCard
      title="Images per status"
      scope=", all splits"
      head="Status"
      items={IMAGE_STATUSES.map((s) => ({ key: s, label: IMAGE_STATUS_LABELS[s], value: overview.imagesByStatus[s], color: STATUS_COLORS[s] }))}
      note={filter === 'all' ? undefined : EVERY_SPLIT}
    />
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
