import { useState } from 'react';
import { useApp, useProjects } from '../../app/context';
import { createProject } from '../../app/projectActions';
import { navigate, projectHref } from '../../app/router';
import { ok } from '../../core/result';
import { NameDialog } from '../common/NameDialog';
import { SaveStatus } from '../SaveStatus';
import { SettingsButton } from '../SettingsDialog';
import { ProjectRow } from './ProjectRow';

export function HomePage() {
  const { services } = useApp();
  const summaries = useProjects((s) => s.summaries);
  const [creating, setCreating] = useState(false);

  return (
    <div className="home">
      <header className="topbar">
        <span className="brand" aria-hidden="true">
          Tally
        </span>
        <div className="topbar-spacer" />
        <SaveStatus />
        <SettingsButton />
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
              <ProjectRow key={s.project.id} summary={s} />
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
