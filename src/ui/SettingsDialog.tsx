import { useEffect, useState, type FormEvent } from 'react';
import { useApp, useSession } from '../app/context';
import { setAnnotatorName } from '../app/settingsActions';
import { formatBytes } from '../core/units';
import { estimateStorage, type StorageUse } from '../persistence/storage';
import { Dialog } from './common/Dialog';

/** Browser-wide settings: who is annotating, and how much storage Tally uses. */
export function SettingsDialog({ onClose }: { readonly onClose: () => void }) {
  const { services } = useApp();
  const current = useSession((s) => s.annotatorName);
  const [name, setName] = useState(current ?? '');
  const [error, setError] = useState<string | null>(null);
  const [storage, setStorage] = useState<{ use: StorageUse | null; persisted: boolean } | null>(null);

  useEffect(() => {
    void Promise.all([estimateStorage(), navigator.storage?.persisted?.().catch(() => false) ?? Promise.resolve(false)]).then(([use, persisted]) =>
      setStorage({ use, persisted }),
    );
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await setAnnotatorName(services, name);
    if (result.ok) onClose();
    else setError(result.message);
  };

  return (
    <Dialog title="Settings" onClose={onClose}>
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Annotator name</span>
          <input
            autoFocus
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
            aria-invalid={error !== null}
          />
        </label>
        <p className="hint">Every shape you draw in this browser is credited to this name. Leads compare annotators by it.</p>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <section aria-label="Storage" className="storage-info">
          <h3>Storage</h3>
          {storage === null ? (
            <p className="muted">Measuring…</p>
          ) : (
            <p>
              {storage.use ? `${formatBytes(storage.use.usedBytes)} used of ${formatBytes(storage.use.quotaBytes)} available. ` : ''}
              {storage.persisted
                ? 'The browser keeps this data even when disk space runs low.'
                : 'The browser may clear this data if disk space runs low; export your work regularly.'}
            </p>
          )}
        </section>
        <div className="dialog-actions">
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

export function SettingsButton() {
  const { services } = useApp();
  const open = useSession((s) => s.settingsOpen);
  const setOpen = (settingsOpen: boolean) => services.stores.session.setState({ settingsOpen });
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Settings
      </button>
      {open && <SettingsDialog onClose={() => setOpen(false)} />}
    </>
  );
}
