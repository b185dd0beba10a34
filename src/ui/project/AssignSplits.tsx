import { useMemo, useState, type FormEvent } from 'react';
import { useApp, useDocument } from '../../app/context';
import { assignSplits, describeSplitSummary } from '../../app/imageActions';
import { DEFAULT_SETTINGS, type SplitRatios } from '../../core/model';
import { planSplits } from '../../core/splits';
import { pushNotice } from '../../state/stores';
import { Dialog } from '../common/Dialog';

const FIELDS = [
  { key: 'train', label: 'Train' },
  { key: 'val', label: 'Val' },
  { key: 'test', label: 'Test' },
] as const;

type Percentages = Record<keyof SplitRatios, string>;

/** Percentages from fractions, rounded to what a person would type (0.8 → "80"). */
const toPercent = (fraction: number): string => String(Math.round(fraction * 10_000) / 100);

function readPercentages(p: Percentages): { ratios: SplitRatios | null; error: string | null } {
  const values = FIELDS.map((f) => (p[f.key].trim() === '' ? NaN : Number(p[f.key])));
  if (values.some((v) => !Number.isFinite(v) || v < 0 || v > 100)) return { ratios: null, error: 'Each percentage must be a number from 0 to 100.' };
  const sum = values.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 100) > 1e-9) return { ratios: null, error: `The percentages add up to ${Math.round(sum * 100) / 100}; they must add up to 100.` };
  const [train, val, test] = values as [number, number, number];
  return { ratios: { train: train / 100, val: val / 100, test: test / 100 }, error: null };
}

const plural = (n: number, noun: string): string => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;

/** Asks for ratios and a seed, then gives every unassigned image a split (one undo step). */
function AssignSplitsDialog({ onClose }: { readonly onClose: () => void }) {
  const { services } = useApp();
  const images = useDocument((s) => s.doc?.images);
  const defaults = useDocument((s) => s.doc?.project.settings.splitRatios) ?? DEFAULT_SETTINGS.splitRatios;
  const readOnly = useDocument((s) => s.mode === 'read-only');
  const [percent, setPercent] = useState<Percentages>(() => ({ train: toPercent(defaults.train), val: toPercent(defaults.val), test: toPercent(defaults.test) }));
  const [seed, setSeed] = useState('1');
  const [error, setError] = useState<string | null>(null);

  // Which images would move and in how many groups does not depend on the ratios or the seed.
  const preview = useMemo(() => {
    const plan = planSplits(images ?? [], DEFAULT_SETTINGS.splitRatios, 1);
    return plan.ok ? plan.value.summary : null;
  }, [images]);
  const toAssign = preview ? preview.train + preview.val + preview.test : 0;

  const { ratios, error: ratioError } = readPercentages(percent);
  const seedValue = Number(seed);
  const seedError = seed.trim() === '' || !Number.isSafeInteger(seedValue) || seedValue < 0 ? 'The seed must be a whole number of 0 or more.' : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ratios || seedError) return;
    const result = assignSplits(services, ratios, seedValue);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    pushNotice(services.stores, 'info', describeSplitSummary(result.value));
    onClose();
  };

  return (
    <Dialog title="Assign splits" onClose={onClose} className="splits-dialog">
      <form className="dialog-form" onSubmit={submit} noValidate>
        <fieldset className="split-ratios">
          <legend>Ratios (%)</legend>
          {FIELDS.map((f, i) => (
            <label key={f.key} className="field field-number">
              <span>{f.label}</span>
              <input
                type="number"
                min={0}
                max={100}
                step={1}
                autoFocus={i === 0}
                value={percent[f.key]}
                aria-invalid={ratioError !== null}
                aria-describedby={ratioError ? 'split-ratio-error' : undefined}
                onChange={(e) => {
                  setPercent({ ...percent, [f.key]: e.target.value });
                  setError(null);
                }}
              />
            </label>
          ))}
        </fieldset>
        {ratioError && (
          <p id="split-ratio-error" className="field-error" role="alert">
            {ratioError}
          </p>
        )}
        <label className="field field-number split-seed">
          <span>Seed</span>
          <input
            type="number"
            min={0}
            step={1}
            value={seed}
            aria-invalid={seedError !== null}
            aria-describedby={seedError ? 'split-seed-error' : 'split-seed-hint'}
            onChange={(e) => {
              setSeed(e.target.value);
              setError(null);
            }}
          />
        </label>
        {seedError ? (
          <p id="split-seed-error" className="field-error" role="alert">
            {seedError}
          </p>
        ) : (
          <p id="split-seed-hint" className="hint">
            The same seed gives the same assignment. Images already in a split stay there.
          </p>
        )}
        <p className="split-preview" aria-live="polite">
          {toAssign === 0
            ? 'No unassigned images to assign.'
            : `${plural(toAssign, 'unassigned image')} will be assigned, in ${plural(preview!.groups, 'group')}` +
              (preview!.groupsKeptTogether > 0 ? ` (${plural(preview!.groupsKeptTogether, 'duplicate group')} kept together).` : '.')}
          {preview && preview.conflictingGroups > 0 && ` ${plural(preview.conflictingGroups, 'duplicate group')} already spanning several splits ${preview.conflictingGroups === 1 ? 'is' : 'are'} left alone.`}
        </p>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={ratioError !== null || seedError !== null || toAssign === 0 || readOnly}>
            Assign
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Button **Assign splits** (UI-CONTRACT.md) and its dialog. */
export function AssignSplitsButton() {
  const readOnly = useDocument((s) => s.mode === 'read-only');
  const hasImages = useDocument((s) => (s.doc?.images.length ?? 0) > 0);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        disabled={readOnly || !hasImages}
        title={readOnly ? 'This tab is read-only' : 'Give unassigned images a split, keeping duplicates together'}
        onClick={() => setOpen(true)}
      >
        Assign splits
      </button>
      {open && <AssignSplitsDialog onClose={() => setOpen(false)} />}
    </>
  );
}
