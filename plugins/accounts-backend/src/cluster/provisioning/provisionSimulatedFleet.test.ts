import { ConfigReader } from '@backstage/config';
import { Account } from '@fleet-portal/plugin-accounts-common';
import { KubernetesTestServer } from '@fleet-portal/test-servers';
import {
  collectingLogger,
  registryAccount,
} from '../../__testUtils__/clusters';
import { testEnvironments } from '../../__testUtils__/environments';
import { KubernetesClusters } from '../KubernetesClusters';
import { KubernetesClusterSide } from '../KubernetesClusterSide';
import { AccountProvisioner } from './AccountProvisioner';
import { provisionSimulatedFleet } from './provisionSimulatedFleet';

// The real cluster side (@kubernetes/client-node, server-side apply) against
// the local simulator, which serves all three clusters: production-eu is
// served too but not marked simulated, so the test sees it is never touched.

const TOKEN = 'fleet-token-93a1c4';
const SIMULATED = ['staging-eu', 'production-us'];
const REAL = 'production-eu';

let server: KubernetesTestServer;
beforeEach(async () => {
  server = await KubernetesTestServer.start({
    clusters: [...SIMULATED, REAL].map(name => ({ name, token: TOKEN })),
  });
});
afterEach(async () => {
  await server.close();
});

function setup() {
  const { logger, logged } = collectingLogger();
  const config = new ConfigReader({
    accounts: {
      environments: testEnvironments.map(env => ({
        ...env,
        clusters: env.clusters.map(c => ({
          ...c,
          ...(SIMULATED.includes(c.name) && { simulated: true }),
        })),
      })),
      provisioning: { flux: { sourceRef: { name: 'fleet-config' } } },
    },
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [...SIMULATED, REAL].map(name => ({
            name,
            url: server.clusterUrl(name),
            authProvider: 'serviceAccount',
            serviceAccountToken: TOKEN,
          })),
        },
      ],
    },
  });
  const clusters = KubernetesClusters.fromConfig(config, { logger });
  const cluster = new KubernetesClusterSide({
    clusters,
    provisioner: AccountProvisioner.fromConfig(config, { clusters, logger }),
  });
  return { cluster, clusters: clusters.list(), logger, logged };
}

const production = (name: string, cluster: string) =>
  registryAccount(name, {
    environment: 'production',
    region: cluster === 'production-us' ? 'us-central1' : 'europe-west4',
    cluster,
  });

const fleet: Account[] = [
  registryAccount('acme'),
  registryAccount('qa-team'),
  registryAccount('churned', { active: false }),
  production('wide-world', 'production-us'),
  production('litware', 'production-us'),
  production('contoso', REAL),
];

function namespace(cluster: string, name: string) {
  return server
    .store(cluster)
    .get({ apiVersion: 'v1', kind: 'Namespace', name });
}

function kustomization(cluster: string, name: string) {
  return server.store(cluster).get({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    namespace: name,
    name,
  });
}

/** Every object of the simulated clusters, as stored. */
function snapshot() {
  return SIMULATED.map(cluster =>
    fleet.map(a => [
      namespace(cluster, a.name),
      kustomization(cluster, a.name),
    ]),
  );
}

describe('provisionSimulatedFleet', () => {
  it('provisions the active accounts of simulated clusters, and nothing on other clusters', async () => {
    const { cluster, clusters, logger } = setup();
    const result = await provisionSimulatedFleet({
      accounts: fleet,
      cluster,
      clusters,
      logger,
    });
    expect(result).toEqual({ provisioned: 4, failed: 0, clusters: 2 });
    const placed: Array<[string, string]> = [
      ['staging-eu', 'acme'],
      ['staging-eu', 'qa-team'],
      ['production-us', 'wide-world'],
      ['production-us', 'litware'],
    ];
    for (const [where, name] of placed) {
      expect(namespace(where, name)?.metadata.labels).toMatchObject({
        'fleet-portal.io/account': name,
      });
      expect(kustomization(where, name)?.spec).toMatchObject({
        path: `./k8s/flux/${where.split('-')[0]}/${name}`,
        sourceRef: { kind: 'GitRepository', name: 'fleet-config' },
      });
    }
    // Inactive: skipped. Not simulated: not even asked.
    expect(namespace('staging-eu', 'churned')).toBeUndefined();
    expect(kustomization('staging-eu', 'churned')).toBeUndefined();
    expect(namespace(REAL, 'contoso')).toBeUndefined();
    expect(server.requests.filter(r => r.cluster === REAL)).toEqual([]);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenLastCalledWith(
      'Provisioned 4 accounts on 2 simulated clusters, 0 failed',
      { provisioned: 4, failed: 0, clusters: 2 },
    );
  });

  it('changes nothing when run again', async () => {
    const { cluster, clusters, logger } = setup();
    await provisionSimulatedFleet({
      accounts: fleet,
      cluster,
      clusters,
      logger,
    });
    const before = snapshot();
    const versions = SIMULATED.map(c => server.store(c).resourceVersion);
    const again = await provisionSimulatedFleet({
      accounts: fleet,
      cluster,
      clusters,
      logger,
    });
    expect(again).toEqual({ provisioned: 4, failed: 0, clusters: 2 });
    expect(snapshot()).toEqual(before);
    expect(SIMULATED.map(c => server.store(c).resourceVersion)).toEqual(
      versions,
    );
  });

  it('warns once per account of an unreachable cluster and provisions the others', async () => {
    const { cluster, clusters, logger } = setup();
    server.refuse('production-us', true);
    const result = await provisionSimulatedFleet({
      accounts: fleet,
      cluster,
      clusters,
      logger,
    });
    expect(result).toEqual({ provisioned: 2, failed: 2, clusters: 1 });
    const warnings = (logger.warn as jest.Mock).mock.calls;
    expect(
      warnings
        .map(([, meta]) => meta)
        .sort((a, b) => a.account.localeCompare(b.account)),
    ).toEqual([
      { account: 'litware', cluster: 'production-us' },
      { account: 'wide-world', cluster: 'production-us' },
    ]);
    for (const [message, meta] of warnings) {
      expect(message).toMatch(
        new RegExp(
          `^Could not provision account ${meta.account} on simulated cluster production-us: Cluster 'production-us' is unreachable: \\S`,
        ),
      );
    }
    expect(kustomization('staging-eu', 'acme')).toBeDefined();
    expect(kustomization('staging-eu', 'qa-team')).toBeDefined();
    expect(logger.info).toHaveBeenLastCalledWith(
      'Provisioned 2 accounts on 1 simulated clusters, 2 failed',
      { provisioned: 2, failed: 2, clusters: 1 },
    );
  });

  it('provisions at most `concurrency` accounts at the same time', async () => {
    const { cluster, clusters, logger } = setup();
    let running = 0;
    let most = 0;
    // Counts calls around the real cluster side.
    const counting = {
      provision: async (account: Account) => {
        running += 1;
        most = Math.max(most, running);
        try {
          return await cluster.provision(account);
        } finally {
          running -= 1;
        }
      },
    };
    const many = ['a1', 'a2', 'a3', 'a4', 'a5'].map(n => registryAccount(n));
    const result = await provisionSimulatedFleet({
      accounts: many,
      cluster: counting,
      clusters,
      logger,
      concurrency: 2,
    });
    expect(result).toEqual({ provisioned: 5, failed: 0, clusters: 1 });
    expect(most).toBe(2);
    for (const { name } of many) {
      expect(kustomization('staging-eu', name)).toBeDefined();
    }
  });

  it('does nothing without simulated clusters', async () => {
    const { cluster, clusters, logger } = setup();
    const result = await provisionSimulatedFleet({
      accounts: fleet,
      cluster,
      clusters: clusters.map(c => ({ ...c, simulated: false })),
      logger,
    });
    expect(result).toEqual({ provisioned: 0, failed: 0, clusters: 0 });
    expect(server.requests).toEqual([]);
  });
});
