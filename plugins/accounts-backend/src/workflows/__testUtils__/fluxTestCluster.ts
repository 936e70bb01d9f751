import { Account } from '@fleet-portal/plugin-accounts-common';
import { FluxOptions, KubernetesTestServer } from '@fleet-portal/test-servers';
import {
  CLUSTER_TOKEN,
  clusterAppConfig,
  collectingLogger,
} from '../../__testUtils__/clusters';
import {
  gitopsAccountsConfig,
  tempRepositoryPath,
} from '../../__testUtils__/gitops';
import { ClusterClient } from '../../cluster/ClusterClient';
import { KubernetesClusters } from '../../cluster/KubernetesClusters';
import { KubernetesClusterSide } from '../../cluster/KubernetesClusterSide';
import { AccountProvisioner } from '../../cluster/provisioning/AccountProvisioner';
import { AccountConfigService } from '../../gitops/AccountConfigService';
import { readGitopsConfig } from '../../gitops/render/gitopsConfig';
import { LocalGitConfigRepository } from '../../gitops/local/LocalGitConfigRepository';

/** The simulated cluster of {@link startFluxTestCluster}. */
export const FLUX_TEST_CLUSTER = 'staging-eu';

/** What {@link startFluxTestCluster} gives a test. */
export interface FluxTestCluster {
  server: KubernetesTestServer;
  /** The portal's clusters: the simulated one. */
  clusters: KubernetesClusters;
  /** The portal's client of the simulated cluster. */
  client: ClusterClient;
  /** The portal's cluster side, as the deploy workflow uses it. */
  clusterSide: KubernetesClusterSide;
  /** Renders and commits the accounts' folders; returns the commit's sha. */
  commit(accounts: Account[]): Promise<string>;
  /** The config repository's head sha. */
  head(): Promise<string>;
  /**
   * Makes the simulated Helm fail the account's release with `message`, or
   * with no message lets it succeed again.
   */
  failRelease(
    account: string,
    release: string,
    message?: string,
  ): Promise<void>;
  close(): Promise<void>;
}

/**
 * The cluster side end to end: a real bare config repository the portal
 * commits accounts' folders to, and the Kubernetes simulator whose simulated
 * Flux controllers fetch those commits, apply the folders and install the
 * HelmReleases; the portal reads what Flux reports through the real
 * `@kubernetes/client-node`. `timing` slows Flux down.
 */
export async function startFluxTestCluster(
  options: { timing?: FluxOptions['timing'] } = {},
): Promise<FluxTestCluster> {
  const repository = await tempRepositoryPath();
  const { logger } = collectingLogger();
  const configRepository = await LocalGitConfigRepository.open({
    path: repository.path,
    branch: 'main',
    logger,
  });
  const server = await KubernetesTestServer.start({
    clusters: [{ name: FLUX_TEST_CLUSTER, token: CLUSTER_TOKEN }],
    flux: {
      gitRepositories: [
        {
          namespace: 'flux-system',
          name: 'fleet-config',
          url: 'https://git.example.com/acme/fleet-config.git',
          branch: 'main',
          path: repository.path,
        },
      ],
      timing: options.timing ?? {
        sourceMs: 5,
        kustomizeMs: 5,
        helmMs: 5,
        pollMs: 20,
      },
    },
  });
  const config = clusterAppConfig({
    url: server.clusterUrl(FLUX_TEST_CLUSTER),
    accounts: {
      ...gitopsAccountsConfig(repository.path),
      provisioning: {
        flux: { sourceRef: { name: 'fleet-config' }, interval: '1m' },
      },
    },
  });
  const clusters = KubernetesClusters.fromConfig(config, { logger });
  const service = new AccountConfigService({
    repository: configRepository,
    config: readGitopsConfig(config),
    logger,
  });
  return {
    server,
    clusters,
    client: clusters.client(FLUX_TEST_CLUSTER),
    clusterSide: new KubernetesClusterSide({
      clusters,
      provisioner: AccountProvisioner.fromConfig(config, { clusters, logger }),
    }),
    async commit(accounts) {
      const result = await service.commit(accounts, {
        actor: 'user:default/alice',
      });
      return result.commit.sha;
    },
    async head() {
      return (await service.head()).sha;
    },
    async failRelease(account, release, message) {
      const response = await fetch(
        `${server.url}/simulator/clusters/${FLUX_TEST_CLUSTER}/releases/${account}/${release}/failure`,
        message === undefined
          ? { method: 'DELETE' }
          : {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ message }),
            },
      );
      if (response.status !== 200) {
        throw new Error(`The simulator answered ${response.status}`);
      }
    },
    async close() {
      await server.close();
      await repository.remove();
    },
  };
}
