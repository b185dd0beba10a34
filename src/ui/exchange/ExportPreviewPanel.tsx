import { formatBytes } from '../../core/units';
import type { ExportPreviewResult } from '../../workers/exchangeApi';

const plural = (n: number, word: string, many = `${word}s`) => `${n.toLocaleString('en')} ${n === 1 ? word : many}`;

/** What the zip will hold, said before Download: its name, layout, estimated size, and what is clipped, dropped or converted. */
export function ExportPreviewPanel({ preview, includeImages }: { readonly preview: ExportPreviewResult | null; readonly includeImages: boolean }) {
  if (!preview) {
    return (
      <p className="muted" role="status">
        Working out what the zip will hold…
      </p>
    );
  }
  const { counts } = preview;
  return (
    <section className="import-plan" aria-label="What the zip will hold">
      <dl className="plan-figures">
        <dt>File</dt>
        <dd className="mono">{preview.fileName}</dd>
        <dt>Holds</dt>
        <dd>
          {plural(preview.images, 'image')}, {plural(preview.shapes, 'shape')}
        </dd>
        <dt>Estimated size</dt>
        <dd>
          about {formatBytes(preview.zipBytes.withoutImages)} without images, {formatBytes(preview.zipBytes.withImages)} with images
          {includeImages ? ' (images included)' : ''}
        </dd>
      </dl>
      <div>
        <span className="muted">Layout</span>
        <ul className="note-list" aria-label="Layout">
          {preview.layout.map((e) => (
            <li key={e.path}>
              <span className="mono">{e.path}</span>
              {e.files > 1 || e.path.endsWith('/') ? ` — ${plural(e.files, e.images ? 'image' : 'file')}` : ''}, {formatBytes(e.bytes)}
            </li>
          ))}
        </ul>
      </div>
      <div>
        <span className="muted">Clipped, dropped or converted</span>
        <ul className="note-list" aria-label="Changes">
          {preview.general.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
          {counts.clipped > 0 && <li>{plural(counts.clipped, 'shape')} reaching outside {counts.clipped === 1 ? 'its' : 'their'} image cut at its edge</li>}
          {counts.dropped > 0 && <li>{plural(counts.dropped, 'shape')} dropped (nothing of {counts.dropped === 1 ? 'it' : 'them'} inside the image, or a class not in the project)</li>}
          {preview.general.length === 0 && counts.clipped === 0 && counts.dropped === 0 && counts.changed === 0 && <li>Nothing: every shape is written as it is.</li>}
        </ul>
        {preview.perImage.length > 0 && (
          <details>
            <summary>By image ({plural(counts.clipped + counts.dropped + counts.changed - preview.general.length, 'note')})</summary>
            <ul className="note-list">
              {preview.perImage.map((n, i) => (
                <li key={i}>
                  <span className="mono">{n.image}: </span>
                  {n.message}
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
    </section>
  );
}
