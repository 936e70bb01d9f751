import {
  TestDatabases,
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
// The tests run the real accounts backend, which the module talks to only over HTTP.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import accountsPlugin, {
  DatabaseAccountsStore,
  NewAccount,
} from '@fleet-portal/plugin-accounts-backend';
import { execFileSync } from 'child_process';
import { readdir } from 'fs/promises';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import {
  ClusterSimulator,
  simulatedClustersAccountsConfig,
  startClusterSimulator,
} from './clusterSimulator';

/*
 * The real accounts backend in a test backend, with a local config
 * repository and a folder as export target, and the actions' client
 * pointed at it over HTTP; on request, its clusters are served by the
 * cluster simulator, whose Flux reads that config repository. Import from a
 * test file: it registers jest hooks.
 */

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
/** Run after each test, the last started first (backends before clusters). */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const environments = [
  {
    name: 'staging',
    regions: ['europe-west4'],
    clusters: [{ name: 'staging-eu', region: 'europe-west4' }],
    gitops: { imagePolicy: 'automation' },
  },
  {
    name: 'production',
    regions: ['europe-west4', 'us-central1'],
    clusters: [
      { name: 'production-eu', region: 'europe-west4' },
      { name: 'production-us', region: 'us-central1' },
    ],
    gitops: { imagePolicy: 'pinned' },
  },
];

const service = (name: string, stagingTag: string, productionTag: string) => ({
  name,
  chart: {
    name: `./charts/${name}`,
    version: '1.0.0',
    sourceRef: { kind: 'GitRepository', name: 'acme-helmcharts' },
  },
  image: { repository: `europe-docker.pkg.dev/acme/images/${name}` },
  environments: {
    staging: { imageTag: stagingTag },
    production: { imageTag: productionTag },
  },
});

/** A valid production account for the registry, with the given changes. */
export function testAccount(changes: Partial<NewAccount> = {}): NewAccount {
  return {
    name: 'acme',
    displayName: 'Acme',
    environment: 'production',
    region: 'europe-west4',
    gcpProject: 'acme-production',
    cluster: 'production-eu',
    active: true,
    isUat: false,
    owner: 'group:default/platform',
    labels: {},
    services: [{ name: 'backend' }],
    ...changes,
  };
}

/** Options of {@link startAccountsBackend}. */
export interface AccountsBackendOptions {
  /** In the registry before the start. */
  accounts?: NewAccount[];
  /** Merged into the `accounts` config. */
  extraConfig?: Record<string, unknown>;
  /**
   * Clusters served by the cluster simulator, reached through Backstage's
   * `kubernetes` config, with provisioning and deploys configured (see
   * `simulatedClustersAccountsConfig`). Without, no cluster has a
   * connection.
   */
  clusters?: string[];
}

/** The backend started, its client and what tests look at. */
export interface AccountsBackend {
  client: AccountsBackendClient;
  store: DatabaseAccountsStore;
  /** Runs the git CLI against the config repository (a bare one). */
  git: (...args: string[]) => string;
  exportFolder: string;
  /** The files in the export folder (accounts.json once exported). */
  exportedFiles: () => Promise<string[]>;
  /** A GET of the backend's API as user `mock`, e.g. `/accounts/acme/operations`. */
  get: (path: string) => Promise<any>;
}

/**
 * Starts the accounts backend with the given accounts already in its
 * registry (written through its store, so that no export is triggered).
 * Stopped after the test, and then its clusters.
 */
export async function startAccountsBackend(
  options: AccountsBackendOptions & { clusters: string[] },
): Promise<AccountsBackend & { simulator: ClusterSimulator }>;
export async function startAccountsBackend(
  options?: AccountsBackendOptions,
): Promise<AccountsBackend>;
export async function startAccountsBackend(
  options: AccountsBackendOptions = {},
): Promise<AccountsBackend & { simulator?: ClusterSimulator }> {
  const knex = await databases.init('SQLITE_3');
  const database = mockServices.database({ knex });
  const store = await DatabaseAccountsStore.create({ database });
  for (const account of options.accounts ?? []) {
    await store.createAccount(account, 'user:default/alice');
  }
  const dir = createMockDirectory();
  const exportFolder = dir.resolve('export');
  const repositoryPath = dir.resolve('config.git');
  let simulator: ClusterSimulator | undefined;
  if (options.clusters) {
    simulator = await startClusterSimulator({
      clusters: options.clusters,
      repositoryPath,
    });
    cleanups.push(simulator.close);
  }
  const backend = await startTestBackend({
    features: [
      accountsPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          ...(simulator && { kubernetes: simulator.kubernetesConfig }),
          accounts: {
            environments,
            export: { folder: exportFolder },
            gitops: {
              repository: {
                branch: 'main',
                local: { path: repositoryPath },
              },
              services: [
                service('backend', 'main-3f9c2a1-1763800000', '1.4.2'),
                service('engine', 'main-8d1e0b7-1763790000', '2.1.3'),
              ],
            },
            ...(simulator && simulatedClustersAccountsConfig),
            ...options.extraConfig,
          },
        },
      }),
    ],
  });
  cleanups.push(() => backend.stop());
  const baseUrl = `http://localhost:${backend.server.port()}/api/accounts`;
  const client = new AccountsBackendClient({
    auth: mockServices.auth(),
    discovery: {
      getBaseUrl: async () => baseUrl,
      getExternalBaseUrl: async () => baseUrl,
    },
  });
  return {
    client,
    store,
    git: (...args) =>
      execFileSync('git', [`--git-dir=${repositoryPath}`, ...args], {
        encoding: 'utf8',
      }),
    exportFolder,
    exportedFiles: async () => readdir(exportFolder).catch(() => []),
    async get(path) {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: { Authorization: mockCredentials.user.header() },
      });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
      return response.json();
    },
    simulator,
  };
}

/**
 * The backend with the account `acme` of {@link testAccount}, whose cluster
 * `production-eu` is simulated (`cluster`).
 */
export async function startWithSimulatedCluster() {
  const backend = await startAccountsBackend({
    accounts: [testAccount()],
    clusters: ['production-eu'],
  });
  return { ...backend, cluster: backend.simulator.cluster('production-eu') };
}

/**
 * A mock action context with the given input. `dryRun` marks it as a dry
 * run; `checkpoints` (when given) keeps checkpoint values across contexts,
 * as the scaffolder does for a resumed task; `signal` is the task's
 * cancellation.
 */
export function actionContext<T extends Record<string, unknown>>(
  input: T,
  options: {
    dryRun?: boolean;
    signal?: AbortSignal;
    checkpoints?: Map<string, unknown>;
    /** Called with each line logged at info level, e.g. to cancel. */
    onLog?: (line: string) => void;
  } = {},
) {
  const logger = mockServices.logger.mock();
  const { onLog } = options;
  if (onLog) {
    (logger.info as jest.Mock).mockImplementation(line => onLog(String(line)));
  }
  const ctx = createMockActionContext({ input: input as any, logger });
  const { checkpoints } = options;
  return {
    ...ctx,
    isDryRun: options.dryRun,
    signal: options.signal,
    async checkpoint(opts: { key: string; fn: () => Promise<any> }) {
      if (!checkpoints) return opts.fn();
      if (!checkpoints.has(opts.key)) {
        checkpoints.set(opts.key, await opts.fn());
      }
      return checkpoints.get(opts.key);
    },
  } as typeof ctx;
}

/** The lines an action logged at info level. */
export function loggedLines(ctx: { logger: unknown }): string[] {
  const info = (ctx.logger as { info: jest.Mock }).info;
  return info.mock.calls.map(call => String(call[0]));
}
