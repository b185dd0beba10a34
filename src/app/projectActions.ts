import { added, change } from '../core/change';
import type { Project, ProjectId } from '../core/model';
import { createProject as makeProject, renameProject as renameCommand } from '../core/projectCommands';
import { fail, ok, type Result } from '../core/result';
import { withProjectLockIfFree } from '../persistence/projectLock';
import { writesForChange, writesForDeleteProject } from '../persistence/repository';
import { requestPersistence } from '../persistence/storage';
import type { ProjectSession } from './projectSession';
import type { Services } from './services';

/** Project list actions. Each returns a Result whose message is shown next to the control. */

export async function refreshProjects(services: Services): Promise<void> {
  services.stores.projects.setState({ summaries: await services.repo.listProjects() });
}

export async function createProject(services: Services, name: string): Promise<Result<ProjectId>> {
  const created = makeProject(name, Date.now());
  if (!created.ok) return created;
  await services.queue.enqueue(writesForChange(change(added('projects', created.value))));
  void requestPersistence();
  await refreshProjects(services);
  return ok(created.value.id);
}

const openElsewhere = (p: Project) => `“${p.name}” is open in another tab. Close it there first.`;

export async function renameProject(services: Services, session: ProjectSession, project: Project, name: string): Promise<Result<null>> {
  if (session.projectId === project.id) {
    // Open here: the editor owns it (and refuses if this tab is read-only).
    const current = services.stores.document.getState().doc?.project ?? project;
    const renamed = renameCommand(current, name, Date.now());
    if (!renamed.ok) return renamed;
    if (services.editor.commit(renamed.value) === null) return fail(openElsewhere(project));
    await refreshProjects(services);
    return ok(null);
  }
  const renamed = renameCommand(project, name, Date.now());
  if (!renamed.ok) return renamed;
  const done = await withProjectLockIfFree(project.id, () => services.queue.enqueue(writesForChange(renamed.value)));
  if (!done) return fail(openElsewhere(project));
  await refreshProjects(services);
  return ok(null);
}

export async function deleteProject(services: Services, session: ProjectSession, project: Project): Promise<Result<null>> {
  if (session.projectId === project.id) {
    if (services.stores.document.getState().mode !== 'edit') return fail(openElsewhere(project));
    await session.close();
  }
  const done = await withProjectLockIfFree(project.id, () => services.queue.enqueue(writesForDeleteProject(project.id)));
  if (!done) return fail(openElsewhere(project));
  services.thumbnails.forgetProject(project.id);
  await refreshProjects(services);
  return ok(null);
}
