/**
 * What the Review view derives from the worker's answer and the project, without React: the
 * settings it shows, the project settings a change of them makes, what it says with fewer than
 * two annotators, and the agreement downloads.
 */
import { zipSync } from 'fflate';
import type { ProjectSettings } from '../../core/model';
import { DEFAULT_QUALITY_SETTINGS, type AgreementOptions } from '../../quality';
import { AGREEMENT_FILES } from '../../quality/agreementFiles';
import type { ReviewSettingsValue } from './ReviewSettings';

/** The zip of the three agreement CSVs ("Download agreement CSV"). */
export const AGREEMENT_CSV_ZIP = 'agreement-csv.zip';

export function reviewSettingsOf(options: AgreementOptions): ReviewSettingsValue {
  return { iouThreshold: options.iouThreshold, lowOverlapThreshold: options.lowOverlapThreshold, quorum: options.quorum };
}

/**
 * The project's settings with Review's τ, τ_low and quorum: τ is the project's IoU threshold,
 * the other two quality settings; like Checker settings, a value equal to its default is not
 * kept (a later change of the default reaches the project).
 */
export function withReviewSettings(settings: ProjectSettings, value: ReviewSettingsValue): ProjectSettings {
  const quality: Record<string, number> = { ...settings.quality, lowOverlapIoU: value.lowOverlapThreshold, quorum: value.quorum };
  if (value.lowOverlapThreshold === DEFAULT_QUALITY_SETTINGS.lowOverlapIoU) delete quality.lowOverlapIoU;
  if (value.quorum === DEFAULT_QUALITY_SETTINGS.quorum) delete quality.quorum;
  return { ...settings, iouThreshold: value.iouThreshold, quality };
}

/** What Review says instead of figures when fewer than two annotators' layers hold shapes; null otherwise. */
export function fewAnnotatorsMessage(annotators: readonly string[]): string | null {
  if (annotators.length >= 2) return null;
  const has = annotators.length === 0 ? `no annotator's shapes yet` : `one (${annotators[0]})`;
  return `Review compares annotators' layers: this project has ${has}. Import another annotator's work with Import annotations.`;
}

/** The three CSVs of `agreementFiles` in one zip (the JSON is downloaded on its own). */
export function agreementCsvZip(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const csv = [AGREEMENT_FILES.images, AGREEMENT_FILES.pairs, AGREEMENT_FILES.classes];
  return zipSync(Object.fromEntries(csv.map((name) => [name, files.get(name) ?? new Uint8Array()])));
}
