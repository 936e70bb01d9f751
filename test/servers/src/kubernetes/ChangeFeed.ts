import { KubeObject, WatchEvent } from './ClusterStore';
import { expired } from './kubeErrors';

/** A change with its revision and, for modifications, the object before. */
export interface StoredEvent extends WatchEvent {
  resourceVersion: number;
  /** The object before a MODIFIED change (for label-filtered watches). */
  previous?: KubeObject;
}

/**
 * The last `limit` changes, like the API server's watch cache: a watch from
 * a revision that has been dropped must re-list (410 `Expired`).
 */
export class WatchHistory {
  private readonly events: StoredEvent[] = [];
  /** The newest revision no longer held (0: nothing dropped yet). */
  private compacted = 0;

  constructor(private readonly limit: number) {}

  push(event: StoredEvent): void {
    this.events.push(event);
    while (this.events.length > this.limit) {
      this.compacted = this.events.shift()!.resourceVersion;
    }
  }

  /** Changes after `resourceVersion`, oldest first. */
  since(resourceVersion: number): StoredEvent[] {
    if (resourceVersion < this.compacted) {
      throw expired(resourceVersion, this.compacted);
    }
    return this.events.filter(e => e.resourceVersion > resourceVersion);
  }
}
