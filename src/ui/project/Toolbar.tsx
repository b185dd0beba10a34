import { useStore } from 'zustand';
import { useApp, useDocument, useSession } from '../../app/context';
import { markBackground, markDone, redoEdit, undoEdit } from '../../app/annotationActions';
import { pushNotice } from '../../state/stores';
import type { ToolId } from '../../tools';
import { TOOL_ICONS } from '../common/icons';

const TOOLS: readonly { id: ToolId; name: string; key: string }[] = [
  { id: 'select', name: 'Select tool', key: 'V' },
  { id: 'box', name: 'Box tool', key: 'B' },
  { id: 'polygon', name: 'Polygon tool', key: 'P' },
  { id: 'pan', name: 'Pan tool', key: 'H' },
];

/** Tools, history and view controls above the canvas. Every button has a key (see the ? overlay). */
export function Toolbar() {
  const { services, tools, canvas } = useApp();
  const tool = useSession((s) => s.tool);
  const canEdit = useDocument((s) => s.doc !== null && s.mode === 'edit');
  const undoLabel = useStore(services.stores.history, (s) => s.undoLabel);
  const redoLabel = useStore(services.stores.history, (s) => s.redoLabel);
  const hasImage = useSession((s) => s.currentImageId !== null);

  return (
    <div className="toolbar" role="toolbar" aria-label="Tools">
      <div className="tool-group">
        {TOOLS.map((t) => (
          <button
            key={t.id}
            type="button"
            className="tool-button"
            aria-label={t.name}
            aria-pressed={tool === t.id}
            title={`${t.name} (${t.key})`}
            onClick={() => tools.setTool(t.id)}
          >
            {TOOL_ICONS[t.id]}
            <kbd>{t.key}</kbd>
          </button>
        ))}
      </div>
      <div className="tool-group">
        <button type="button" aria-label="Undo" title={undoLabel ? `Undo ${undoLabel} (Ctrl+Z)` : 'Nothing to undo'} disabled={!canEdit || !undoLabel} onClick={() => void undoEdit(services)}>
          <span aria-hidden="true">↶</span>
        </button>
        <button type="button" aria-label="Redo" title={redoLabel ? `Redo ${redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'} disabled={!canEdit || !redoLabel} onClick={() => void redoEdit(services)}>
          <span aria-hidden="true">↷</span>
        </button>
      </div>
      <div className="tool-group">
        <button type="button" aria-label="Zoom out" title="Zoom out (−)" onClick={() => canvas.zoom(1 / 1.25)}>
          −
        </button>
        <button type="button" aria-label="Zoom in" title="Zoom in (+)" onClick={() => canvas.zoom(1.25)}>
          +
        </button>
        <button type="button" aria-label="Fit image" title="Fit image (F)" onClick={() => canvas.fit()}>
          Fit
        </button>
      </div>
      <div className="toolbar-spacer" />
      <div className="tool-group">
        <button type="button" title="Mark done and open the next unfinished image (Ctrl+Enter)" disabled={!canEdit || !hasImage} onClick={() => markDone(services)}>
          Mark done
        </button>
        <button
          type="button"
          title="This image has nothing to label: mark it done and empty on purpose"
          disabled={!canEdit || !hasImage}
          onClick={() => {
            const r = markBackground(services);
            if (!r.ok) pushNotice(services.stores, 'error', r.message);
          }}
        >
          Mark background
        </button>
      </div>
    </div>
  );
}
