import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { DatabaseAccountsStore } from '../registry/DatabaseAccountsStore';
import { rollbackMigrations } from '../registry/migrations';
import { testAccount } from '../__testUtils__/accounts';
import { DatabaseOperationsStore } from './DatabaseOperationsStore';
import { NewOperation } from './OperationsStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

async function createStores(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const database = mockServices.database({ knex, migrations: { skip: false } });
  const accounts = await DatabaseAccountsStore.create({ database });
  await accounts.createAccount(testAccount('acme'), 'user:default/alice');
  await accounts.createAccount(testAccount('globex'), 'user:default/alice');
  const store = await DatabaseOperationsStore.create({ database });
  return { knex, store };
}

const deploy = (account: string): NewOperation => ({
  kind: 'deploy',
  account,
  requestedBy: 'user:default/alice',
  reason: 'new values',
  request: { versions: { backend: '1.2.3' } },
  steps: [
    { id: 'export', title: 'Export accounts.json' },
    { id: 'commit', title: 'Commit the folder' },
  ],
});

describe.each(databases.eachSupportedId())(
  'DatabaseOperationsStore on %p',
  databaseId => {
    it('creates an operation with pending steps and reads it back', async () => {
      const { store } = await createStores(databaseId);
      const created = await store.create(deploy('acme'), {
        owner: 'a',
        ms: 1000,
      });
      expect(created).toMatchObject({
        kind: 'deploy',
        account: 'acme',
        status: 'pending',
        reason: 'new values',
        request: { versions: { backend: '1.2.3' } },
        steps: [
          { id: 'export', status: 'pending' },
          { id: 'commit', status: 'pending' },
        ],
      });
      expect(await store.get(created.id)).toEqual(created);
      expect(
        await store.get('00000000-0000-0000-0000-000000000000'),
      ).toBeUndefined();
    });

    it('allows one unfinished operation per account', async () => {
      const { store } = await createStores(databaseId);
      const first = await store.create(deploy('acme'), {
        owner: 'a',
        ms: 1000,
      });
      const second = store.create(deploy('acme'), { owner: 'a', ms: 1000 });
      await expect(second).rejects.toThrow(ConflictError);
      await expect(second).rejects.toThrow(first.id);
      // Another account is not held up.
      await store.create(deploy('globex'), { owner: 'a', ms: 1000 });
      // Once finished, the account may deploy again.
      await store.update(first.id, 'a', { status: 'succeeded' });
      await store.create(deploy('acme'), { owner: 'a', ms: 1000 });
    });

    it('lets only the lease holder write, and hands expired leases over', async () => {
      const { store } = await createStores(databaseId);
      const op = await store.create(deploy('acme'), { owner: 'a', ms: 60_000 });
      expect(await store.update(op.id, 'b', { status: 'running' })).toBe(false);
      expect(await store.claim(op.id, 'b', 60_000)).toBe(false);
      expect(await store.listResumable(10)).toEqual([]);
      expect(
        await store.update(op.id, 'a', { status: 'running', commit: 'abc' }),
      ).toBe(true);

      await store.release(op.id, 'a');
      expect(await store.listResumable(10)).toEqual([op.id]);
      expect(await store.claim(op.id, 'b', -1)).toBe(true);
      // b's lease is already expired (ms -1): a may take it back.
      expect(await store.listResumable(10)).toEqual([op.id]);
      expect(await store.claim(op.id, 'a', 60_000)).toBe(true);
      expect(await store.update(op.id, 'b', { status: 'failed' })).toBe(false);
      expect(await store.get(op.id)).toMatchObject({
        status: 'running',
        commit: 'abc',
      });

      await store.update(op.id, 'a', {
        status: 'succeeded',
        finishedAt: new Date().toISOString(),
      });
      expect(await store.claim(op.id, 'b', 60_000)).toBe(false);
      expect(await store.listResumable(10)).toEqual([]);
    });

    it('records a deployment once per operation and lists newest first', async () => {
      const { store } = await createStores(databaseId);
      const base = {
        account: 'acme',
        environment: 'staging',
        cluster: 'staging-eu',
        commit: 'a'.repeat(40),
        versions: { backend: '1.2.3' },
        deployedBy: 'user:default/alice',
      };
      const first = await store.recordDeployment({
        ...base,
        id: 'd1',
        operationId: 'op1',
        deployedAt: '2026-11-23T10:00:00.000Z',
      });
      const again = await store.recordDeployment({
        ...base,
        id: 'd1-retry',
        operationId: 'op1',
        deployedAt: '2026-11-23T10:05:00.000Z',
      });
      expect(again).toEqual(first);
      await store.recordDeployment({
        ...base,
        id: 'd2',
        operationId: 'op2',
        reason: 'hot fix',
        deployedAt: '2026-11-23T11:00:00.000Z',
      });
      const listed = await store.listDeployments('acme', 10);
      expect(listed.map(d => d.id)).toEqual(['d2', 'd1']);
      expect(listed[0]).toMatchObject({
        reason: 'hot fix',
        versions: { backend: '1.2.3' },
      });
      expect(await store.listDeployments('globex', 10)).toEqual([]);
    });

    it('drops both tables when its migration is rolled back', async () => {
      const { knex } = await createStores(databaseId);
      await rollbackMigrations(knex);
      expect(await knex.schema.hasTable('operations')).toBe(false);
      expect(await knex.schema.hasTable('deployments')).toBe(false);
    });
  },
);
