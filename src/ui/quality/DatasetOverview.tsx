import { useMemo, useState } from 'react';
import type { LabelClass } from '../../core/model';
import type { DatasetOverview } from '../../quality/overview';
import { BoxSizesChart, CentreHeatmaps, InstancesChart, ShapeAspectChart } from './ClassCharts';
import { ImageAspectChart, ImagesPerSplitChart, ImagesPerStatusChart, ObjectsPerImageChart } from './ImageCharts';
import { classFigures, filterWords, imagesIn, plural, SPLIT_FILTERS, sum, type SplitFilter } from './overviewData';

export type { SplitFilter } from './overviewData';

export interface DatasetOverviewViewProps {
  /** The figures, computed elsewhere (the check worker). */
  readonly overview: DatasetOverview;
  /** The project's classes: their current names, colours and order. */
  readonly classes: readonly LabelClass[];
  /** The split shown first (default 'all'); the user changes it with the view's select. */
  readonly split?: SplitFilter;
}

/**
 * The Dataset overview's charts (UI-CONTRACT.md, "Checking"): presentational only, it draws the
 * figures it is given. A select **Show split** narrows the per-shape charts to one split; every
 * chart has an aria-label that states its figures and a table of the exact numbers.
 */
export function DatasetOverviewView({ overview, classes, split = 'all' }: DatasetOverviewViewProps) {
  const [filter, setFilter] = useState<SplitFilter>(split);
  const rows = useMemo(() => classFigures(overview, classes, filter), [overview, classes, filter]);
  const images = imagesIn(overview, filter);
  const shapes = sum(rows.map((r) => r.figures.instances));
  return (
    <div className="ov">
      <div className="ov-bar">
        <label className="inline-field">
          <span>Show split</span>
          <select value={filter} onChange={(e) => setFilter(SPLIT_FILTERS.find((f) => f === e.target.value) ?? 'all')}>
            {SPLIT_FILTERS.map((f) => (
              <option key={f} value={f}>
                {f === 'all' ? 'All splits' : f} ({plural(imagesIn(overview, f), 'image')})
              </option>
            ))}
          </select>
        </label>
        <p className="ov-summary" aria-live="polite">
          {`${filterWords(filter)[0]!.toUpperCase()}${filterWords(filter).slice(1)}: ${plural(images, 'image')}, ${plural(shapes, 'shape')} in ${plural(rows.length, 'class', 'classes')}.`}
        </p>
      </div>
      <div className="ov-grid">
        <ImagesPerSplitChart overview={overview} filter={filter} />
        <ImagesPerStatusChart overview={overview} filter={filter} />
        <ImageAspectChart overview={overview} filter={filter} />
        <InstancesChart rows={rows} filter={filter} unknownShapes={overview.unknownClassShapes} />
        <BoxSizesChart rows={rows} filter={filter} />
        <ObjectsPerImageChart overview={overview} filter={filter} />
        <ShapeAspectChart rows={rows} filter={filter} />
        <CentreHeatmaps rows={rows} filter={filter} />
      </div>
    </div>
  );
}
