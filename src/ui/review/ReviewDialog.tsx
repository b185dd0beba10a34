import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { useApp, useDocument, useSession } from '../../app/context';
import type { ImageId } from '../../core/model';
import { changeSettings } from '../../core/projectCommands';
import { downloadBlob } from '../../exchange/download';
import { AGREEMENT_FILES, agreementFiles } from '../../quality/agreementFiles';
import type { AgreementResult, CheckProgress } from '../../workers/checkApi';
import { CancelledError } from '../../workers/rpc';
import { Dialog } from '../common/Dialog';
import { ProgressBar } from '../common/ProgressBar';
import { ReviewFigures } from './ReviewFigures';
import type { ReviewSettingsValue } from './ReviewSettings';
import { AGREEMENT_CSV_ZIP, agreementCsvZip, fewAnnotatorsMessage, reviewSettingsOf, withReviewSettings } from './reviewData';

/** A settings field's value is stored once the lead stops typing for this long (one undo step, not one per key). */
const STORE_SETTINGS_AFTER_MS = 400;

/**
 * The review view: the check worker compares the annotator layers as saved now (again whenever
 * the project's settings change, e.g. τ here or an undo); the figures come from ReviewFigures.
 * Choosing a queue row closes the view on that image; the queue marks it when the view opens again.
 */
export function ReviewDialog({ onClose }: { readonly onClose: () => void }) {
  const { checks, services } = useApp();
  const project = useDocument((s) => s.doc?.project ?? null);
  const images = useDocument((s) => s.doc?.images ?? []);
  const currentImageId = useSession((s) => s.currentImageId);
  // Each answer and failure carries the settings it was computed for: another key means a newer computation is under way.
  const [done, setDone] = useState<{ readonly key: string; readonly result: AgreementResult } | null>(null);
  const [failure, setFailure] = useState<{ readonly key: string; readonly message: string } | null>(null);
  const [progress, setProgress] = useState<CheckProgress | null>(null);
  const [pending, setPending] = useState<ReviewSettingsValue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const queued = useRef<ReviewSettingsValue | null>(null);
  const settingsKey = project ? JSON.stringify(project.settings) : '';

  useEffect(() => {
    const abort = new AbortController();
    checks.agreement({ signal: abort.signal, onProgress: setProgress }).then(
      (result) => {
        if (abort.signal.aborted) return;
        setDone({ key: settingsKey, result });
        setPending(null);
        setProgress(null);
      },
      (e: unknown) => {
        if (abort.signal.aborted || e instanceof CancelledError) return;
        setFailure({ key: settingsKey, message: e instanceof Error ? e.message : String(e) });
        setProgress(null);
      },
    );
    return () => abort.abort();
  }, [checks, settingsKey]);

  /** Stores τ, τ_low and the quorum as one undoable change of the project's settings; the report follows. */
  const store = (value: ReviewSettingsValue) => {
    const now = services.stores.document.getState().doc?.project;
    if (!now) return;
    const changed = changeSettings(now, withReviewSettings(now.settings, value), Date.now());
    if (!changed.ok) return setError(changed.message);
    if (services.editor.commit(changed.value, { label: 'change agreement settings' }) === null) setError('This tab is read-only.');
  };
  /** A change still waiting for the typing to stop is stored now (the view is closing). */
  const flush = useEffectEvent(() => {
    if (!timer.current) return;
    clearTimeout(timer.current);
    timer.current = null;
    if (queued.current) store(queued.current);
  });
  useEffect(() => () => flush(), []);

  if (!project) return null;

  const onSettingsChange = (value: ReviewSettingsValue) => {
    setPending(value);
    setError(null);
    queued.current = value;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      store(value);
    }, STORE_SETTINGS_AFTER_MS);
  };

  const openImage = (imageId: ImageId) => {
    void checks.openImage(imageId);
    onClose();
  };
  const download = (what: 'csv' | 'json') => {
    if (!result) return;
    const files = agreementFiles({ report: result.report, classes: project.classes, images, options: result.options });
    if (what === 'csv') downloadBlob(new Blob([agreementCsvZip(files) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), AGREEMENT_CSV_ZIP);
    else downloadBlob(new Blob([files.get(AGREEMENT_FILES.json)! as Uint8Array<ArrayBuffer>], { type: 'application/json' }), AGREEMENT_FILES.json);
  };

  const result = done?.result ?? null;
  const failed = failure?.key === settingsKey ? failure.message : null;
  const busy = done?.key !== settingsKey && failed === null;
  const few = result ? fewAnnotatorsMessage(result.annotators) : null;
  return (
    <Dialog title="Review" onClose={onClose} className="review-dialog">
      <button type="button" className="dialog-close icon-button" aria-label="Close" autoFocus onClick={onClose}>
        ×
      </button>
      {failed !== null && (
        <p className="field-error" role="alert">
          {failed}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {result === null ? (
        busy && (
          <div className="review-progress" role="status">
            <span className="muted">{progress?.label ?? 'Comparing annotators'}…</span>
            <ProgressBar label="Comparing annotators" value={progress?.done ?? 0} max={progress?.total ?? null} />
          </div>
        )
      ) : few !== null ? (
        <p className="review-few">{few}</p>
      ) : (
        <>
          <ReviewFigures
            report={result.report}
            classes={project.classes}
            images={images}
            settings={pending ?? reviewSettingsOf(result.options)}
            onSettingsChange={onSettingsChange}
            onOpenImage={openImage}
            currentImageId={currentImageId}
            busy={busy}
          />
          <div className="dialog-actions review-downloads">
            <button type="button" disabled={busy} onClick={() => download('csv')}>
              Download agreement CSV
            </button>
            <button type="button" disabled={busy} onClick={() => download('json')}>
              Download agreement JSON
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
