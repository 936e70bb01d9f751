import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { DatabaseAccountsStore } from './DatabaseAccountsStore';
import { testAccount } from '../__testUtils__/accounts';
import {
  AccountFilter,
  ListAccountsOptions,
  NewAccount,
} from './AccountsStore';
import { applyMigrations, rollbackMigrations } from './migrations';

jest.setTimeout(60_000);

// PostgreSQL 15 is included whenever its connection string is set (make test
// sets it); the guard test below makes a silent fall-back to SQLite fail.
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const newAccount = testAccount;

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
      expect(await knex.schema.hasTable('account_history')).toBe(false);
      await applyMigrations(knex);
      expect(await knex.schema.hasTable('accounts')).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'updates an account, bumps its version and records who changed what, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.createAccount(newAccount('acme'), 'user:default/alice');
      const updated = await store.updateAccount(
        'acme',
        { displayName: 'Acme Corp', isUat: true },
        1,
        'user:default/bob',
      );
      expect(updated).toMatchObject({
        displayName: 'Acme Corp',
        isUat: true,
        version: 2,
        createdBy: 'user:default/alice',
        updatedBy: 'user:default/bob',
      });
      expect(await store.getAccount('acme')).toEqual(updated);

      const history = await store.getHistory('acme');
      expect(history.map(h => [h.version, h.action, h.changedBy])).toEqual([
        [2, 'update', 'user:default/bob'],
        [1, 'create', 'user:default/alice'],
      ]);
      expect(history[0].changes).toEqual({
        displayName: { from: 'Account acme', to: 'Acme Corp' },
        isUat: { from: false, to: true },
      });
      expect(history[1].changes.environment).toEqual({ to: 'staging' });
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a stale version and changes nothing, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.createAccount(newAccount('acme'), 'user:default/alice');
      await store.updateAccount('acme', { region: 'us-central1' }, 1, 'u:a');
      await expect(
        store.updateAccount('acme', { displayName: 'Stale' }, 1, 'u:b'),
      ).rejects.toThrow(ConflictError);
      const account = await store.getAccount('acme');
      expect(account).toMatchObject({
        displayName: 'Account acme',
        region: 'us-central1',
        version: 2,
      });
      expect(await store.getHistory('acme')).toHaveLength(2);
      await expect(
        store.updateAccount('nobody', { displayName: 'x' }, 1, 'u:a'),
      ).rejects.toThrow(NotFoundError);
    },
  );

  it.each(databases.eachSupportedId())(
    'makes no new version when a change changes nothing, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.createAccount(newAccount('acme'), 'user:default/alice');
      const same = await store.updateAccount(
        'acme',
        { displayName: 'Account acme', labels: { tier: 'gold' } },
        1,
        'user:default/bob',
      );
      expect(same.version).toBe(1);
      expect(await store.getHistory('acme')).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets one of two concurrent creates of a name win, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const results = await Promise.allSettled([
        store.createAccount(newAccount('race'), 'user:default/alice'),
        store.createAccount(newAccount('race'), 'user:default/bob'),
      ]);
      const fulfilled = results.filter(r => r.status === 'fulfilled');
      const rejected = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toBeInstanceOf(ConflictError);
      expect(await store.getHistory('race')).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets one of two concurrent updates of one version win, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.createAccount(newAccount('acme'), 'user:default/alice');
      const results = await Promise.allSettled([
        store.updateAccount('acme', { displayName: 'One' }, 1, 'u:one'),
        store.updateAccount('acme', { displayName: 'Two' }, 1, 'u:two'),
      ]);
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(rejected?.reason).toBeInstanceOf(ConflictError);
      const account = await store.getAccount('acme');
      expect(account?.version).toBe(2);
      expect(await store.getHistory('acme')).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'filters by every field and searches names case-insensitively, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const seed: Array<[string, Partial<NewAccount>]> = [
        ['alpha', { displayName: 'Alpha 100% Foods', isUat: true }],
        ['bravo', { region: 'us-central1', cluster: 'production-us' }],
        ['charlie', { active: false, displayName: 'Charlie_Co' }],
        ['delta', { environment: 'production' }],
      ];
      for (const [name, overrides] of seed) {
        await store.createAccount(newAccount(name, overrides), 'u:a');
      }
      const names = async (filter: Partial<ListAccountsOptions>) =>
        (await store.listAccounts({ limit: 50, offset: 0, ...filter })).items
          .map(a => a.name)
          .join(',');

      expect(await names({ region: 'us-central1' })).toBe('bravo');
      expect(await names({ cluster: 'staging-eu' })).toBe(
        'alpha,charlie,delta',
      );
      expect(await names({ active: false })).toBe('charlie');
      expect(await names({ active: true, isUat: false })).toBe('bravo,delta');
      expect(await names({ isUat: true })).toBe('alpha');
      expect(await names({ environment: 'production' })).toBe('delta');
      expect(await names({ q: 'ALPHA' })).toBe('alpha');
      expect(await names({ q: 'foods' })).toBe('alpha');
      // LIKE wildcards in the search match themselves, not anything.
      expect(await names({ q: '100%' })).toBe('alpha');
      expect(await names({ q: '%' })).toBe('alpha');
      expect(await names({ q: '_' })).toBe('charlie');
      expect(await names({ q: 'e_t' })).toBe('');
      const page = await store.listAccounts({ q: 'a', limit: 1, offset: 1 });
      expect(page.items.map(a => a.name)).toEqual(['bravo']);
      expect(page.totalCount).toBe(4);
    },
  );

  it.each(databases.eachSupportedId())(
    'applies permission filter trees in SQL, with paging and counts, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const seed: Array<[string, Partial<NewAccount>]> = [
        ['alpha', { isUat: true }],
        ['bravo', { environment: 'production', owner: 'group:default/ai' }],
        ['charlie', { environment: 'production', isUat: true }],
        ['delta', { owner: 'group:default/ai' }],
        ['echo', {}],
      ];
      for (const [name, overrides] of seed) {
        await store.createAccount(newAccount(name, overrides), 'u:a');
      }
      const names = async (
        permissionFilter: ListAccountsOptions['permissionFilter'],
        page: Partial<ListAccountsOptions> = {},
      ) => {
        const list = await store.listAccounts({
          limit: 50,
          offset: 0,
          permissionFilter,
          ...page,
        });
        return `${list.items.map(a => a.name).join(',')}/${list.totalCount}`;
      };
      const staging: AccountFilter = {
        field: 'environment',
        values: ['staging'],
      };
      const uat: AccountFilter = { field: 'isUat', value: true };
      const ai: AccountFilter = {
        field: 'owner',
        values: ['group:default/ai'],
      };

      expect(await names(staging)).toBe('alpha,delta,echo/3');
      expect(await names(uat)).toBe('alpha,charlie/2');
      expect(await names(ai)).toBe('bravo,delta/2');
      expect(await names({ not: staging })).toBe('bravo,charlie/2');
      expect(await names({ allOf: [staging, { not: uat }] })).toBe(
        'delta,echo/2',
      );
      expect(await names({ anyOf: [uat, ai] })).toBe(
        'alpha,bravo,charlie,delta/4',
      );
      // anyOf inside allOf keeps its own parentheses: (a OR b) AND c.
      expect(await names({ allOf: [{ anyOf: [uat, ai] }, staging] })).toBe(
        'alpha,delta/2',
      );
      // Conditions arrive as JSON from the permission backend: empty lists
      // are possible at run time even where the types forbid them.
      const empty = (key: 'anyOf' | 'allOf') =>
        ({ [key]: [] } as unknown as PermissionCriteria<AccountFilter>);
      expect(await names(empty('anyOf'))).toBe('/0');
      expect(await names({ field: 'owner', values: [] })).toBe('/0');
      expect(await names(empty('allOf'))).toBe(
        'alpha,bravo,charlie,delta,echo/5',
      );
      // Combined with the caller's own filters and paging.
      expect(await names(staging, { isUat: false, limit: 1, offset: 1 })).toBe(
        'echo/2',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'reads all accounts, and several by name in the order asked, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.createAccount(newAccount('alpha'), 'u:a');
      await store.createAccount(newAccount('bravo'), 'u:a');
      expect((await store.allAccounts()).map(a => a.name)).toEqual([
        'alpha',
        'bravo',
      ]);
      const found = await store.getAccounts(['bravo', 'nope', 'alpha']);
      expect(found.map(a => a?.name)).toEqual(['bravo', undefined, 'alpha']);
      await expect(store.getAccounts([])).resolves.toEqual([]);
    },
  );
});
