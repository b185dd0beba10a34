import { useId, useState } from 'react';

/** The agreement settings the Review figures were (or are to be) computed with. */
export interface ReviewSettingsValue {
  /** τ, in (0, 1]. */
  readonly iouThreshold: number;
  /** τ_low, in [τ, 1]. */
  readonly lowOverlapThreshold: number;
  /** Votes a class needs in a cluster; 0 means a strict majority. */
  readonly quorum: number;
}

interface FieldProps {
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly integer?: boolean;
  readonly hint: string;
  readonly disabled: boolean;
  readonly onChange: (value: number) => void;
}

/**
 * A number field that reports only valid values: while the user types, the text is theirs (so
 * "0." can become "0.45"); each valid value is passed on at once; leaving the field shows the
 * value in force again.
 */
function NumberField({ label, value, min, max, step, integer = false, hint, disabled, onChange }: FieldProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const id = useId();
  const hintId = `${id}-hint`;
  const valid = (text: string): boolean => {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n));
  };
  const invalid = draft !== null && !valid(draft);
  return (
    // The hint sits outside the <label> so that the field's accessible name is the label alone.
    <div className="rv-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={min}
        max={max}
        step={step}
        value={draft ?? String(value)}
        disabled={disabled}
        aria-invalid={invalid}
        aria-describedby={hintId}
        onChange={(e) => {
          setDraft(e.target.value);
          if (valid(e.target.value)) onChange(Number(e.target.value));
        }}
        onBlur={() => setDraft(null)}
      />
      <span id={hintId} className={invalid ? 'rv-field-hint rv-field-error' : 'rv-field-hint'}>
        {invalid ? `${min}–${max}` : hint}
      </span>
    </div>
  );
}

export interface ReviewSettingsProps {
  readonly value: ReviewSettingsValue;
  readonly onChange: (next: ReviewSettingsValue) => void;
  /** Annotators compared: the largest sensible quorum. */
  readonly annotators: number;
  readonly disabled?: boolean;
}

/**
 * τ, τ_low and the quorum, as controlled fields (the app keeps them in the project's settings).
 * τ may not pass τ_low nor τ_low fall below τ: each field's range follows the other's value.
 */
export function ReviewSettings({ value, onChange, annotators, disabled = false }: ReviewSettingsProps) {
  return (
    <fieldset className="rv-settings" disabled={disabled}>
      <legend className="visually-hidden">Agreement settings</legend>
      <NumberField
        label="IoU threshold τ"
        value={value.iouThreshold}
        min={0.05}
        max={value.lowOverlapThreshold}
        step={0.05}
        hint="match at IoU ≥ τ"
        disabled={disabled}
        onChange={(iouThreshold) => onChange({ ...value, iouThreshold })}
      />
      <NumberField
        label="Low overlap τ_low"
        value={value.lowOverlapThreshold}
        min={value.iouThreshold}
        max={1}
        step={0.05}
        hint="flag matches below"
        disabled={disabled}
        onChange={(lowOverlapThreshold) => onChange({ ...value, lowOverlapThreshold })}
      />
      <NumberField
        label="Quorum"
        value={value.quorum}
        min={0}
        max={Math.max(annotators, value.quorum)}
        step={1}
        integer
        hint="votes; 0 = majority"
        disabled={disabled}
        onChange={(quorum) => onChange({ ...value, quorum })}
      />
    </fieldset>
  );
}
