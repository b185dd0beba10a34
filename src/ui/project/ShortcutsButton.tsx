import { useState } from 'react';
import { useShortcut } from '../../app/useShortcuts';
import { ShortcutsDialog } from '../ShortcutsDialog';

/** Button and `?` key for the shortcut overlay. */
export function ShortcutsButton() {
  const [open, setOpen] = useState(false);
  useShortcut({ id: 'help.shortcuts', keys: ['?'], description: 'Show keyboard shortcuts', group: 'Help' }, () => {
    setOpen(true);
    return true;
  });
  return (
    <>
      <button type="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setOpen(true)}>
        ?
      </button>
      {open && <ShortcutsDialog onClose={() => setOpen(false)} />}
    </>
  );
}
