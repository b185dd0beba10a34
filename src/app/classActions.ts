import type { Change } from '../core/change';
import type { ClassId, Project } from '../core/model';
import {
  addClass as addCommand,
  deleteClass as deleteCommand,
  moveClass as moveCommand,
  recolorClass as recolorCommand,
  renameClass as renameCommand,
} from '../core/projectCommands';
import { fail, ok, type Result } from '../core/result';
import type { Services } from './services';

/** Label class actions on the open project. */

const READ_ONLY = 'This project is open for editing in another tab; this tab is read-only.';

function openProject(services: Services): Project | null {
  return services.stores.document.getState().doc?.project ?? null;
}

/** Commits a class change as one undo step; `coalesce` folds a run of them (typing a name, dragging a colour). */
function commit(services: Services, result: Result<Change>, label: string, coalesce?: string): Result<null> {
  if (!result.ok) return result;
  return services.editor.commit(result.value, { label, ...(coalesce === undefined ? {} : { coalesce }) }) === null ? fail(READ_ONLY) : ok(null);
}

export function addClass(services: Services): Result<ClassId> {
  const project = openProject(services);
  if (!project || !services.editor.canEdit) return fail(READ_ONLY);
  const added = addCommand(project, Date.now());
  if (!added.ok) return added;
  services.editor.commit(added.value.change, { label: 'add class' });
  services.stores.session.setState({ activeClassId: added.value.classId });
  return ok(added.value.classId);
}

export function renameClass(services: Services, classId: ClassId, name: string): Result<null> {
  const project = openProject(services);
  return project ? commit(services, renameCommand(project, classId, name, Date.now()), 'rename class') : fail(READ_ONLY);
}

export function recolorClass(services: Services, classId: ClassId, color: string): Result<null> {
  const project = openProject(services);
  return project ? commit(services, recolorCommand(project, classId, color, Date.now()), 'recolour class', `recolour:${classId}`) : fail(READ_ONLY);
}

export function moveClass(services: Services, classId: ClassId, offset: number): Result<null> {
  const project = openProject(services);
  return project ? commit(services, moveCommand(project, classId, offset, Date.now()), 'move class') : fail(READ_ONLY);
}

/** How many shapes use a class (asked before deleting it). */
export async function classUsage(services: Services, classId: ClassId): Promise<number> {
  const project = openProject(services);
  return project ? (await services.repo.annotationsOfClass(project.id, classId)).length : 0;
}

export async function deleteClass(services: Services, classId: ClassId): Promise<Result<null>> {
  const doc = services.stores.document.getState().doc;
  if (!doc || !services.editor.canEdit) return fail(READ_ONLY);
  const usages = await services.repo.annotationsOfClass(doc.project.id, classId);
  const images = new Map(doc.images.map((i) => [i.id, i]));
  const result = commit(services, deleteCommand(doc.project, classId, usages, images, Date.now()), 'delete class');
  if (result.ok) {
    const { session } = services.stores;
    if (session.getState().activeClassId === classId) {
      session.setState({ activeClassId: services.stores.document.getState().doc?.project.classes[0]?.id ?? null });
    }
  }
  return result;
}

/** Keys 1–9: make the n-th class (0-based index) the active one. */
export function selectClassAt(services: Services, index: number): boolean {
  const cls = openProject(services)?.classes[index];
  if (!cls) return false;
  services.stores.session.setState({ activeClassId: cls.id });
  return true;
}
