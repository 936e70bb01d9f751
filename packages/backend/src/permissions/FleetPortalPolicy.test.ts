import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  accountDeployPermission,
  accountUpdatePermission,
} from '@fleet-portal/plugin-accounts-common';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import {
  account,
  decide,
  platformMember,
  staffMember,
  startPolicyTestBackend,
} from './__testUtils__/policyTestBackend';
import { FleetPortalPolicy } from './FleetPortalPolicy';

jest.setTimeout(60_000);

/*
 * The policy inside the real permission backend, with the real accounts
 * plugin: the accounts routes ask the permission backend, and the permission
 * backend resolves per-account decisions (what the frontend's usePermission
 * asks) through the accounts plugin's rules and resources.
 */

const backends: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(backends.splice(0).map(b => b.stop()));
});

async function start(gitops?: object) {
  const backend = await startPolicyTestBackend(gitops);
  backends.push(backend);
  return backend.server;
}

/** Creates a production and a staging account as the platform member. */
async function createProdAndStaging(server: Awaited<ReturnType<typeof start>>) {
  for (const [name, environment] of [
    ['prod-one', 'production'],
    ['stage-one', 'staging'],
  ]) {
    const created = await request(server)
      .post('/api/accounts/accounts')
      .set('Authorization', mockCredentials.user.header(platformMember))
      .send(account(name, environment));
    expect(created.status).toBe(201);
  }
}

describe('FleetPortalPolicy in the permission backend', () => {
  it('lets staff create and change staging accounts, and only the platform team production ones', async () => {
    const server = await start();
    const ada = mockCredentials.user.header(platformMember);
    const sam = mockCredentials.user.header(staffMember);
    const post = (auth: string, body: object) =>
      request(server)
        .post('/api/accounts/accounts')
        .set('Authorization', auth)
        .send(body);

    expect((await post(ada, account('prod-one', 'production'))).status).toBe(
      201,
    );
    expect((await post(sam, account('prod-two', 'production'))).status).toBe(
      403,
    );
    expect((await post(sam, account('stage-one', 'staging'))).status).toBe(201);

    const rename = (auth: string, name: string) =>
      request(server)
        .patch(`/api/accounts/accounts/${name}`)
        .set('Authorization', auth)
        .send({ version: 1, displayName: 'Renamed' });
    expect((await rename(sam, 'prod-one')).status).toBe(403);
    expect((await rename(sam, 'stage-one')).status).toBe(200);
    expect((await rename(ada, 'prod-one')).status).toBe(200);

    // Everyone reads everything.
    const list = await request(server)
      .get('/api/accounts/accounts')
      .set('Authorization', sam);
    expect(list.body.totalCount).toBe(2);

    const capabilities = await request(server)
      .get('/api/accounts/capabilities')
      .set('Authorization', sam);
    expect(capabilities.body).toEqual({
      createAccount: 'conditional',
      export: false,
    });
  });

  it('lets only the platform team release a service', async () => {
    const server = await start();
    const release = (user: string) =>
      request(server)
        .post('/api/accounts/services/backend/releases')
        .set('Authorization', mockCredentials.user.header(user))
        .send({ kind: 'rc' });
    const denied = await release(staffMember);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'Not allowed: accounts.service.release',
    );
    // Allowed, then refused for what this backend lacks: a release source.
    const allowed = await release(platformMember);
    expect(allowed.status).toBe(404);
    expect(allowed.body.error.message).toMatch(/No release source/);
  });

  it('answers per-account questions the way the frontend asks them', async () => {
    const server = await start();
    await createProdAndStaging(server);
    const update = (user: string, name: string) =>
      decide(server, user, accountUpdatePermission, name);
    expect(await update(staffMember, 'stage-one')).toBe(AuthorizeResult.ALLOW);
    expect(await update(staffMember, 'prod-one')).toBe(AuthorizeResult.DENY);
    expect(await update(platformMember, 'prod-one')).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('lets the platform team deploy anywhere, and staff outside the protected environments', async () => {
    const server = await start();
    await createProdAndStaging(server);
    const deploy = (user: string, name: string) =>
      decide(server, user, accountDeployPermission, name);
    expect(await deploy(platformMember, 'prod-one')).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await deploy(platformMember, 'stage-one')).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(await deploy(staffMember, 'stage-one')).toBe(AuthorizeResult.ALLOW);
    expect(await deploy(staffMember, 'prod-one')).toBe(AuthorizeResult.DENY);

    // The deploy route asks the same: staff are refused production, and
    // pass the check for staging (a dry run, which this backend, without a
    // config repository, cannot make).
    const dryRun = (user: string, name: string) =>
      request(server)
        .post(`/api/accounts/accounts/${name}/deploy?dryRun=true`)
        .set('Authorization', mockCredentials.user.header(user))
        .send({});
    expect((await dryRun(staffMember, 'prod-one')).status).toBe(403);
    expect((await dryRun(platformMember, 'prod-one')).status).toBe(404);
    const staging = await dryRun(staffMember, 'stage-one');
    expect(staging.status).toBe(404);
    expect(staging.body.error.message).toBe(
      'No config repository is configured',
    );
  });

  it('answers deploy for staff with a condition on the environment', async () => {
    const policy = new FleetPortalPolicy({
      platformGroups: ['group:default/platform'],
      protectedEnvironments: ['production', 'prod-us'],
    });
    const user = (userEntityRef: string, group: string) => ({
      credentials: mockCredentials.user(userEntityRef),
      info: { userEntityRef, ownershipEntityRefs: [userEntityRef, group] },
    });
    const query = { permission: accountDeployPermission };
    expect(
      await policy.handle(
        query,
        user(platformMember, 'group:default/platform'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle(query, user(staffMember, 'group:default/support')),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'accounts',
      resourceType: 'fleet-account',
      conditions: {
        not: {
          rule: 'IS_IN_ENVIRONMENT',
          resourceType: 'fleet-account',
          params: { environments: ['production', 'prod-us'] },
        },
      },
    });
    expect(await policy.handle(query)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets staff commit staging config, and only the platform team production config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy-config-'));
    try {
      const server = await start({
        repository: { local: { path: join(dir, 'config.git') } },
        services: [
          {
            name: 'backend',
            chart: {
              name: './charts/backend',
              version: '1.0.0',
              sourceRef: { kind: 'GitRepository', name: 'charts' },
            },
            image: { repository: 'example.org/backend' },
            environments: {
              staging: { imageTag: '1.0.0' },
              production: { imageTag: '1.0.0' },
            },
          },
        ],
      });
      const ada = mockCredentials.user.header(platformMember);
      const sam = mockCredentials.user.header(staffMember);
      for (const [name, environment] of [
        ['prod-one', 'production'],
        ['stage-one', 'staging'],
      ]) {
        const created = await request(server)
          .post('/api/accounts/accounts')
          .set('Authorization', ada)
          .send({
            ...account(name, environment),
            services: [{ name: 'backend' }],
          });
        expect(created.status).toBe(201);
      }
      const commit = (auth: string, name: string) =>
        request(server)
          .post(`/api/accounts/accounts/${name}/config/commit`)
          .set('Authorization', auth)
          .send({ reason: 'policy test' });
      expect((await commit(sam, 'prod-one')).status).toBe(403);
      const staged = await commit(sam, 'stage-one');
      expect(staged.status).toBe(200);
      expect(staged.body.status).toBe('committed');
      expect((await commit(ada, 'prod-one')).body.status).toBe('committed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
