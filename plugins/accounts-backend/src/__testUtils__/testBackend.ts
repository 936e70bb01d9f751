import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { accountsPlugin } from '../plugin';
import { testEnvironments } from './environments';

/*
 * The real accounts plugin in a test backend, on SQLite or PostgreSQL, for
 * tests that talk HTTP to it. Import from a test file: creating the test
 * databases and stopping backends after each test registers jest hooks.
 */

export const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
});

export const environments = testEnvironments;

const backends: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(backends.splice(0).map(b => b.stop()));
});

export type AuditRecord = {
  eventId: string;
  account?: unknown;
  /** For events about a service (releases). */
  service?: unknown;
  outcome?: string;
  /** The tag a release event made. */
  tag?: unknown;
};

/** The real plugin in a test backend, on the given database. */
export async function setup(
  databaseId: TestDatabaseId = 'SQLITE_3',
  extraFeatures: any[] = [],
  accountsConfig: Record<string, unknown> = {},
  /** Other root config keys, e.g. `kubernetes`. */
  rootConfig: Record<string, unknown> = {},
) {
  const knex = await databases.init(databaseId);
  const audits: AuditRecord[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async options => {
      const record: AuditRecord = {
        eventId: options.eventId,
        account: options.meta?.account,
        ...(options.meta?.service !== undefined && {
          service: options.meta.service,
        }),
      };
      audits.push(record);
      return {
        success: async result => {
          record.outcome = 'success';
          if (result?.meta?.tag !== undefined) record.tag = result.meta.tag;
        },
        fail: async () => {
          record.outcome = 'failure';
        },
      };
    },
  });
  const backend = await startTestBackend({
    features: [
      accountsPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: { ...rootConfig, accounts: { environments, ...accountsConfig } },
      }),
      auditor.factory,
      ...extraFeatures,
    ],
  });
  backends.push(backend);
  return { server: backend.server, knex, audits };
}

export const user = mockCredentials.user.header();

export function validAccount(overrides: Record<string, unknown> = {}) {
  return {
    name: 'acme',
    displayName: 'Acme Corp',
    environment: 'production',
    region: 'europe-west4',
    gcpProject: 'acme-prod-1',
    cluster: 'production-eu',
    owner: 'group:default/platform',
    labels: { tier: 'gold' },
    services: [{ name: 'backend', values: { replicas: 2 } }],
    ...overrides,
  };
}

export async function tableCounts(knex: Knex) {
  const [[{ a }], [{ h }]] = await Promise.all([
    knex('accounts').count({ a: '*' }),
    knex('account_history').count({ h: '*' }),
  ]);
  return { accounts: Number(a), history: Number(h) };
}
