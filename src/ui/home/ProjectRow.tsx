import { useState } from 'react';
import { useApp } from '../../app/context';
import { deleteProject, renameProject } from '../../app/projectActions';
import { projectHref } from '../../app/router';
import type { ProjectSummary } from '../../persistence/repository';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { NameDialog } from '../common/NameDialog';
import { Thumbnail } from '../common/Thumbnail';
import { formatAgo } from '../../core/units';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export function ProjectRow({ summary, now }: { readonly summary: ProjectSummary; readonly now: number }) {
  const { services } = useApp();
  const { project, imageCount, annotationCount, doneCount, lastOpened, coverImageId } = summary;
  const [dialog, setDialog] = useState<'rename' | 'delete' | null>(null);
  const nameId = `project-${project.id}`;

  return (
    <li className="project-row">
      <a href={projectHref(project.id)} tabIndex={-1} aria-hidden="true" className="project-cover">
        {coverImageId ? <Thumbnail projectId={project.id} imageId={coverImageId} /> : <span className="thumb thumb-empty" />}
      </a>
      <span className="project-text">
        <a id={nameId} className="project-link" href={projectHref(project.id)}>
          {project.name}
        </a>
        <span className="muted project-counts">
          {plural(imageCount, 'image', 'images')} · {plural(annotationCount, 'shape', 'shapes')} · {plural(project.classes.length, 'class', 'classes')} ·{' '}
          {lastOpened ? `opened ${formatAgo(lastOpened.at, now)}` : 'never opened'}
        </span>
      </span>
      <span className="project-progress" title={`${doneCount.toLocaleString('en')} of ${imageCount.toLocaleString('en')} images done`}>
        <progress max={Math.max(1, imageCount)} value={doneCount} aria-label={`${project.name}: images done`} />
        <span className="muted">
          {doneCount.toLocaleString('en')} / {imageCount.toLocaleString('en')} done
        </span>
      </span>
      <span className="row-actions">
        <button type="button" aria-label="Rename project" aria-describedby={nameId} onClick={() => setDialog('rename')}>
          Rename
        </button>
        <button type="button" aria-label="Delete project" aria-describedby={nameId} className="danger-quiet" onClick={() => setDialog('delete')}>
          Delete
        </button>
      </span>
      {dialog === 'rename' && (
        <NameDialog
          title="Rename project"
          label="Project name"
          initial={project.name}
          submitLabel="Save"
          onClose={() => setDialog(null)}
          onSubmit={(name) => renameProject(services, project, name)}
        />
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title={`Delete “${project.name}”?`}
          confirmLabel="Delete"
          onClose={() => setDialog(null)}
          onConfirm={() => deleteProject(services, project)}
        >
          <p>
            This removes the project, its {plural(imageCount, 'image', 'images')} and {plural(annotationCount, 'shape', 'shapes')} from this
            browser. It cannot be undone; export first if you want to keep a copy.
          </p>
        </ConfirmDialog>
      )}
    </li>
  );
}
