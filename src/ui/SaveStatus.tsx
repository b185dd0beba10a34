import { useSave } from '../app/context';

/** Reads "Saved" only when every edit so far is committed to IndexedDB. */
export function SaveStatus() {
  const status = useSave((s) => s.status);
  const text = status.state === 'saved' ? 'Saved' : status.state === 'saving' ? 'Saving…' : status.message;
  return (
    <span className={`save-status save-${status.state}`} role="status" aria-label="Save status" title={text}>
      {text}
    </span>
  );
}
