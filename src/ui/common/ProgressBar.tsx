interface ProgressBarProps {
  readonly label: string;
  readonly value: number;
  readonly max: number;
}

/** A determinate progress bar that screen readers and tests read through aria-valuenow/max. */
export function ProgressBar({ label, value, max }: ProgressBarProps) {
  const pct = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
