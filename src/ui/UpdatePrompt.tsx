/// <reference types="vite-plugin-pwa/react" />
import { useRef, useState } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';
import { useJobs, useSave } from '../app/context';
import './UpdatePrompt.css';

/** How often an open tab asks the server for a newer build (only while online). */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * Says when a newer build of Tally has been downloaded (its service worker is waiting) and
 * switches to it only when the user asks — and only while nothing is unsaved: the button waits
 * until the save status is `Saved` and no import is under way, and says so. If another tab
 * switched first, this tab is told to reload instead of being reloaded under the user.
 * In `vite` (dev) there is no service worker and this renders nothing.
 */
export function UpdatePrompt() {
  const [registration, setRegistration] = useState<ServiceWorkerRegistration | null>(null);
  /** The waiting worker the user said "Later" to: not announced again (a newer one is). */
  const [dismissed, setDismissed] = useState<ServiceWorker | null>(null);
  const [updatedElsewhere, setUpdatedElsewhere] = useState(false);
  const accepted = useRef(false);
  const {
    needRefresh: [needRefresh, setNeedRefresh],
  } = useRegisterSW({
    onRegisteredSW(_url, r) {
      if (!r) return;
      setRegistration(r);
      setInterval(() => {
        if (navigator.onLine) r.update().catch(() => undefined); // offline or server gone: next time
      }, CHECK_EVERY_MS);
    },
    // A new worker took control of this tab. Given, the library would reload the page itself.
    onNeedReload() {
      if (!accepted.current) setUpdatedElsewhere(true);
    },
  });
  const unsaved = useSave((s) => s.status.state !== 'saved');
  const importing = useJobs((s) => s.job !== null);

  const waiting = registration?.waiting ?? null;
  const announced = needRefresh && !(dismissed !== null && waiting === dismissed);
  if (!announced && !updatedElsewhere) return null;

  const waitingFor = unsaved ? 'your edits are saved' : importing ? 'the import finishes' : null;
  const reload = () => {
    if (updatedElsewhere || !waiting) {
      window.location.reload();
      return;
    }
    // Reload once the new worker is active (whether or not it controls this tab yet: a tab
    // opened before any worker was installed is not controlled, and gets no controllerchange).
    accepted.current = true;
    waiting.addEventListener('statechange', () => {
      if (waiting.state === 'activated') window.location.reload();
    });
    waiting.postMessage({ type: 'SKIP_WAITING' }); // Workbox's generated worker then activates
  };
  const later = () => {
    setDismissed(waiting);
    setNeedRefresh(false);
  };

  return (
    <section className="update-prompt" aria-label="Update available">
      <p role="status">
        {updatedElsewhere ? 'Tally was updated in another tab: reload this tab to keep working.' : 'A new version of Tally is ready.'}
        {waitingFor && ` Reloading waits until ${waitingFor}.`}
      </p>
      <div className="update-prompt-actions">
        {!updatedElsewhere && (
          <button type="button" onClick={later}>
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
