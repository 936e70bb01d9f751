import { ConfigReader } from '@backstage/config';
import {
  KubernetesLoggedRequest,
  KubernetesTestServer,
} from '@fleet-portal/test-servers';
import { collectingLogger } from '../../../__testUtils__/clusters';
import { KubernetesClusters } from '../../KubernetesClusters';
import { LIVE_RESOURCES } from '../LiveStateCache';
import { WatchingLiveStateCache } from '../WatchingLiveStateCache';

/** Clusters of the live-state tests: two environments, four clusters. */
export const LIVE_CLUSTERS = ['alpha', 'beta', 'gamma', 'delta'];

/** The token each simulated cluster requires. */
export const tokenOf = (cluster: string) => `token-${cluster}-4c1e`;

/** The simulator with {@link LIVE_CLUSTERS}. */
export function startLiveServer(
  options: { historyLimit?: number; bookmarkIntervalMs?: number } = {},
): Promise<KubernetesTestServer> {
  return KubernetesTestServer.start({
    clusters: LIVE_CLUSTERS.map(name => ({ name, token: tokenOf(name) })),
    ...options,
  });
}

/** What a test changes of {@link liveConfig}. */
export interface LiveConfigOptions {
  /** A cluster's timeoutSeconds. */
  timeouts?: Record<string, number>;
  /** More clusters, in an environment of their own, with no connection. */
  unconnected?: string[];
}

/**
 * App config reaching every cluster through Backstage's kubernetes config
 * with its service account token.
 */
export function liveConfig(
  server: KubernetesTestServer,
  options: LiveConfigOptions = {},
): ConfigReader {
  const { timeouts = {}, unconnected = [] } = options;
  const entry = (name: string) => ({
    name,
    ...(timeouts[name] !== undefined && { timeoutSeconds: timeouts[name] }),
  });
  return new ConfigReader({
    accounts: {
      environments: [
        { name: 'staging', clusters: ['alpha', 'beta'].map(entry) },
        { name: 'production', clusters: ['gamma', 'delta'].map(entry) },
        ...(unconnected.length > 0
          ? [{ name: 'lab', clusters: unconnected.map(entry) }]
          : []),
      ],
    },
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: LIVE_CLUSTERS.map(name => ({
            name,
            url: server.clusterUrl(name),
            authProvider: 'serviceAccount',
            serviceAccountToken: tokenOf(name),
          })),
        },
      ],
    },
  });
}

/**
 * A cache of the clusters of {@link liveConfig}, with retries after 20 to
 * 100 ms so that they happen within a test unless `backoffMs` says how long
 * every wait is; `watchSeconds` defaults to 300.
 */
export function liveCache(
  server: KubernetesTestServer,
  options: LiveConfigOptions & {
    watchSeconds?: number;
    backoffMs?: number;
  } = {},
): WatchingLiveStateCache {
  const { logger } = collectingLogger();
  return new WatchingLiveStateCache({
    clusters: KubernetesClusters.fromConfig(liveConfig(server, options), {
      logger,
    }),
    logger,
    timings: {
      initialBackoffMs: options.backoffMs ?? 20,
      maxBackoffMs: options.backoffMs ?? 100,
      watchSeconds: options.watchSeconds ?? 300,
    },
  });
}

const OWN = { 'app.kubernetes.io/managed-by': 'fleet-portal' };

/** A HelmRelease; `labels` replace Fleet Portal's own. */
export function helmRelease(
  namespace: string,
  name: string,
  options: { labels?: Record<string, string>; version?: string } = {},
) {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace, labels: options.labels ?? OWN },
    spec: {
      interval: '10m',
      chart: {
        spec: {
          chart: name,
          version: options.version ?? '1.0.0',
          sourceRef: { kind: 'HelmRepository', name: 'charts' },
        },
      },
    },
  };
}

/** A Deployment as Helm makes it for a release (or, without, unlabelled). */
export function deployment(
  namespace: string,
  name: string,
  release: string | undefined,
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      labels: release
        ? {
            'helm.toolkit.fluxcd.io/name': release,
            'helm.toolkit.fluxcd.io/namespace': namespace,
          }
        : { app: name },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: `registry.test/${name}:1.0.0` }] },
      },
    },
  };
}

export function imagePolicy(namespace: string, name: string) {
  return {
    apiVersion: 'image.toolkit.fluxcd.io/v1',
    kind: 'ImagePolicy',
    metadata: { name, namespace },
    spec: {
      imageRepositoryRef: { name },
      policy: { semver: { range: '>=1.0.0' } },
    },
  };
}

/**
 * Writes an account's objects into a cluster's store: its Namespace and
 * Kustomization, and per service a HelmRelease, Deployment and ImagePolicy.
 */
export function seedAccount(
  server: KubernetesTestServer,
  cluster: string,
  account: string,
  services: string[],
): void {
  const store = server.store(cluster);
  const write = (object: object) =>
    store.apply(object as never, { fieldManager: 'test' });
  write({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: account } });
  write({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: account, namespace: account, labels: OWN },
    spec: {
      interval: '10m',
      path: `./accounts/${account}`,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    },
  });
  for (const service of services) {
    write(helmRelease(account, service));
    write(deployment(account, service, service));
    write(imagePolicy(account, service));
  }
}

/** Polls `condition` until it holds (the test's own timeout bounds it). */
export async function until(
  condition: () => boolean,
  intervalMs = 5,
): Promise<void> {
  while (!condition()) {
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/** `list` or `watch` for collection GETs, `other` otherwise. */
export function verbOf(request: KubernetesLoggedRequest): string {
  if (request.method !== 'GET') return 'other';
  const parts = request.path.split('/').filter(Boolean);
  // /apis/<group>/<version>/<plural> across all namespaces.
  if (parts[0] !== 'apis' || parts.length !== 4) return 'other';
  return request.query.watch === 'true' ? 'watch' : 'list';
}

/** The resource of a request's path, e.g. `helmreleases`. */
export const resourceOf = (request: Pick<KubernetesLoggedRequest, 'path'>) =>
  request.path.split('/').pop();

/** The list or watch requests of a cluster since `from` in the log. */
export function requestsOf(
  server: KubernetesTestServer,
  cluster: string,
  verb: 'list' | 'watch',
  from = 0,
): KubernetesLoggedRequest[] {
  return server.requests
    .slice(from)
    .filter(r => r.cluster === cluster && verbOf(r) === verb);
}

/**
 * Whether every kind has a watch request since `from` that the server
 * accepted (`200`) or, while refusing, reset (`0`).
 */
export function everyKindWatched(
  server: KubernetesTestServer,
  cluster: string,
  status: 0 | 200,
  from = 0,
): boolean {
  const watches = requestsOf(server, cluster, 'watch', from);
  return LIVE_RESOURCES.every(resource =>
    watches.some(r => resourceOf(r) === resource.plural && r.status === status),
  );
}
