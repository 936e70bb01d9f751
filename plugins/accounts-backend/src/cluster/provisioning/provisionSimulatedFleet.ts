import { LoggerService } from '@backstage/backend-plugin-api';
import { Account, ClusterInfo } from '@fleet-portal/plugin-accounts-common';
import { AccountClusterSide } from '../../workflows/AccountClusterSide';

/** How many accounts are provisioned at the same time by default. */
export const SIMULATED_FLEET_CONCURRENCY = 3;

/** Options of {@link provisionSimulatedFleet}. */
export interface ProvisionSimulatedFleetOptions {
  /** The registry's accounts; inactive ones are skipped. */
  accounts: Account[];
  /** Provisions one account's Namespace, Secrets and Kustomization. */
  cluster: Pick<AccountClusterSide, 'provision'>;
  /** Every configured cluster; only those marked `simulated` are touched. */
  clusters: ClusterInfo[];
  logger: LoggerService;
  /** Accounts provisioned at the same time; default 3. */
  concurrency?: number;
}

/** What {@link provisionSimulatedFleet} did. */
export interface SimulatedFleetResult {
  /** Accounts whose cluster side was applied. */
  provisioned: number;
  /** Accounts whose provisioning failed (each logged as a warning). */
  failed: number;
  /** The simulated clusters at least one account was provisioned on. */
  clusters: number;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Provisions the cluster side of every active account whose cluster is
 * configured with `simulated: true`, never a real cluster. The cluster
 * simulator keeps its objects in memory, so the demo fleet is provisioned
 * again on every start; server-side apply makes that change nothing when the
 * objects are there. A failing account logs one warning and does not stop
 * the others; one info line at the end gives the counts. Never throws.
 *
 * @public
 */
export async function provisionSimulatedFleet(
  options: ProvisionSimulatedFleetOptions,
): Promise<SimulatedFleetResult> {
  const { logger } = options;
  const simulated = new Set(
    options.clusters.filter(c => c.simulated).map(c => c.name),
  );
  const queue = options.accounts.filter(
    a => a.active && simulated.has(a.cluster),
  );
  const done = new Set<string>();
  let provisioned = 0;
  let failed = 0;
  // A few at a time: the simulator is local, but a cluster that hangs costs
  // a request timeout per account.
  const worker = async () => {
    for (let account = queue.shift(); account; account = queue.shift()) {
      try {
        await options.cluster.provision(account);
        provisioned += 1;
        done.add(account.cluster);
      } catch (error) {
        failed += 1;
        logger.warn(
          `Could not provision account ${account.name} on simulated cluster ${
            account.cluster
          }: ${reason(error)}`,
          { account: account.name, cluster: account.cluster },
        );
      }
    }
  };
  const workers = Math.max(
    1,
    Math.min(options.concurrency ?? SIMULATED_FLEET_CONCURRENCY, queue.length),
  );
  await Promise.all(Array.from({ length: workers }, worker));
  const result = { provisioned, failed, clusters: done.size };
  logger.info(
    `Provisioned ${provisioned} accounts on ${done.size} simulated clusters, ${failed} failed`,
    { ...result },
  );
  return result;
}
