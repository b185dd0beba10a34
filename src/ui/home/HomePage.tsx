import { useRef, useState } from 'react';
import { useApp, useProjects } from '../../app/context';
import { createProject } from '../../app/projectActions';
import { importProjectPackage } from '../../app/projectImport';
import { pushNotice } from '../../state/stores';
import { navigate, projectHref } from '../../app/router';
import { ok } from '../../core/result';
import { NameDialog } from '../common/NameDialog';
import { SaveStatus } from '../SaveStatus';
import { SettingsButton } from '../SettingsDialog';
import { ProjectRow } from './ProjectRow';

export function HomePage() {
  const app = useApp();
  const { services } = app;
  const summaries = useProjects((s) => s.summaries);
  const [creating, setCreating] = useState(false);
  const [now] = useState(Date.now);
  const [reading, setReading] = useState(false);
  const packageRef = useRef<HTMLInputElement>(null);

  const importPackage = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setReading(true);
    const result = await importProjectPackage(app, file);
    setReading(false);
    if (!result.ok) pushNotice(services.stores, 'error', result.message);
  };

  return (
    <div className="home">
      <header className="topbar">
        <span className="brand" aria-hidden="true">
          Tally
        </span>
        <div className="topbar-spacer" />
        <SaveStatus />
        <SettingsButton />
        <button
          type="button"
          disabled={reading}
          title="Make a project from a Tally package (.zip exported with images)"
          onClick={() => {
            app.exchange.warm();
            packageRef.current?.click();
          }}
        >
          {reading ? 'Reading package…' : 'Import project'}
        </button>
        <input ref={packageRef} type="file" accept=".zip,application/zip" hidden data-testid="import-project-input" onChange={(e) => void importPackage(e.currentTarget)} />
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New project
        </button>
      </header>
      <main className="home-main">
        <h1>Projects</h1>
        {summaries === null ? (
          <p className="muted">Loading…</p>
        ) : summaries.length === 0 ? (
          <div className="empty">
            <p>No projects yet. A project holds a set of images, its label classes and everyone’s annotations.</p>
            <p className="muted">Everything stays in this browser; nothing is uploaded.</p>
          </div>
        ) : (
          <ul className="project-list" aria-label="Projects">
            {summaries.map((s) => (
              <ProjectRow key={s.project.id} summary={s} now={now} />
            ))}
          </ul>
        )}
      </main>
      {creating && (
        <NameDialog
          title="New project"
          label="Project name"
          initial=""
          submitLabel="Create"
          onClose={() => setCreating(false)}
          onSubmit={async (name) => {
            const created = await createProject(services, name);
            if (created.ok) navigate(projectHref(created.value));
            return created.ok ? ok(null) : created;
          }}
        />
      )}
    </div>
  );
}
