import {
  AccountStatus,
  FleetMatrix,
  HealthState,
  Operation,
} from '@fleet-portal/plugin-accounts-common';
import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { KubernetesTestServer } from '@fleet-portal/test-servers';
import request from 'supertest';
import {
  gitopsAccountsConfig,
  tempRepositoryPath,
} from '../__testUtils__/gitops';
import { setup, user, validAccount } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const TOKEN = 'fleet-test-token';
const staff = mockCredentials.user.header('user:default/staff');

/** The mock user may read everything; staff only staging accounts. */
function decide(credentials: BackstageCredentials): PolicyDecision {
  const { userEntityRef } = credentials.principal as BackstageUserPrincipal;
  return userEntityRef === 'user:default/staff'
    ? {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'accounts',
        resourceType: 'fleet-account',
        conditions: {
          rule: 'IS_IN_ENVIRONMENT',
          resourceType: 'fleet-account',
          params: { environments: ['staging'] },
        },
      }
    : { result: AuthorizeResult.ALLOW };
}
const policy = mockServices.permissions.mock({
  authorizeConditional: async (queries, options) =>
    queries.map(() => decide(options!.credentials)),
  authorize: async (requests, options) =>
    requests.map(() => {
      const decision = decide(options!.credentials);
      return decision.result === AuthorizeResult.ALLOW
        ? decision
        : { result: AuthorizeResult.DENY };
    }),
});

/**
 * The fleet routes end to end: the real plugin over HTTP with its live-state
 * cache watching the simulator (staging-eu with simulated Flux reading a
 * local config repository; production-eu refusing every connection).
 */
async function start() {
  const repo = await tempRepositoryPath();
  const simulator = await KubernetesTestServer.start({
    clusters: [
      { name: 'staging-eu', token: TOKEN },
      { name: 'production-eu', token: TOKEN },
    ],
    flux: {
      gitRepositories: [
        {
          namespace: 'flux-system',
          name: 'fleet-config',
          url: 'https://github.com/acme/fleet-config',
          branch: 'main',
          path: repo.path,
        },
      ],
      timing: { sourceMs: 5, kustomizeMs: 5, helmMs: 5, pollMs: 50 },
    },
  });
  simulator.refuse('production-eu', true);
  const { server } = await setup(
    'SQLITE_3',
    [
      policy.factory,
      // Requests without a token are anonymous (401), not the mock user.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
    {
      ...gitopsAccountsConfig(repo.path),
      provisioning: {
        flux: {
          sourceRef: {
            kind: 'GitRepository',
            name: 'fleet-config',
            namespace: 'flux-system',
          },
          interval: '5m',
        },
      },
      workflows: { readyTimeoutSeconds: 60, pollIntervalSeconds: 0.05 },
    },
    {
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: ['staging-eu', 'production-eu'].map(name => ({
              name,
              url: simulator.clusterUrl(name),
              authProvider: 'serviceAccount',
              serviceAccountToken: TOKEN,
              timeoutSeconds: 2,
            })),
          },
        ],
      },
    },
  );
  const api = () => request(server);
  const fleet = async (query = ''): Promise<FleetMatrix> => {
    const response = await api()
      .get(`/api/accounts/fleet${query}`)
      .set('Authorization', user);
    expect(response.status).toBe(200);
    return response.body;
  };
  /** Reads the matrix until `done` holds (the cache follows watches). */
  const fleetWhen = async (done: (m: FleetMatrix) => boolean, query = '') => {
    for (let i = 0; ; i++) {
      const matrix = await fleet(query);
      if (done(matrix)) return matrix;
      if (i > 400) throw new Error(`Gave up: ${JSON.stringify(matrix)}`);
      await new Promise(r => setTimeout(r, 50));
    }
  };
  const deploy = async (name: string) => {
    const started = await api()
      .post(`/api/accounts/accounts/${name}/deploy`)
      .set('Authorization', user)
      .send({});
    expect(started.status).toBe(202);
    for (;;) {
      const { body } = await api()
        .get(`/api/accounts/operations/${started.body.id}`)
        .set('Authorization', user);
      const operation: Operation = body;
      if (operation.status === 'succeeded') return operation;
      if (operation.status === 'failed') throw new Error(operation.error);
      await new Promise(r => setTimeout(r, 50));
    }
  };
  const create = async (overrides: Record<string, unknown>) => {
    const response = await api()
      .post('/api/accounts/accounts')
      .set('Authorization', user)
      .send(validAccount(overrides));
    expect(response.status).toBe(201);
  };
  return {
    api,
    fleet,
    fleetWhen,
    deploy,
    create,
    simulator,
    async cleanup() {
      await simulator.close();
      await repo.remove();
    },
  };
}

/** The state names of a row's cells (`-` where a service is not enabled). */
function rowStates(matrix: FleetMatrix, account: string): string[] {
  const row = matrix.rows.find(r => r.account === account);
  return (row?.cells ?? []).map(c => (c ? matrix.states[c[2]] : '-'));
}

function cellVersions(matrix: FleetMatrix, account: string, service: string) {
  const row = matrix.rows.find(r => r.account === account)!;
  const cell = row.cells[matrix.services.indexOf(service)]!;
  return {
    desired: matrix.versions[cell[0]]?.tag,
    live: matrix.versions[cell[1]]?.tag,
    state: matrix.states[cell[2]] as HealthState,
  };
}

describe('the fleet routes', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeEach(async () => {
    env = await start();
  });
  afterEach(async () => {
    await env.cleanup();
  });

  it('answers desired against live per cell, follows the clusters, and filters', async () => {
    const staging = {
      environment: 'staging',
      cluster: 'staging-eu',
      gcpProject: 'acme-staging',
      services: [{ name: 'backend' }, { name: 'engine' }],
    };
    await env.create({ ...staging, name: 'acme' });
    await env.create({
      ...staging,
      name: 'globex',
      services: [{ name: 'backend' }],
    });
    await env.create({ name: 'initech' }); // production-eu: refused
    await env.deploy('acme');

    const matrix = await env.fleetWhen(m =>
      rowStates(m, 'acme').every(s => s === 'healthy'),
    );
    expect(matrix.services).toEqual(['backend', 'engine']);
    expect(cellVersions(matrix, 'acme', 'backend')).toEqual({
      desired: 'main-3f9c2a1-1763800000',
      live: 'main-3f9c2a1-1763800000',
      state: 'healthy',
    });
    const build = matrix.versions.find(
      v => v.tag === 'main-3f9c2a1-1763800000',
    );
    expect(build?.build).toEqual({
      branch: 'main',
      commit: '3f9c2a1',
      builtAt: new Date(1763800000 * 1000).toISOString(),
    });
    // Never provisioned: nothing on the cluster; engine is not enabled.
    expect(rowStates(matrix, 'globex')).toEqual(['unknown', '-']);
    // The refused cluster: its cells are stale, the page still answers.
    expect(rowStates(matrix, 'initech')).toEqual(['stale', '-']);
    expect(matrix.clusters).toContainEqual(
      expect.objectContaining({
        cluster: 'production-eu',
        stale: true,
        error: expect.stringContaining('production-eu'),
      }),
    );
    expect(matrix.counts).toMatchObject({ healthy: 2, unknown: 1, stale: 1 });

    // Someone changes the image on the cluster: live ≠ desired, drifted.
    const store = env.simulator.store('staging-eu');
    const ref = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'acme',
      name: 'backend',
    };
    const deployment = store.get(ref) as any;
    const containers = deployment.spec.template.spec.containers.map(
      (c: any, i: number) =>
        i === 0 ? { ...c, image: `${c.image.split(':')[0]}:hand-edited` } : c,
    );
    store.mergePatch(
      ref,
      { spec: { template: { spec: { containers } } } },
      { fieldManager: 'kubectl' },
    );
    const drifted = await env.fleetWhen(
      m => cellVersions(m, 'acme', 'backend').state === 'drifted',
    );
    expect(cellVersions(drifted, 'acme', 'backend').live).toBe('hand-edited');

    // Filters: in the registry query and over the cells.
    expect(
      (await env.fleet('?environment=staging')).rows.map(r => r.account),
    ).toEqual(['acme', 'globex']);
    const onlyDrifted = await env.fleet('?state=drifted&service=backend');
    expect(onlyDrifted.services).toEqual(['backend']);
    expect(onlyDrifted.rows.map(r => r.account)).toEqual(['acme']);
    expect(onlyDrifted.counts.drifted).toBe(1);

    // Staff may read staging accounts only: the registry query filters.
    const forStaff = await env
      .api()
      .get('/api/accounts/fleet')
      .set('Authorization', staff);
    expect(forStaff.status).toBe(200);
    expect(
      forStaff.body.rows.map((r: { account: string }) => r.account),
    ).toEqual(['acme', 'globex']);
    const hidden = await env
      .api()
      .get('/api/accounts/accounts/initech/status')
      .set('Authorization', staff);
    expect(hidden.status).toBe(404);
  });

  it('answers 304 while nothing changed, and 400 naming a bad filter', async () => {
    await env.create({
      environment: 'staging',
      cluster: 'staging-eu',
      gcpProject: 'acme-staging',
    });
    const first = await env
      .api()
      .get('/api/accounts/fleet')
      .set('Authorization', user);
    expect(first.status).toBe(200);
    const again = await env
      .api()
      .get('/api/accounts/fleet')
      .set('Authorization', user)
      .set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);

    for (const [query, field] of [
      ['?state=sideways', 'query.state'],
      ['?uat=maybe', 'query.uat'],
      ['?colour=blue', 'query.colour'],
    ]) {
      const response = await env
        .api()
        .get(`/api/accounts/fleet${query}`)
        .set('Authorization', user);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(
        new RegExp(`^Invalid ${field.replace('.', '\\.')}`),
      );
    }
    expect((await env.api().get('/api/accounts/fleet')).status).toBe(401);
  });

  it("answers one account's releases, Kustomization and workloads", async () => {
    await env.create({
      name: 'acme',
      environment: 'staging',
      cluster: 'staging-eu',
      gcpProject: 'acme-staging',
      services: [{ name: 'backend' }, { name: 'engine' }],
    });
    const { commit } = await env.deploy('acme');
    let status: AccountStatus;
    for (let i = 0; ; i++) {
      const response = await env
        .api()
        .get('/api/accounts/accounts/acme/status')
        .set('Authorization', user);
      expect(response.status).toBe(200);
      status = response.body;
      if (
        status.kustomization?.state === 'healthy' &&
        status.releases.every(r => r.state === 'healthy')
      )
        break;
      if (i > 400) throw new Error(JSON.stringify(status));
      await new Promise(r => setTimeout(r, 50));
    }
    expect(status.desiredRevision).toBe(commit);
    expect(status.kustomization?.lastAppliedRevision).toBe(
      `main@sha1:${commit}`,
    );
    expect(status.releases.map(r => r.service)).toEqual(['backend', 'engine']);
    expect(status.releases[0].conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'True' }),
    );
    expect(status.releases[0].history[0]).toMatchObject({
      version: 1,
      status: 'deployed',
    });
    expect(status.workloads.map(w => w.release)).toEqual(['backend', 'engine']);

    const missing = await env
      .api()
      .get('/api/accounts/accounts/nobody/status')
      .set('Authorization', user);
    expect(missing.status).toBe(404);
    const bad = await env
      .api()
      .get('/api/accounts/accounts/Bad_Name/status')
      .set('Authorization', user);
    expect(bad.status).toBe(400);
  });
});
