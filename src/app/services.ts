import { openTallyDb, type TallyDb } from '../persistence/db';
import { CommitBroadcast } from '../persistence/broadcast';
import { Repository } from '../persistence/repository';
import { describeWriteError } from '../persistence/storage';
import { WriteQueue } from '../persistence/writeQueue';
import { commitWrites, hurryWrites } from '../persistence/writes';
import { Editor } from '../state/editor';
import { createStores, pushNotice, type Stores } from '../state/stores';
import { BitmapCache } from '../media/bitmapCache';
import { ThumbnailCache } from '../media/thumbnailCache';

/** Everything the app runs on, made once at start-up (the composition root's output). */
export interface Services {
  readonly db: TallyDb;
  readonly repo: Repository;
  readonly queue: WriteQueue;
  readonly broadcast: CommitBroadcast;
  readonly stores: Stores;
  readonly editor: Editor;
  readonly thumbnails: ThumbnailCache;
  readonly bitmaps: BitmapCache;
}

export async function createServices(): Promise<Services> {
  const stores = createStores();
  const db = await openTallyDb(undefined, {
    onOutdated: () => pushNotice(stores, 'error', 'Tally was updated in another tab. Reload this tab to keep working; nothing saved is lost.'),
  });
  const broadcast = new CommitBroadcast();
  const queue = new WriteQueue({
    commit: (writes) => commitWrites(db, writes),
    hurry: hurryWrites,
    describeError: (e, permanent) => describeWriteError(e, permanent),
    onStatus: (status) => stores.save.setState({ status }),
  });
  const repo = new Repository(db, { compact: true });
  await repo.startClock();
  const services: Services = {
    db,
    repo,
    queue,
    broadcast,
    stores,
    editor: new Editor(stores, queue, {
      annotations: (projectId, imageId) => repo.annotationsOfImage(projectId, imageId),
      records: (projectId, imageIds) => repo.records(projectId, imageIds),
    }),
    thumbnails: new ThumbnailCache((projectId, imageIds) => repo.getThumbnails(projectId, imageIds)),
    bitmaps: new BitmapCache((projectId, imageId) => repo.getImageBlob(projectId, imageId)),
  };
  // The tab broadcast follows the change feed: other tabs hear which images changed, once saved.
  services.editor.feed.subscribe((e) => {
    if (e.writes.length === 0) return; // nothing this tab wrote (followed from another tab, or put back)
    e.saved.then(
      () => broadcast.post([e.projectId], { imageIds: e.imageIds, projectChanged: e.projectChanged }),
      () => undefined,
    );
  });
  bindPageLifecycle(queue);
  return services;
}

/** Pending writes go out as soon as the page may be hidden, frozen or closed. */
function bindPageLifecycle(queue: WriteQueue): void {
  window.addEventListener('pagehide', () => queue.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') queue.flush();
  });
  window.addEventListener('beforeunload', (e) => {
    if (!queue.idle) {
      queue.flush();
      e.preventDefault(); // asks the user to wait: some edits are not on disk yet
    }
  });
}
