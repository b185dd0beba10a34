/**
 * A Worker stand-in for unit tests of the rpc protocol (workers/rpc.ts) and what runs on it: the
 * "worker" side runs `serve` in the same thread; messages are structured-cloned and delivered on
 * a later task, as between a page and a real worker. It can also fail to load, or crash.
 */
import { serve, type Api, type Handlers, type WorkerLike, type WorkerScopeLike } from '../workers/rpc';

type Listener = (event: Event) => void;

export class FakeWorker implements WorkerLike {
  private readonly listeners = new Map<string, Listener[]>();
  private readonly scopeListeners: ((event: MessageEvent) => void)[] = [];
  terminated = false;
  /** Messages the page sent, in order (after cloning). */
  readonly sent: unknown[] = [];

  constructor(load: ((scope: WorkerScopeLike) => void) | { readonly failToLoad: string }) {
    const scope: WorkerScopeLike = {
      postMessage: (message) => {
        // Cloned at once, as postMessage does (a DataCloneError is thrown to the sender).
        const data = structuredClone(message);
        this.deliver(() => this.emit('message', { data }));
      },
      addEventListener: (_type, listener) => void this.scopeListeners.push(listener),
    };
    // A worker script loads after the constructor returns.
    setTimeout(() => {
      if (this.terminated) return;
      if ('failToLoad' in load) this.emit('error', { message: load.failToLoad });
      else load(scope);
    }, 0);
  }

  postMessage(message: unknown): void {
    if (this.terminated) return;
    const data = structuredClone(message);
    this.sent.push(data);
    this.deliver(() => {
      for (const l of this.scopeListeners) l({ data } as MessageEvent);
    });
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** An uncaught error in the worker (as the page sees it). */
  crash(message: string): void {
    this.emit('error', { message });
  }

  private deliver(run: () => void): void {
    setTimeout(() => {
      if (!this.terminated) run();
    }, 0);
  }

  private emit(type: string, init: object): void {
    for (const l of this.listeners.get(type) ?? []) l(init as Event);
  }
}

/** A fake worker serving `handlers`. */
export const servingWorker = <A extends Api<A>>(handlers: Handlers<A>): FakeWorker => new FakeWorker((scope) => serve<A>(scope, handlers));
