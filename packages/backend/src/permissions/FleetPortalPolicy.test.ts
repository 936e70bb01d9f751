import {
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import permissionBackend from '@backstage/plugin-permission-backend';
import accountsBackend from '@fleet-portal/plugin-accounts-backend';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import fleetPortalPolicyModule from './index';

jest.setTimeout(60_000);

/*
 * The policy inside the real permission backend, with the real accounts
 * plugin: the accounts routes ask the permission backend, and the permission
 * backend resolves per-account decisions (what the frontend's usePermission
 * asks) through the accounts plugin's rules and resources.
 */

const platformMember = 'user:default/ada';
const staffMember = 'user:default/sam';

/**
 * The test-utils mock auth turns a plugin's on-behalf-of token back into
 * plain user credentials, dropping the actor that real Backstage tokens
 * carry; the permission backend then takes the accounts plugin's conditional
 * query for a direct user request and refuses it. This restores the actor,
 * as the real auth service does, and changes nothing else.
 */
const httpAuthWithActor = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const base = mockServices.httpAuth({ pluginId: plugin.getId() });
    const servicePrefix = 'mock-service-token:';
    return {
      issueUserCookie: base.issueUserCookie.bind(base),
      credentials: (async (req, options) => {
        const credentials: BackstageCredentials = await base.credentials(
          req,
          options,
        );
        const principal =
          credentials.principal as Partial<BackstageUserPrincipal>;
        const token = req.headers.authorization?.replace(/^Bearer /, '');
        if (token?.startsWith(servicePrefix) && principal.type === 'user') {
          return mockCredentials.user(principal.userEntityRef, {
            actor: { subject: 'plugin:accounts' },
          });
        }
        return credentials;
      }) as typeof base.credentials,
    };
  },
});

const backends: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(backends.splice(0).map(b => b.stop()));
});

async function start(gitops?: object) {
  const backend = await startTestBackend({
    features: [
      permissionBackend,
      fleetPortalPolicyModule,
      accountsBackend,
      permissionsServiceFactory,
      httpAuthWithActor,
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const userEntityRef = (
            credentials.principal as { userEntityRef: string }
          ).userEntityRef;
          return {
            userEntityRef,
            ownershipEntityRefs:
              userEntityRef === platformMember
                ? [userEntityRef, 'group:default/platform']
                : [userEntityRef, 'group:default/support'],
          };
        },
      }).factory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          permission: { enabled: true },
          accounts: {
            environments: [
              {
                name: 'staging',
                regions: ['europe-west4'],
                clusters: [{ name: 'staging-eu', region: 'europe-west4' }],
              },
              {
                name: 'production',
                regions: ['europe-west4'],
                clusters: [{ name: 'production-eu', region: 'europe-west4' }],
              },
            ],
            gitops,
          },
        },
      }),
    ],
  });
  backends.push(backend);
  return backend.server;
}

function account(name: string, environment: string) {
  return {
    name,
    displayName: `Account ${name}`,
    environment,
    region: 'europe-west4',
    gcpProject: 'acme-project-1',
    cluster: `${environment}-eu`,
    owner: 'group:default/platform',
  };
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

  it('answers per-account questions the way the frontend asks them', async () => {
    const server = await start();
    const ada = mockCredentials.user.header(platformMember);
    for (const [name, environment] of [
      ['prod-one', 'production'],
      ['stage-one', 'staging'],
    ]) {
      const created = await request(server)
        .post('/api/accounts/accounts')
        .set('Authorization', ada)
        .send(account(name, environment));
      expect(created.status).toBe(201);
    }
    const decide = async (user: string, resourceRef: string) => {
      const res = await request(server)
        .post('/api/permission/authorize')
        .set('Authorization', mockCredentials.user.header(user))
        .send({
          items: [
            {
              id: resourceRef,
              permission: {
                type: 'resource',
                name: 'accounts.account.update',
                attributes: { action: 'update' },
                resourceType: 'fleet-account',
              },
              resourceRef,
            },
          ],
        });
      expect(res.status).toBe(200);
      return res.body.items[0].result;
    };
    expect(await decide(staffMember, 'stage-one')).toBe(AuthorizeResult.ALLOW);
    expect(await decide(staffMember, 'prod-one')).toBe(AuthorizeResult.DENY);
    expect(await decide(platformMember, 'prod-one')).toBe(
      AuthorizeResult.ALLOW,
    );
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
