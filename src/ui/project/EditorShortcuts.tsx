import { useApp } from '../../app/context';
import {
  copySelection,
  currentAnnotations,
  deleteSelection,
  markDone,
  paste,
  redoEdit,
  selectShapes,
  undoEdit,
} from '../../app/annotationActions';
import { useShortcut } from '../../app/useShortcuts';
import type { ToolInput } from '../../tools';

type ToolKey = Extract<ToolInput, { type: 'key' }>['key'];

/** The editor's keys (UI-CONTRACT.md), all through the one registry so `?` lists them. */
export function EditorShortcuts() {
  const { services, tools, canvas } = useApp();
  const key = (k: ToolKey, shift = false) => tools.dispatch({ type: 'key', key: k, shift });

  useShortcut({ id: 'tool.select', keys: ['v'], description: 'Select tool', group: 'Tools' }, () => (tools.setTool('select'), true));
  useShortcut({ id: 'tool.box', keys: ['b'], description: 'Box tool', group: 'Tools' }, () => (tools.setTool('box'), true));
  useShortcut({ id: 'tool.polygon', keys: ['p'], description: 'Polygon tool', group: 'Tools' }, () => (tools.setTool('polygon'), true));
  useShortcut({ id: 'tool.pan', keys: ['h'], description: 'Pan tool', group: 'Tools' }, () => (tools.setTool('pan'), true));
  useShortcut({ id: 'view.panHold', keys: [' '], keysLabel: 'Space (hold)', description: 'Pan while held', group: 'View' }, () => {
    // Space on a focused button presses it, unless the pointer is over the canvas.
    const focused = document.activeElement;
    if (!canvas.pointerInside && focused instanceof HTMLElement && focused.closest('button, a[href], [role="button"]')) return false;
    canvas.holdSpace(true);
    return true;
  });
  useShortcut({ id: 'view.fit', keys: ['f'], description: 'Fit image', group: 'View' }, () => (canvas.fit(), true));
  useShortcut({ id: 'view.zoomIn', keys: ['+', '='], description: 'Zoom in (the wheel zooms at the pointer)', group: 'View' }, () => (canvas.zoom(1.25), true));
  useShortcut({ id: 'view.zoomOut', keys: ['-'], description: 'Zoom out', group: 'View' }, () => (canvas.zoom(1 / 1.25), true));
  useShortcut({ id: 'edit.undo', keys: ['Mod+z'], description: 'Undo', group: 'Edit' }, () => (void undoEdit(services), true));
  useShortcut({ id: 'edit.redo', keys: ['Mod+Shift+z', 'Mod+y'], description: 'Redo', group: 'Edit' }, () => (void redoEdit(services), true));
  useShortcut({ id: 'edit.delete', keys: ['Delete', 'Backspace'], description: 'Delete the selection (Backspace while drawing a polygon: remove its last vertex)', group: 'Edit' }, () =>
    tools.busy() ? key('Backspace') : deleteSelection(services),
  );
  useShortcut({ id: 'edit.copy', keys: ['Mod+c'], description: 'Copy the selected shapes', group: 'Edit' }, () => copySelection(services));
  useShortcut({ id: 'edit.paste', keys: ['Mod+v'], description: 'Paste shapes (onto any image)', group: 'Edit' }, () => paste(services));
  useShortcut({ id: 'edit.selectAll', keys: ['Mod+a'], description: 'Select every shape on the image', group: 'Edit' }, () => {
    const items = currentAnnotations(services);
    if (!items) return false;
    selectShapes(services, tools.view().visible.map((a) => a.id));
    return true;
  });
  useShortcut({ id: 'draw.finish', keys: ['Enter'], description: 'Close the polygon being drawn', group: 'Drawing' }, () => key('Enter'));
  useShortcut({ id: 'draw.cancel', keys: ['Escape'], description: 'Cancel drawing, or clear the selection', group: 'Drawing' }, () => key('Escape'));
  useShortcut({ id: 'edit.nudge', keys: ['ArrowUp', 'ArrowDown'], keysLabel: '↑ ↓ ← →', description: 'Move the selected shapes 1 px (Select tool; with nothing selected ← → change image)', group: 'Edit' }, (chord) =>
    key(chord as ToolKey),
  );
  useShortcut({ id: 'edit.nudgeFar', keys: ['Shift+ArrowUp', 'Shift+ArrowDown', 'Shift+ArrowLeft', 'Shift+ArrowRight'], keysLabel: 'Shift + arrows', description: 'Move the selected shapes 10 px', group: 'Edit' }, (chord) =>
    key(chord.replace('Shift+', '') as ToolKey, true),
  );
  useShortcut({ id: 'image.done', keys: ['Mod+Enter'], description: 'Mark done and open the next unfinished image', group: 'Images' }, () => markDone(services));
  return null;
}
