import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { buildKubeConfig } from './buildKubeConfig';
import { defaultKubeconfigPaths, readClusterSettings } from './clusterConfig';
import { KubernetesClusters } from './KubernetesClusters';

const TOKEN = 'sentinel-6f1c0d';

function appConfig(options: {
  clusters?: Record<string, any>[];
  kubernetes?: Record<string, any>[];
}) {
  return new ConfigReader({
    accounts: {
      environments: [
        {
          name: 'staging',
          regions: ['europe-west4'],
          clusters: options.clusters ?? [
            { name: 'staging-eu', region: 'europe-west4' },
          ],
        },
      ],
    },
    ...(options.kubernetes && {
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'catalog' },
          { type: 'config', clusters: options.kubernetes },
        ],
      },
    }),
  });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cluster-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeKubeconfig(name: string, contexts: string[], tag = '') {
  const path = join(dir, name);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: contexts.map(c => ({
        name: `${c}-cluster`,
        cluster: { server: `https://${c}.example.com:6443` },
      })),
      users: contexts.map(c => ({
        name: `${c}-user`,
        user: { token: `${c}-token${tag}` },
      })),
      contexts: contexts.map(c => ({
        name: c,
        context: { cluster: `${c}-cluster`, user: `${c}-user` },
      })),
      'current-context': contexts[0],
    }),
  );
  return path;
}

describe('readClusterSettings', () => {
  it('takes the connection from Backstage kubernetes config and builds a KubeConfig', () => {
    const [settings] = readClusterSettings(
      appConfig({
        clusters: [{ name: 'staging-eu', simulated: true, timeoutSeconds: 3 }],
        kubernetes: [
          { name: 'other', url: 'https://other', authProvider: 'aws' },
          {
            name: 'staging-eu',
            url: 'https://10.1.2.3',
            authProvider: 'serviceAccount',
            serviceAccountToken: TOKEN,
            caData: 'Y2E=',
          },
        ],
      }),
    );
    expect(settings).toMatchObject({
      name: 'staging-eu',
      environment: 'staging',
      simulated: true,
      timeoutSeconds: 3,
      connection: {
        source: 'kubernetes',
        configKey: 'kubernetes.clusterLocatorMethods[1].clusters[1]',
      },
    });
    const kubeConfig = buildKubeConfig('staging-eu', settings.connection!);
    expect(kubeConfig.getCurrentCluster()).toMatchObject({
      server: 'https://10.1.2.3',
      caData: 'Y2E=',
      skipTLSVerify: false,
    });
    expect(kubeConfig.getCurrentUser()?.token).toBe(TOKEN);
  });

  it('defaults the timeout to 10 s and leaves a cluster without connection', () => {
    const [settings] = readClusterSettings(appConfig({}));
    expect(settings.timeoutSeconds).toBe(10);
    expect(settings.simulated).toBe(false);
    expect(settings.connection).toBeUndefined();
  });

  it('loads a kubeconfig context from a file', () => {
    const path = writeKubeconfig('config', ['first', 'second']);
    const [settings] = readClusterSettings(
      appConfig({
        clusters: [
          { name: 'staging-eu', kubeconfig: { path, context: 'second' } },
        ],
      }),
    );
    const kubeConfig = buildKubeConfig('staging-eu', settings.connection!);
    expect(kubeConfig.getCurrentCluster()?.server).toBe(
      'https://second.example.com:6443',
    );
    expect(kubeConfig.getCurrentUser()?.token).toBe('second-token');
  });

  it('merges the files of $KUBECONFIG, the first naming an entry winning', () => {
    const a = writeKubeconfig('a', ['first']);
    const b = writeKubeconfig('b', ['first', 'second'], '-from-b');
    expect(defaultKubeconfigPaths({ KUBECONFIG: `${a}:${b}` })).toEqual([a, b]);
    expect(defaultKubeconfigPaths({ HOME: '/home/me' })).toEqual([
      '/home/me/.kube/config',
    ]);
    const connection = {
      source: 'kubeconfig' as const,
      configKey: 'accounts.environments[0].clusters[0].kubeconfig',
      paths: [a, b],
      context: 'second',
    };
    expect(
      buildKubeConfig('staging-eu', connection).getCurrentUser()?.token,
    ).toBe('second-token-from-b');
    expect(
      buildKubeConfig('staging-eu', {
        ...connection,
        context: 'first',
      }).getCurrentUser()?.token,
    ).toBe('first-token');
  });

  it('prefers Backstage kubernetes config over the kubeconfig', () => {
    const path = writeKubeconfig('config', ['first']);
    const [settings] = readClusterSettings(
      appConfig({
        clusters: [
          { name: 'staging-eu', kubeconfig: { path, context: 'first' } },
        ],
        kubernetes: [
          {
            name: 'staging-eu',
            url: 'https://gke',
            authProvider: 'googleServiceAccount',
          },
        ],
      }),
    );
    expect(settings.connection).toMatchObject({
      source: 'kubernetes',
      auth: { type: 'googleServiceAccount' },
    });
  });

  it.each([
    [
      [{ name: 'staging-eu', url: 'https://x', authProvider: 'aws' }],
      "Invalid config kubernetes.clusterLocatorMethods[1].clusters[0].authProvider: 'aws' is not supported by Fleet Portal (use one of serviceAccount, googleServiceAccount)",
    ],
    [
      [
        {
          name: 'staging-eu',
          url: 'https://x',
          authProvider: 'serviceAccount',
        },
      ],
      'Invalid config kubernetes.clusterLocatorMethods[1].clusters[0].serviceAccountToken: is required with authProvider serviceAccount',
    ],
    [
      [
        {
          name: 'staging-eu',
          url: 'not a url',
          authProvider: 'serviceAccount',
          serviceAccountToken: TOKEN,
        },
      ],
      "Invalid config kubernetes.clusterLocatorMethods[1].clusters[0].url: 'not a url' is not an http(s) URL",
    ],
  ])('names the key of a bad kubernetes entry (%#)', (kubernetes, message) => {
    expect(() => readClusterSettings(appConfig({ kubernetes }))).toThrow(
      message,
    );
  });

  it('names the key of bad cluster entries', () => {
    expect(() =>
      readClusterSettings(
        appConfig({ clusters: [{ name: 'staging-eu', timeoutSeconds: 0 }] }),
      ),
    ).toThrow(
      'Invalid config accounts.environments[0].clusters[0].timeoutSeconds: 0 must be a number of seconds above 0 and at most 600',
    );
    expect(() =>
      readClusterSettings(
        appConfig({
          clusters: [{ name: 'staging-eu', kubeconfig: { path: '/x' } }],
        }),
      ),
    ).toThrow(/kubeconfig\.context/);
    expect(() =>
      readClusterSettings(
        appConfig({
          clusters: [{ name: 'staging-eu' }, { name: 'staging-eu' }],
        }),
      ),
    ).toThrow(
      "Invalid config accounts.environments[0].clusters[1].name: cluster 'staging-eu' is named by two environments",
    );
  });
});

describe('KubernetesClusters', () => {
  it('lists clusters without connection details and never logs tokens', () => {
    const logger = mockServices.logger.mock();
    const clusters = KubernetesClusters.fromConfig(
      appConfig({
        clusters: [
          { name: 'staging-eu', region: 'europe-west4', simulated: true },
        ],
        kubernetes: [
          {
            name: 'staging-eu',
            url: 'https://10.1.2.3',
            authProvider: 'serviceAccount',
            serviceAccountToken: TOKEN,
          },
        ],
      }),
      { logger },
    );
    expect(clusters.list()).toEqual([
      {
        name: 'staging-eu',
        environment: 'staging',
        region: 'europe-west4',
        simulated: true,
      },
    ]);
    expect(clusters.client('staging-eu').name).toBe('staging-eu');
    const logged = JSON.stringify([
      logger.info.mock.calls,
      logger.debug.mock.calls,
      logger.warn.mock.calls,
    ]);
    expect(logged).toContain('staging-eu');
    expect(logged).not.toContain(TOKEN);
  });

  it('reports an unknown cluster and one without connection when used', () => {
    const clusters = KubernetesClusters.fromConfig(appConfig({}), {
      logger: mockServices.logger.mock(),
    });
    expect(() => clusters.client('nope')).toThrow(
      expect.objectContaining({
        name: 'NotFoundError',
        message: "Unknown cluster 'nope' (configured: staging-eu)",
      }),
    );
    expect(() => clusters.client('staging-eu')).toThrow(
      expect.objectContaining({
        name: 'ServiceUnavailableError',
        message:
          "Cluster 'staging-eu' has no connection: add it to kubernetes.clusterLocatorMethods (type: config) or set accounts.environments[0].clusters[0].kubeconfig",
      }),
    );
  });

  it('reports a kubeconfig that cannot be used, without its contents', () => {
    const bad = join(dir, 'bad');
    writeFileSync(bad, `users: [${TOKEN}\n  : : :`);
    const clusters = KubernetesClusters.fromConfig(
      appConfig({
        clusters: [
          { name: 'staging-eu', kubeconfig: { path: bad, context: 'x' } },
        ],
      }),
      { logger: mockServices.logger.mock() },
    );
    const error = (() => {
      try {
        clusters.client('staging-eu');
        return undefined;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.name).toBe('ServiceUnavailableError');
    expect(error?.message).toBe(
      `Cluster 'staging-eu' has no usable connection: the kubeconfig of accounts.environments[0].clusters[0].kubeconfig cannot be read from ${bad} (not a valid kubeconfig)`,
    );
    // Fixed in place, it is read again without a restart.
    writeFileSync(bad, readFileSync(writeKubeconfig('good', ['x'])));
    expect(clusters.client('staging-eu').name).toBe('staging-eu');
  });

  it('names a missing context', () => {
    const path = writeKubeconfig('config', ['first']);
    const clusters = KubernetesClusters.fromConfig(
      appConfig({
        clusters: [
          { name: 'staging-eu', kubeconfig: { path, context: 'gone' } },
        ],
      }),
      { logger: mockServices.logger.mock() },
    );
    expect(() => clusters.client('staging-eu')).toThrow(
      "has no context 'gone' (contexts: first)",
    );
  });
});
