import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useApp, useCheck, useDocument, useSession } from '../../app/context';
import { CancelledError, type Progress } from '../../app/exchangeController';
import { CONSENSUS_LAYER, SPLITS, type Split } from '../../core/model';
import { downloadBlob } from '../../exchange/download';
import { pushNotice } from '../../state/stores';
import { consensusRefusal } from '../../exchange/exportPreview';
import { ConsensusOpenLine } from '../review/ConsensusOpenLine';
import { FORMAT_CATALOG } from '../../formats/catalog';
import { RULES, type RuleId } from '../../quality';
import type { OpenIssueSummary } from '../../workers/checkApi';
import type { ExportNote, FormatId } from '../../formats/types';
import type { ExportChoice, ExportPreviewResult, ExportSummary } from '../../workers/exchangeApi';
import { ExportPreviewPanel } from './ExportPreviewPanel';
import { Dialog } from '../common/Dialog';
import { ProgressBar } from '../common/ProgressBar';

const SPLIT_LABELS: Readonly<Record<Split, string>> = { train: 'Train', val: 'Val', test: 'Test', unassigned: 'No split' };
const ALL_LAYERS = '\u0000all';

/** The top bar's Export button and its dialog. */
export function ExportButton() {
  const { exchange, services } = useApp();
  // Why there is nothing to export (null: there is).
  const blocked = useDocument((s) => (!s.doc ? 'Open a project first.' : s.doc.images.length === 0 ? 'Nothing to export yet: import images first.' : null));
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-disabled={blocked !== null}
        className={blocked ? 'is-disabled' : undefined}
        title={blocked ?? 'Export a dataset zip (COCO, YOLO, VOC, CVAT, LabelMe, Create ML, CSV, Tally)'}
        onClick={() => {
          if (blocked) {
            pushNotice(services.stores, 'info', blocked);
            return;
          }
          exchange.warm();
          setOpen(true);
        }}
      >
        Export
      </button>
      {open && <ExportDialog onClose={() => setOpen(false)} />}
    </>
  );
}

/** How long a choice is shown before its archive is made ahead of Download. */
const AHEAD_AFTER_MS = 300;

type Phase = { kind: 'choosing' } | { kind: 'running'; progress: Progress | null } | { kind: 'done'; summary: ExportSummary } | { kind: 'failed'; message: string };

function ExportDialog({ onClose }: { readonly onClose: () => void }) {
  const { exchange, checks } = useApp();
  const doc = useDocument((s) => s.doc);
  const me = useSession((s) => s.annotatorName);
  const [annotators, setAnnotators] = useState<string[] | null>(null);
  const [format, setFormat] = useState<FormatId>('coco');
  const [layer, setLayer] = useState<string | null>(null);
  const [includeImages, setIncludeImages] = useState(false);
  const [boxSegmentation, setBoxSegmentation] = useState<'empty' | 'corners'>('empty');
  /** The last preview and the choice it is for (shown only while that is still the choice). */
  const [preview, setPreview] = useState<{ readonly choice: ExportChoice; readonly value: ExportPreviewResult } | null>(null);
  const splitCounts = useMemo(() => {
    const n: Record<Split, number> = { train: 0, val: 0, test: 0, unassigned: 0 };
    for (const img of doc?.images ?? []) n[img.split]++;
    return n;
  }, [doc?.images]);
  const [splits, setSplits] = useState<ReadonlySet<Split>>(() => new Set(SPLITS.filter((s) => splitCounts[s] > 0)));
  const [phase, setPhase] = useState<Phase>({ kind: 'choosing' });
  const projectId = doc?.project.id;

  useEffect(() => {
    if (!projectId) return;
    let live = true;
    exchange.prepareExport().then(
      (names) => live && setAnnotators(names),
      (error: unknown) => {
        if (!live || error instanceof CancelledError) return;
        setAnnotators([]);
        setPhase({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [exchange, projectId]);

  const layers = useMemo(() => {
    const names = [...(annotators ?? [])];
    if (me && !names.includes(me)) names.unshift(me);
    return [...names.filter((n) => n !== CONSENSUS_LAYER), CONSENSUS_LAYER];
  }, [annotators, me]);
  // The Tally package keeps every layer by default; one layer alone is an annotator's package for a lead.
  const packageFormat = format === 'tally';
  const ownDefault = me && layers.includes(me) ? me : layers[0]!;
  const chosenLayer = packageFormat ? (layer ?? ALL_LAYERS) : layer === null || layer === ALL_LAYERS ? ownDefault : layer;
  const running = phase.kind === 'running';
  const choice = useMemo<ExportChoice>(
    () => ({
      format,
      layer: chosenLayer === ALL_LAYERS ? null : chosenLayer,
      includeImages,
      splits: SPLITS.filter((s) => splits.has(s)),
      ...(format === 'coco' ? { cocoBoxSegmentation: boxSegmentation } : {}),
    }),
    [format, chosenLayer, includeImages, splits, boxSegmentation],
  );

  // What the zip will hold, worked out in the worker as the choice changes (once the project is read).
  const ready = annotators !== null && phase.kind !== 'running';
  useEffect(() => {
    if (!ready || choice.splits.length === 0) return;
    const stale = new AbortController();
    exchange.previewExport(choice, stale.signal).then(
      (value) => setPreview({ choice, value }),
      (error: unknown) => {
        if (!(error instanceof CancelledError)) setPhase({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => stale.abort();
  }, [exchange, choice, ready]);

  // What the last check says about this layer and these splits (never blocks Download).
  const checkVersion = useCheck((s) => s.result?.version ?? null);
  const [openIssues, setOpenIssues] = useState<{ readonly choice: ExportChoice; readonly value: OpenIssueSummary | null } | null>(null);
  useEffect(() => {
    let live = true;
    checks.openIssues(choice.layer, choice.splits).then(
      (value) => live && setOpenIssues({ choice, value }),
      () => live && setOpenIssues({ choice, value: null }),
    );
    return () => {
      live = false;
    };
  }, [checks, choice, checkVersion]);

  const shown = preview?.choice === choice ? preview.value : null;
  const refusal = shown ? consensusRefusal(choice.layer, shown.shapes) : null;

  // The choice has been shown with its preview and check line for a moment (a user reading it,
  // not passing through choices): its archive is made now, so that Download hands it over at
  // once. Annotation-only exports; with images the work starts at Download.
  const shownCheck = openIssues?.choice === choice ? openIssues.value : undefined;
  useEffect(() => {
    if (!shown || shownCheck === undefined || refusal !== null || running || choice.includeImages) return;
    const timer = setTimeout(() => exchange.exportAhead({ ...choice, check: shownCheck }), AHEAD_AFTER_MS);
    return () => clearTimeout(timer);
  }, [exchange, choice, shown, shownCheck, refusal, running]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPhase({ kind: 'running', progress: null });
    try {
      // The newest report at the moment of Download goes into manifest.json.
      const check = await checks.openIssues(choice.layer, choice.splits).catch(() => null);
      const { blob, summary } = await exchange.exportArchive({ ...choice, check }, (progress) => setPhase({ kind: 'running', progress }));
      downloadBlob(blob, summary.fileName);
      setPhase({ kind: 'done', summary });
    } catch (error) {
      if (error instanceof CancelledError) setPhase({ kind: 'choosing' });
      else setPhase({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const close = () => {
    // Still reading the project (annotators not known yet) or exporting: stop the worker, so the
    // next export or import does not find it busy.
    if (running || annotators === null) exchange.cancel();
    onClose();
  };

  return (
    <Dialog title="Export" onClose={close} className="dialog-wide export-dialog">
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Format</span>
          <select aria-label="Format" value={format} disabled={running} onChange={(e) => setFormat(e.target.value as FormatId)}>
            {FORMAT_CATALOG.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Annotations from</span>
          <select aria-label="Annotations from" value={chosenLayer} disabled={running || annotators === null} onChange={(e) => setLayer(e.target.value)}>
            {packageFormat && <option value={ALL_LAYERS}>All layers (the whole project)</option>}
            {layers.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field export-splits" disabled={running}>
          <legend>Splits</legend>
          {SPLITS.map((s) => (
            <label key={s} className="check">
              <input
                type="checkbox"
                checked={splits.has(s)}
                disabled={splitCounts[s] === 0}
                onChange={(e) => {
                  const next = new Set(splits);
                  if (e.target.checked) next.add(s);
                  else next.delete(s);
                  setSplits(next);
                }}
              />
              {SPLIT_LABELS[s]} <span className="muted">({splitCounts[s].toLocaleString('en')})</span>
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={includeImages} disabled={running} onChange={(e) => setIncludeImages(e.target.checked)} />
          Include images
        </label>
        {format === 'coco' && (
          <label className="field">
            <span>Box segmentation</span>
            <select aria-label="Box segmentation" value={boxSegmentation} disabled={running} onChange={(e) => setBoxSegmentation(e.target.value as 'empty' | 'corners')}>
              <option value="empty">Empty [] — for detection training and bbox evaluation (what CVAT and Roboflow write)</option>
              <option value="corners">4-corner polygon — for mask training (pycocotools' annToMask and segm evaluation fail on [])</option>
            </select>
          </label>
        )}
        {phase.kind !== 'done' && <ExportCheckLine summary={openIssues?.choice === choice ? openIssues.value : undefined} />}
        {phase.kind !== 'done' && choice.layer !== null && choice.layer.toLowerCase() === CONSENSUS_LAYER.toLowerCase() && <ConsensusOpenLine />}
        {phase.kind !== 'done' && splits.size > 0 && <ExportPreviewPanel preview={preview?.choice === choice ? preview.value : null} includeImages={includeImages} />}
        <p className="muted export-hint">Classes are written in project order. The archive is read back with the same format and compared before it is offered.</p>
        {phase.kind === 'running' && (
          <div className="export-progress">
            <ProgressBar label="Export progress" value={phase.progress?.done ?? 0} max={phase.progress && phase.progress.total > 0 ? phase.progress.total : null} />
            <span className="muted">{phase.progress?.label ?? 'Reading the project'}…</span>
          </div>
        )}
        {refusal && (
          <p className="field-error export-error" role="alert">
            {refusal}
          </p>
        )}
        {phase.kind === 'failed' && (
          <p className="field-error export-error" role="alert">
            {phase.message}
          </p>
        )}
        {phase.kind === 'done' && <ExportDone summary={phase.summary} />}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            {running ? 'Cancel' : 'Close'}
          </button>
          <button type="submit" className="primary" disabled={running || splits.size === 0 || annotators === null || refusal !== null}>
            Download
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/**
 * One line on what the last consistency check found in the chosen layer and splits: the open
 * errors by rule, or that there are none, or that the project was not checked. Informs only:
 * Download stays enabled. `summary` undefined: still asking the check worker.
 */
function ExportCheckLine({ summary }: { readonly summary: OpenIssueSummary | null | undefined }) {
  let text: string;
  let errors = false;
  if (summary === undefined) text = 'Consistency check: looking at the last report…';
  else if (summary === null) text = 'Not checked yet: Run check to find problems before exporting.';
  else {
    const where = `${summary.layer === null ? 'all layers' : `${summary.layer}’s layer`} and the chosen splits`;
    const { error, warning } = summary.open;
    const warnings = warning > 0 ? plural(warning, 'warning') : 'no warnings';
    if (error === 0) text = `Consistency check: no open errors in ${where} (${warnings}).`;
    else {
      errors = true;
      const rules = (Object.entries(summary.errorsByRule) as [RuleId, number][]).sort((a, b) => b[1] - a[1] || RULES[a[0]].title.localeCompare(RULES[b[0]].title));
      const named = rules.map(([rule, n]) => `${RULES[rule].title} (${n.toLocaleString('en')})`).join(', ');
      text = `Consistency check: ${plural(error, 'open error')} in ${where} — ${named}${warning > 0 ? `; ${warnings}` : ''}. Fix them in Issues, or export as they are.`;
    }
  }
  return (
    <section className={errors ? 'export-check export-check-errors' : 'export-check muted'} aria-label="Consistency check" aria-live="polite">
      {text}
    </section>
  );
}

const NOTE_KINDS: readonly ExportNote['kind'][] = ['dropped', 'clipped', 'changed'];

function ExportDone({ summary }: { readonly summary: ExportSummary }) {
  const s = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
  return (
    <div className="export-done" role="status">
      <p>
        Downloaded <strong>{summary.fileName}</strong>: {s(summary.images, 'image')}, {s(summary.shapes, 'shape')}. Read back and verified.
      </p>
      {NOTE_KINDS.map((kind) => {
        const notes = summary.notes.filter((n) => n.kind === kind);
        if (notes.length === 0) return null;
        return (
          <details key={kind}>
            <summary>
              {notes.length.toLocaleString('en')} {kind} (listed in manifest.json)
            </summary>
            <ul className="note-list">
              {notes.slice(0, 200).map((n, i) => (
                <li key={i}>
                  {n.image && <span className="mono">{n.image}: </span>}
                  {n.message}
                </li>
              ))}
            </ul>
          </details>
        );
      })}
    </div>
  );
}
