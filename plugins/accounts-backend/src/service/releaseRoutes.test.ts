import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { dirname } from 'path';
import request from 'supertest';
import { createLocalServiceRepository } from '../releases/source/__testUtils__/localServiceRepository';
import { gitopsAccountsConfig } from '../__testUtils__/gitops';
import { setup } from '../__testUtils__/testBackend';

// The release routes: the real plugin over HTTP on a local service
// repository (`<folder>/backend.git`), made with the git CLI.

const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');

/** alice may release; bob may not. */
const permissions = mockServices.permissions.mock({
  authorize: async (requests, options) =>
    requests.map(() => ({
      result:
        (options!.credentials.principal as { userEntityRef?: string })
          .userEntityRef === 'user:default/alice'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    })),
  authorizeConditional: async queries =>
    queries.map(() => ({ result: AuthorizeResult.ALLOW })),
});

describe('the release routes', () => {
  let repository: Awaited<ReturnType<typeof createLocalServiceRepository>>;

  beforeEach(async () => {
    repository = await createLocalServiceRepository('backend');
  });
  afterEach(async () => {
    await repository.remove();
  });

  async function start() {
    const accounts = gitopsAccountsConfig('unused.git');
    return setup(
      'SQLITE_3',
      [
        permissions.factory,
        // A request without a token has no credentials (not a test user).
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
      {
        gitops: { ...accounts.gitops, repository: undefined },
        releases: { local: { path: dirname(repository.gitdir) } },
      },
    );
  }

  it('lists the services, answers releases and the next version, and releases a candidate then the final', async () => {
    await repository.tag(
      'v1.4.2',
      await repository.commit('main', 'fix: a', '2026-10-02T10:00:00Z'),
    );
    const feature = await repository.commit(
      'main',
      'feat(api): b',
      '2026-10-03T10:00:00Z',
    );
    const { server, audits } = await start();

    const services = await request(server)
      .get('/api/accounts/services')
      .set('Authorization', bob);
    expect(services.status).toBe(200);
    expect(services.body.items).toEqual([
      {
        name: 'backend',
        repository: { kind: 'local', name: repository.gitdir },
      },
      {
        name: 'engine',
        repository: {
          kind: 'local',
          name: expect.stringMatching(/engine\.git$/),
        },
      },
    ]);

    const before = await request(server)
      .get('/api/accounts/services/backend/releases')
      .set('Authorization', bob);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      service: 'backend',
      branch: 'main',
      head: feature,
      releases: [{ tag: 'v1.4.2' }],
      next: { version: '1.5.0', bump: 'minor', candidateTag: 'v1.5.0-rc.1' },
    });
    expect(before.body.next.commits.minor).toEqual([
      expect.objectContaining({
        sha: feature,
        type: 'feat',
        scope: 'api',
        subject: 'b',
      }),
    ]);

    const rc = await request(server)
      .post('/api/accounts/services/backend/releases')
      .set('Authorization', alice)
      .send({ kind: 'rc' });
    expect(rc.status).toBe(201);
    expect(rc.body).toMatchObject({
      tag: 'v1.5.0-rc.1',
      candidate: true,
      sha: feature,
    });
    const final = await request(server)
      .post('/api/accounts/services/backend/releases')
      .set('Authorization', alice)
      .send({ kind: 'final' });
    expect(final.status).toBe(201);
    expect(final.body).toMatchObject({
      tag: 'v1.5.0',
      candidate: false,
      sha: feature,
    });
    expect(repository.git(['tag', '-l']).split('\n')).toEqual([
      'v1.4.2',
      'v1.5.0',
      'v1.5.0-rc.1',
    ]);

    const reused = await request(server)
      .post('/api/accounts/services/backend/releases')
      .set('Authorization', alice)
      .send({ kind: 'final', version: '1.5.0' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.message).toBe(
      'The tag v1.5.0 exists already; tags are never reused',
    );

    expect(audits).toEqual([
      {
        eventId: 'service-release',
        account: undefined,
        service: 'backend',
        outcome: 'success',
        tag: 'v1.5.0-rc.1',
      },
      {
        eventId: 'service-release',
        account: undefined,
        service: 'backend',
        outcome: 'success',
        tag: 'v1.5.0',
      },
      {
        eventId: 'service-release',
        account: undefined,
        service: 'backend',
        outcome: 'failure',
      },
    ]);
  });

  it('refuses bad input with 400 naming the field, and a caller without the permission with 403, making no tag', async () => {
    await repository.commit('main', 'feat: a', '2026-10-02T10:00:00Z');
    const { server, audits } = await start();
    const post = (path: string, body: unknown, who = alice) =>
      request(server)
        .post(`/api/accounts/services/${path}`)
        .set('Authorization', who)
        .send(body as object);

    for (const [path, body, message] of [
      [
        'backend/releases',
        { kind: 'beta' },
        "Invalid kind: must be 'rc' or 'final'",
      ],
      ['backend/releases', {}, "Invalid kind: must be 'rc' or 'final'"],
      [
        'backend/releases',
        { kind: 'rc', version: 7 },
        'Invalid version: must be a version like 1.4.0 or 1.4.0-rc.1',
      ],
      [
        'backend/releases',
        { kind: 'rc', force: true },
        'Invalid force: unknown field',
      ],
      [
        'backend/releases',
        { kind: 'final', version: '1.0' },
        /^version: '1\.0' is not a release version/,
      ],
      [
        'backend/releases',
        { kind: 'rc', version: '1.0.0' },
        /^version: a release candidate is X\.Y\.Z-rc\.N/,
      ],
      [
        'Backend/releases',
        { kind: 'rc' },
        /^Invalid service: must be a DNS-1123 label/,
      ],
      ['..%2F..%2Fetc/releases', { kind: 'rc' }, /^Invalid service/],
    ] as const) {
      const answer = await post(path, body);
      expect({ path, body, status: answer.status }).toEqual({
        path,
        body,
        status: 400,
      });
      expect(answer.body.error.message).toMatch(message);
    }
    const denied = await post('backend/releases', { kind: 'rc' }, bob);
    expect(denied.status).toBe(403);
    const unknown = await post('billing/releases', { kind: 'rc' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      "No service 'billing' is configured",
    );
    const anonymous = await request(server).get(
      '/api/accounts/services/backend/releases',
    );
    expect(anonymous.status).toBe(401);

    expect(repository.git(['tag', '-l'])).toBe('');
    expect(audits.filter(a => a.outcome === 'success')).toEqual([]);
  });
});
