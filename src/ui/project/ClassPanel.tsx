import { useState } from 'react';
import { flushSync } from 'react-dom';
import { useApp, useDocument, useSession } from '../../app/context';
import { addClass, classUsage, deleteClass, moveClass, recolorClass, renameClass } from '../../app/classActions';
import type { ClassId, LabelClass } from '../../core/model';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { toggleClassHidden } from '../../app/annotationActions';

/** The label classes: pick the active one (keys 1–9), add, rename, recolour, reorder, delete. */
export function ClassPanel() {
  const { services } = useApp();
  const classes = useDocument((s) => s.doc?.project.classes ?? NONE);
  const canEdit = useDocument((s) => s.doc !== null && s.mode === 'edit');
  const activeId = useSession((s) => s.activeClassId);
  const hiddenClasses = useSession((s) => s.hiddenClasses);
  const active = classes.find((c) => c.id === activeId) ?? null;

  const add = () => {
    // Rendered at once, so the new class's name field has the focus (text selected, ready to type
    // over) before the next key arrives: a fast typist loses no letter.
    flushSync(() => addClass(services));
    const field = document.getElementById('class-name-field') as HTMLInputElement | null;
    field?.focus();
    field?.select();
  };

  return (
    <div className="class-panel">
      <div className="panel-head">
        <h2 className="panel-title">Classes</h2>
        <button type="button" onClick={add} disabled={!canEdit}>
          Add class
        </button>
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
      {active && <ClassEditor key={active.id} cls={active} index={classes.indexOf(active)} count={classes.length} disabled={!canEdit} />}
    </div>
  );
}

interface ClassEditorProps {
  readonly cls: LabelClass;
  readonly index: number;
  readonly count: number;
  readonly disabled: boolean;
}

/** Edits the active class. The name is saved as it is typed whenever it is valid. */
function ClassEditor({ cls, index, count, disabled }: ClassEditorProps) {
  const { services } = useApp();
  const [draft, setDraft] = useState(cls.name);
  // The name changed elsewhere (undo, another tab): show it, unless it is what is being typed.
  const [seen, setSeen] = useState(cls.name);
  if (cls.name !== seen) {
    setSeen(cls.name);
    if (cls.name !== draft.trim()) setDraft(cls.name);
  }
  const [error, setError] = useState<string | null>(null);
  const [confirmUses, setConfirmUses] = useState<number | null>(null);

  const typeName = (value: string) => {
    setDraft(value);
    const result = renameClass(services, cls.id, value);
    setError(result.ok ? null : result.message);
  };

  const remove = async (id: ClassId) => {
    const uses = await classUsage(services, id);
    if (uses > 0) setConfirmUses(uses);
    else await deleteClass(services, id);
  };

  return (
    <div className="class-editor">
      <label className="field">
        <span>Class name</span>
        <input
          id="class-name-field"
          value={draft}
          disabled={disabled}
          aria-invalid={error !== null}
          aria-describedby={error ? 'class-name-error' : undefined}
          onChange={(e) => typeName(e.target.value)}
          onBlur={() => {
            setDraft(cls.name);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === 'Escape') e.currentTarget.blur();
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
          disabled={disabled || index === count - 1}
          onClick={() => moveClass(services, cls.id, 1)}
        >
          ↓
        </button>
        <button type="button" className="danger-quiet" disabled={disabled} onClick={() => void remove(cls.id)}>
          Delete class
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
