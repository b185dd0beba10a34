/** How many characters at the end of a file name always stay visible (the number and extension tell images apart). */
const KEEP_END = 12;

/**
 * A file name that shortens in the middle (`lisbon_tram_st…_001.jpg`): the start gives way with
 * an ellipsis while the end stays, so names that differ only at the end remain readable.
 */
export function FileName({ name, title, className }: { readonly name: string; readonly title: string; readonly className: string }) {
  // Short names are not split: a split start of a few letters would only add a gap.
  const cut = name.length > KEEP_END + 8 ? name.length - KEEP_END : 0;
  return (
    <span className={`file-name ${className}`} title={title}>
      {cut > 0 && <span className="file-name-start">{name.slice(0, cut)}</span>}
      <span className="file-name-end">{name.slice(cut)}</span>
    </span>
  );
}
