import type { ToolId } from '../../tools';
import { CommandButton } from '../common/CommandButton';
import { TOOL_ICONS } from '../common/icons';

const TOOLS: readonly { id: ToolId; key: string }[] = [
  { id: 'select', key: 'V' },
  { id: 'box', key: 'B' },
  { id: 'polygon', key: 'P' },
  { id: 'pan', key: 'H' },
];

/** Tools, history and view controls above the canvas: each button is a registered command (its key in the tooltip and the ? overlay). */
export function Toolbar() {
  return (
    <div className="toolbar" role="toolbar" aria-label="Tools">
      <div className="tool-group">
        {TOOLS.map((t) => (
          <CommandButton key={t.id} command={`tool.${t.id}`} className="tool-button">
            {TOOL_ICONS[t.id]}
            <kbd>{t.key}</kbd>
          </CommandButton>
        ))}
      </div>
      <div className="tool-group">
        <CommandButton command="edit.undo">
          <span aria-hidden="true">↶</span>
        </CommandButton>
        <CommandButton command="edit.redo">
          <span aria-hidden="true">↷</span>
        </CommandButton>
      </div>
      <div className="tool-group">
        <CommandButton command="view.zoomOut">−</CommandButton>
        <CommandButton command="view.zoomIn">+</CommandButton>
        <CommandButton command="view.fit">Fit</CommandButton>
      </div>
      <div className="toolbar-spacer" />
      <div className="tool-group">
        <CommandButton command="image.done">Mark done</CommandButton>
        <CommandButton command="image.background">Background</CommandButton>
      </div>
    </div>
  );
}
