import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { KubernetesTestServer } from '@fleet-portal/test-servers';
import request from 'supertest';
import { collectingLogger } from './__testUtils__/clusters';
import {
  git,
  gitopsAccountsConfig,
  tempRepositoryPath,
} from './__testUtils__/gitops';
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

describe('demo data on simulated clusters', () => {
  const staging = ['demo-sales', 'internal-staging', 'qa-team'];
  let repo: Awaited<ReturnType<typeof tempRepositoryPath>>;
  let simulator: KubernetesTestServer;
  beforeEach(async () => {
    repo = await tempRepositoryPath();
    simulator = await KubernetesTestServer.start({
      clusters: [{ name: 'staging-eu', token: 'demo-token' }],
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
  });
  afterEach(async () => {
    // The backends first: their background work talks to the simulator.
    await Promise.all(backends.splice(0).map(backend => backend.stop()));
    await simulator.close();
    await repo.remove();
  });

  /**
   * The plugin with `demoData`, a local config repository the simulated Flux
   * reads, and `staging-eu` marked simulated; production's clusters are not
   * marked and have no connection.
   */
  async function startDemo() {
    const { logger, logged } = collectingLogger();
    (logger.child as jest.Mock).mockImplementation(() => logger);
    const gitops = gitopsAccountsConfig(repo.path);
    // The demo accounts run the services admin, backend and engine.
    gitops.gitops.services.push({
      ...gitops.gitops.services[0],
      name: 'admin',
    });
    const backend = await start([
      accountsPlugin,
      mockServices.rootLogger.mock({ child: () => logger }).factory,
      mockServices.rootConfig.factory({
        data: {
          accounts: {
            ...gitops,
            demoData: true,
            environments: gitops.environments.map(env => ({
              ...env,
              clusters: env.clusters.map(c => ({
                ...c,
                simulated: c.name === 'staging-eu',
              })),
            })),
            provisioning: {
              flux: { sourceRef: { name: 'fleet-config' }, interval: '1m' },
            },
          },
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'staging-eu',
                    url: simulator.clusterUrl('staging-eu'),
                    authProvider: 'serviceAccount',
                    serviceAccountToken: 'demo-token',
                  },
                ],
              },
            ],
          },
        },
      }),
    ]);
    return { backend, logger, logged };
  }

  /** Polls until `done()` holds, for at most 20 seconds. */
  async function until(done: () => boolean) {
    const deadline = Date.now() + 20_000;
    while (!done() && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  it('provisions the demo accounts in the background, so Flux applies the seeded folders', async () => {
    const { logger, logged } = await startDemo();
    // The seed's commit is on main before start-up ends.
    const head = git(repo.path, 'rev-parse', 'main').trim();
    expect(git(repo.path, 'log', '-1', '--format=%B', 'main')).toContain(
      'seed the demo fleet',
    );
    // The revision Flux applied of each account's Kustomization.
    const applied = () =>
      staging.map(name => {
        const kustomization = simulator.store('staging-eu').get({
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          namespace: name,
          name,
        });
        const status = kustomization?.status as
          | { lastAppliedRevision?: string }
          | undefined;
        return status?.lastAppliedRevision;
      });
    await until(
      () =>
        applied().every(r => r === `main@sha1:${head}`) &&
        logged().includes('simulated clusters'),
    );
    expect(applied()).toEqual(staging.map(() => `main@sha1:${head}`));
    // The production accounts are not attempted: they would count as failed.
    expect(logger.info).toHaveBeenCalledWith(
      'Provisioned 3 accounts on 1 simulated clusters, 0 failed',
      { provisioned: 3, failed: 0, clusters: 1 },
    );
    expect(
      simulator
        .store('staging-eu')
        .list('kustomize.toolkit.fluxcd.io/v1', 'Kustomization')
        .items.map(k => k.metadata.name)
        .sort(),
    ).toEqual(staging);
  }, 60_000);

  it('neither waits for the clusters at start-up nor fails when they cannot be reached', async () => {
    // Requests to the cluster are accepted and never answered.
    simulator.hang('staging-eu', true);
    const { backend, logger, logged } = await startDemo();
    const health = await request(backend.server).get('/api/accounts/health');
    expect(health.status).toBe(200);
    expect(logged()).not.toContain('simulated clusters');
    // Closing the simulator cuts the hanging requests.
    await simulator.close();
    await until(() => logged().includes('simulated clusters'));
    expect(logger.info).toHaveBeenCalledWith(
      'Provisioned 0 accounts on 0 simulated clusters, 3 failed',
      { provisioned: 0, failed: 3, clusters: 0 },
    );
    const warned = (logger.warn as jest.Mock).mock.calls
      .filter(([message]) => message.startsWith('Could not provision account'))
      .map(([, meta]) => meta.account)
      .sort();
    expect(warned).toEqual(staging);
  }, 60_000);
});
