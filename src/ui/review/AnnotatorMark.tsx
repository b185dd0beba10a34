import type { AnnotatorColour } from '../../quality';

/**
 * An annotator's mark: a swatch in their colour (solid, or outlined dashed/dotted from the eighth
 * annotator on, as on the canvas) followed by the name.
 */
export function AnnotatorMark({ name, mark }: { readonly name: string; readonly mark: AnnotatorColour | undefined }) {
  const colour = mark?.colour ?? 'var(--muted)';
  const dash = mark?.dash ?? [];
  const style = dash.length === 0 ? { background: colour } : { border: `2px ${dash[0]! > 3 ? 'dashed' : 'dotted'} ${colour}` };
  return (
    <span className="rv-annotator">
      <span className="rv-mark" style={style} aria-hidden="true" />
      {name}
    </span>
  );
}
