/**
 * Tells other tabs that committed data changed, so read-only views and project lists refresh.
 * Messages carry only ids; every tab reads the data itself from IndexedDB.
 */
export interface CommitMessage {
  readonly type: 'committed';
  readonly projectIds: readonly string[];
  /** The images whose records or shapes changed (absent: unknown, assume any). */
  readonly imageIds?: readonly string[];
  /** A project record changed (classes, settings). */
  readonly projectChanged?: boolean;
}

export class CommitBroadcast {
  private readonly channel: BroadcastChannel | null;

  constructor(name = 'tally-commits') {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);
  }

  post(projectIds: Iterable<string>, detail: { imageIds?: Iterable<string>; projectChanged?: boolean } = {}): void {
    const ids = [...projectIds];
    if (ids.length === 0) return;
    const message: CommitMessage = {
      type: 'committed',
      projectIds: ids,
      ...(detail.imageIds ? { imageIds: [...detail.imageIds] } : {}),
      ...(detail.projectChanged !== undefined ? { projectChanged: detail.projectChanged } : {}),
    };
    this.channel?.postMessage(message);
  }

  subscribe(listener: (m: CommitMessage) => void): () => void {
    const channel = this.channel;
    if (!channel) return () => undefined;
    const handler = (e: MessageEvent<CommitMessage>) => {
      if (e.data?.type === 'committed') listener(e.data);
    };
    channel.addEventListener('message', handler);
    return () => channel.removeEventListener('message', handler);
  }
}
