/**
 * Import project, the deciding half: a Tally package (read by the exchange worker) and its image
 * files (processed by the import workers, nothing stored yet) become one Change that creates the
 * whole project — project and classes, every image with its split and status, every layer's
 * shapes — or a refusal that says why, naming the file. All or nothing: a package with an error
 * in it, without its images, with an image that cannot be imported, or with anything that would
 * be left out is refused, and nothing is created. The caller writes the Change (and the image
 * files) in one transaction.
 */
import { added, change, updatesOf, type Change } from '../core/change';
import { newClassId, newImageId, newProjectId } from '../core/ids';
import { DEFAULT_SETTINGS, SCHEMA_VERSION, type ClassId, type ImageRecord, type LabelClass, type Project, type ProjectId } from '../core/model';
import { nextColor } from '../core/projectCommands';
import { fail, ok, type Result } from '../core/result';
import { PROJECT_NAME_MAX, validateClassName, validateColor, validateProjectName, validateSettings } from '../core/validate';
import type { Dataset, Diagnostic } from '../formats/types';
import type { ProcessOutcome } from '../media/processImage';
import { buildImportChange, planImport, quoteName } from './importPlan';

/** One image file of the archive, as the import worker judged it. */
export interface PackageImageFile {
  /** For messages: `street.zip › images/day/a.jpg`. */
  readonly label: string;
  readonly outcome: ProcessOutcome;
}

export interface PackageInput {
  /** The package's file name, for messages and as the name of last resort. */
  readonly fileName: string;
  readonly dataset: Dataset;
  readonly diagnostics: readonly Diagnostic[];
  readonly files: readonly PackageImageFile[];
  /** Names of the projects there are already (the new one gets a distinct name). */
  readonly existingNames: readonly string[];
  /** Whose layer shapes without an annotator join. */
  readonly annotator: string;
  readonly now: number;
}

export interface PackageProject {
  readonly project: Project;
  /** Everything to store, as one Change: the project, its images, its shapes. */
  readonly change: Change;
  /** For each image record, the index in `files` of its bytes (to write them with it). */
  readonly fileOf: ReadonlyMap<string, number>;
}

const where = (d: Diagnostic): string => `${d.file}${d.line !== undefined ? `:${d.line}` : ''}${d.field !== undefined ? ` (${d.field})` : ''}`;

/** `name`, or `name (2)`, `name (3)`… — the first that no project has (ignoring case), within the length limit. */
export function distinctName(name: string, existing: readonly string[]): string {
  const taken = new Set(existing.map((n) => n.toLocaleLowerCase('en')));
  if (!taken.has(name.toLocaleLowerCase('en'))) return name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${name.slice(0, PROJECT_NAME_MAX - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(candidate.toLocaleLowerCase('en'))) return candidate;
  }
}

function projectOf(input: PackageInput): Result<Project> {
  const { dataset, fileName } = input;
  const classes: LabelClass[] = [];
  for (const [k, c] of dataset.classes.entries()) {
    const valid = validateClassName(c.name, classes);
    if (!valid.ok) return fail(`tally.json (classes[${k}]): the class ${quoteName(c.name)} cannot be created: ${valid.message}`);
    const id = (c.id && !classes.some((x) => x.id === c.id) ? c.id : newClassId()) as ClassId;
    classes.push({ id, name: valid.value, color: c.color && validateColor(c.color).ok ? c.color.toLowerCase() : nextColor(classes), attributes: c.attributes ?? [] });
  }
  const named = validateProjectName(dataset.project?.name ?? '');
  const base = named.ok ? named.value : validateProjectName(fileName.replace(/\.zip$/i, '')).ok ? fileName.replace(/\.zip$/i, '').trim().slice(0, PROJECT_NAME_MAX) : 'Imported project';
  const settings = dataset.project?.settings && validateSettings(dataset.project.settings).ok ? dataset.project.settings : DEFAULT_SETTINGS;
  return ok({ id: newProjectId() as ProjectId, name: distinctName(base, input.existingNames), classes, settings, schemaVersion: SCHEMA_VERSION, createdAt: input.now, updatedAt: input.now });
}

/** The project to create from a package, or the one reason it is not created. */
export function packageProject(input: PackageInput): Result<PackageProject> {
  const refuse = (reason: string): Result<PackageProject> => fail(`${input.fileName} was not imported, and no project was created: ${reason}`);
  const { dataset } = input;
  const errors = input.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return refuse(`${where(errors[0]!)}: ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length === 2 ? '' : 's'})` : ''}.`);
  if (dataset.images.length === 0) return refuse('the package lists no images.');
  if (input.files.length === 0) return refuse('it holds no image files. Make the package with Export → Tally with “Include images” checked.');

  const bySha = new Map<string, number>();
  for (const [k, f] of input.files.entries()) {
    if (!f.outcome.ok) return refuse(`${f.label}: ${f.outcome.reason}.`);
    const twin = bySha.get(f.outcome.image.sha256);
    if (twin !== undefined) return refuse(`${f.label} is the same image as ${input.files[twin]!.label}.`);
    bySha.set(f.outcome.image.sha256, k);
  }
  const project = projectOf(input);
  if (!project.ok) return refuse(project.message);

  const fileOf = new Map<string, number>();
  const used = new Set<number>();
  const records: ImageRecord[] = [];
  for (const [i, img] of dataset.images.entries()) {
    const k = img.sha256 === undefined ? undefined : bySha.get(img.sha256);
    const processed = k === undefined ? undefined : input.files[k]!.outcome;
    if (k === undefined || !processed?.ok) return refuse(`${img.relativePath} (tally.json images[${i}]) is not in the archive.`);
    const p = processed.image;
    used.add(k);
    const record: ImageRecord = {
      id: newImageId(),
      projectId: project.value.id,
      fileName: img.fileName,
      relativePath: img.relativePath,
      width: p.width,
      height: p.height,
      byteSize: p.byteSize,
      mimeType: p.mimeType,
      sha256: p.sha256,
      phash: p.phash,
      phashMirrored: p.phashMirrored,
      dhash: p.dhash,
      pixelSha256: p.pixelSha256,
      pixelStats: p.pixelStats,
      split: 'unassigned',
      status: 'new',
      seq: i + 1,
      addedAt: input.now,
      annotationCount: 0,
    };
    fileOf.set(record.id, k);
    records.push(record);
  }
  const extra = input.files.findIndex((_, k) => !used.has(k));
  if (extra >= 0) return refuse(`${input.files[extra]!.label} is not one of the images tally.json lists.`);

  const plan = planImport(project.value, records, [], [], { formatLabel: 'Tally', dataset, diagnostics: [], source: input.fileName }, input.annotator);
  if (plan.blocked) return refuse(plan.blocked);
  const lost = plan.unmatched[0];
  if (lost) return refuse(`${lost.path}: ${lost.reason}.`);
  const built = buildImportChange(plan, project.value, [], [], input.annotator, input.now, { adoptImageFields: true });
  if (!built.ok) return refuse(built.message);
  // The plan's image updates (counts, split, status) are the records as first written.
  const final = new Map(records.map((r) => [r.id, r]));
  for (const u of updatesOf(built.value, 'images')) if (u.after) final.set(u.after.id, u.after);
  const classesAfter = updatesOf(built.value, 'projects')[0]?.after ?? project.value;
  return ok({
    project: classesAfter,
    fileOf,
    change: change(added('projects', classesAfter), ...[...final.values()].map((r) => added('images', r)), ...updatesOf(built.value, 'layers'), ...updatesOf(built.value, 'annotations')),
  });
}
