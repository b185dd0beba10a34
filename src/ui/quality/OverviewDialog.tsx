import { useEffect, useState } from 'react';
import { useApp, useCheck, useDocument } from '../../app/context';
import type { DatasetOverview } from '../../quality';
import { Dialog } from '../common/Dialog';
import { DatasetOverviewView } from './DatasetOverview';

/** The Dataset overview: the check worker computes the figures of one layer (or all); the view charts them. */
export function OverviewDialog({ onClose }: { readonly onClose: () => void }) {
  const { checks } = useApp();
  const classes = useDocument((s) => s.doc?.project.classes ?? []);
  const annotators = useCheck((s) => s.result?.annotators ?? null);
  const [layer, setLayer] = useState<string | null>(null);
  const [figures, setFigures] = useState<{ readonly layer: string | null; readonly overview: DatasetOverview } | { readonly error: string } | null>(null);

  useEffect(() => {
    let live = true;
    checks.overview(layer).then(
      (overview) => live && setFigures({ layer, overview }),
      (e: unknown) => live && setFigures({ error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [checks, layer]);

  return (
    <Dialog title="Dataset overview" onClose={onClose} className="overview-dialog">
      <button type="button" className="dialog-close icon-button" aria-label="Close" autoFocus onClick={onClose}>
        ×
      </button>
      {annotators && annotators.length > 1 && (
        <label className="inline-field overview-layer">
          <span>Annotations from</span>
          <select value={layer ?? ''} onChange={(e) => setLayer(e.target.value === '' ? null : e.target.value)}>
            <option value="">every annotator</option>
            {annotators.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
      )}
      {figures === null ? (
        <p className="muted" role="status">
          Counting…
        </p>
      ) : 'error' in figures ? (
        <p className="field-error" role="alert">
          {figures.error}
        </p>
      ) : (
        <DatasetOverviewView overview={figures.overview} classes={classes} />
      )}
    </Dialog>
  );
}
