/**
 * The accounts plugin as the fleet benchmark runs it: in a Backstage test
 * backend, on an in-memory SQLite database, every permission allowed.
 */
import {
  PermissionsService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import knexFactory, { Knex } from 'knex';
import { AddressInfo } from 'net';
import { accountsPlugin } from '../../../plugin';

/** App config, as the test backend's root config and `ConfigReader` take it. */
export type AppConfig = NonNullable<
  ConstructorParameters<typeof ConfigReader>[0]
>;

const allow: PermissionsService = {
  async authorize(requests) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  },
  async authorizeConditional(requests) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  },
};

/** SQLite in memory; the plugin applies its migrations to it at start. */
export function inMemoryDatabase(): Knex {
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
}

/** Starts the accounts plugin on `knex` with the app config `config`. */
export function startAccountsBackend(knex: Knex, config: AppConfig) {
  return startTestBackend({
    features: [
      accountsPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: config }),
      mockServices.rootLogger.factory({ level: 'warn' }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () => allow,
      }),
    ],
  });
}

/** The port the test backend listens on. */
export function portOf(
  backend: Awaited<ReturnType<typeof startAccountsBackend>>,
) {
  return (backend.server.address() as AddressInfo).port;
}
