import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { KubernetesTestServer } from '@fleet-portal/test-servers';
import request from 'supertest';
import {
  SUSPENDED_BY_ANNOTATION,
  REQUESTED_AT_ANNOTATION,
  FORCE_AT_ANNOTATION,
} from '../cluster/flux/fluxAnnotations';
import { FluxTarget, fluxObjectRef } from '../cluster/flux/fluxObjectRef';
import {
  accountConditions,
  createAccountConditionalDecision,
} from '../permissions/rules';
import {
  gitopsAccountsConfig,
  tempRepositoryPath,
} from '../__testUtils__/gitops';
import { setup, validAccount } from '../__testUtils__/testBackend';

// The Flux action routes: the real plugin over HTTP, a local config
// repository and the cluster simulator whose Flux applies it.

jest.setTimeout(60_000);

const TOKEN = 'flux-routes-token';
const admin = mockCredentials.user.header('user:default/admin');
const staff = mockCredentials.user.header('user:default/staff');

const backend = { kind: 'HelmRelease', name: 'backend' } as const;
const kustomization = { kind: 'Kustomization' } as const;

/** The policy of the current test for `user:default/staff`; admin may do all. */
let staffPolicy: (permission: Permission) => PolicyDecision;

function decide(
  permission: Permission,
  credentials: BackstageCredentials,
): PolicyDecision {
  const user = (credentials.principal as BackstageUserPrincipal).userEntityRef;
  if (user === 'user:default/admin') return { result: AuthorizeResult.ALLOW };
  return staffPolicy(permission);
}

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

/** Denies `name` outright, allows everything else. */
const denying = (name: string) => (permission: Permission) => ({
  result:
    permission.name === name ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
});

async function start() {
  const repo = await tempRepositoryPath();
  const simulator = await KubernetesTestServer.start({
    clusters: [{ name: 'staging-eu', token: TOKEN }],
    flux: {
      gitRepositories: [
        {
          namespace: 'flux-system',
          name: 'fleet-config',
          url: 'https://git.example.com/acme/fleet-config.git',
          branch: 'main',
          path: repo.path,
        },
      ],
      timing: { sourceMs: 5, kustomizeMs: 5, helmMs: 5, pollMs: 20 },
    },
  });
  const { server, audits } = await setup(
    'SQLITE_3',
    [
      policyPermissions.factory,
      // Requests without a token are anonymous (401), not the mock user.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
    {
      ...gitopsAccountsConfig(repo.path),
      provisioning: {
        flux: {
          sourceRef: { kind: 'GitRepository', name: 'fleet-config' },
          interval: '1m',
        },
      },
    },
    {
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'staging-eu',
                url: simulator.clusterUrl('staging-eu'),
                authProvider: 'serviceAccount',
                serviceAccountToken: TOKEN,
              },
            ],
          },
        ],
      },
    },
  );
  const post = (path: string, auth: string | undefined, body?: object) => {
    const test = request(server).post(`/api/accounts${path}`);
    if (auth) test.set('Authorization', auth);
    return body ? test.send(body) : test;
  };
  const store = simulator.store('staging-eu');
  const stored = (target: FluxTarget) =>
    store.get(fluxObjectRef('acme', target)) as any;
  const ready = (object: any) =>
    object?.status?.observedGeneration === object?.metadata.generation &&
    object?.status?.conditions?.some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    );

  // A staging account Flux has deployed, and a production one.
  staffPolicy = () => ({ result: AuthorizeResult.ALLOW });
  const staging = validAccount({
    environment: 'staging',
    cluster: 'staging-eu',
    gcpProject: 'acme-staging',
  });
  expect((await post('/accounts', admin, staging)).status).toBe(201);
  expect(
    (await post('/accounts', admin, validAccount({ name: 'prod' }))).status,
  ).toBe(201);
  expect((await post('/accounts/acme/config/commit', admin, {})).status).toBe(
    200,
  );
  expect((await post('/accounts/acme/provision', admin)).status).toBe(200);
  while (!ready(stored(kustomization)) || !ready(stored(backend))) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  audits.splice(0);

  /** The cluster writes so far (the simulator logs every request). */
  const writes = () =>
    simulator.requests.filter(r => r.method !== 'GET').length;
  return {
    server,
    audits,
    post,
    stored,
    writes,
    async close() {
      await simulator.close();
      await repo.remove();
    },
  };
}

let env: Awaited<ReturnType<typeof start>>;
beforeEach(async () => {
  env = await start();
});
afterEach(async () => {
  await env.close();
});

const paths = {
  reconcile: '/accounts/acme/helmreleases/backend/reconcile',
  suspend: '/accounts/acme/helmreleases/backend/suspend',
  resume: '/accounts/acme/helmreleases/backend/resume',
};

describe('Flux action routes', () => {
  it('reconciles, suspends and resumes, as the caller, with one audit event each', async () => {
    const { post, stored, audits } = env;
    const reconciled = await post(paths.reconcile, staff, { force: true });
    expect(reconciled.status).toBe(200);
    expect(reconciled.body).toMatchObject({
      account: 'acme',
      kind: 'HelmRelease',
      namespace: 'acme',
      name: 'backend',
      action: 'reconcile',
      handled: true,
      suspended: false,
    });
    expect(stored(backend).metadata.annotations).toMatchObject({
      [REQUESTED_AT_ANNOTATION]: reconciled.body.requestedAt,
      [FORCE_AT_ANNOTATION]: reconciled.body.requestedAt,
    });
    expect(stored(backend).status.lastHandledReconcileAt).toBe(
      reconciled.body.requestedAt,
    );

    const suspended = await post(paths.suspend, staff);
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({
      action: 'suspend',
      suspended: true,
    });
    expect(stored(backend).spec.suspend).toBe(true);
    expect(stored(backend).metadata.annotations[SUSPENDED_BY_ANNOTATION]).toBe(
      'user:default/staff',
    );

    const refused = await post(paths.reconcile, staff, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'HelmRelease acme/backend is suspended: resume it before reconciling',
    );

    const resumed = await post(paths.resume, staff);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      action: 'resume',
      handled: true,
      suspended: false,
    });
    expect(stored(backend).spec).not.toHaveProperty('suspend');

    const kustomized = await post(
      '/accounts/acme/kustomization/reconcile',
      staff,
    );
    expect(kustomized.status).toBe(200);
    expect(kustomized.body).toMatchObject({
      kind: 'Kustomization',
      name: 'acme',
      handled: true,
    });
    expect(stored(kustomization).status.lastHandledReconcileAt).toBe(
      kustomized.body.requestedAt,
    );

    expect(audits).toEqual([
      {
        eventId: 'account-flux-reconcile',
        account: 'acme',
        outcome: 'success',
      },
      { eventId: 'account-flux-suspend', account: 'acme', outcome: 'success' },
      {
        eventId: 'account-flux-reconcile',
        account: 'acme',
        outcome: 'failure',
      },
      { eventId: 'account-flux-resume', account: 'acme', outcome: 'success' },
      {
        eventId: 'account-flux-reconcile',
        account: 'acme',
        outcome: 'success',
      },
    ]);
  });

  it('answers 401 without a token, writing nothing', async () => {
    const { post, writes, audits } = env;
    const before = writes();
    for (const path of [
      paths.reconcile,
      paths.suspend,
      '/accounts/acme/kustomization/resume',
    ]) {
      expect((await post(path, undefined)).status).toBe(401);
    }
    expect(writes()).toBe(before);
    // Backstage's HTTP router answers before the route runs: no event.
    expect(audits).toEqual([]);
  });

  it.each([
    ['reconcile', 'accounts.flux.reconcile'],
    ['suspend', 'accounts.flux.suspend'],
    ['resume', 'accounts.flux.resume'],
  ])(
    'answers 403 to %s when the policy denies %s, writing nothing',
    async (action, permission) => {
      const { post, writes, audits } = env;
      staffPolicy = denying(permission);
      const before = writes();
      for (const path of [
        `/accounts/acme/helmreleases/backend/${action}`,
        `/accounts/acme/kustomization/${action}`,
      ]) {
        const res = await post(path, staff);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toBe(`Not allowed: ${permission}`);
      }
      expect(writes()).toBe(before);
      expect(audits).toEqual([
        {
          eventId: `account-flux-${action}`,
          account: 'acme',
          outcome: 'failure',
        },
        {
          eventId: `account-flux-${action}`,
          account: 'acme',
          outcome: 'failure',
        },
      ]);
      // The other actions are still allowed.
      const other = action === 'reconcile' ? 'suspend' : 'reconcile';
      expect(
        (await post(`/accounts/acme/kustomization/${other}`, staff)).status,
      ).toBe(200);
    },
  );

  it('applies a conditional decision to the account: staging only', async () => {
    const { post, writes } = env;
    staffPolicy = permission =>
      permission.name.startsWith('accounts.flux.')
        ? createAccountConditionalDecision(
            permission as any,
            accountConditions.isInEnvironment({ environments: ['staging'] }),
          )
        : { result: AuthorizeResult.ALLOW };
    const before = writes();
    const production = await post(
      '/accounts/prod/helmreleases/backend/suspend',
      staff,
    );
    expect(production.status).toBe(403);
    expect(production.body.error.message).toBe(
      "Not allowed: accounts.flux.suspend for account 'prod' (production)",
    );
    expect(writes()).toBe(before);
    const staging = await post(paths.suspend, staff);
    expect(staging.status).toBe(200);
    expect(writes()).toBe(before + 1);
  });

  it('answers 400 naming the field, writing nothing', async () => {
    const { post, writes, audits } = env;
    const before = writes();
    const cases: Array<[string, object | undefined, string]> = [
      [
        '/accounts/acme/helmreleases/Backend_1/reconcile',
        undefined,
        'Invalid release: must be a DNS-1123 label: lowercase letters, digits and inner dashes',
      ],
      [
        `/accounts/acme/helmreleases/${'a'.repeat(64)}/suspend`,
        undefined,
        'Invalid release: must be at most 63 characters',
      ],
      [
        '/accounts/Acme/kustomization/reconcile',
        undefined,
        'Invalid name: must be a DNS-1123 label: lowercase letters, digits and inner dashes',
      ],
      [
        paths.reconcile,
        { force: true, wait: 5 },
        'Invalid wait: unknown field',
      ],
      [
        paths.reconcile,
        { reset: 'yes' },
        'Invalid reset: must be true or false',
      ],
      [
        '/accounts/acme/kustomization/reconcile',
        { force: true },
        'Invalid force: unknown field',
      ],
      [
        paths.suspend,
        { reason: 'maintenance' },
        'Invalid reason: unknown field',
      ],
    ];
    for (const [path, body, message] of cases) {
      const res = await post(path, staff, body);
      expect({
        path,
        status: res.status,
        message: res.body.error?.message,
      }).toEqual({
        path,
        status: 400,
        message,
      });
    }
    expect(writes()).toBe(before);
    expect(audits).toHaveLength(cases.length);
    expect(audits.every(a => a.outcome === 'failure')).toBe(true);
  });

  it('answers 404 for an unknown account, a service not enabled, and a release not on the cluster', async () => {
    const { post, writes } = env;
    const before = writes();
    const ghost = await post('/accounts/ghost/kustomization/reconcile', staff);
    expect(ghost.status).toBe(404);
    expect(ghost.body.error.message).toBe("No account named 'ghost'");
    const web = await post('/accounts/acme/helmreleases/web/reconcile', staff);
    expect(web.status).toBe(404);
    expect(web.body.error.message).toBe(
      "No HelmRelease 'web' in account 'acme': the service is not enabled for it",
    );
    // engine is enabled in the registry, not committed: not on the cluster.
    const account = await request(env.server)
      .get('/api/accounts/accounts/acme')
      .set('Authorization', admin);
    const patched = await request(env.server)
      .patch('/api/accounts/accounts/acme')
      .set('Authorization', admin)
      .send({
        version: account.body.version,
        services: [...account.body.services, { name: 'engine' }],
      });
    expect(patched.status).toBe(200);
    const engine = await post(
      '/accounts/acme/helmreleases/engine/suspend',
      staff,
    );
    expect(engine.status).toBe(404);
    expect(engine.body.error.message).toBe(
      "HelmRelease acme/engine not found on cluster 'staging-eu'",
    );
    expect(writes()).toBe(before);
  });
});
