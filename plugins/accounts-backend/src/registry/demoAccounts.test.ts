import { ConfigReader } from '@backstage/config';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import yaml from 'yaml';
import { createAccountSchema, parse } from '../service/validation';
import { DatabaseAccountsStore } from './DatabaseAccountsStore';
import { DEMO_ACCOUNTS, seedDemoAccounts } from './demoAccounts';
import { placementProblem, readEnvironments } from './environments';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('demo accounts', () => {
  it('pass the API validation against the app-config.yaml environments', () => {
    const appConfig = new ConfigReader(
      yaml.parse(
        readFileSync(resolve(__dirname, '../../../../app-config.yaml'), 'utf8'),
      ),
    );
    const environments = readEnvironments(appConfig);
    for (const account of DEMO_ACCOUNTS) {
      expect(() => parse(createAccountSchema, account)).not.toThrow();
      expect(placementProblem(environments, account)).toBeUndefined();
    }
    const production = DEMO_ACCOUNTS.filter(
      a => a.environment === 'production',
    );
    expect(DEMO_ACCOUNTS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(production.map(a => a.region)).size).toBe(2);
    expect(DEMO_ACCOUNTS.filter(a => a.isUat)).toHaveLength(2);
    expect(DEMO_ACCOUNTS.filter(a => !a.active)).toHaveLength(1);
  });

  it.each(databases.eachSupportedId())(
    'are seeded once into an empty registry only, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseAccountsStore.create({
        database: mockServices.database({ knex }),
      });
      const logger = mockServices.logger.mock();
      expect(await seedDemoAccounts(store, logger)).toBe(DEMO_ACCOUNTS.length);
      expect(await seedDemoAccounts(store, logger)).toBe(0);
      const list = await store.listAccounts({ limit: 500, offset: 0 });
      expect(list.totalCount).toBe(DEMO_ACCOUNTS.length);
      expect(list.items[0].createdBy).toBe('system:demo-seed');
    },
  );

  it.each(databases.eachSupportedId())(
    'leave a registry that holds accounts alone, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseAccountsStore.create({
        database: mockServices.database({ knex }),
      });
      await store.createAccount(DEMO_ACCOUNTS[0], 'user:default/alice');
      expect(await seedDemoAccounts(store, mockServices.logger.mock())).toBe(0);
      expect(
        (await store.listAccounts({ limit: 5, offset: 0 })).totalCount,
      ).toBe(1);
    },
  );
});
