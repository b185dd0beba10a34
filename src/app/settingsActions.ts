import { fail, ok, type Result } from '../core/result';
import { validateAnnotatorName } from '../core/validate';
import { writesForSetting } from '../persistence/repository';
import type { Services } from './services';

export async function loadSettings(services: Services): Promise<void> {
  const name = await services.repo.getSetting('annotatorName');
  services.stores.session.setState({ annotatorName: name ?? null });
}

/** Names the current annotator (browser-wide; every project). */
export async function setAnnotatorName(services: Services, raw: string): Promise<Result<string>> {
  const name = validateAnnotatorName(raw);
  if (!name.ok) return fail(name.message);
  services.stores.session.setState({ annotatorName: name.value });
  await services.queue.enqueue(writesForSetting({ key: 'annotatorName', value: name.value }));
  return ok(name.value);
}
