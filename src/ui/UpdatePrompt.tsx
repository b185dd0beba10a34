/// <reference types="vite-plugin-pwa/react" />
import { useRef, useState } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';
import { useJobs, useSave } from '../app/context';
import './UpdatePrompt.css';

/** How often an open tab asks the server for a newer build (only while online). */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * Says when a newer build of Tally has been downloaded (its service worker is waiting) and
 * reloads into it only when the user asks — and only while nothing is unsaved: the button waits
 * until the save status is `Saved` and no import is under way, and says so. If another tab
 * accepted the update first, this tab is told to reload instead of being reloaded under the user.
 * In `vite` (dev) there is no service worker and this renders nothing.
 */
export function UpdatePrompt() {
  const accepted = useRef(false);
  const [updatedElsewhere, setUpdatedElsewhere] = useState(false);
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      setInterval(() => {
        if (navigator.onLine) registration.update().catch(() => undefined); // offline or server gone: try next time
      }, CHECK_EVERY_MS);
    },
    // The new worker has taken control: reload if this tab asked for it, else say so.
    onNeedReload() {
      if (accepted.current) window.location.reload();
      else setUpdatedElsewhere(true);
    },
  });
  const unsaved = useSave((s) => s.status.state !== 'saved');
  const importing = useJobs((s) => s.job !== null);

  if (!needRefresh && !updatedElsewhere) return null;

  const waitingFor = unsaved ? 'your edits are saved' : importing ? 'the import finishes' : null;
  const reload = () => {
    if (updatedElsewhere) {
      window.location.reload();
      return;
    }
    accepted.current = true;
    void updateServiceWorker(true);
  };

  return (
    <section className="update-prompt" aria-label="Update available">
      <p role="status">
        {updatedElsewhere ? 'Tally was updated in another tab: reload this tab to keep working.' : 'A new version of Tally is ready.'}
        {waitingFor && ` Reloading waits until ${waitingFor}.`}
      </p>
      <div className="update-prompt-actions">
        {!updatedElsewhere && (
          <button type="button" onClick={() => setNeedRefresh(false)}>
            Later
          </button>
        )}
        <button type="button" className="primary" disabled={waitingFor !== null} onClick={reload}>
          Reload to update
        </button>
      </div>
    </section>
  );
}
