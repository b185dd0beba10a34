/**
 * A Tally package with images makes a whole project: the project and its classes from
 * tally.json, the images through the ordinary image import (hashes, thumbnails, the same checks),
 * then every layer's shapes matched by SHA-256, with each image's split and status, as one Change.
 */
import { added, change } from '../core/change';
import { DEFAULT_SETTINGS, SCHEMA_VERSION, type ClassId, type LabelClass, type Project, type ProjectId } from '../core/model';
import { newClassId, newProjectId } from '../core/ids';
import { nextColor } from '../core/projectCommands';
import { fail, ok, type Result } from '../core/result';
import { validateClassName, validateColor, validateProjectName, validateSettings } from '../core/validate';
import type { PickedFile } from '../exchange/pickedFile';
import type { Dataset } from '../formats/types';
import { writesForChange } from '../persistence/repository';
import { pushNotice } from '../state/stores';
import type { AppRuntime } from './context';
import { navigate, projectHref } from './router';
import { refreshProjects } from './projectActions';

/** The project record a package describes (classes keep their ids, so a lead's review decisions stay attached). */
function projectFromPackage(dataset: Dataset, fileName: string, now: number): Result<Project> {
  const name = validateProjectName(dataset.project?.name ?? '');
  const classes: LabelClass[] = [];
  for (const c of dataset.classes) {
    const valid = validateClassName(c.name, classes);
    if (!valid.ok) return fail(`${fileName}: class "${c.name}": ${valid.message}`);
    const id = (c.id && !classes.some((k) => k.id === c.id) ? c.id : newClassId()) as ClassId;
    classes.push({ id, name: valid.value, color: c.color && validateColor(c.color).ok ? c.color.toLowerCase() : nextColor(classes), attributes: c.attributes ?? [] });
  }
  const settings = dataset.project?.settings && validateSettings(dataset.project.settings).ok ? dataset.project.settings : DEFAULT_SETTINGS;
  return ok({
    id: newProjectId(),
    name: name.ok ? name.value : fileName.replace(/\.zip$/i, '').slice(0, 120) || 'Imported project',
    classes,
    settings,
    schemaVersion: SCHEMA_VERSION,
    createdAt: now,
    updatedAt: now,
  });
}

/** Resolves once the project page has this project open for editing. */
function whenOpen(app: AppRuntime, id: ProjectId): Promise<void> {
  const { document } = app.services.stores;
  const ready = () => document.getState().doc?.project.id === id && document.getState().mode === 'edit';
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = document.subscribe(() => {
      if (!ready()) return;
      stop();
      resolve();
    });
  });
}

export async function importProjectPackage(app: AppRuntime, file: File): Promise<Result<ProjectId>> {
  const { services, exchange, imports } = app;
  const picked: PickedFile[] = [{ file, path: file.name }];
  let read;
  try {
    read = await exchange.readFiles(picked, [], () => undefined);
  } catch (e) {
    return fail(`${file.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (read.formatId !== 'tally') {
    return fail(`${file.name} is not a Tally package${read.formatId ? ` (it looks like ${read.formatLabel}: create a project, import its images, then use Import annotations)` : ''}.`);
  }
  const errors = read.diagnostics.filter((d) => d.severity === 'error');
  if (read.dataset.images.length === 0) return fail(`${file.name}: the package lists no images${errors[0] ? ` (${errors[0].message})` : ''}.`);
  const project = projectFromPackage(read.dataset, file.name, Date.now());
  if (!project.ok) return project;
  await services.queue.enqueue(writesForChange(change(added('projects', project.value))));
  await refreshProjects(services);
  navigate(projectHref(project.value.id));
  await whenOpen(app, project.value.id);
  await imports.importFiles(picked);
  const annotator = exchange.defaultAnnotator(read);
  const plan = exchange.plan({ ...read, existing: [] }, annotator);
  if (!plan) return fail('The new project closed before its shapes were stored.');
  const stored = await exchange.commitImport(plan, [], annotator, { adoptImageFields: true });
  if (!stored.ok) return stored;
  const missing = plan.unmatched.length;
  pushNotice(
    services.stores,
    missing > 0 || errors.length > 0 ? 'error' : 'info',
    `Created “${project.value.name}” from ${file.name}: ${plan.matched.length.toLocaleString('en')} images, ${stored.value.toLocaleString('en')} shapes.` +
      (missing > 0 ? ` ${missing.toLocaleString('en')} image${missing === 1 ? ' was' : 's were'} not in the package or could not be imported; their shapes were left out.` : '') +
      (errors.length > 0 ? ` ${errors.length} problem${errors.length === 1 ? '' : 's'} in the package: ${errors[0]!.file}: ${errors[0]!.message}` : ''),
  );
  return ok(project.value.id);
}
