import { useDeferredValue, useMemo, useRef, useState, type FormEvent } from 'react';
import { useApp, useDocument } from '../../app/context';
import { CancelledError, type ImportRead, type Progress } from '../../app/exchangeController';
import { needsAnnotator, quoteName, type ImportPlan, type SplitChoice } from '../../exchange/importPlan';
import { validateAnnotatorName } from '../../core/validate';
import { CONSENSUS_LAYER } from '../../core/model';
import { fromFileList, type PickedFile } from '../../exchange/pickedFiles';
import type { Diagnostic } from '../../formats/types';
import { pushNotice } from '../../state/stores';
import { Dialog } from '../common/Dialog';
import { FolderInIcon } from '../common/icons';
import { ProgressBar } from '../common/ProgressBar';

const ACCEPT = '.json,.xml,.txt,.yaml,.yml,.csv,.names,.data,.zip,application/zip,application/json,text/xml,text/csv,image/*';

type Phase =
  | { readonly kind: 'reading'; readonly progress: Progress | null }
  /** `annotator`: the Annotator field's first value. */
  | { readonly kind: 'read'; readonly read: ImportRead; readonly annotator: string }
  | { readonly kind: 'failed'; readonly message: string };

/** Why Import annotations cannot act now (null: it can). */
function importBlocked(doc: { readonly images: readonly unknown[] } | null, mode: string): string | null {
  if (!doc) return 'Open a project first.';
  if (mode !== 'edit') return 'This tab is read-only: the project is open for editing in another tab.';
  if (doc.images.length === 0) return 'Import images first: annotations are matched to the project’s images.';
  return null;
}

/**
 * "Import annotations" (files or zips) and "Import annotation folder" (a whole exported folder),
 * then the dialog. When they cannot act, they say why (a tooltip, and a notice when pressed).
 */
export function ImportAnnotationsButtons() {
  const { exchange, services } = useApp();
  const blocked = useDocument((s) => importBlocked(s.doc, s.mode));
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const [job, setJob] = useState<{ readonly picked: readonly PickedFile[]; readonly phase: Phase } | null>(null);

  // Reading starts here, in the event handler: the dialog only shows how it goes.
  const take = (input: HTMLInputElement) => {
    const picked = input.files ? fromFileList(input.files) : [];
    input.value = '';
    if (picked.length === 0) return;
    const show = (phase: Phase) => setJob((j) => (j && j.picked === picked ? { picked, phase } : j));
    setJob({ picked, phase: { kind: 'reading', progress: null } });
    exchange
      .readImport(picked, (progress) => show({ kind: 'reading', progress }))
      .then((read) => show({ kind: 'read', read, annotator: exchange.defaultAnnotator(read) }))
      .catch((e: unknown) => {
        if (!(e instanceof CancelledError)) show({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
      });
  };
  const choose = (input: HTMLInputElement | null) => {
    if (blocked) {
      pushNotice(services.stores, 'info', blocked);
      return;
    }
    exchange.warm();
    input?.click();
  };

  return (
    <>
      <button type="button" aria-disabled={blocked !== null} className={blocked ? 'is-disabled' : undefined} title={blocked ?? 'Import annotations from files or zips (COCO, YOLO, VOC, CVAT, LabelMe, Create ML, CSV, Tally)'} onClick={() => choose(filesRef.current)}>
        Import annotations
      </button>
      <button
        type="button"
        aria-label="Import annotation folder"
        aria-disabled={blocked !== null}
        className={`topbar-icon ${blocked ? 'is-disabled' : ''}`}
        title={blocked ?? 'Import annotation folder: an unzipped export (a COCO, YOLO, VOC… folder)'}
        onClick={() => choose(folderRef.current)}
      >
        <FolderInIcon />
      </button>
      <input ref={filesRef} type="file" multiple accept={ACCEPT} hidden data-testid="import-annotations-input" onChange={(e) => take(e.currentTarget)} />
      <input ref={folderRef} type="file" hidden data-testid="import-annotations-folder-input" {...{ webkitdirectory: '', directory: '' }} onChange={(e) => take(e.currentTarget)} />
      {job && <ImportAnnotationsDialog picked={job.picked} phase={job.phase} onClose={() => setJob(null)} />}
    </>
  );
}

/** A name for the Annotator field from the picked file's name (`bob_coco.json` → `bob_coco`), when it makes a valid one. */
export function suggestedAnnotator(picked: readonly PickedFile[]): string | null {
  const first = picked[0];
  if (!first) return null;
  const base = first.path.split('/').pop() ?? '';
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  const name = validateAnnotatorName(stem);
  return name.ok && name.value.toLocaleLowerCase('en') !== CONSENSUS_LAYER.toLocaleLowerCase('en') ? name.value : null;
}

interface DialogProps {
  readonly picked: readonly PickedFile[];
  readonly phase: Phase;
  readonly onClose: () => void;
}

function ImportAnnotationsDialog({ picked, phase, onClose }: DialogProps) {
  const { services, exchange } = useApp();
  const [typed, setAnnotator] = useState<string | null>(null);
  const annotator = typed ?? (phase.kind === 'read' ? phase.annotator : '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The file's splits: applied to images without one by default; another split in the project is kept unless the user says.
  const [applySplits, setApplySplits] = useState(true);
  const [overrideSplits, setOverrideSplits] = useState(false);
  const splitChoice: SplitChoice = overrideSplits ? 'all' : applySplits ? 'unassigned' : 'none';

  const fieldRef = useRef<HTMLInputElement>(null);
  const suggestion = useMemo(() => suggestedAnnotator(picked), [picked]);
  const layer = useDeferredValue(annotator);
  const read = phase.kind === 'read' ? phase.read : null;
  const plan = useMemo(() => (read ? exchange.plan(read, layer.trim()) : null), [exchange, read, layer]);

  const close = () => {
    if (phase.kind === 'reading') exchange.cancel();
    onClose();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!read) return;
    // The plan shown is the one to store unless the Annotator field changed since (deferred).
    const final = plan && layer === annotator ? plan : exchange.plan(read, annotator.trim());
    if (!final) return;
    // Whose work this is, when the file does not say: asked, never assumed to be the current annotator's.
    if (needsAnnotator(final) && annotator.trim() === '') {
      setError(`Whose shapes are these? The file names no annotator: type the name of the person who drew them${suggestion ? ` (or use “${suggestion}”, from the file's name)` : ''}.`);
      fieldRef.current?.focus();
      return;
    }
    setBusy(true);
    const result = await exchange.commitImport(final, read.existing, annotator, { splits: splitChoice });
    setBusy(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    const { shapes: n, splits } = result.value;
    const moved = splits > 0 ? `${n > 0 ? ' and' : ''} set the split of ${splits.toLocaleString('en')} image${splits === 1 ? '' : 's'}` : '';
    pushNotice(
      services.stores,
      'info',
      n === 0 && splits === 0 ? 'Nothing new to import: every shape is already in the project.' : `Imported${n > 0 ? ` ${n.toLocaleString('en')} shape${n === 1 ? '' : 's'}` : ''}${moved} (${final.formatLabel}).`,
    );
    onClose();
  };

  return (
    <Dialog title="Import annotations" onClose={close} className="dialog-wide">
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        {phase.kind === 'reading' && (
          <div className="export-progress">
            <ProgressBar label="Import progress" value={phase.progress?.done ?? 0} max={phase.progress ? phase.progress.total : null} />
            <span className="muted">Reading {picked.length === 1 ? picked[0]!.path : `${picked.length} files`}…</span>
          </div>
        )}
        {phase.kind === 'failed' && (
          <p className="field-error" role="alert">
            {phase.message}
          </p>
        )}
        {plan && <PlanSummary plan={plan} />}
        {plan && <SplitChoices plan={plan} apply={applySplits} override={overrideSplits} onApply={setApplySplits} onOverride={setOverrideSplits} />}
        {plan?.blocked && (
          <p className="field-error" role="alert">
            Import is not possible: {plan.blocked}
          </p>
        )}
        {plan && (
          <label className="field">
            <span>Annotator</span>
            <input
              ref={fieldRef}
              aria-label="Annotator"
              placeholder={needsAnnotator(plan) ? `Who drew these? e.g. ${suggestion ?? 'bob'}` : 'Only for shapes without a name'}
              value={annotator}
              onChange={(e) => {
                setAnnotator(e.target.value);
                setError(null);
              }}
              aria-invalid={error !== null}
            />
            {annotator.trim() === '' && needsAnnotator(plan) && (
              <small className="muted">
                The file names no annotator: its shapes go to the layer of the name typed here (a new layer unless it is already in the project).
                {suggestion && (
                  <>
                    {' '}
                    <button type="button" className="link-button" onClick={() => {
                      setAnnotator(suggestion);
                      setError(null);
                    }}>
                      Use “{suggestion}”
                    </button>
                  </>
                )}
              </small>
            )}
            {plan.fileAnnotators.length > 1 && (
              <small className="muted">
                The file names {plan.fileAnnotators.length} annotators ({plan.fileAnnotators.join(', ')}): their shapes keep their own layers.
              </small>
            )}
          </label>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!plan || plan.blocked !== null || (plan.shapes === 0 && splitChanges(plan, splitChoice) === 0) || busy}>
            Import
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const plural = (n: number, word: string, many = `${word}s`) => `${n.toLocaleString('en')} ${n === 1 ? word : many}`;

/** How many project images Import would move to another split with this choice. */
const splitChanges = (plan: ImportPlan, choice: SplitChoice): number => (choice === 'none' ? 0 : plan.splits.assign.length + (choice === 'all' ? plan.splits.conflicts.length : 0));

/** `train 6, val 2` */
function bySplit(list: readonly { readonly split: string }[]): string {
  const counts = new Map<string, number>();
  for (const s of list) counts.set(s.split, (counts.get(s.split) ?? 0) + 1);
  return [...counts].map(([split, n]) => `${split} ${n.toLocaleString('en')}`).join(', ');
}

interface SplitChoicesProps {
  readonly plan: ImportPlan;
  readonly apply: boolean;
  readonly override: boolean;
  readonly onApply: (v: boolean) => void;
  readonly onOverride: (v: boolean) => void;
}

/** The splits the file gives the matched images: applied to images without one (on by default); conflicts listed, kept unless chosen. */
function SplitChoices({ plan, apply, override, onApply, onOverride }: SplitChoicesProps) {
  const { assign, conflicts, same } = plan.splits;
  if (assign.length === 0 && conflicts.length === 0 && same === 0) return null;
  return (
    <fieldset className="field import-splits" aria-label="Splits from the file">
      <legend>Splits</legend>
      {same > 0 && <p className="muted">{plural(same, 'image')} already in the split the file gives.</p>}
      {assign.length > 0 && (
        <label className="check">
          <input type="checkbox" checked={apply || override} disabled={override} onChange={(e) => onApply(e.target.checked)} />
          Apply the file's splits to {plural(assign.length, 'image')} without one ({bySplit(assign)})
        </label>
      )}
      {conflicts.length > 0 && (
        <>
          <details>
            <summary>
              {plural(conflicts.length, 'image')} in another split in the project than in the file (the project's is kept)
            </summary>
            <ul className="note-list" aria-label="Split conflicts">
              {conflicts.slice(0, MAX_LISTED).map((c) => (
                <li key={c.index}>
                  <span className="mono">{c.target.relativePath}</span>: {c.target.split} in the project, {c.split} in the file
                </li>
              ))}
            </ul>
          </details>
          <label className="check">
            <input type="checkbox" checked={override} onChange={(e) => onOverride(e.target.checked)} />
            Move {conflicts.length === 1 ? 'it' : `these ${conflicts.length.toLocaleString('en')}`} to the file's split too
          </label>
        </>
      )}
    </fieldset>
  );
}
const MAX_LISTED = 200;

function where(d: Diagnostic): string {
  return `${d.file}${d.line !== undefined ? `:${d.line}` : ''}${d.field !== undefined ? ` (${d.field})` : ''}`;
}

function PlanSummary({ plan }: { readonly plan: ImportPlan }) {
  const byWay = (by: string) => plan.matched.filter((m) => m.by === by).length;
  const ways = [
    ['sha256', 'by content'],
    ['path', 'by path'],
    ['name', 'by file name'],
    ['stem', 'by name without extension'],
  ]
    .map(([by, label]) => [byWay(by!), label] as const)
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${n.toLocaleString('en')} ${label}`);
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  const warnings = plan.diagnostics.filter((d) => d.severity === 'warning');
  const infos = plan.diagnostics.filter((d) => d.severity === 'info');
  const newClasses = plan.classes.filter((c) => !c.existing && c.shapes > 0);
  return (
    <div className="import-plan" aria-label="What will be imported">
      <dl className="plan-figures">
        <dt>Format</dt>
        <dd>{plan.formatLabel}</dd>
        <dt>Images matched</dt>
        <dd>
          {plan.matched.length.toLocaleString('en')}
          {ways.length > 0 && <span className="muted"> ({ways.join(', ')})</span>}
        </dd>
        <dt>Images not found</dt>
        <dd>{plan.unmatched.length.toLocaleString('en')}</dd>
        <dt>Shapes</dt>
        <dd>
          {plural(plan.shapes, 'shape')} to import
          {plan.alreadyPresent > 0 && <span className="muted"> ({plan.alreadyPresent.toLocaleString('en')} already in the project)</span>}
        </dd>
        <dt>Classes</dt>
        <dd>
          {plan.classes.length === 0 ? 'none' : `${plural(newClasses.length, 'new class', 'new classes')}, ${plural(plan.classes.filter((c) => c.existing).length, 'existing class', 'existing classes')}`}
        </dd>
      </dl>
      {plan.classes.length > 0 && (
        <table className="plan-classes">
          <caption className="visually-hidden">Classes</caption>
          <thead>
            <tr>
              <th scope="col">Class in the file</th>
              <th scope="col">Shapes</th>
              <th scope="col">In the project</th>
            </tr>
          </thead>
          <tbody>
            {plan.classes.map((c) => (
              <tr key={c.name}>
                <td>{c.name.length > 80 ? quoteName(c.name) : c.name}</td>
                <td>{c.shapes.toLocaleString('en')}</td>
                <td>{c.existing ? (c.existing.name === c.name ? 'existing class' : `→ ${c.existing.name}`) : c.shapes > 0 ? 'new class' : 'not used (not created)'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {plan.unmatched.length > 0 && (
        <details>
          <summary>{plural(plan.unmatched.length, 'image')} not found in the project ({plural(plan.unmatched.reduce((n, u) => n + u.shapes, 0), 'shape')} not imported)</summary>
          <ul className="note-list">
            {plan.unmatched.slice(0, MAX_LISTED).map((u, i) => (
              <li key={i}>
                <span className="mono">{u.path}</span>
                {u.file && u.file !== u.path && <span className="muted"> (in {u.file})</span>}: {u.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <DiagnosticList title="Problems (skipped)" list={errors} open />
      <DiagnosticList title="Changed while reading" list={warnings} />
      <DiagnosticList title="Notes" list={infos} />
    </div>
  );
}

function DiagnosticList({ title, list, open = false }: { readonly title: string; readonly list: readonly Diagnostic[]; readonly open?: boolean }) {
  if (list.length === 0) return null;
  return (
    <details open={open}>
      <summary>
        {title}: {list.length.toLocaleString('en')}
      </summary>
      <ul className="note-list" aria-label={title}>
        {list.slice(0, MAX_LISTED).map((d, i) => (
          <li key={i}>
            <span className="mono">{where(d)}</span>: {d.message}
          </li>
        ))}
        {list.length > MAX_LISTED && <li className="muted">…and {(list.length - MAX_LISTED).toLocaleString('en')} more</li>}
      </ul>
    </details>
  );
}
