import { useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useApp, useDocument, useSession } from '../../app/context';
import { addClass, classUsage, deleteClass, moveClass, recolorClass, renameClass } from '../../app/classActions';
import { toggleClassHidden } from '../../app/annotationActions';
import { validateClassName } from '../../core/validate';
import type { ClassId, LabelClass } from '../../core/model';
import { ConfirmDialog } from '../common/ConfirmDialog';

/**
 * The label classes: pick the active one (keys 1–9), hide one's shapes, add one. The editor
 * (name, colour, order, delete) opens for the chosen class only, so the Annotations list below
 * keeps most of the panel's height.
 */
export function ClassPanel() {
  const { services } = useApp();
  const classes = useDocument((s) => s.doc?.project.classes ?? NONE);
  const canEdit = useDocument((s) => s.doc !== null && s.mode === 'edit');
  const activeId = useSession((s) => s.activeClassId);
  const hiddenClasses = useSession((s) => s.hiddenClasses);
  const [editing, setEditing] = useState(false);
  const active = classes.find((c) => c.id === activeId) ?? null;

  const add = () => {
    // Rendered at once, so the new class's name field has the focus (text selected, ready to type
    // over) before the next key arrives: a fast typist loses no letter.
    flushSync(() => {
      if (addClass(services).ok) setEditing(true);
    });
    const field = document.getElementById(NAME_FIELD) as HTMLInputElement | null;
    field?.focus();
    field?.select();
  };

  return (
    <div className="class-panel">
      <div className="panel-head">
        <h2 className="panel-title">
          Classes <span className="muted">{classes.length > 0 ? classes.length : ''}</span>
        </h2>
        <span className="panel-actions">
          <button
            type="button"
            aria-expanded={editing && active !== null}
            aria-controls={EDITOR}
            disabled={!active || !canEdit}
            title={active ? `Rename, recolour, reorder or delete “${active.name}”` : 'Choose a class first'}
            onClick={() => setEditing((e) => !e)}
          >
            Edit class
          </button>
          <button type="button" onClick={add} disabled={!canEdit}>
            Add class
          </button>
        </span>
      </div>
      {classes.length === 0 ? (
        <p className="muted empty-list">No classes yet. Add the labels annotators will choose from; keys 1–9 pick the first nine.</p>
      ) : (
        <ul className="class-list" aria-label="Classes">
          {classes.map((c, i) => (
            <li key={c.id}>
              <button
                type="button"
                className="class-button"
                aria-pressed={c.id === activeId}
                onClick={() => services.stores.session.setState({ activeClassId: c.id })}
                onDoubleClick={() => canEdit && setEditing(true)}
              >
                <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
                <span className="class-name">{c.name}</span>
                {i < 9 && <kbd>{i + 1}</kbd>}
              </button>
              {/* A checkbox, not a button: the list's buttons are the classes themselves. */}
              <input
                type="checkbox"
                className="class-eye"
                aria-label="Show this class's shapes"
                title={hiddenClasses.has(c.id) ? 'Show its shapes on the canvas' : 'Hide its shapes from the canvas'}
                checked={!hiddenClasses.has(c.id)}
                onChange={() => toggleClassHidden(services, c.id)}
              />
            </li>
          ))}
        </ul>
      )}
      {editing && active && (
        <ClassEditor key={active.id} cls={active} classes={classes} index={classes.indexOf(active)} disabled={!canEdit} onClose={() => setEditing(false)} />
      )}
    </div>
  );
}

const NAME_FIELD = 'class-name-field';
const EDITOR = 'class-editor';

interface ClassEditorProps {
  readonly cls: LabelClass;
  readonly classes: readonly LabelClass[];
  readonly index: number;
  readonly disabled: boolean;
  readonly onClose: () => void;
}

/**
 * Edits one class. Its name is committed on Enter or when the field loses the focus, and only
 * when valid: a clash or an empty name is explained beside the field and what was typed stays for
 * correction; Escape puts the stored name back. Nothing half typed is ever stored.
 */
function ClassEditor({ cls, classes, index, disabled, onClose }: ClassEditorProps) {
  const { services } = useApp();
  const [draft, setDraft] = useState(cls.name);
  // The name changed elsewhere (undo, another tab) while not being edited: show it.
  const [seen, setSeen] = useState(cls.name);
  if (cls.name !== seen) {
    setSeen(cls.name);
    setDraft(cls.name);
  }
  const [error, setError] = useState<string | null>(null);
  const [confirmUses, setConfirmUses] = useState<number | null>(null);
  /** Escape was pressed: the blur that follows must not commit. */
  const cancelled = useRef(false);

  const check = (value: string): string | null => {
    const valid = validateClassName(value, classes, cls.id);
    return valid.ok ? null : valid.message;
  };
  const commit = (): boolean => {
    if (cancelled.current) return false;
    const problem = check(draft);
    if (problem) {
      setError(problem);
      return false;
    }
    const result = renameClass(services, cls.id, draft);
    setError(result.ok ? null : result.message);
    return result.ok;
  };

  const remove = async (id: ClassId) => {
    const uses = await classUsage(services, id);
    if (uses > 0) setConfirmUses(uses);
    else await deleteClass(services, id);
  };

  return (
    <div className="class-editor" id={EDITOR} role="group" aria-label={`Edit class ${cls.name}`}>
      <label className="field">
        <span>Class name</span>
        <input
          id={NAME_FIELD}
          value={draft}
          disabled={disabled}
          autoComplete="off"
          aria-invalid={error !== null}
          aria-describedby={error ? 'class-name-error' : undefined}
          onChange={(e) => {
            cancelled.current = false;
            setDraft(e.target.value);
            setError(check(e.target.value));
          }}
          onBlur={() => void commit()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (commit()) onClose();
            } else if (e.key === 'Escape') {
              // Back to the stored name; the app's key handler then leaves the field for the canvas.
              cancelled.current = true;
              setDraft(cls.name);
              setError(null);
              onClose();
            }
          }}
        />
      </label>
      {error && (
        <p id="class-name-error" className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="class-tools">
        <label className="color-field" title="Class color">
          <input type="color" aria-label="Class color" value={cls.color} disabled={disabled} onChange={(e) => recolorClass(services, cls.id, e.target.value)} />
        </label>
        <button type="button" aria-label="Move class up" title="Move up (changes its number key)" disabled={disabled || index === 0} onClick={() => moveClass(services, cls.id, -1)}>
          ↑
        </button>
        <button
          type="button"
          aria-label="Move class down"
          title="Move down (changes its number key)"
          disabled={disabled || index === classes.length - 1}
          onClick={() => moveClass(services, cls.id, 1)}
        >
          ↓
        </button>
        <button type="button" className="danger-quiet" disabled={disabled} onClick={() => void remove(cls.id)}>
          Delete class
        </button>
        <button type="button" className="class-editor-done" onClick={onClose}>
          Done
        </button>
      </div>
      {confirmUses !== null && (
        <ConfirmDialog
          title={`Delete “${cls.name}”?`}
          confirmLabel="Delete class and shapes"
          onClose={() => setConfirmUses(null)}
          onConfirm={() => deleteClass(services, cls.id)}
        >
          <p>
            {confirmUses.toLocaleString('en')} {confirmUses === 1 ? 'shape uses' : 'shapes use'} this class. Deleting the class deletes{' '}
            {confirmUses === 1 ? 'it' : 'them'} too.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

const NONE: readonly LabelClass[] = [];
