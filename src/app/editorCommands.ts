import { ok, type Result } from '../core/result';
import type { ToolId, ToolInput } from '../tools';
import {
  copySelection,
  currentAnnotations,
  currentImage,
  deleteSelection,
  editableSelectionSize,
  markBackground,
  markDone,
  patchSelection,
  paste,
  redoEdit,
  selectShapes,
  undoEdit,
} from './annotationActions';
import { selectClassAt } from './classActions';
import { PASS, type Command, type CommandResult } from './commands';
import type { AppRuntime } from './context';
import { stepImage, visibleImages } from './imageActions';

type ToolKey = Extract<ToolInput, { type: 'key' }>['key'];

const READ_ONLY = 'This tab is read-only: the project is open for editing in another tab.';

/** A command's result from an action that returns null when it did not apply (the key then goes on). */
const orPass = <T>(r: Result<T> | null): CommandResult => (r === null ? PASS : r.ok ? ok(typeof r.value === 'string' ? r.value : null) : r);
const done: CommandResult = ok(null);

/**
 * The editor's commands (UI-CONTRACT.md): tools, view, edit, drawing, images and classes. One
 * definition each serves the key, the button, the `?` overlay and the tooltip.
 */
export function editorCommands({ services, tools, canvas }: Pick<AppRuntime, 'services' | 'tools' | 'canvas'>): Command[] {
  const { stores } = services;
  const key = (k: ToolKey, shift = false) => tools.dispatch({ type: 'key', key: k, shift });
  const canEdit = (): true | string => (services.editor.canEdit ? true : READ_ONLY);
  const hasImage = (): true | string => (currentImage(services) ? true : 'No image is open.');
  const editableImage = (): true | string => {
    const image = hasImage();
    return image === true ? canEdit() : image;
  };
  const position = () => {
    const doc = stores.document.getState().doc;
    const { currentImageId, statusFilter } = stores.session.getState();
    const list = doc ? visibleImages(doc.images, statusFilter) : [];
    return { at: list.findIndex((i) => i.id === currentImageId), count: list.length };
  };

  const tool = (id: ToolId, label: string, k: string): Command => ({
    id: `tool.${id}`,
    label,
    scope: 'editor',
    keys: [k],
    group: 'Tools',
    pressed: () => stores.session.getState().tool === id,
    run: () => (tools.setTool(id), done),
  });

  return [
    tool('select', 'Select tool', 'v'),
    tool('box', 'Box tool', 'b'),
    tool('polygon', 'Polygon tool', 'p'),
    tool('pan', 'Pan tool', 'h'),

    {
      id: 'view.panHold',
      label: 'Pan while held',
      scope: 'editor',
      keys: [' '],
      keysLabel: 'Space (hold)',
      group: 'View',
      // Space on a focused button presses it, unless the pointer is over the canvas.
      claimsControlKeys: () => canvas.pointerInside,
      run: () => (canvas.holdSpace(true), done),
    },
    { id: 'view.fit', label: 'Fit image', scope: 'editor', keys: ['f'], group: 'View', run: () => (canvas.fit(), done) },
    { id: 'view.zoomIn', label: 'Zoom in', description: 'Zoom in (the wheel zooms at the pointer)', scope: 'editor', keys: ['+', '='], group: 'View', run: () => (canvas.zoom(1.25), done) },
    { id: 'view.zoomOut', label: 'Zoom out', scope: 'editor', keys: ['-'], group: 'View', run: () => (canvas.zoom(1 / 1.25), done) },

    {
      id: 'edit.undo',
      label: 'Undo',
      scope: 'editor',
      keys: ['Mod+z'],
      group: 'Edit',
      enabled: () => (!services.editor.canEdit ? READ_ONLY : stores.history.getState().undoLabel ? true : 'Nothing to undo'),
      detail: () => stores.history.getState().undoLabel,
      run: () => undoEdit(services),
    },
    {
      id: 'edit.redo',
      label: 'Redo',
      scope: 'editor',
      keys: ['Mod+Shift+z', 'Mod+y'],
      group: 'Edit',
      enabled: () => (!services.editor.canEdit ? READ_ONLY : stores.history.getState().redoLabel ? true : 'Nothing to redo'),
      detail: () => stores.history.getState().redoLabel,
      run: () => redoEdit(services),
    },
    {
      id: 'edit.delete',
      label: 'Delete annotation',
      description: 'Delete the selected shapes (while drawing a polygon, Backspace removes its last vertex)',
      scope: 'editor',
      keys: ['Delete', 'Backspace'],
      group: 'Edit',
      enabled: () =>
        tools.busy() || editableSelectionSize(services) > 0 ? canEdit() : stores.session.getState().selection.length > 0 ? 'The selected shapes are locked' : 'Nothing is selected',
      run: () => (tools.busy() ? (key('Backspace') ? done : PASS) : orPass(deleteSelection(services))),
    },
    { id: 'edit.copy', label: 'Copy', description: 'Copy the selected shapes', scope: 'editor', keys: ['Mod+c'], group: 'Edit', run: () => orPass(copySelection(services)) },
    { id: 'edit.paste', label: 'Paste', description: 'Paste shapes (onto any image)', scope: 'editor', keys: ['Mod+v'], group: 'Edit', run: () => orPass(paste(services)) },
    {
      id: 'edit.selectAll',
      label: 'Select all',
      description: 'Select every shape on the image',
      scope: 'editor',
      keys: ['Mod+a'],
      group: 'Edit',
      run: () => {
        if (!currentAnnotations(services)) return PASS;
        selectShapes(services, tools.view().visible.map((a) => a.id));
        return done;
      },
    },
    {
      id: 'edit.nudge',
      label: 'Nudge',
      description: 'Move the selected shapes 1 px (Select tool; with nothing selected ← → change image)',
      scope: 'editor',
      keys: ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'],
      keysLabel: '↑ ↓ ← →',
      group: 'Edit',
      run: ({ chord }) => {
        if (key(chord as ToolKey)) return done;
        if (chord === 'ArrowLeft' || chord === 'ArrowRight') return (stepImage(services, chord === 'ArrowLeft' ? -1 : 1), done);
        return PASS;
      },
    },
    {
      id: 'edit.nudgeFar',
      label: 'Nudge 10 px',
      description: 'Move the selected shapes 10 px',
      scope: 'editor',
      keys: ['Shift+ArrowUp', 'Shift+ArrowDown', 'Shift+ArrowLeft', 'Shift+ArrowRight'],
      keysLabel: 'Shift + arrows',
      group: 'Edit',
      run: ({ chord }) => (key(chord!.replace('Shift+', '') as ToolKey, true) ? done : PASS),
    },

    { id: 'draw.finish', label: 'Close the polygon', description: 'Close the polygon being drawn', scope: 'editor', keys: ['Enter'], group: 'Drawing', run: () => (key('Enter') ? done : PASS) },
    { id: 'draw.cancel', label: 'Cancel', description: 'Cancel drawing, or clear the selection', scope: 'editor', keys: ['Escape'], group: 'Drawing', run: () => (key('Escape') ? done : PASS) },

    {
      id: 'image.previous',
      label: 'Previous image',
      scope: 'editor',
      keys: ['a'],
      keysLabel: 'A or ←',
      group: 'Images',
      enabled: () => (position().at > 0 ? true : 'This is the first image'),
      run: () => (stepImage(services, -1), done),
    },
    {
      id: 'image.next',
      label: 'Next image',
      scope: 'editor',
      keys: ['d'],
      keysLabel: 'D or →',
      group: 'Images',
      enabled: () => {
        const { at, count } = position();
        return at >= 0 && at < count - 1 ? true : count === 0 ? 'No images' : 'This is the last image';
      },
      run: () => (stepImage(services, 1), done),
    },
    {
      id: 'image.done',
      label: 'Mark done',
      description: 'Mark done and open the next unfinished image (an image without shapes becomes background)',
      scope: 'editor',
      keys: ['Mod+Enter'],
      group: 'Images',
      enabled: editableImage,
      run: () => markDone(services),
    },
    {
      id: 'image.background',
      label: 'Mark background',
      description: 'This image has nothing to label: mark it done and empty on purpose',
      scope: 'editor',
      group: 'Images',
      enabled: editableImage,
      run: () => markBackground(services),
    },

    {
      id: 'class.pick',
      label: 'Pick a class',
      description: 'Pick the 1st–9th class (with the Select tool, selected shapes take it too)',
      scope: 'editor',
      keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
      keysLabel: '1 – 9',
      group: 'Classes',
      run: ({ chord }) => {
        if (!chord || !selectClassAt(services, Number(chord) - 1)) return PASS;
        const { tool: active, selection, activeClassId } = stores.session.getState();
        if (active === 'select' && selection.length > 0 && activeClassId) return patchSelection(services, () => ({ classId: activeClassId }), 'change class');
        return done;
      },
    },
  ];
}

/** Commands that work on every page. */
export function globalCommands({ services }: Pick<AppRuntime, 'services'>): Command[] {
  const { session } = services.stores;
  return [
    {
      id: 'help.shortcuts',
      label: 'Keyboard shortcuts',
      description: 'Show keyboard shortcuts',
      scope: 'global',
      keys: ['?'],
      group: 'Help',
      run: () => {
        session.setState({ shortcutsOpen: true });
        return done;
      },
    },
  ];
}
