import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { ACCOUNT_RESOURCE_TYPE } from '@fleet-portal/plugin-accounts-common';
import request from 'supertest';
import {
  accountConditions,
  createAccountConditionalDecision,
} from '../permissions/rules';
import {
  databases,
  setup,
  tableCounts,
  validAccount,
} from '../__testUtils__/testBackend';

/*
 * The routes under a policy that answers with conditions, the way a real
 * policy does: "staff may change staging accounts, only the platform team
 * production ones", and a viewer who may read UAT accounts only.
 */

const admin = mockCredentials.user.header('user:default/admin');
const staff = mockCredentials.user.header('user:default/staff');
const uatViewer = mockCredentials.user.header('user:default/uat-viewer');
const nobody = mockCredentials.user.header('user:default/nobody');

function decide(
  permission: Permission,
  credentials: BackstageCredentials,
): PolicyDecision {
  const user = (credentials.principal as BackstageUserPrincipal).userEntityRef;
  if (user === 'user:default/admin') {
    return { result: AuthorizeResult.ALLOW };
  }
  if (
    user === 'user:default/nobody' ||
    !isResourcePermission(permission, ACCOUNT_RESOURCE_TYPE)
  ) {
    return { result: AuthorizeResult.DENY };
  }
  if (permission.name === 'accounts.account.read') {
    return user === 'user:default/uat-viewer'
      ? createAccountConditionalDecision(permission, accountConditions.isUat())
      : { result: AuthorizeResult.ALLOW };
  }
  return createAccountConditionalDecision(
    permission,
    accountConditions.isInEnvironment({ environments: ['staging'] }),
  );
}

/** The permissions service as the permission backend answers it. */
const policyPermissions = mockServices.permissions.mock({
  authorizeConditional: async (queries, options) =>
    queries.map(q => decide(q.permission, options!.credentials)),
  authorize: async (requests, options) =>
    requests.map(r => {
      const decision = decide(r.permission, options!.credentials);
      if (decision.result === AuthorizeResult.CONDITIONAL) {
        throw new Error('authorize() cannot answer with conditions');
      }
      return decision;
    }),
});

const staging = (name: string, extra: Record<string, unknown> = {}) =>
  validAccount({
    name,
    environment: 'staging',
    cluster: 'staging-eu',
    ...extra,
  });
const production = (name: string, extra: Record<string, unknown> = {}) =>
  validAccount({ name, ...extra });

/** A backend holding two staging and two production accounts. */
async function fleet(databaseId: TestDatabaseId = 'SQLITE_3') {
  const backend = await setup(databaseId, [policyPermissions.factory]);
  for (const body of [
    staging('st-one', { isUat: true }),
    staging('st-two'),
    production('pr-one', { isUat: true }),
    production('pr-two'),
  ]) {
    const res = await request(backend.server)
      .post('/api/accounts/accounts')
      .set('Authorization', admin)
      .send(body);
    expect(res.status).toBe(201);
  }
  backend.audits.splice(0);
  return backend;
}

describe('accounts under a conditional policy', () => {
  it.each(databases.eachSupportedId())(
    'lists only what the reader may see, counted in SQL, on %p',
    async databaseId => {
      const { server } = await fleet(databaseId);
      const list = async (auth: string, query = '') => {
        const res = await request(server)
          .get(`/api/accounts/accounts${query}`)
          .set('Authorization', auth);
        expect(res.status).toBe(200);
        return `${res.body.items.map((a: { name: string }) => a.name)}/${
          res.body.totalCount
        }`;
      };
      expect(await list(admin)).toBe('pr-one,pr-two,st-one,st-two/4');
      expect(await list(uatViewer)).toBe('pr-one,st-one/2');
      expect(await list(uatViewer, '?environment=staging')).toBe('st-one/1');
      expect(await list(uatViewer, '?limit=1&offset=1')).toBe('st-one/2');
      const denied = await request(server)
        .get('/api/accounts/accounts')
        .set('Authorization', nobody);
      expect(denied.status).toBe(403);
    },
  );

  it('answers 404 for an account the reader may not see, and its history', async () => {
    const { server } = await fleet();
    for (const path of ['pr-two', 'pr-two/history']) {
      const hidden = await request(server)
        .get(`/api/accounts/accounts/${path}`)
        .set('Authorization', uatViewer);
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.message).toBe("No account named 'pr-two'");
    }
    const visible = await request(server)
      .get('/api/accounts/accounts/pr-one')
      .set('Authorization', uatViewer);
    expect(visible.status).toBe(200);
  });

  it('lets staff create staging accounts but not production ones', async () => {
    const { server, knex, audits } = await fleet();
    const before = await tableCounts(knex);
    const refused = await request(server)
      .post('/api/accounts/accounts')
      .set('Authorization', staff)
      .send(production('pr-new'));
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('accounts.account.create');
    expect(await tableCounts(knex)).toEqual(before);

    const created = await request(server)
      .post('/api/accounts/accounts')
      .set('Authorization', staff)
      .send(staging('st-new'));
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe('user:default/staff');
    expect(audits.map(a => `${a.eventId} ${a.account} ${a.outcome}`)).toEqual([
      'account-create pr-new failure',
      'account-create st-new success',
    ]);
  });

  it.each(databases.eachSupportedId())(
    'lets staff change staging accounts only, and not move one to production, on %p',
    async databaseId => {
      const { server, knex } = await fleet(databaseId);
      const patch = (name: string, auth: string, body: object) =>
        request(server)
          .patch(`/api/accounts/accounts/${name}`)
          .set('Authorization', auth)
          .send({ version: 1, ...body });

      const before = await tableCounts(knex);
      const production403 = await patch('pr-one', staff, {
        displayName: 'Changed',
      });
      expect(production403.status).toBe(403);
      const moved403 = await patch('st-two', staff, {
        environment: 'production',
        cluster: 'production-eu',
      });
      expect(moved403.status).toBe(403);
      expect(moved403.body.error.message).toContain('st-two');
      expect(await tableCounts(knex)).toEqual(before);
      const unchanged = await knex('accounts')
        .whereIn('name', ['pr-one', 'st-two'])
        .orderBy('name');
      expect(unchanged.map(r => [r.display_name, r.environment])).toEqual([
        ['Acme Corp', 'production'],
        ['Acme Corp', 'staging'],
      ]);

      const allowed = await patch('st-two', staff, { displayName: 'Changed' });
      expect(allowed.status).toBe(200);
      expect(allowed.body.version).toBe(2);
      const platform = await patch('pr-one', admin, { displayName: 'Changed' });
      expect(platform.status).toBe(200);
    },
  );

  it('tells the frontend what the caller may do overall', async () => {
    const { server } = await fleet();
    const capabilities = async (auth: string) =>
      (
        await request(server)
          .get('/api/accounts/capabilities')
          .set('Authorization', auth)
      ).body;
    expect(await capabilities(admin)).toEqual({
      createAccount: 'allow',
      export: true,
    });
    expect(await capabilities(staff)).toEqual({
      createAccount: 'conditional',
      export: false,
    });
    expect(await capabilities(nobody)).toEqual({
      createAccount: 'deny',
      export: false,
    });
  });

  it('keeps accounts.json from readers who may not see every account', async () => {
    const { server } = await setup('SQLITE_3', [policyPermissions.factory], {
      export: { folder: `${process.env.TMPDIR ?? '/tmp'}/fleet-perm-export` },
    });
    const written = await request(server)
      .post('/api/accounts/export')
      .set('Authorization', admin);
    expect(written.status).toBe(200);
    const partial = await request(server)
      .get('/api/accounts/export')
      .set('Authorization', uatViewer);
    expect(partial.status).toBe(403);
    const full = await request(server)
      .get('/api/accounts/export')
      .set('Authorization', staff);
    expect(full.status).toBe(200);
    const exportByStaff = await request(server)
      .post('/api/accounts/export')
      .set('Authorization', staff);
    expect(exportByStaff.status).toBe(403);
  });
});
