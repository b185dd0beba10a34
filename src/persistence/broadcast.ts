/**
 * Tells other tabs that committed data changed, so read-only views and project lists refresh.
 * Messages carry only ids; every tab reads the data itself from IndexedDB.
 */
export interface CommitMessage {
  readonly type: 'committed';
  readonly projectIds: readonly string[];
}

export class CommitBroadcast {
  private readonly channel: BroadcastChannel | null;

  constructor(name = 'tally-commits') {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);
  }

  post(projectIds: Iterable<string>): void {
    const ids = [...projectIds];
    if (ids.length > 0) this.channel?.postMessage({ type: 'committed', projectIds: ids } satisfies CommitMessage);
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
