import { useState, type FormEvent } from 'react';
import type { Result } from '../../core/result';
import { Dialog } from './Dialog';

interface NameDialogProps {
  readonly title: string;
  /** Accessible name of the textbox. */
  readonly label: string;
  readonly initial: string;
  readonly submitLabel: string;
  /** Returns an error to show, or ok to close. */
  readonly onSubmit: (value: string) => Promise<Result<unknown>>;
  readonly onClose: () => void;
}

/** Asks for one name (new project, rename…), shows the reason when it is refused. */
export function NameDialog({ title, label, initial, submitLabel, onSubmit, onClose }: NameDialogProps) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const result = await onSubmit(value);
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.message);
  };

  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="dialog-form">
        <label className="field">
          <span>{label}</span>
          <input
            autoFocus
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setError(null);
            }}
            aria-invalid={error !== null}
            aria-describedby={error ? 'name-dialog-error' : undefined}
          />
        </label>
        {error && (
          <p id="name-dialog-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
