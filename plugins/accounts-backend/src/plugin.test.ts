import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { accountsPlugin } from './plugin';

type Features = Parameters<typeof startTestBackend>[0]['features'];
const backends: Array<Awaited<ReturnType<typeof startTestBackend>>> = [];

/** Starts a test backend that is stopped after the test. */
async function start(features: Features = [accountsPlugin]) {
  const backend = await startTestBackend({ features });
  backends.push(backend);
  return backend;
}

afterEach(async () => {
  await Promise.all(backends.splice(0).map(backend => backend.stop()));
});

describe('accounts backend plugin', () => {
  it('answers health without credentials', async () => {
    const { server } = await start();
    const res = await request(server).get('/api/accounts/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('refuses to list accounts without credentials', async () => {
    const { server } = await start([
      accountsPlugin,
      // The mock treats a request without a token as a user unless told not to.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ]);
    const res = await request(server).get('/api/accounts/accounts');
    expect(res.status).toBe(401);
  });

  it('lists accounts, empty at first, for a user allowed to read', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/accounts/accounts')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], totalCount: 0 });
  });

  it('answers 403 when the permission policy denies reading', async () => {
    const { server } = await start([
      accountsPlugin,
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const res = await request(server)
      .get('/api/accounts/accounts')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('accounts.account.read');
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=ten', 'limit'],
    ['offset=-1', 'offset'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const { server } = await start();
    const res = await request(server)
      .get(`/api/accounts/accounts?${query}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(`Invalid query.${field}:`);
  });

  it('answers 404 for an unknown account', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/accounts/accounts/nope')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
  });
});
