import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  git,
  gitopsAccountsConfig,
  tempRepositoryPath,
} from '../__testUtils__/gitops';
import { setup, user, validAccount } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

/*
 * The config routes of the real plugin, committing to a real (bare) git
 * repository on disk, read back with the git CLI.
 */

let repo: Awaited<ReturnType<typeof tempRepositoryPath>>;
beforeEach(async () => {
  repo = await tempRepositoryPath();
});
afterEach(async () => {
  await repo.remove();
});

const stagingAccount = validAccount({
  name: 'acme',
  environment: 'staging',
  region: 'europe-west4',
  cluster: 'staging-eu',
  services: [{ name: 'backend', values: { replicas: 2 } }, { name: 'engine' }],
});

async function start(features: any[] = []) {
  const backend = await setup(
    'SQLITE_3',
    features,
    gitopsAccountsConfig(repo.path),
  );
  const created = await request(backend.server)
    .post('/api/accounts/accounts')
    .set('Authorization', user)
    .send(stagingAccount);
  expect(created.status).toBe(201);
  return backend;
}

const history = () => git(repo.path, 'rev-list', 'main').trim().split('\n');

describe('config routes', () => {
  it('previews, commits once, then reports nothing to commit', async () => {
    const { server, audits } = await start();
    const before = await request(server)
      .get('/api/accounts/accounts/acme/config')
      .set('Authorization', user);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      folder: 'k8s/flux/staging/acme',
      repository: { kind: 'local', branch: 'main' },
      files: [],
    });
    expect(before.body.lastCommit).toBeUndefined();
    const initial = history();

    const preview = await request(server)
      .post('/api/accounts/accounts/acme/preview')
      .set('Authorization', user)
      .send({});
    expect(preview.status).toBe(200);
    expect(preview.body.base.sha).toBe(initial[0]);
    expect(preview.body.changes).toEqual(
      [
        'account-config.yaml',
        'alert.yaml',
        'helmrelease-backend.yaml',
        'helmrelease-engine.yaml',
        'kustomization.yaml',
        'provider.yaml',
      ].map(f => ({ path: `k8s/flux/staging/acme/${f}`, status: 'added' })),
    );
    expect(preview.body.diff).toContain(
      'diff --git a/k8s/flux/staging/acme/helmrelease-backend.yaml b/k8s/flux/staging/acme/helmrelease-backend.yaml\nnew file mode 100644\n',
    );
    expect(preview.body.diff).toContain(
      '+      tag: main-3f9c2a1-1763800000 # {"$imagepolicy": "flux-system:backend-staging:tag"}',
    );
    // A preview writes nothing.
    expect(history()).toEqual(initial);

    const commit = await request(server)
      .post('/api/accounts/accounts/acme/config/commit')
      .set('Authorization', user)
      .send({ reason: 'first render' });
    expect(commit.status).toBe(200);
    expect(commit.body.status).toBe('committed');
    expect(commit.body.changes).toEqual(preview.body.changes);
    expect(history()).toEqual([commit.body.commit.sha, ...initial]);
    const message = git(repo.path, 'log', '-1', '--format=%B', 'main');
    expect(message).toContain('acme (staging): first render');
    expect(message).toContain('Requested-by: user:default/mock');
    // The committed file is the previewed one, byte for byte.
    const committed = git(
      repo.path,
      'show',
      'main:k8s/flux/staging/acme/helmrelease-backend.yaml',
    );
    expect(preview.body.diff).toContain(
      committed
        .replace(/\n$/, '')
        .split('\n')
        .map(line => `+${line}`)
        .join('\n'),
    );
    expect(audits).toContainEqual({
      eventId: 'account-config-commit',
      account: 'acme',
      outcome: 'success',
    });

    const after = await request(server)
      .get('/api/accounts/accounts/acme/config')
      .set('Authorization', user);
    expect(after.body.lastCommit.sha).toBe(commit.body.commit.sha);
    expect(after.body.files).toHaveLength(6);

    const again = await request(server)
      .post('/api/accounts/accounts/acme/config/commit')
      .set('Authorization', user)
      .send({});
    expect(again.body).toMatchObject({ status: 'unchanged', changes: [] });
    expect(again.body.commit.sha).toBe(commit.body.commit.sha);
    expect(history()).toHaveLength(initial.length + 1);
    const empty = await request(server)
      .post('/api/accounts/accounts/acme/preview')
      .set('Authorization', user);
    expect(empty.body).toMatchObject({ diff: '', changes: [] });
  });

  it('shows a registry change as a modification of one file', async () => {
    const { server } = await start();
    await request(server)
      .post('/api/accounts/accounts/acme/config/commit')
      .set('Authorization', user)
      .send({});
    const patched = await request(server)
      .patch('/api/accounts/accounts/acme')
      .set('Authorization', user)
      .send({
        version: 1,
        services: [
          { name: 'backend', values: { replicas: 4 } },
          { name: 'engine' },
        ],
      });
    expect(patched.status).toBe(200);
    const preview = await request(server)
      .post('/api/accounts/accounts/acme/preview')
      .set('Authorization', user);
    expect(preview.body.changes).toEqual([
      {
        path: 'k8s/flux/staging/acme/helmrelease-backend.yaml',
        status: 'modified',
      },
    ]);
    expect(preview.body.diff).toMatch(/\n-\s+replicas: 2\n\+\s+replicas: 4\n/);

    // Dropping a service deletes its HelmRelease and lists it no more.
    await request(server)
      .patch('/api/accounts/accounts/acme')
      .set('Authorization', user)
      .send({ version: 2, services: [{ name: 'backend' }] });
    const dropped = await request(server)
      .post('/api/accounts/accounts/acme/config/commit')
      .set('Authorization', user)
      .send({ reason: 'drop engine' });
    expect(dropped.body.changes).toEqual(
      expect.arrayContaining([
        {
          path: 'k8s/flux/staging/acme/helmrelease-engine.yaml',
          status: 'deleted',
        },
        {
          path: 'k8s/flux/staging/acme/kustomization.yaml',
          status: 'modified',
        },
      ]),
    );
    expect(
      git(repo.path, 'ls-tree', '--name-only', 'main:k8s/flux/staging/acme'),
    ).not.toContain('helmrelease-engine.yaml');
  });

  it.each<[string, string, object, number, RegExp]>([
    ['a multi-line reason', 'acme', { reason: 'a\nb' }, 400, /Invalid reason/],
    ['an empty reason', 'acme', { reason: ' ' }, 400, /Invalid reason/],
    ['a long reason', 'acme', { reason: 'x'.repeat(201) }, 400, /reason/],
    ['an unknown field', 'acme', { force: true }, 400, /Invalid force/],
    ['a bad name', 'ACME', {}, 400, /Invalid name/],
    ['an encoded path', '..%2Fetc', {}, 400, /Invalid name/],
    ['a missing account', 'nobody', {}, 404, /No account named/],
  ])(
    'refuses %s and commits nothing',
    async (_, name, body, status, message) => {
      const { server } = await start();
      const initial = history();
      const res = await request(server)
        .post(`/api/accounts/accounts/${name}/config/commit`)
        .set('Authorization', user)
        .send(body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(message);
      expect(history()).toEqual(initial);
    },
  );

  it('refuses an account whose service is not configured, naming it', async () => {
    const { server } = await start();
    const created = await request(server)
      .post('/api/accounts/accounts')
      .set('Authorization', user)
      .send(
        validAccount({
          name: 'globex',
          services: [{ name: 'backend' }, { name: 'billing' }],
        }),
      );
    expect(created.status).toBe(201);
    const initial = history();
    for (const route of ['preview', 'config/commit']) {
      const res = await request(server)
        .post(`/api/accounts/accounts/globex/${route}`)
        .set('Authorization', user)
        .send({});
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/services\[1\]\.name/);
      expect(res.body.error.message).toContain('billing');
    }
    expect(history()).toEqual(initial);
  });

  it('answers 401 without a token and 403 without the permission', async () => {
    const { server, audits } = await start([
      // Requests without a token are anonymous (the default is a user).
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.permissions.mock({
        authorizeConditional: async queries =>
          queries.map(q => ({
            result:
              q.permission.name === 'accounts.config.commit'
                ? ('DENY' as any)
                : ('ALLOW' as any),
          })),
        authorize: async requests =>
          requests.map(() => ({ result: 'ALLOW' as any })),
      }).factory,
    ]);
    const initial = history();
    const anonymous = await request(server)
      .post('/api/accounts/accounts/acme/config/commit')
      .send({});
    expect(anonymous.status).toBe(401);
    const denied = await request(server)
      .post('/api/accounts/accounts/acme/config/commit')
      .set('Authorization', user)
      .send({});
    expect(denied.status).toBe(403);
    expect(audits).toContainEqual({
      eventId: 'account-config-commit',
      account: 'acme',
      outcome: 'failure',
    });
    // Reading the folder and previewing need only read access.
    const preview = await request(server)
      .post('/api/accounts/accounts/acme/preview')
      .set('Authorization', user);
    expect(preview.status).toBe(200);
    expect(history()).toEqual(initial);
  });

  it('answers 404 naming the setting when no repository is configured', async () => {
    const { server } = await setup();
    await request(server)
      .post('/api/accounts/accounts')
      .set('Authorization', user)
      .send(validAccount());
    const res = await request(server)
      .get('/api/accounts/accounts/acme/config')
      .set('Authorization', user);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('accounts.gitops.repository');
  });
});
