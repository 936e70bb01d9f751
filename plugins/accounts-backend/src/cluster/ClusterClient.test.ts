import { KubernetesTestServer } from '@fleet-portal/test-servers';
import { ConfigReader } from '@backstage/config';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { createServer } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import {
  CLUSTER_TOKEN,
  clusterAppConfig,
  collectingLogger,
} from '../__testUtils__/clusters';
import { KubernetesClusters } from './KubernetesClusters';

// The real @kubernetes/client-node over HTTP against the local Kubernetes
// API simulator.

const CLUSTER = 'staging-eu';

let server: KubernetesTestServer;
beforeEach(async () => {
  server = await KubernetesTestServer.start({
    clusters: [{ name: CLUSTER, token: CLUSTER_TOKEN }],
  });
});
afterEach(async () => {
  await server.close();
});

function clusters(
  options: { token?: string; timeoutSeconds?: number; url?: string } = {},
) {
  const { logger, logged } = collectingLogger();
  return {
    clusters: KubernetesClusters.fromConfig(
      clusterAppConfig({ url: server.clusterUrl(CLUSTER), ...options }),
      { logger },
    ),
    logged,
  };
}

const configMap = (data: Record<string, string>, labels = { app: 'x' }) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'default', labels },
  data,
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('ClusterClient', () => {
  it('applies, reads, lists by label and merge-patches with the token of Backstage kubernetes config', async () => {
    const client = clusters().clusters.client(CLUSTER);
    const applied = await client.apply(configMap({ a: '1' }));
    expect(applied.metadata.resourceVersion).toBeDefined();
    expect(
      server
        .store(CLUSTER)
        .get({ ...configMap({}), name: 'settings', namespace: 'default' })
        ?.data,
    ).toEqual({ a: '1' });

    const read = await client.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'settings',
      namespace: 'default',
    });
    expect(read?.data).toEqual({ a: '1' });
    expect(typeof read?.metadata.creationTimestamp).toBe('string');
    expect(
      await client.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'none',
        namespace: 'default',
      }),
    ).toBeUndefined();

    expect(
      (
        await client.list('v1', 'ConfigMap', {
          namespace: 'default',
          labelSelector: 'app=x',
        })
      ).map(o => [o.kind, o.metadata.name]),
    ).toEqual([['ConfigMap', 'settings']]);
    expect(
      await client.list('v1', 'ConfigMap', {
        namespace: 'default',
        labelSelector: 'app=y',
      }),
    ).toEqual([]);

    const patched = await client.mergePatch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'settings',
        namespace: 'default',
      },
      { metadata: { annotations: { note: 'hi' } } },
    );
    expect(patched.metadata.annotations).toEqual({ note: 'hi' });
    expect(patched.data).toEqual({ a: '1' });

    const writes = server.requests.filter(r => r.method === 'PATCH');
    expect(writes.map(r => r.query.fieldManager)).toEqual([
      'fleet-portal',
      'fleet-portal',
    ]);
    expect(writes.some(r => r.query.force === 'true')).toBe(false);
  });

  it('reports a missing object of a patch as NotFoundError', async () => {
    const client = clusters().clusters.client(CLUSTER);
    const error = await failure(
      client.mergePatch(
        {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          name: 'acme',
          namespace: 'acme',
        },
        { metadata: { annotations: { a: 'b' } } },
      ),
    );
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe(
      "Kustomization acme/acme not found on cluster 'staging-eu'",
    );
  });

  it('reports refused credentials without the token', async () => {
    const { clusters: wrong, logged } = clusters({ token: 'wrong-token-9d2c' });
    const error = await failure(wrong.client(CLUSTER).list('v1', 'Namespace'));
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(
      /^Cluster 'staging-eu' refused Fleet Portal's credentials for Namespace list \(401\): /,
    );
    expect(`${error.message}${error.stack}${logged()}`).not.toContain(
      'wrong-token-9d2c',
    );
  });

  it('reaches the cluster through a kubeconfig file and context', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
    try {
      const path = join(dir, 'config');
      writeFileSync(
        path,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            { name: 'sim', cluster: { server: server.clusterUrl(CLUSTER) } },
          ],
          users: [{ name: 'portal', user: { token: CLUSTER_TOKEN } }],
          contexts: [
            { name: 'simulated', context: { cluster: 'sim', user: 'portal' } },
          ],
        }),
      );
      const fromFile = KubernetesClusters.fromConfig(
        new ConfigReader({
          accounts: {
            environments: [
              {
                name: 'staging',
                clusters: [
                  { name: CLUSTER, kubeconfig: { path, context: 'simulated' } },
                ],
              },
            ],
          },
        }),
        { logger: collectingLogger().logger },
      );
      const client = fromFile.client(CLUSTER);
      await client.apply(configMap({ from: 'kubeconfig' }));
      expect(
        server.store(CLUSTER).get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'settings',
          namespace: 'default',
        })?.data,
      ).toEqual({ from: 'kubeconfig' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('googleServiceAccount', () => {
    function googleConfig() {
      return new ConfigReader({
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
      });
    }

    it('sends the access token Google auth gives', async () => {
      // A real client holding a token that is far from expiring: no network.
      const authClient = new OAuth2Client();
      authClient.setCredentials({
        access_token: CLUSTER_TOKEN,
        expiry_date: Date.now() + 3_600_000,
      });
      const google = KubernetesClusters.fromConfig(googleConfig(), {
        logger: collectingLogger().logger,
        googleAuth: new GoogleAuth({ authClient }),
      });
      const namespaces = await google.client(CLUSTER).list('v1', 'Namespace');
      expect(namespaces.map(n => n.metadata.name)).toContain('default');
    });

    it('asks Google application default credentials by default', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'adc-'));
      const previous = process.env.GOOGLE_APPLICATION_CREDENTIALS;
      // ADC's first place to look; a missing file stops it there, offline.
      process.env.GOOGLE_APPLICATION_CREDENTIALS = join(dir, 'missing.json');
      try {
        const google = KubernetesClusters.fromConfig(googleConfig(), {
          logger: collectingLogger().logger,
        });
        const error = await failure(
          google.client(CLUSTER).list('v1', 'Namespace'),
        );
        expect(error.name).toBe('ServiceUnavailableError');
        expect(error.message).toMatch(
          /^Cluster 'staging-eu' could not be authenticated to: .*missing\.json/,
        );
        expect(server.requests.filter(r => r.cluster === CLUSTER)).toEqual([]);
      } finally {
        if (previous === undefined)
          delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
        else process.env.GOOGLE_APPLICATION_CREDENTIALS = previous;
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('an unreachable cluster', () => {
    it('fails when it refuses connections', async () => {
      const client = clusters().clusters.client(CLUSTER);
      server.refuse(CLUSTER, true);
      const error = await failure(client.list('v1', 'Namespace'));
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toMatch(/^Cluster 'staging-eu' is unreachable: \S/);
      server.refuse(CLUSTER, false);
      expect((await client.list('v1', 'Namespace')).length).toBeGreaterThan(0);
    });

    it('fails when nothing listens on its port', async () => {
      const closed = createServer();
      await new Promise<void>(resolve =>
        closed.listen(0, '127.0.0.1', resolve),
      );
      const { port } = closed.address() as AddressInfo;
      await new Promise(resolve => closed.close(resolve));
      const client = clusters({
        url: `http://127.0.0.1:${port}/clusters/x`,
      }).clusters.client(CLUSTER);
      const error = await failure(
        client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'acme' }),
      );
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toBe(
        `Cluster 'staging-eu' is unreachable: connect ECONNREFUSED 127.0.0.1:${port}`,
      );
    });

    it('fails after the configured timeout when it hangs, and recovers', async () => {
      const client = clusters({ timeoutSeconds: 0.3 }).clusters.client(CLUSTER);
      server.hang(CLUSTER, true);
      const error = await failure(client.list('v1', 'Namespace'));
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toBe(
        "Cluster 'staging-eu' did not answer within 0.3 s",
      );
      // The hung request was aborted, not left waiting: the next one answers.
      server.hang(CLUSTER, false);
      expect((await client.list('v1', 'Namespace')).length).toBeGreaterThan(0);
    });
  });
});
