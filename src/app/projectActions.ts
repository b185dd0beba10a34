import { added, change } from '../core/change';
import type { Project, ProjectId } from '../core/model';
import { createProject as makeProject, renameProject as renameCommand } from '../core/projectCommands';
import { fail, ok, type Result } from '../core/result';
import { withProjectLockIfFree } from '../persistence/projectLock';
import { writesForDeleteProject } from '../persistence/repository';
import { requestPersistence } from '../persistence/storage';
import { validateProjectName } from '../core/validate';
import type { Services } from './services';

/** Project list actions. Each returns a Result whose message is shown next to the control. */

export async function refreshProjects(services: Services): Promise<void> {
  services.stores.projects.setState({ summaries: await services.repo.listProjects() });
}

export async function createProject(services: Services, name: string): Promise<Result<ProjectId>> {
  const created = makeProject(name, Date.now());
  if (!created.ok) return created;
  await services.editor.commitElsewhere(change(added('projects', created.value)), 'create project');
  void requestPersistence();
  await refreshProjects(services);
  return ok(created.value.id);
}

const openElsewhere = (p: Project) => `“${p.name}” is open in another tab. Close it there first.`;

/**
 * Renames a project from the list. It holds the project's lock while it reads the current record
 * and writes the new one, so it cannot overwrite changes of a tab that has the project open.
 */
export async function renameProject(services: Services, project: Project, name: string): Promise<Result<null>> {
  const valid = validateProjectName(name);
  if (!valid.ok) return valid;
  let result: Result<null> = fail(openElsewhere(project));
  await withProjectLockIfFree(project.id, async () => {
    const current = await services.repo.getProject(project.id);
    if (!current) {
      result = fail('That project no longer exists.');
      return;
    }
    const renamed = renameCommand(current, valid.value, Date.now());
    if (!renamed.ok) {
      result = renamed;
      return;
    }
    await services.editor.commitElsewhere(renamed.value, 'rename project');
    result = ok(null);
  });
  await refreshProjects(services);
  return result;
}

/** Deletes a project and everything in it, unless a tab has it open. */
export async function deleteProject(services: Services, project: Project): Promise<Result<null>> {
  const done = await withProjectLockIfFree(project.id, () => services.queue.enqueue(writesForDeleteProject(project.id)));
  if (!done) return fail(openElsewhere(project));
  // Not a change of a document (the document is gone): other tabs' project lists are told directly.
  services.broadcast.post([project.id], { projectChanged: true });
  services.thumbnails.forgetProject(project.id);
  await refreshProjects(services);
  return ok(null);
}
