import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import {
  databases,
  environments,
  setup,
  tableCounts,
  user,
  validAccount,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

describe('POST /accounts', () => {
  it('creates an account: 201, the account, one audit event', async () => {
    const { server, audits } = await setup();
    const res = await request(server)
      .post('/api/accounts/accounts')
      .set('Authorization', user)
      .send(validAccount());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'acme',
      active: true,
      isUat: false,
      version: 1,
      createdBy: 'user:default/mock',
    });
    expect(audits).toEqual([
      { eventId: 'account-create', account: 'acme', outcome: 'success' },
    ]);
    const read = await request(server)
      .get('/api/accounts/accounts/acme')
      .set('Authorization', user);
    expect(read.body).toEqual(res.body);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['uppercase name', { name: 'Acme' }, 'name'],
    ['underscore in name', { name: 'ac_me' }, 'name'],
    ['name of 64 characters', { name: 'a'.repeat(64) }, 'name'],
    ['name of 41 characters', { name: 'a'.repeat(41) }, 'name'],
    ['one-character name', { name: 'a' }, 'name'],
    ['leading dash', { name: '-acme' }, 'name'],
    ['trailing dash', { name: 'acme-' }, 'name'],
    ['unicode name', { name: 'äcme' }, 'name'],
    ['dots in name', { name: 'a..b' }, 'name'],
    ['path in name', { name: '../etc' }, 'name'],
    ['empty name', { name: '' }, 'name'],
    ['the reserved name new', { name: 'new' }, 'name'],
    ['missing name', { name: undefined }, 'name'],
    ['unknown environment', { environment: 'qa' }, 'environment'],
    ['region outside the environment', { region: 'asia-east1' }, 'region'],
    ['cluster outside the environment', { cluster: 'staging-eu' }, 'cluster'],
    [
      'cluster in another region',
      { region: 'us-central1', cluster: 'production-eu' },
      'cluster',
    ],
    ['bad GCP project', { gcpProject: 'Acme' }, 'gcpProject'],
    ['owner that is not a group', { owner: 'user:default/bob' }, 'owner'],
    ['empty display name', { displayName: '  ' }, 'displayName'],
    ['newline in display name', { displayName: 'a\nb' }, 'displayName'],
    ['bad label key', { labels: { 'bad key': 'x' } }, 'labels'],
    ['bad label value', { labels: { tier: 'a b' } }, 'labels.tier'],
    ['active not boolean', { active: 'yes' }, 'active'],
    [
      'a service named twice',
      { services: [{ name: 'backend' }, { name: 'backend' }] },
      'services',
    ],
    [
      'bad service name',
      { services: [{ name: 'Back_End' }] },
      'services.0.name',
    ],
    ['an unknown field', { colour: 'blue' }, 'colour'],
  ])('refuses %s: 400 naming %s, nothing written', async (_, change, field) => {
    const { server, knex, audits } = await setup();
    const res = await request(server)
      .post('/api/accounts/accounts')
      .set('Authorization', user)
      .send(validAccount(change));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(new RegExp(`^Invalid ${field}[:.]`));
    expect(await tableCounts(knex)).toEqual({ accounts: 0, history: 0 });
    expect(audits.map(a => a.outcome)).toEqual(['failure']);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a bad label key',
      { labels: { 'bad key': 'x' } },
      'Invalid labels.bad key: must be a Kubernetes label key',
    ],
    [
      'a bad label value',
      { labels: { tier: 'a b' } },
      'Invalid labels.tier: must be a Kubernetes label value',
    ],
    [
      'the reserved name new',
      { name: 'new' },
      "Invalid name: 'new' is reserved (it is the path of the create form)",
    ],
  ])('says what is wrong with %s', async (_, change, message) => {
    const { server } = await setup();
    const res = await request(server)
      .post('/api/accounts/accounts')
      .set('Authorization', user)
      .send(validAccount(change));
    expect(res.body.error.message).toBe(message);
  });

  it('refuses a body that is not an object', async () => {
    const { server, knex } = await setup();
    const res = await request(server)
      .post('/api/accounts/accounts')
      .set('Authorization', user)
      .send([validAccount()]);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^Invalid body/);
    expect(await tableCounts(knex)).toEqual({ accounts: 0, history: 0 });
  });

  it('keeps values that look like YAML or templates as plain data', async () => {
    const { server } = await setup();
    const values = {
      note: 'a\n---\nkind: Secret\n',
      anchor: '&anchor *anchor <<: *x',
      template: '${{ secrets.TOKEN }} {% raw %}',
    };
    const res = await request(server)
      .post('/api/accounts/accounts')
      .set('Authorization', user)
      .send(validAccount({ services: [{ name: 'backend', values }] }));
    expect(res.status).toBe(201);
    const read = await request(server)
      .get('/api/accounts/accounts/acme')
      .set('Authorization', user);
    expect(read.body.services).toEqual([{ name: 'backend', values }]);
  });

  it('answers 401 without a token and 403 when the policy denies', async () => {
    const none = await setup('SQLITE_3', [
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ]);
    const res401 = await request(none.server)
      .post('/api/accounts/accounts')
      .send(validAccount());
    expect(res401.status).toBe(401);

    const denied = await setup('SQLITE_3', [
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const res403 = await request(denied.server)
      .post('/api/accounts/accounts')
      .set('Authorization', user)
      .send(validAccount());
    expect(res403.status).toBe(403);
    expect(await tableCounts(denied.knex)).toEqual({ accounts: 0, history: 0 });
    expect(denied.audits).toEqual([
      { eventId: 'account-create', account: 'acme', outcome: 'failure' },
    ]);
  });

  it.each(databases.eachSupportedId())(
    'gives one 201 and one 409 for two concurrent creates of a name, on %p',
    async databaseId => {
      const { server, knex } = await setup(databaseId);
      const statuses = await Promise.all(
        [0, 1].map(() =>
          request(server)
            .post('/api/accounts/accounts')
            .set('Authorization', user)
            .send(validAccount())
            .then(r => r.status),
        ),
      );
      expect(statuses.sort()).toEqual([201, 409]);
      expect(await tableCounts(knex)).toEqual({ accounts: 1, history: 1 });
    },
  );
});

describe('PATCH /accounts/{name}', () => {
  async function created(databaseId: TestDatabaseId = 'SQLITE_3') {
    const ctx = await setup(databaseId);
    await request(ctx.server)
      .post('/api/accounts/accounts')
      .set('Authorization', user)
      .send(validAccount());
    return ctx;
  }

  it('changes the account and bumps its version', async () => {
    const { server, audits } = await created();
    const res = await request(server)
      .patch('/api/accounts/accounts/acme')
      .set('Authorization', user)
      .send({
        version: 1,
        isUat: true,
        region: 'us-central1',
        cluster: 'production-us',
      });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      isUat: true,
      cluster: 'production-us',
      version: 2,
    });
    expect(audits.map(a => [a.eventId, a.outcome])).toEqual([
      ['account-create', 'success'],
      ['account-update', 'success'],
    ]);
    const history = await request(server)
      .get('/api/accounts/accounts/acme/history')
      .set('Authorization', user);
    expect(history.body.items.map((h: any) => h.version)).toEqual([2, 1]);
    expect(history.body.items[0].changes.isUat).toEqual({
      from: false,
      to: true,
    });
  });

  it.each(databases.eachSupportedId())(
    'answers 409 to a stale version and changes nothing, on %p',
    async databaseId => {
      const { server, knex } = await created(databaseId);
      await request(server)
        .patch('/api/accounts/accounts/acme')
        .set('Authorization', user)
        .send({ version: 1, displayName: 'First' })
        .expect(200);
      const res = await request(server)
        .patch('/api/accounts/accounts/acme')
        .set('Authorization', user)
        .send({ version: 1, displayName: 'Second' });
      expect(res.status).toBe(409);
      const read = await request(server)
        .get('/api/accounts/accounts/acme')
        .set('Authorization', user);
      expect(read.body).toMatchObject({ displayName: 'First', version: 2 });
      expect(await tableCounts(knex)).toEqual({ accounts: 1, history: 2 });
    },
  );

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing version', { displayName: 'x' }, 'version'],
    ['a version that is not a number', { version: '1' }, 'version'],
    ['a rename', { version: 1, name: 'other' }, 'name'],
    [
      'a cluster outside the environment',
      { version: 1, cluster: 'staging-eu' },
      'cluster',
    ],
    [
      'an environment the cluster is not in',
      { version: 1, environment: 'staging' },
      'cluster',
    ],
  ])('refuses %s: 400 naming %s, nothing changed', async (_, body, field) => {
    const { server, knex } = await created();
    const res = await request(server)
      .patch('/api/accounts/accounts/acme')
      .set('Authorization', user)
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(new RegExp(`^Invalid ${field}[:.]`));
    expect(await tableCounts(knex)).toEqual({ accounts: 1, history: 1 });
  });

  it('answers 404 for an unknown account and 400 for a bad name', async () => {
    const { server } = await created();
    const missing = await request(server)
      .patch('/api/accounts/accounts/nobody')
      .set('Authorization', user)
      .send({ version: 1, displayName: 'x' });
    expect(missing.status).toBe(404);
    const bad = await request(server)
      .patch('/api/accounts/accounts/Not_A_Name')
      .set('Authorization', user)
      .send({ version: 1, displayName: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^Invalid name:/);
  });
});

describe('GET /environments', () => {
  it('lists the configured environments with their regions and clusters', async () => {
    const { server } = await setup();
    const res = await request(server)
      .get('/api/accounts/environments')
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(environments);
  });
});

describe('GET /accounts', () => {
  it('filters in the query and refuses unknown or malformed parameters', async () => {
    const { server } = await setup();
    for (const [name, isUat] of [
      ['alpha', true],
      ['bravo', false],
    ] as const) {
      await request(server)
        .post('/api/accounts/accounts')
        .set('Authorization', user)
        .send(validAccount({ name, isUat }))
        .expect(201);
    }
    const uat = await request(server)
      .get('/api/accounts/accounts?uat=true')
      .set('Authorization', user);
    expect(uat.body.items.map((a: any) => a.name)).toEqual(['alpha']);
    const q = await request(server)
      .get('/api/accounts/accounts?q=BRA&active=true')
      .set('Authorization', user);
    expect(q.body).toMatchObject({ totalCount: 1, items: [{ name: 'bravo' }] });

    for (const [query, field] of [
      ['active=maybe', 'query.active'],
      ['uat=1', 'query.uat'],
      ['colour=blue', 'query.colour'],
      ['limit=0', 'query.limit'],
    ]) {
      const res = await request(server)
        .get(`/api/accounts/accounts?${query}`)
        .set('Authorization', user);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`^Invalid ${field}:`));
    }
  });
});

describe('accounts.json export', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'fleet-router-export-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('follows registry changes and can be written on demand', async () => {
    const { server, audits } = await setup('SQLITE_3', [], {
      export: { folder },
    });
    const before = await request(server)
      .get('/api/accounts/export')
      .set('Authorization', user);
    expect(before.status).toBe(404);

    await request(server)
      .post('/api/accounts/accounts')
      .set('Authorization', user)
      .send(validAccount())
      .expect(201);
    // The change triggers an export on its own (coalesced, within a second).
    let document: any;
    for (let i = 0; i < 40 && !document?.accounts?.length; i++) {
      await new Promise(r => setTimeout(r, 100));
      const res = await request(server)
        .get('/api/accounts/export')
        .set('Authorization', user);
      document = res.status === 200 ? res.body : undefined;
    }
    expect(document.schemaVersion).toBe(1);
    expect(document.accounts.map((a: any) => a.name)).toEqual(['acme']);

    const now = await request(server)
      .post('/api/accounts/export')
      .set('Authorization', user);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ target: `folder:${folder}`, accounts: 1 });
    expect(audits.map(a => [a.eventId, a.outcome])).toContainEqual([
      'accounts-export',
      'success',
    ]);
  });

  it('answers 404 naming the setting when no target is configured', async () => {
    const { server } = await setup();
    const res = await request(server)
      .post('/api/accounts/export')
      .set('Authorization', user);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('accounts.export');
  });
});
