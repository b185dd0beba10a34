interface ProgressBarProps {
  readonly label: string;
  readonly value: number;
  /** null: indeterminate (how much work there is is not known yet). */
  readonly max: number | null;
}

/** A progress bar that screen readers and tests read through aria-valuenow/max. */
export function ProgressBar({ label, value, max }: ProgressBarProps) {
  if (max === null) {
    return (
      <div className="progress progress-indeterminate" role="progressbar" aria-label={label}>
        <div className="progress-fill" />
      </div>
    );
  }
  const pct = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
