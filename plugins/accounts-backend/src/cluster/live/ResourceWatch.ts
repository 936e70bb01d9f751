import { ApiException, KubeConfig, Watch } from '@kubernetes/client-node';
import type { Agent } from 'http';
import type { KubeResource } from '../ClusterClient';
import { clusterError } from '../clusterErrors';
import { ClusterTransportError } from '../TimeoutHttpLibrary';

/** One line of a watch: a change, a BOOKMARK or an ERROR with a Status. */
export interface KubeWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: {
    metadata?: { resourceVersion?: string; [field: string]: unknown };
    /** Of an ERROR's Status, e.g. 410. */
    code?: number;
    reason?: string;
    message?: string;
    [field: string]: unknown;
  };
}

/** Why a watch ended. */
export type WatchEnd =
  | { reason: 'closed' }
  | { reason: 'aborted' }
  | { reason: 'failed'; error: Error };

/** What {@link ResourceWatch} opens. */
export interface ResourceWatchOptions {
  kubeConfig: KubeConfig;
  bearerToken?: () => Promise<string>;
  /** Inside the cluster, e.g. `/apis/apps/v1/deployments`. */
  path: string;
  query: Record<string, string | number | boolean | undefined>;
  /** The response's headers must arrive within this. */
  connectTimeoutMs: number;
  /** The open stream is ended (`closed`) after this; the server should end it before. */
  maxDurationMs: number;
  onEvent(event: KubeWatchEvent): void;
  /** Called once the server accepted the watch (HTTP 200). */
  onConnect?(): void;
  /** Turns a failure into the error reported (names the cluster). */
  describeError(error: unknown): Error;
}

/** `connect ECONNREFUSED 127.0.0.1:6443` out of node-fetch's message, without the URL. */
function networkDetail(error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  const reason = /reason: (.*)$/s.exec(message)?.[1];
  return (reason ?? (error as NodeJS.ErrnoException)?.code ?? message)
    .split('\n')[0]
    .replace(/\bhttps?:\/\/\S+/g, '<url>');
}

/**
 * The cluster's KubeConfig for one watch request: adds a per-request bearer
 * token (Google's expire) and keeps the request's agent, so that a watch can
 * be cut while it is still connecting.
 */
class WatchKubeConfig extends KubeConfig {
  agent: Agent | undefined;

  constructor(
    base: KubeConfig,
    private readonly bearerToken: (() => Promise<string>) | undefined,
    private readonly isEnded: () => boolean,
  ) {
    super();
    this.loadFromOptions({
      clusters: base.clusters,
      users: base.users,
      contexts: base.contexts,
      currentContext: base.currentContext,
    });
  }

  override async applyToFetchOptions(
    opts: Parameters<KubeConfig['applyToFetchOptions']>[0],
  ): ReturnType<KubeConfig['applyToFetchOptions']> {
    const init = await super.applyToFetchOptions(opts);
    if (this.bearerToken) {
      let token: string;
      try {
        token = await this.bearerToken();
      } catch (error) {
        throw new ClusterTransportError(
          'credentials',
          String((error as Error)?.message ?? error).split('\n')[0],
        );
      }
      (init.headers as { set(name: string, value: string): void }).set(
        'Authorization',
        `Bearer ${token}`,
      );
    }
    this.agent = init.agent as Agent | undefined;
    if (this.isEnded()) {
      this.agent?.destroy();
      throw new Error('watch aborted');
    }
    return init;
  }
}

/**
 * One watch request through client-node's `Watch`, with what `Watch` lacks:
 * a deadline on connecting (`Watch` sets none: a hanging cluster would hold
 * the request forever), a bound on the stream's life (a dead connection can
 * stay silent), and `abort()` at any moment, also before the response
 * arrived (`Watch` only hands out its AbortController once connected;
 * destroying the request's own agent cuts the connection earlier). `ended`
 * settles exactly once; every timer and socket is released by then.
 */
export class ResourceWatch {
  /** How the watch ended; never rejects. */
  readonly ended: Promise<WatchEnd>;

  private result: WatchEnd | undefined;
  private resolveEnded!: (end: WatchEnd) => void;
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly config: WatchKubeConfig;

  constructor(private readonly options: ResourceWatchOptions) {
    this.ended = new Promise(resolve => {
      this.resolveEnded = resolve;
    });
    this.config = new WatchKubeConfig(
      options.kubeConfig,
      options.bearerToken,
      () => this.result !== undefined,
    );
    this.timer = setTimeout(
      () => this.fail(new ClusterTransportError('timeout', 'watch')),
      options.connectTimeoutMs,
    );
    void this.open();
  }

  /** Ends the watch now (`ended` gives `aborted`). */
  abort(): void {
    this.finish({ reason: 'aborted' });
  }

  private async open(): Promise<void> {
    const { path, query, onEvent } = this.options;
    let controller: AbortController;
    try {
      controller = await new Watch(this.config).watch(
        path,
        query,
        (type: string, object: KubeWatchEvent['object']) => {
          if (this.result === undefined) {
            onEvent({ type: type as KubeWatchEvent['type'], object });
          }
        },
        (error: unknown) =>
          error ? this.fail(error) : this.finish({ reason: 'closed' }),
      );
    } catch (error) {
      this.fail(error);
      return;
    }
    this.controller = controller;
    if (this.result !== undefined) {
      controller.abort();
      return;
    }
    clearTimeout(this.timer);
    // Past the server's own timeout the connection may be silently dead:
    // end it as the server would have; watching again finds out.
    this.timer = setTimeout(
      () => this.finish({ reason: 'closed' }),
      this.options.maxDurationMs,
    );
    this.options.onConnect?.();
  }

  private fail(error: unknown): void {
    if (this.result !== undefined) return;
    let cause = error;
    if (!(error instanceof ClusterTransportError)) {
      const status = (error as { statusCode?: number })?.statusCode;
      cause =
        status !== undefined
          ? new ApiException(status, `HTTP ${status}`, undefined, {})
          : new ClusterTransportError('unreachable', networkDetail(error));
    }
    this.finish({ reason: 'failed', error: this.options.describeError(cause) });
  }

  private finish(end: WatchEnd): void {
    if (this.result !== undefined) return;
    this.result = end;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    this.config.agent?.destroy();
    this.resolveEnded(end);
  }
}

/** Where a cluster's watches go and how they authenticate (its client's). */
export interface WatchTarget {
  cluster: string;
  kubeConfig: KubeConfig;
  bearerToken?: () => Promise<string>;
  /** The cluster's timeout, for connecting. */
  timeoutSeconds: number;
}

/** What {@link watchResource} watches from where, and whom it tells. */
export interface WatchRequest {
  resourceVersion: string;
  labelSelector?: string;
  /** The server ends the watch after this. */
  timeoutSeconds: number;
  onEvent: (event: KubeWatchEvent) => void;
  onConnect?: () => void;
}

/**
 * Watches `resource` across all namespaces from `resourceVersion`, with
 * BOOKMARKs. Connecting has the cluster's timeout; failures in `ended` are
 * errors as `clusterError` words them (naming the cluster, never a token).
 */
export function watchResource(
  target: WatchTarget,
  resource: KubeResource,
  request: WatchRequest,
): ResourceWatch {
  const { cluster, timeoutSeconds } = target;
  const subject = {
    cluster,
    timeoutSeconds,
    kind: `${resource.apiVersion} ${resource.kind}`,
    object: `${resource.kind} watch`,
  };
  // `/api/v1/...` for the core group, `/apis/<group>/<version>/...` else.
  const api = resource.apiVersion.includes('/') ? 'apis' : 'api';
  return new ResourceWatch({
    kubeConfig: target.kubeConfig,
    bearerToken: target.bearerToken,
    path: `/${api}/${resource.apiVersion}/${resource.plural}`,
    query: {
      resourceVersion: request.resourceVersion,
      labelSelector: request.labelSelector,
      allowWatchBookmarks: true,
      timeoutSeconds: request.timeoutSeconds,
    },
    connectTimeoutMs: timeoutSeconds * 1000,
    maxDurationMs: (request.timeoutSeconds + timeoutSeconds) * 1000,
    onEvent: request.onEvent,
    onConnect: request.onConnect,
    describeError: error => clusterError(subject, error),
  });
}
