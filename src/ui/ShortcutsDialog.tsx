import { useSyncExternalStore } from 'react';
import { describeChord, type Shortcut } from '../app/shortcuts';
import { useShortcutRegistry } from '../app/useShortcuts';
import { Dialog } from './common/Dialog';

const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform);
/** Groups in the order a person meets them; unknown groups go last. */
const GROUP_ORDER = ['Images', 'Classes', 'Tools', 'Edit', 'View', 'Help'];
const rank = (g: string) => (GROUP_ORDER.includes(g) ? GROUP_ORDER.indexOf(g) : GROUP_ORDER.length);

/** Every shortcut that works right now, grouped, straight from the registry. */
export function ShortcutsDialog({ onClose }: { readonly onClose: () => void }) {
  const registry = useShortcutRegistry();
  const shortcuts = useSyncExternalStore(registry.subscribe, registry.snapshot);
  const groups = new Map<string, Shortcut[]>();
  for (const s of shortcuts) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  const mac = isMac();
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} className="shortcuts-dialog">
      {[...groups].sort(([a], [b]) => rank(a) - rank(b)).map(([group, list]) => (
        <section key={group}>
          <h3>{group}</h3>
          <dl className="shortcut-list">
            {list.map((s) => (
              <div key={s.id} className="shortcut-row">
                <dt>
                  {s.keysLabel ? (
                    <kbd>{s.keysLabel}</kbd>
                  ) : (
                    s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && ' or '}
                        <kbd>{describeChord(k, mac)}</kbd>
                      </span>
                    ))
                  )}
                </dt>
                <dd>{s.description}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <div className="dialog-actions">
        <button type="button" autoFocus onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
