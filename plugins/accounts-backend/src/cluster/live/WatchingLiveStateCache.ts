import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { ClusterSyncStatus } from '@fleet-portal/plugin-accounts-common';
import { KubeObject } from '../ClusterClient';
import { KubernetesClusters } from '../KubernetesClusters';
import { ClusterWatcher } from './ClusterWatcher';
import { WatchTimings } from './KindWatcher';
import { LiveKind, LiveStateCache } from './LiveStateCache';

/** Options of {@link WatchingLiveStateCache}. */
export interface WatchingLiveStateCacheOptions {
  clusters: KubernetesClusters;
  logger: LoggerService;
  /** Defaults suit production; tests shorten them. */
  timings?: Partial<WatchTimings>;
}

const DEFAULT_TIMINGS: WatchTimings = {
  // Like client-go's reflector (5 to 10 min): long enough to cost little,
  // short enough that a silently dead connection is noticed.
  watchSeconds: 300,
  initialBackoffMs: 1000,
  maxBackoffMs: 60_000,
};

/**
 * A {@link LiveStateCache} fed by one list and one watch per cluster and
 * kind, through `ClusterClient.listAll` and `ClusterClient.watch` (see
 * `ResourceWatch`).
 *
 * client-node's `ListWatch`/`makeInformer` is not used: it cannot ask for
 * BOOKMARKs nor a server-side watch timeout, stops for good on the first
 * error (no backoff, no stale state), cannot abort a watch that is still
 * connecting (a hanging cluster would keep a socket after `stop()`), and its
 * `start()` does not end while the watch request hangs. Its `Watch` is used
 * for the streams.
 *
 * @public
 */
export class WatchingLiveStateCache implements LiveStateCache {
  private readonly watchers: Map<string, ClusterWatcher>;
  private readonly listeners = new Set<() => void>();
  private changeVersion = 0;
  private notifying = false;

  constructor(private readonly options: WatchingLiveStateCacheOptions) {
    const timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.watchers = new Map(
      options.clusters.list().map(({ name }) => [
        name,
        new ClusterWatcher({
          cluster: name,
          client: () => options.clusters.client(name),
          timings,
          logger: options.logger.child({ component: 'live-state-cache' }),
          onChange: () => this.changed(),
        }),
      ]),
    );
  }

  get version(): number {
    return this.changeVersion;
  }

  async start(): Promise<void> {
    await Promise.all([...this.watchers.values()].map(w => w.start()));
    const stale = this.statuses().filter(s => s.stale);
    this.options.logger.info(
      `Live state cache started: ${this.watchers.size - stale.length} of ${
        this.watchers.size
      } clusters synced`,
      { stale: stale.map(s => s.cluster).join(',') },
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.watchers.values()].map(w => w.stop()));
  }

  async resync(): Promise<void> {
    await Promise.all([...this.watchers.values()].map(w => w.resync()));
  }

  objects(cluster: string, kind: LiveKind): KubeObject[] {
    return this.watcher(cluster).kind(kind).list();
  }

  get(
    cluster: string,
    kind: LiveKind,
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    return this.watcher(cluster).kind(kind).get(namespace, name);
  }

  status(cluster: string): ClusterSyncStatus {
    return this.watcher(cluster).status();
  }

  statuses(): ClusterSyncStatus[] {
    return [...this.watchers.values()].map(w => w.status());
  }

  onChange(listener: () => void): () => void {
    // A wrapper, so that adding the same function twice needs two removals.
    const entry = () => listener();
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  private watcher(cluster: string): ClusterWatcher {
    const watcher = this.watchers.get(cluster);
    if (!watcher) {
      throw new NotFoundError(
        `Unknown cluster '${cluster}' (configured: ${
          [...this.watchers.keys()].join(', ') || 'none'
        })`,
      );
    }
    return watcher;
  }

  /** Bumps the version now; tells listeners once for a burst of changes. */
  private changed(): void {
    this.changeVersion += 1;
    if (this.notifying) return;
    this.notifying = true;
    queueMicrotask(() => {
      this.notifying = false;
      for (const listener of [...this.listeners]) {
        try {
          listener();
        } catch (error) {
          this.options.logger.error(
            `Live state cache listener failed: ${String(
              (error as Error)?.message ?? error,
            )}`,
          );
        }
      }
    });
  }
}
