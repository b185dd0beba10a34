/**
 * Import project: a Tally package exported with images becomes a whole project — or nothing. The
 * package is read in the exchange worker, its images checked, decoded, hashed and thumbnailed in
 * the import workers without storing anything; exchange/packageProject.ts then decides (any
 * problem refuses the whole package, with one message naming the file), and the project, its
 * images with their bytes and thumbnails, and every layer's shapes are written in one
 * transaction. A project of the same name gets a distinct name ("Street scenes (2)").
 */
import { DEFAULT_SETTINGS, type ProjectId } from '../core/model';
import { fail, ok, type Result } from '../core/result';
import { expandSources } from '../exchange/importSources';
import { packageProject } from '../exchange/packageProject';
import type { PickedFile } from '../exchange/pickedFile';
import { writesForChange, writesForImageFiles } from '../persistence/repository';
import { pushNotice } from '../state/stores';
import type { AppRuntime } from './context';
import { refreshProjects } from './projectActions';
import { navigate, projectHref } from './router';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function importProjectPackage(app: AppRuntime, file: File): Promise<Result<ProjectId>> {
  const { services, exchange, imports } = app;
  const picked: PickedFile[] = [{ file, path: file.name }];
  let read;
  try {
    read = await exchange.readFiles(picked, [], () => undefined);
  } catch (e) {
    return fail(`${file.name} was not imported, and no project was created: ${message(e)}`);
  }
  if (read.formatId !== 'tally') {
    return fail(`${file.name} is not a Tally package${read.formatId ? ` (it looks like ${read.formatLabel}: create a project, import its images, then use Import annotations)` : ''}; no project was created.`);
  }
  let files;
  try {
    const { images, refused } = await expandSources(picked);
    if (refused[0]) return fail(`${file.name} was not imported, and no project was created: ${refused[0].file}: ${refused[0].reason}.`);
    const limits = { maxMegapixels: read.dataset.project?.settings?.maxImageMegapixels ?? DEFAULT_SETTINGS.maxImageMegapixels };
    const results = await imports.processImages(images, limits);
    files = images.map((img, k) => ({ label: img.label, outcome: results[k]!.outcome, bytes: results[k]!.bytes }));
  } catch (e) {
    return fail(`${file.name} was not imported, and no project was created: ${message(e)}`);
  }
  const made = packageProject({
    fileName: file.name,
    dataset: read.dataset,
    diagnostics: read.diagnostics,
    files,
    existingNames: (await services.repo.listProjects()).map((s) => s.project.name),
    annotator: exchange.defaultAnnotator(read),
    now: Date.now(),
  });
  if (!made.ok) return made;
  const { project, change, fileOf } = made.value;
  const writes = writesForChange(change);
  for (const u of change.updates) {
    if (u.table !== 'images' || !u.after) continue;
    const f = files[fileOf.get(u.after.id)!]!;
    if (f.outcome.ok && f.bytes) writes.push(...writesForImageFiles(u.after, f.bytes, f.outcome.image.thumbnail));
  }
  try {
    await services.queue.enqueue(writes);
  } catch (e) {
    return fail(`${file.name} was not imported, and no project was created: it could not be stored (${message(e)}).`);
  }
  await refreshProjects(services);
  navigate(projectHref(project.id));
  const images = change.updates.filter((u) => u.table === 'images').length;
  const shapes = change.updates.filter((u) => u.table === 'annotations').length;
  pushNotice(services.stores, 'info', `Created “${project.name}” from ${file.name}: ${images.toLocaleString('en')} image${images === 1 ? '' : 's'}, ${shapes.toLocaleString('en')} shape${shapes === 1 ? '' : 's'}.`);
  return ok(project.id);
}
