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
import { Permission } from '@backstage/plugin-permission-common';
import permissionBackend from '@backstage/plugin-permission-backend';
import accountsBackend from '@fleet-portal/plugin-accounts-backend';
import request from 'supertest';
import fleetPortalPolicyModule from '../index';

/** A member of the platform team. */
export const platformMember = 'user:default/ada';
/** A member of staff outside the platform team (group support). */
export const staffMember = 'user:default/sam';

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

/**
 * The real permission backend with the policy module and the real accounts
 * plugin (staging and production environments, `gitops` if given); the
 * platform member is in group:default/platform, the staff member is not.
 */
export function startPolicyTestBackend(gitops?: object) {
  return startTestBackend({
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
}

/** A valid new account of `environment`. */
export function account(name: string, environment: string) {
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

/**
 * Asks the permission backend about one account, as the frontend's
 * usePermission does: the policy's conditions are applied to the account by
 * the accounts plugin. Returns ALLOW or DENY.
 */
export async function decide(
  server: Parameters<typeof request>[0],
  user: string,
  permission: Permission,
  resourceRef: string,
) {
  const res = await request(server)
    .post('/api/permission/authorize')
    .set('Authorization', mockCredentials.user.header(user))
    .send({ items: [{ id: resourceRef, permission, resourceRef }] });
  expect(res.status).toBe(200);
  return res.body.items[0].result;
}
