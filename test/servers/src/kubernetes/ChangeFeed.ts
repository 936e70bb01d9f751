import { KubeObject, WatchEvent } from './ClusterStore';
import { expired } from './kubeErrors';

/** A change with its revision and, for modifications, the object before. */
export interface StoredEvent extends WatchEvent {
  resourceVersion: number;
  /** The object before a MODIFIED change (for label-filtered watches). */
  previous?: KubeObject;
}

/**
 * A store's changes: told to listeners in order, and the last `limit` kept
 * like the API server's watch cache, so that a watch from a revision that
 * has been dropped must re-list (410 `Expired`).
 */
export class ChangeFeed {
  private readonly events: StoredEvent[] = [];
  /** The newest revision no longer held (0: nothing dropped yet). */
  private compacted = 0;
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  private readonly pending: StoredEvent[] = [];
  private dispatching = false;

  constructor(private readonly limit: number) {}

  /** Calls `listener` with every change from now on; returns its remover. */
  listen(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Records a change and tells the listeners. A listener that writes while
   * being told gets its change delivered after the current one, to every
   * listener, so that all see the same order.
   */
  publish(event: StoredEvent): void {
    this.events.push(event);
    while (this.events.length > this.limit) {
      this.compacted = this.events.shift()!.resourceVersion;
    }
    this.pending.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.pending.shift(); next; next = this.pending.shift()) {
        for (const listener of [...this.listeners]) {
          try {
            listener(next);
          } catch (error) {
            // A listener's bug must not fail the write that told it; it
            // surfaces as an uncaught error instead of disappearing.
            queueMicrotask(() => {
              throw error;
            });
          }
        }
      }
    } finally {
      this.dispatching = false;
    }
  }

  /** Changes after `resourceVersion`, oldest first; 410 when dropped already. */
  since(resourceVersion: number): StoredEvent[] {
    if (resourceVersion < this.compacted) {
      throw expired(resourceVersion, this.compacted);
    }
    return this.events.filter(e => e.resourceVersion > resourceVersion);
  }
}
