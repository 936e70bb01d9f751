import { Account } from '@fleet-portal/plugin-accounts-common';
import {
  ClusterStore,
  FluxOptions,
  KubernetesTestServer,
} from '@fleet-portal/test-servers';
import {
  FLUX_TEST_CLUSTER,
  startFluxTestCluster,
} from '../../../workflows/__testUtils__/fluxTestCluster';
import { FluxActions } from '../FluxActions';
import { FluxTarget, fluxObjectRef } from '../fluxObjectRef';

/** The simulated cluster of {@link startFluxActionsCluster}. */
export const CLUSTER = FLUX_TEST_CLUSTER;

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
 * {@link startFluxTestCluster}'s simulated cluster, with the
 * {@link FluxActions} under test reaching it through the real
 * `@kubernetes/client-node`. `timing` slows Flux down.
 */
export async function startFluxActionsCluster(
  options: { waitMs?: number; timing?: FluxOptions['timing'] } = {},
): Promise<FluxActionsCluster> {
  const cluster = await startFluxTestCluster({ timing: options.timing });
  const store = cluster.server.store(CLUSTER);
  const stored = (account: string, target: FluxTarget) =>
    store.get(fluxObjectRef(account, target)) as any;
  return {
    server: cluster.server,
    store,
    actions: new FluxActions({
      clusters: cluster.clusters,
      wait: { timeoutMs: options.waitMs ?? 30_000, intervalMs: 20 },
    }),
    async provision(account) {
      await cluster.clusterSide.provision(account);
    },
    commit: cluster.commit,
    stored,
    async until(account, target, check) {
      for (;;) {
        const object = stored(account, target);
        if (object && check(object)) return object;
        await new Promise(resolve => setTimeout(resolve, 10));
      }
    },
    failRelease: cluster.failRelease,
    close: cluster.close,
  };
}
