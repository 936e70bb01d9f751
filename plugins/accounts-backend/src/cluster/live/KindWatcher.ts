import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterClient, KubeObject } from '../ClusterClient';
import { LiveResource } from './LiveStateCache';
import { KubeWatchEvent, ResourceWatch, WatchEnd } from './ResourceWatch';

/** Timings of a {@link KindWatcher}; the defaults suit production. */
export interface WatchTimings {
  /** How long the server keeps one watch open; default 300 s. */
  watchSeconds: number;
  /** First wait after a failure; doubled on each further one. Default 1 s. */
  initialBackoffMs: number;
  /** The longest wait between attempts; default 60 s. */
  maxBackoffMs: number;
}

/** What one {@link KindWatcher} needs. */
export interface KindWatcherOptions {
  cluster: string;
  resource: LiveResource;
  /** The cluster's client; may throw (no usable connection yet). */
  client: () => ClusterClient;
  timings: WatchTimings;
  logger: LoggerService;
  /** Called on every change of the objects or of `error`/`syncedAt`. */
  onChange: () => void;
}

const key = (namespace: string | undefined, name: string) =>
  `${namespace ?? ''}/${name}`;

/** The `error` of a kind before its first list ended. */
export const NOT_LISTED = 'not listed yet';

/** A watch the server ends sooner than this is followed by a backoff. */
const SHORTEST_WATCH_MS = 1000;

/**
 * The objects of one kind on one cluster, kept by list, then watch from the
 * list's resourceVersion. A watch the server ends is resumed from the last
 * resourceVersion seen (BOOKMARKs keep it current); 410 Expired re-lists;
 * failures keep the last known objects, set `error` and retry after a
 * bounded exponential backoff.
 */
export class KindWatcher {
  /** Why the kind cannot be read now; `undefined` while in sync. */
  error: string | undefined = NOT_LISTED;
  /** When the kind was last listed or re-joined its watch after a failure. */
  syncedAt: Date | undefined;

  private readonly objects = new Map<string, KubeObject>();
  private snapshot: KubeObject[] | undefined;
  private needsList = true;
  private resourceVersion = '';
  private failures = 0;
  private stopped = true;
  private running: Promise<void> | undefined;
  private watch: ResourceWatch | undefined;
  private wake: (() => void) | undefined;
  /** Resolved when the next list (one not begun yet) has ended. */
  private listWaiters: Array<() => void> = [];

  constructor(private readonly options: KindWatcherOptions) {}

  /** Starts the loop; resolves after the first list succeeded or failed. */
  start(): Promise<void> {
    if (!this.stopped) return Promise.resolve();
    this.stopped = false;
    const listed = this.requestList();
    this.running = this.run();
    return listed;
  }

  /** Re-lists now (waking a backoff); resolves when that list ended. */
  relist(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const listed = this.requestList();
    this.interrupt();
    return listed;
  }

  /** Ends the loop, its watch and timer; waits for a request in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.interrupt();
    await this.running;
    this.resolveWaiters(this.listWaiters);
    this.listWaiters = [];
  }

  list(): KubeObject[] {
    this.snapshot ??= [...this.objects.values()];
    return this.snapshot;
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(key(namespace, name));
  }

  private requestList(): Promise<void> {
    this.needsList = true;
    return new Promise(resolve => this.listWaiters.push(resolve));
  }

  private resolveWaiters(waiters: Array<() => void>): void {
    waiters.forEach(resolve => resolve());
  }

  private interrupt(): void {
    this.watch?.abort();
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.needsList) {
        this.needsList = false;
        const waiters = this.listWaiters;
        this.listWaiters = [];
        const listed = await this.listOnce();
        this.resolveWaiters(waiters);
        if (!listed) {
          this.needsList = true;
          // A resync asked for meanwhile lists again at once.
          if (this.listWaiters.length === 0) await this.backoff();
        }
        continue;
      }
      const opened = Date.now();
      const end = await this.watchOnce(this.resourceVersion);
      if (end.reason === 'failed') {
        this.setError(end.error.message);
        await this.backoff();
      } else if (
        end.reason === 'closed' &&
        !this.needsList &&
        Date.now() - opened < SHORTEST_WATCH_MS
      ) {
        // A server or proxy that ends watches at once must not be flooded.
        this.failures += 1;
        await this.backoff();
      }
    }
  }

  private async listOnce(): Promise<boolean> {
    const { resource } = this.options;
    try {
      const list = await this.options
        .client()
        .listAll(resource, { labelSelector: resource.labelSelector });
      if (this.stopped) return true;
      this.replaceAll(list.items);
      this.resourceVersion = list.resourceVersion;
      this.failures = 0;
      this.syncedAt = new Date();
      this.setError(undefined);
      return true;
    } catch (error) {
      this.setError(String((error as Error)?.message ?? error));
      return false;
    }
  }

  /** Resolves when the watch ended; an ERROR event ends it as a failure. */
  private async watchOnce(from: string): Promise<WatchEnd> {
    const { resource, timings } = this.options;
    let failure: Error | undefined;
    try {
      this.watch = this.options.client().watch(resource, {
        resourceVersion: from,
        labelSelector: resource.labelSelector,
        timeoutSeconds: timings.watchSeconds,
        onConnect: () => this.connected(),
        onEvent: event => {
          failure ??= this.apply(event);
        },
      });
    } catch (error) {
      return { reason: 'failed', error: error as Error };
    }
    const end = await this.watch.ended;
    this.watch = undefined;
    return failure ? { reason: 'failed', error: failure } : end;
  }

  /** Applies one event; returns the failure an ERROR event reports. */
  private apply(event: KubeWatchEvent): Error | undefined {
    const { object } = event;
    const { cluster, resource } = this.options;
    if (event.type === 'ERROR') {
      if (object.code === 410) {
        // The resourceVersion is older than the server keeps: re-list.
        this.options.logger.debug('Watch expired; re-listing', this.fields());
        this.needsList = true;
        return undefined;
      }
      return new Error(
        `Cluster '${cluster}' ended the ${resource.kind} watch: ${
          object.message ?? object.reason ?? `code ${object.code}`
        }`,
      );
    }
    const resourceVersion = object.metadata?.resourceVersion;
    if (resourceVersion) this.resourceVersion = resourceVersion;
    if (event.type === 'BOOKMARK') return undefined;
    // Watch events carry apiVersion and kind, but the cache's are fixed.
    const item = {
      ...object,
      apiVersion: resource.apiVersion,
      kind: resource.kind,
    } as KubeObject;
    const id = key(item.metadata.namespace, item.metadata.name);
    if (event.type === 'DELETED') this.objects.delete(id);
    else this.objects.set(id, item);
    this.snapshot = undefined;
    this.options.onChange();
    return undefined;
  }

  /** Takes a list's items; reports a change only when something differs. */
  private replaceAll(items: KubeObject[]): void {
    let changed = items.length !== this.objects.size;
    const next = new Map<string, KubeObject>();
    for (const item of items) {
      const id = key(item.metadata.namespace, item.metadata.name);
      const previous = this.objects.get(id);
      changed ||=
        !previous ||
        previous.metadata.resourceVersion !== item.metadata.resourceVersion;
      next.set(id, item);
    }
    if (!changed) return;
    this.objects.clear();
    for (const [id, item] of next) this.objects.set(id, item);
    this.snapshot = undefined;
    this.options.onChange();
  }

  /** The watch was accepted: a kind that was failing is current again. */
  private connected(): void {
    this.failures = 0;
    if (this.error === undefined) return;
    this.syncedAt = new Date();
    this.setError(undefined);
  }

  /** Records the kind's health; a list's success always changes `syncedAt`. */
  private setError(message: string | undefined): void {
    const previous = this.error;
    if (message !== undefined) this.failures += 1;
    if (
      message === undefined &&
      previous !== undefined &&
      previous !== NOT_LISTED
    ) {
      this.options.logger.info('Cluster watch recovered', this.fields());
    }
    if (
      message !== undefined &&
      (previous === undefined || previous === NOT_LISTED)
    ) {
      this.options.logger.warn(
        `Cluster watch failing: ${message}`,
        this.fields(),
      );
    }
    this.error = message;
    if (message === undefined || message !== previous) {
      this.options.onChange();
    }
  }

  /** Waits before the next attempt, unless woken by a resync or stop. */
  private backoff(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const { initialBackoffMs, maxBackoffMs } = this.options.timings;
    const delay = Math.min(
      maxBackoffMs,
      initialBackoffMs * 2 ** Math.max(0, this.failures - 1),
    );
    return new Promise(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      timer = setTimeout(done, delay);
      this.wake = done;
    });
  }

  private fields() {
    return { cluster: this.options.cluster, kind: this.options.resource.kind };
  }
}
