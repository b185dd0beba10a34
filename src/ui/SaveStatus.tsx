import { useApp, useSave } from '../app/context';

/**
 * Reads "Saved" only when every edit so far is committed to IndexedDB. A change the browser
 * refused for good is named here until the user dismisses it (it was taken back off the screen).
 */
export function SaveStatus() {
  const { services } = useApp();
  const status = useSave((s) => s.status);
  const text = status.state === 'saved' ? 'Saved' : status.state === 'saving' ? 'Saving…' : status.message;
  const problem = status.state === 'error' || status.state === 'refused';
  return (
    <span className="save-status-wrap">
      <span className={`save-status save-${problem ? 'error' : status.state}`} role={problem ? 'alert' : 'status'} aria-label="Save status" title={text}>
        {text}
      </span>
      {status.state === 'refused' && (
        <button type="button" className="icon-button" aria-label="Dismiss save error" title="Dismiss" onClick={() => services.queue.dismissRefusal()}>
          ×
        </button>
      )}
    </span>
  );
}
