import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterSyncStatus } from '@fleet-portal/plugin-accounts-common';
import { ClusterClient } from '../ClusterClient';
import { KindWatcher, NOT_LISTED, WatchTimings } from './KindWatcher';
import { LIVE_RESOURCES, LiveKind } from './LiveStateCache';

/** What one {@link ClusterWatcher} needs. */
export interface ClusterWatcherOptions {
  cluster: string;
  /** The cluster's client; may throw (no usable connection). */
  client: () => ClusterClient;
  timings: WatchTimings;
  logger: LoggerService;
  onChange: () => void;
}

/** Slack on top of a cluster's timeout before `start` stops waiting. */
const START_GRACE_MS = 1000;

/**
 * The {@link LIVE_RESOURCES} of one cluster, each kept by its own
 * {@link KindWatcher}, and the cluster's sync status made of theirs.
 */
export class ClusterWatcher {
  readonly kinds: ReadonlyMap<LiveKind, KindWatcher>;

  constructor(private readonly options: ClusterWatcherOptions) {
    this.kinds = new Map(
      LIVE_RESOURCES.map(resource => [
        resource.kind,
        new KindWatcher({ ...options, resource }),
      ]),
    );
  }

  /**
   * Starts every kind; resolves when each first list ended. Each list has
   * the cluster's timeout; the wait is bounded by it as well, in case
   * something before the request (e.g. getting a token) hangs.
   */
  async start(): Promise<void> {
    const listed = Promise.all([...this.kinds.values()].map(k => k.start()));
    let timeoutMs: number;
    try {
      timeoutMs = this.options.client().timeoutSeconds * 1000;
    } catch {
      // No client: the lists fail at once.
      await listed;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      listed,
      new Promise(resolve => {
        timer = setTimeout(resolve, timeoutMs + START_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Re-lists every kind; resolves when each list ended. */
  async resync(): Promise<void> {
    await Promise.all([...this.kinds.values()].map(k => k.relist()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.kinds.values()].map(k => k.stop()));
  }

  kind(kind: LiveKind): KindWatcher {
    return this.kinds.get(kind)!;
  }

  /**
   * Stale while any kind cannot be read, with each distinct reason;
   * `syncedAt` is the oldest of the kinds' (all kinds were current then).
   */
  status(): ClusterSyncStatus {
    const { cluster } = this.options;
    const kinds = [...this.kinds.values()];
    const errors = [
      ...new Set(
        kinds.flatMap(k =>
          k.error === undefined
            ? []
            : [
                k.error === NOT_LISTED
                  ? `Cluster '${cluster}' has not been listed yet`
                  : k.error,
              ],
        ),
      ),
    ];
    const times = kinds.map(k => k.syncedAt?.getTime());
    const syncedAt = times.every(t => t !== undefined)
      ? new Date(Math.min(...(times as number[]))).toISOString()
      : undefined;
    return {
      cluster,
      ...(syncedAt !== undefined && { syncedAt }),
      stale: errors.length > 0,
      ...(errors.length > 0 && { error: errors.join('; ') }),
    };
  }
}
