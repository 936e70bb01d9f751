import { Account } from '@fleet-portal/plugin-accounts-common';
import {
  ClusterStore,
  FluxOptions,
  KubernetesTestServer,
} from '@fleet-portal/test-servers';
import {
  CLUSTER_TOKEN,
  clusterAppConfig,
  collectingLogger,
} from '../../../__testUtils__/clusters';
import {
  gitopsAccountsConfig,
  tempRepositoryPath,
} from '../../../__testUtils__/gitops';
import { AccountConfigService } from '../../../gitops/AccountConfigService';
import { LocalGitConfigRepository } from '../../../gitops/local/LocalGitConfigRepository';
import { readGitopsConfig } from '../../../gitops/render/gitopsConfig';
import { KubernetesClusters } from '../../KubernetesClusters';
import { AccountProvisioner } from '../../provisioning/AccountProvisioner';
import { FluxActions } from '../FluxActions';
import { FluxTarget, fluxObjectRef } from '../fluxObjectRef';

/** The simulated cluster of {@link startFluxActionsCluster}. */
export const CLUSTER = 'staging-eu';

/** What {@link startFluxActionsCluster} gives a test. */
export interface FluxActionsCluster {
  server: KubernetesTestServer;
  store: ClusterStore;
  /** The actions under test, on the simulated cluster. */
  actions: FluxActions;
  provision(account: Account): Promise<void>;
  /** Renders and commits the accounts' folders; returns the commit's sha. */
  commit(accounts: Account[]): Promise<string>;
  /** The account's object as the simulator stores it (`any`: tests dig in). */
  stored(account: string, target: FluxTarget): any;
  /** Resolves once `check` holds for the stored object; the test's timeout bounds it. */
  until(
    account: string,
    target: FluxTarget,
    check: (object: any) => boolean,
  ): Promise<any>;
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
 * A real bare config repository and the Kubernetes simulator whose simulated
 * Flux applies what is committed to it; {@link FluxActions} reaches it
 * through the real `@kubernetes/client-node`. `timing` slows Flux down.
 */
export async function startFluxActionsCluster(
  options: { waitMs?: number; timing?: FluxOptions['timing'] } = {},
): Promise<FluxActionsCluster> {
  const repository = await tempRepositoryPath();
  const { logger } = collectingLogger();
  const configRepository = await LocalGitConfigRepository.open({
    path: repository.path,
    branch: 'main',
    logger,
  });
  const server = await KubernetesTestServer.start({
    clusters: [{ name: CLUSTER, token: CLUSTER_TOKEN }],
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
    url: server.clusterUrl(CLUSTER),
    accounts: {
      ...gitopsAccountsConfig(repository.path),
      provisioning: {
        flux: { sourceRef: { name: 'fleet-config' }, interval: '1m' },
      },
    },
  });
  const clusters = KubernetesClusters.fromConfig(config, { logger });
  const provisioner = AccountProvisioner.fromConfig(config, {
    clusters,
    logger,
  });
  const gitops = new AccountConfigService({
    repository: configRepository,
    config: readGitopsConfig(config),
    logger,
  });
  const store = server.store(CLUSTER);
  const stored = (account: string, target: FluxTarget) =>
    store.get(fluxObjectRef(account, target)) as any;
  return {
    server,
    store,
    actions: new FluxActions({
      clusters,
      wait: { timeoutMs: options.waitMs ?? 30_000, intervalMs: 20 },
    }),
    async provision(account) {
      await provisioner.provision(account);
    },
    async commit(accounts) {
      const result = await gitops.commit(accounts, {
        actor: 'user:default/alice',
      });
      return result.commit.sha;
    },
    stored,
    async until(account, target, check) {
      for (;;) {
        const object = stored(account, target);
        if (object && check(object)) return object;
        await new Promise(resolve => setTimeout(resolve, 10));
      }
    },
    async failRelease(account, release, message) {
      const path = `${server.url}/simulator/clusters/${CLUSTER}/releases/${account}/${release}/failure`;
      const response = await fetch(
        path,
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
