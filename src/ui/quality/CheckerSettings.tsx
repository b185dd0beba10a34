import { useState, type FormEvent } from 'react';
import { useApp, useDocument } from '../../app/context';
import { changeSettings } from '../../core/projectCommands';
import { DEFAULT_QUALITY_SETTINGS, qualitySettingsOf, type QualitySettings } from '../../quality';
import { Dialog } from '../common/Dialog';

type Field = keyof QualitySettings;

/** Every threshold, grouped as QUALITY.md groups the rules, with the words a lead reads. */
const GROUPS: readonly { readonly title: string; readonly fields: readonly (readonly [Field, string])[] }[] = [
  {
    title: 'Agreement between annotators',
    fields: [
      ['matchIoU', 'Match IoU τ (same object at or above)'],
      ['lowOverlapIoU', 'Low overlap below IoU τ_low'],
      ['quorum', 'Votes a class needs (0: majority)'],
    ],
  },
  {
    title: 'Shapes',
    fields: [
      ['tinyBoxMinSide', 'Tiny box: shorter side below (px)'],
      ['outOfImageTolerance', 'Out of image by more than (px)'],
      ['duplicateIoU', 'Duplicate: same class, IoU at or above'],
      ['stackedConflictIoU', 'Stacked conflict: other class, IoU at or above'],
      ['outlierIqrFactor', 'Size / aspect outlier: k × IQR'],
      ['outlierMinInstances', 'Outliers only in classes with at least (shapes)'],
    ],
  },
  {
    title: 'Coverage',
    fields: [
      ['imbalanceSevereFactor', 'Severe imbalance: share below × 1/K'],
      ['imbalanceRatio', 'Under-represented: below × the largest class'],
      ['rareClassMinInstances', 'Rare in val or test: fewer than (shapes)'],
      ['backgroundShareMax', 'Background images at most (share)'],
      ['oddAspectMin', 'Odd image aspect: min(w/h, h/w) below'],
    ],
  },
  {
    title: 'Duplicates and leakage',
    fields: [
      ['nearDuplicateDistance', 'Near duplicate: pHash distance up to (bits)'],
      ['nearCertainDistance', 'Near-certain: up to (bits)'],
    ],
  },
  {
    title: 'Image properties',
    fields: [
      ['darkLuminance', 'Too dark: mean luminance below'],
      ['brightLuminance', 'Too bright: mean luminance above'],
      ['blurVariance', 'Blurry: Laplacian variance below'],
      ['lowInformationEntropy', 'Low information: entropy below (bits)'],
      ['oddSizeRatio', 'Odd size: × off the median'],
    ],
  },
];

/**
 * Every checker threshold of this project, with its default beside it. Saved as one undoable
 * change of the project's settings; the next check (a re-check starts at once) uses them.
 */
export function CheckerSettingsDialog({ onClose }: { readonly onClose: () => void }) {
  const { services } = useApp();
  const project = useDocument((s) => s.doc?.project ?? null);
  const current = project ? qualitySettingsOf(project.settings) : null;
  const [draft, setDraft] = useState<Record<Field, string>>(() => {
    const base = current?.ok ? current.value : { ...DEFAULT_QUALITY_SETTINGS, matchIoU: project?.settings.iouThreshold ?? DEFAULT_QUALITY_SETTINGS.matchIoU };
    return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, String(v)])) as Record<Field, string>;
  });
  const [error, setError] = useState<string | null>(current && !current.ok ? current.message : null);
  if (!project) return null;

  const save = (e: FormEvent) => {
    e.preventDefault();
    const values = Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, v.trim() === '' ? Number.NaN : Number(v)])) as Record<Field, number>;
    const { matchIoU, ...rest } = values;
    // Only what differs from the defaults is kept: a later change of a default reaches the project.
    const quality = Object.fromEntries(Object.entries(rest).filter(([k, v]) => v !== DEFAULT_QUALITY_SETTINGS[k as Field]));
    const settings = { ...project.settings, iouThreshold: matchIoU, quality };
    const checked = qualitySettingsOf(settings);
    if (!checked.ok) return setError(checked.message);
    const changed = changeSettings(project, settings, Date.now());
    if (!changed.ok) return setError(changed.message);
    if (services.editor.commit(changed.value, { label: 'change checker settings' }) === null) return setError('This tab is read-only.');
    onClose();
  };

  return (
    <Dialog title="Checker settings" onClose={onClose} className="checker-settings">
      <form className="dialog-form" onSubmit={save}>
        <div className="settings-groups">
          {GROUPS.map((g) => (
            <fieldset key={g.title}>
              <legend>{g.title}</legend>
              {g.fields.map(([field, label]) => (
                <label key={field} className="settings-field">
                  <span>{label}</span>
                  <input
                    type="number"
                    step="any"
                    value={draft[field]}
                    onChange={(e) => {
                      setDraft((d) => ({ ...d, [field]: e.target.value }));
                      setError(null);
                    }}
                  />
                  <span className="muted small">default {DEFAULT_QUALITY_SETTINGS[field].toLocaleString('en', { maximumFractionDigits: 3 })}</span>
                </label>
              ))}
            </fieldset>
          ))}
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button
            type="button"
            onClick={() => setDraft(Object.fromEntries(Object.entries(DEFAULT_QUALITY_SETTINGS).map(([k, v]) => [k, String(v)])) as Record<Field, string>)}
          >
            Reset to defaults
          </button>
          <span className="toolbar-spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
