import { useSyncExternalStore } from 'react';
import { describeChord, type Command } from '../app/commands';
import { useApp } from '../app/context';
import { isMac } from '../app/keyboard';
import { Dialog } from './common/Dialog';

/** Groups in the order a person meets them; unknown groups go last. */
const GROUP_ORDER = ['Images', 'Classes', 'Tools', 'Drawing', 'Edit', 'View', 'Checking', 'Review', 'Help'];
const rank = (g: string) => (GROUP_ORDER.includes(g) ? GROUP_ORDER.indexOf(g) : GROUP_ORDER.length);

function Keys({ command, mac }: { readonly command: Command; readonly mac: boolean }) {
  if (command.keysLabel) return <kbd>{command.keysLabel}</kbd>;
  return (
    <>
      {(command.keys ?? []).map((k, i) => (
        <span key={k}>
          {i > 0 && ' or '}
          <kbd>{describeChord(k, mac)}</kbd>
        </span>
      ))}
    </>
  );
}

/** Every shortcut of the screen behind it, grouped, straight from the command registry; in columns, so it fits a laptop screen. */
export function ShortcutsDialog() {
  const { commands, services } = useApp();
  const listed = useSyncExternalStore(commands.subscribe, commands.listed);
  const groups = new Map<string, Command[]>();
  for (const c of listed) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  const mac = isMac();
  const close = () => services.stores.session.setState({ shortcutsOpen: false });
  return (
    <Dialog title="Keyboard shortcuts" onClose={close} className="shortcuts-dialog">
      {/* First in the dialog and focused: the dialog opens at its top. */}
      <button type="button" className="dialog-close icon-button" aria-label="Close" autoFocus onClick={close}>
        ×
      </button>
      <div className="shortcut-groups">
        {[...groups].sort(([a], [b]) => rank(a) - rank(b)).map(([group, list]) => (
          <section key={group} className="shortcut-group">
            <h3>{group}</h3>
            <dl className="shortcut-list">
              {list.map((c) => (
                <div key={c.id} className="shortcut-row">
                  <dt>
                    <Keys command={c} mac={mac} />
                  </dt>
                  <dd>{c.description ?? c.label}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <p className="muted small">Keys work whenever no text field has the focus; Escape leaves a text field.</p>
    </Dialog>
  );
}
