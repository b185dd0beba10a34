import { useState, type FormEvent } from 'react';
import { useApp, useSession } from '../app/context';
import { setAnnotatorName } from '../app/settingsActions';

/**
 * Asked on first use: who is annotating. Shown inline (not modal) so it never blocks work; it
 * disappears once a name is saved, which can be changed in Settings.
 */
export function AnnotatorPrompt() {
  const { services } = useApp();
  const annotator = useSession((s) => s.annotatorName);
  const settingsOpen = useSession((s) => s.settingsOpen);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (annotator !== null || settingsOpen) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await setAnnotatorName(services, name);
    if (!result.ok) setError(result.message);
  };

  return (
    <form className="banner banner-info" aria-label="Who is annotating?" onSubmit={(e) => void submit(e)}>
      <strong>Who is annotating?</strong>
      <span className="muted">Your shapes are credited to this name.</span>
      <label className="inline-field">
        <span>Annotator name</span>
        <input
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          placeholder="e.g. Ana"
        />
      </label>
      <button type="submit">Save name</button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
