import { useApp, useNotices } from '../app/context';
import { dismissNotice } from '../state/stores';

/** Messages about things that happened (errors a user caused or must know about). */
export function Notices() {
  const { services } = useApp();
  const notices = useNotices((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.tone}`} role={n.tone === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissNotice(services.stores, n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
