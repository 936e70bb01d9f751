import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { DatabaseAccountsStore } from './DatabaseAccountsStore';
import { NewAccount } from './AccountsStore';
import { applyMigrations, rollbackMigrations } from './migrations';

jest.setTimeout(60_000);

// PostgreSQL 15 is included whenever its connection string is set (make test
// sets it); the guard test below makes a silent fall-back to SQLite fail.
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

function newAccount(name: string, overrides: Partial<NewAccount> = {}) {
  return {
    name,
    displayName: `Account ${name}`,
    environment: 'staging',
    region: 'europe-west4',
    gcpProject: 'acme-staging',
    cluster: 'staging-eu',
    active: true,
    isUat: false,
    owner: 'group:default/platform',
    labels: { tier: 'gold' },
    services: [{ name: 'backend', values: { replicas: 2 } }],
    ...overrides,
  };
}

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseAccountsStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  return { knex, store };
}

describe('DatabaseAccountsStore', () => {
  it('runs on PostgreSQL whenever it is configured or under CI', () => {
    // Under CI without a connection string, TestDatabases keeps PostgreSQL in
    // the list and fails to reach it: loud, never a silent SQLite-only run.
    const required =
      !!process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ||
      !!process.env.CI;
    const ids = databases.eachSupportedId().map(([id]) => id);
    expect(ids.includes('POSTGRES_15')).toBe(required);
  });

  it.each(databases.eachSupportedId())(
    'creates the accounts table with its columns, on %p',
    async databaseId => {
      const { knex } = await createStore(databaseId);
      const columns = await knex('accounts').columnInfo();
      expect(Object.keys(columns).sort()).toEqual(
        [
          'active',
          'cluster',
          'created_at',
          'created_by',
          'display_name',
          'environment',
          'gcp_project',
          'is_uat',
          'labels',
          'name',
          'owner',
          'region',
          'services',
          'updated_at',
          'updated_by',
          'version',
        ].sort(),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'stores and reads back an account unchanged, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const created = await store.createAccount(
        newAccount('acme', { isUat: true }),
        'user:default/alice',
      );
      expect(created).toMatchObject({
        name: 'acme',
        version: 1,
        createdBy: 'user:default/alice',
        updatedBy: 'user:default/alice',
      });
      const read = await store.getAccount('acme');
      expect(read).toEqual(created);
      expect(read?.isUat).toBe(true);
      expect(read?.active).toBe(true);
      expect(read?.services).toEqual([
        { name: 'backend', values: { replicas: 2 } },
      ]);
      await expect(store.getAccount('missing')).resolves.toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a second account of the same name with a ConflictError, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.createAccount(newAccount('acme'), 'user:default/alice');
      await expect(
        store.createAccount(newAccount('acme'), 'user:default/bob'),
      ).rejects.toThrow(ConflictError);
      const { items } = await store.listAccounts({ limit: 10, offset: 0 });
      expect(items.map(a => a.createdBy)).toEqual(['user:default/alice']);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists accounts by name in pages with the total count, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      for (const name of ['delta', 'alpha', 'charlie', 'bravo']) {
        await store.createAccount(
          newAccount(name, {
            environment: name === 'delta' ? 'production' : 'staging',
          }),
          'user:default/alice',
        );
      }
      const page = await store.listAccounts({ limit: 2, offset: 1 });
      expect(page.items.map(a => a.name)).toEqual(['bravo', 'charlie']);
      expect(page.totalCount).toBe(4);

      const staging = await store.listAccounts({
        environment: 'staging',
        limit: 50,
        offset: 0,
      });
      expect(staging.items.map(a => a.name)).toEqual([
        'alpha',
        'bravo',
        'charlie',
      ]);
      expect(staging.totalCount).toBe(3);
    },
  );

  it.each(databases.eachSupportedId())(
    'migrates down and up again cleanly, on %p',
    async databaseId => {
      const { knex } = await createStore(databaseId);
      await rollbackMigrations(knex);
      expect(await knex.schema.hasTable('accounts')).toBe(false);
      await applyMigrations(knex);
      expect(await knex.schema.hasTable('accounts')).toBe(true);
    },
  );
});
