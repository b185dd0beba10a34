import { useEffect, useEffectEvent, useId, useRef, type ReactNode } from 'react';
import { useScope } from '../../app/useCommands';

interface DialogProps {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** Extra class for sizing. */
  readonly className?: string;
}

/**
 * A modal dialog on the native <dialog>: focus is trapped and restored by the browser, Escape
 * closes it, and the page behind is inert. Rendered only while open.
 */
export function Dialog({ title, onClose, children, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closed = useEffectEvent(() => onClose());
  // A modal dialog owns the keyboard: no editor key reaches the page behind it.
  useScope('dialog');

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    dialog.showModal();
    // A close event can arrive for an earlier close after the dialog was shown again (React's
    // development mode mounts effects twice): only a dialog that is really closed closes.
    const handleClose = () => {
      if (!dialog.open) closed();
    };
    dialog.addEventListener('close', handleClose);
    return () => {
      dialog.removeEventListener('close', handleClose);
      if (dialog.open) dialog.close();
    };
  }, []);

  return (
    <dialog ref={ref} aria-labelledby={titleId} className={`dialog ${className ?? ''}`}>
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
