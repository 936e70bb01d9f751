import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Account } from '@fleet-portal/plugin-accounts-common';
import { testAccount } from './accounts';
import { testEnvironments } from './environments';

/** The token the simulated cluster `staging-eu` requires. */
export const CLUSTER_TOKEN = 'cluster-token-5b7e2f';

/** What a test cluster setup may change. */
export interface ClusterTestConfig {
  /** The simulator's URL of `staging-eu`. */
  url: string;
  token?: string;
  timeoutSeconds?: number;
  /** Merged into `accounts` (e.g. `provisioning`, `gitops`). */
  accounts?: Record<string, unknown>;
}

/**
 * App config with the test environments, whose cluster `staging-eu` is
 * reached through Backstage's kubernetes config (the simulator's URL and a
 * service account token).
 */
export function clusterAppConfig(options: ClusterTestConfig): ConfigReader {
  const { accounts = {}, timeoutSeconds } = options;
  const environments = (
    (accounts.environments as typeof testEnvironments | undefined) ??
    testEnvironments
  ).map(env => ({
    ...env,
    clusters: env.clusters.map(c =>
      c.name === 'staging-eu'
        ? { ...c, simulated: true, ...(timeoutSeconds && { timeoutSeconds }) }
        : c,
    ),
  }));
  return new ConfigReader({
    accounts: { ...accounts, environments },
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'staging-eu',
              url: options.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: options.token ?? CLUSTER_TOKEN,
            },
          ],
        },
      ],
    },
  });
}

/** A logger whose every call is kept, to search what was logged. */
export function collectingLogger() {
  const logger = mockServices.logger.mock();
  return {
    logger,
    /** Everything logged so far, as one string. */
    logged(): string {
      return JSON.stringify(
        ['debug', 'info', 'warn', 'error'].map(
          level => (logger as any)[level].mock.calls,
        ),
      );
    },
  };
}

/** A registry account of the staging cluster, as the workflows pass it. */
export function registryAccount(
  name: string,
  overrides: Partial<Account> = {},
): Account {
  return {
    ...testAccount(name),
    createdAt: '2026-11-22T16:00:00.000Z',
    createdBy: 'user:default/alice',
    updatedAt: '2026-11-22T16:00:00.000Z',
    updatedBy: 'user:default/alice',
    version: 1,
    ...overrides,
  };
}
