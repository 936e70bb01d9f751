import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import accountsPlugin, {
  DatabaseAccountsStore,
} from '@fleet-portal/plugin-accounts-backend';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import { createGetAccountAction } from './getAccount';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * Runs the real accounts backend in a test backend, seeded through its real
 * store, and points the action's client at it over HTTP.
 */
async function setup() {
  const knex = await databases.init('SQLITE_3');
  const database = mockServices.database({ knex });
  const store = await DatabaseAccountsStore.create({ database });
  await store.createAccount(
    {
      name: 'acme',
      displayName: 'Acme',
      environment: 'production',
      region: 'europe-west4',
      gcpProject: 'acme-prod',
      cluster: 'production-eu',
      active: true,
      isUat: false,
      owner: 'group:default/platform',
      labels: {},
      services: [{ name: 'backend' }],
    },
    'user:default/alice',
  );
  const backend = await startTestBackend({
    features: [accountsPlugin, mockServices.database.factory({ knex })],
  });
  const baseUrl = `http://localhost:${backend.server.port()}/api/accounts`;
  const client = new AccountsBackendClient({
    auth: mockServices.auth(),
    discovery: {
      getBaseUrl: async () => baseUrl,
      getExternalBaseUrl: async () => baseUrl,
    },
  });
  return { action: createGetAccountAction({ client }), backend };
}

describe('accounts:get', () => {
  it('outputs the account read from the accounts backend', async () => {
    const { action, backend } = await setup();
    const ctx = createMockActionContext({
      input: { name: 'acme' },
      getInitiatorCredentials: async () => mockCredentials.user(),
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('environment', 'production');
    expect(ctx.output).toHaveBeenCalledWith('cluster', 'production-eu');
    expect(ctx.output).toHaveBeenCalledWith(
      'account',
      expect.objectContaining({
        name: 'acme',
        createdBy: 'user:default/alice',
      }),
    );
    await backend.stop();
  });

  it('fails with a clear message when the account does not exist', async () => {
    const { action, backend } = await setup();
    const ctx = createMockActionContext({
      input: { name: 'nobody' },
      getInitiatorCredentials: async () => mockCredentials.user(),
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      "No account named 'nobody'",
    );
    expect(ctx.output).not.toHaveBeenCalled();
    await backend.stop();
  });
});
