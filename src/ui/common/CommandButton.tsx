import type { ReactNode } from 'react';
import { useApp } from '../../app/context';
import { isMac } from '../../app/keyboard';
import { useCommandState } from '../../app/useCommands';

interface CommandButtonProps {
  /** The registered command's id. */
  readonly command: string;
  readonly className?: string;
  /** What the button shows; its accessible name is always the command's label. */
  readonly children?: ReactNode;
}

/**
 * A button for a registered command: its accessible name is the command's label, its tooltip
 * names the keys (or says why it is disabled), and a click runs it through the registry, which
 * reports the result like a key press would.
 */
export function CommandButton({ command, className, children }: CommandButtonProps) {
  const { commands } = useApp();
  const state = useCommandState(command);
  const label = commands.get(command)?.label ?? command;
  return (
    <button
      type="button"
      className={className}
      aria-label={label}
      aria-pressed={state.pressed ?? undefined}
      title={commands.tooltip(command, isMac())}
      disabled={!state.enabled}
      onClick={() => void commands.run(command)}
    >
      {children ?? label}
    </button>
  );
}
