import { useEffect } from 'react';
import { useApp, useNotices } from '../app/context';
import { dismissNotice, type Notice } from '../state/stores';

/** How long a piece of information stays before it fades; errors stay until dismissed. */
const INFO_MS = 6000;

function NoticeView({ notice }: { readonly notice: Notice }) {
  const { services } = useApp();
  useEffect(() => {
    if (notice.tone !== 'info') return;
    const timer = setTimeout(() => dismissNotice(services.stores, notice.id), INFO_MS);
    return () => clearTimeout(timer);
  }, [notice, services]);
  return (
    <div className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissNotice(services.stores, notice.id)}>
        ×
      </button>
    </div>
  );
}

/**
 * Messages about things that happened: information fades after a few seconds, errors stay until
 * dismissed, at most three at a time. Each is announced as it arrives (status or alert). Where
 * they sit is the page's choice (`className`): over the top of the image on the project page,
 * clear of the cursor readout and of every button.
 */
export function Notices({ className }: { readonly className: string }) {
  const notices = useNotices((s) => s.notices);
  return (
    <div className={`notices ${className}`} role="region" aria-label="Notices">
      {notices.map((n) => (
        <NoticeView key={n.id} notice={n} />
      ))}
    </div>
  );
}
