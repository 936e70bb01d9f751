import { ConfigReader } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesTestServer } from '@fleet-portal/test-servers';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import {
  CLUSTER_TOKEN,
  clusterAppConfig,
  collectingLogger,
} from '../../__testUtils__/clusters';
import { KubeResource } from '../ClusterClient';
import { KubernetesClusters } from '../KubernetesClusters';
import { KubeWatchEvent, ResourceWatch } from './ResourceWatch';
import { until } from './__testUtils__/liveFleet';

// ClusterClient.watch (client-node's Watch inside ResourceWatch) against the
// cluster simulator.

const CLUSTER = 'staging-eu';
const CONFIG_MAPS: KubeResource = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
};
const NAMESPACES: KubeResource = {
  apiVersion: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
};

let server: KubernetesTestServer;
beforeEach(async () => {
  server = await KubernetesTestServer.start({
    clusters: [{ name: CLUSTER, token: CLUSTER_TOKEN }],
  });
});
afterEach(async () => {
  await server.close();
});

function client(options: { token?: string; timeoutSeconds?: number } = {}) {
  const { logger, logged } = collectingLogger();
  const clusters = KubernetesClusters.fromConfig(
    clusterAppConfig({ url: server.clusterUrl(CLUSTER), ...options }),
    { logger },
  );
  return { client: clusters.client(CLUSTER), logged };
}

function watchNamespaces(
  cluster: ReturnType<typeof client>['client'],
  timeoutSeconds = 60,
) {
  const events: KubeWatchEvent[] = [];
  let connected = false;
  const watch = cluster.watch(NAMESPACES, {
    resourceVersion: server.store(CLUSTER).resourceVersion,
    timeoutSeconds,
    onEvent: event => events.push(event),
    onConnect: () => {
      connected = true;
    },
  });
  return { watch, events, isConnected: () => connected };
}

const namespace = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

describe('ClusterClient.watch', () => {
  it('reports changes after the resourceVersion, then the end the server chose', async () => {
    const { client: cluster } = client();
    const { watch, events, isConnected } = watchNamespaces(cluster, 1);
    await until(() => isConnected());
    server.store(CLUSTER).apply(namespace('acme'), { fieldManager: 't' });
    await until(() => events.length > 0);
    expect(events[0]).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'acme' } },
    });
    await expect(watch.ended).resolves.toEqual({ reason: 'closed' });
    expect(server.requests.at(-1)?.query).toMatchObject({
      watch: 'true',
      allowWatchBookmarks: 'true',
      timeoutSeconds: '1',
    });
  });

  it('sends the Google access token with the watch', async () => {
    const authClient = new OAuth2Client();
    authClient.setCredentials({
      access_token: CLUSTER_TOKEN,
      expiry_date: Date.now() + 3_600_000,
    });
    const google = KubernetesClusters.fromConfig(
      new ConfigReader({
        accounts: {
          environments: [{ name: 'staging', clusters: [{ name: CLUSTER }] }],
        },
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: CLUSTER,
                  url: server.clusterUrl(CLUSTER),
                  authProvider: 'googleServiceAccount',
                },
              ],
            },
          ],
        },
      }),
      {
        logger: collectingLogger().logger,
        googleAuth: new GoogleAuth({ authClient }),
      },
    );
    const { watch, isConnected } = watchNamespaces(google.client(CLUSTER));
    await until(() => isConnected());
    watch.abort();
    await expect(watch.ended).resolves.toEqual({ reason: 'aborted' });
    expect(server.requests.at(-1)?.status).toBe(200);
  });

  it('fails with refused credentials without the token', async () => {
    const { client: cluster, logged } = client({ token: 'wrong-token-7a1f' });
    const { watch } = watchNamespaces(cluster);
    const end = await watch.ended;
    expect(end.reason).toBe('failed');
    const error = (end as { error: Error }).error;
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(
      /^Cluster 'staging-eu' refused Fleet Portal's credentials for Namespace watch \(401\)/,
    );
    expect(`${error.message}${error.stack}${logged()}`).not.toContain(
      'wrong-token-7a1f',
    );
  });

  it('gives up connecting to a hanging cluster after its timeout', async () => {
    const { client: cluster } = client({ timeoutSeconds: 0.3 });
    server.hang(CLUSTER, true);
    const { watch, isConnected } = watchNamespaces(cluster);
    const end = await watch.ended;
    expect(end).toEqual({
      reason: 'failed',
      error: expect.objectContaining({
        message: "Cluster 'staging-eu' did not answer within 0.3 s",
      }),
    });
    expect(isConnected()).toBe(false);
  });

  it('can be aborted while still connecting, closing its connection', async () => {
    const { client: cluster } = client({ timeoutSeconds: 600 });
    server.hang(CLUSTER, true);
    const { watch } = watchNamespaces(cluster);
    await until(() => server.requests.length > 0);
    const sockets = () =>
      process.getActiveResourcesInfo().filter(type => type === 'TCPSocketWrap')
        .length;
    const open = sockets();
    watch.abort();
    await expect(watch.ended).resolves.toEqual({ reason: 'aborted' });
    // Both ends of the hung connection close (no request may stay open
    // for the 600 s timeout).
    await until(() => sockets() <= open - 2);
  });

  it('watches kinds of the core group too', async () => {
    const { client: cluster } = client();
    const events: KubeWatchEvent[] = [];
    const watch = cluster.watch(CONFIG_MAPS, {
      resourceVersion: server.store(CLUSTER).resourceVersion,
      labelSelector: 'app=x',
      timeoutSeconds: 60,
      onEvent: event => events.push(event),
    });
    const store = server.store(CLUSTER);
    for (const app of ['y', 'x']) {
      store.apply(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: app, namespace: 'default', labels: { app } },
        },
        { fieldManager: 't' },
      );
    }
    await until(() => events.length > 0);
    watch.abort();
    expect(events.map(e => [e.type, e.object.metadata?.name])).toEqual([
      ['ADDED', 'x'],
    ]);
  });

  it('ends a stream the server keeps open past its timeout as closed', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        { name: 'c', server: server.clusterUrl(CLUSTER), skipTLSVerify: true },
      ],
      users: [{ name: 'u', token: CLUSTER_TOKEN }],
      contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
      currentContext: 'c',
    });
    let connected = false;
    // No timeoutSeconds: only the client's bound can end this watch.
    const watch = new ResourceWatch({
      kubeConfig,
      path: '/api/v1/namespaces',
      query: { resourceVersion: server.store(CLUSTER).resourceVersion },
      connectTimeoutMs: 10_000,
      maxDurationMs: 200,
      onEvent: () => {},
      onConnect: () => {
        connected = true;
      },
      describeError: error => error as Error,
    });
    await expect(watch.ended).resolves.toEqual({ reason: 'closed' });
    expect(connected).toBe(true);
  });
});
