import {
  TestDatabases,
  createMockDirectory,
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

/*
 * The real accounts backend in a test backend, with a local config
 * repository and a folder as export target, and the actions' client
 * pointed at it over HTTP. Import from a test file: it registers jest hooks.
 */

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const backends: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(backends.splice(0).map(b => b.stop()));
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

/**
 * Starts the accounts backend with the given accounts already in its
 * registry (written through its store, so that no export is triggered).
 */
export async function startAccountsBackend(
  options: {
    accounts?: NewAccount[];
    extraConfig?: Record<string, unknown>;
  } = {},
) {
  const knex = await databases.init('SQLITE_3');
  const database = mockServices.database({ knex });
  const store = await DatabaseAccountsStore.create({ database });
  for (const account of options.accounts ?? []) {
    await store.createAccount(account, 'user:default/alice');
  }
  const dir = createMockDirectory();
  const exportFolder = dir.resolve('export');
  const repositoryPath = dir.resolve('config.git');
  const backend = await startTestBackend({
    features: [
      accountsPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
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
            ...options.extraConfig,
          },
        },
      }),
    ],
  });
  backends.push(backend);
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
    /** Runs the git CLI against the config repository (a bare one). */
    git: (...args: string[]) =>
      execFileSync('git', [`--git-dir=${repositoryPath}`, ...args], {
        encoding: 'utf8',
      }),
    exportFolder,
    /** The files in the export folder (accounts.json once exported). */
    exportedFiles: async () => readdir(exportFolder).catch(() => []),
  };
}

/**
 * A mock action context with the given input. `dryRun` marks it as a dry
 * run; `checkpoints` (when given) keeps checkpoint values across contexts,
 * as the scaffolder does for a resumed task.
 */
export function actionContext<T extends Record<string, unknown>>(
  input: T,
  options: {
    dryRun?: boolean;
    signal?: AbortSignal;
    checkpoints?: Map<string, unknown>;
  } = {},
) {
  const logger = mockServices.logger.mock();
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
