import { mockServices } from '@backstage/backend-test-utils';
import { Deployment, Operation } from '@fleet-portal/plugin-accounts-common';
import { KubernetesTestServer } from '@fleet-portal/test-servers';
import { mkdtemp, readFile, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { collectingLogger } from '../__testUtils__/clusters';
import {
  git,
  gitopsAccountsConfig,
  tempRepositoryPath,
} from '../__testUtils__/gitops';
import { setup, user, validAccount } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const TOKEN = 'deploy-test-token';
const SENTINEL = 'sentinel-secret-4f9d21';

/**
 * The deploy workflow end to end: the real plugin over HTTP, a local config
 * repository, a folder export, and the cluster simulator whose Flux reads
 * that repository.
 */
async function start() {
  const repo = await tempRepositoryPath();
  const exportDir = await mkdtemp(join(tmpdir(), 'fleet-export-'));
  const simulator = await KubernetesTestServer.start({
    clusters: [{ name: 'staging-eu', token: TOKEN }],
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
  const { logger, logged } = collectingLogger();
  const { server, audits } = await setup(
    'SQLITE_3',
    [rootLoggerFactory(logger)],
    {
      ...gitopsAccountsConfig(repo.path),
      export: { folder: exportDir },
      provisioning: {
        flux: {
          sourceRef: {
            kind: 'GitRepository',
            name: 'fleet-config',
            namespace: 'flux-system',
          },
          interval: '5m',
        },
        secrets: [{ name: 'slack', data: { address: { value: SENTINEL } } }],
      },
      workflows: { readyTimeoutSeconds: 60, pollIntervalSeconds: 0.05 },
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
  const bodies: string[] = [];
  const call = async (method: 'get' | 'post', path: string, body?: object) => {
    const test = request(server)
      [method](`/api/accounts${path}`)
      .set('Authorization', user);
    const response = await (body ? test.send(body) : test);
    bodies.push(JSON.stringify(response.body));
    return response;
  };
  const finished = async (id: string): Promise<Operation> => {
    for (;;) {
      const { body } = await call('get', `/operations/${id}`);
      if (body.status === 'succeeded' || body.status === 'failed') return body;
      await new Promise(r => setTimeout(r, 50));
    }
  };
  /** Creates the staging account `acme` with the given services. */
  const createAccount = (
    services = [{ name: 'backend' }, { name: 'engine' }],
  ) =>
    call(
      'post',
      '/accounts',
      validAccount({
        environment: 'staging',
        cluster: 'staging-eu',
        gcpProject: 'acme-staging',
        services,
      }),
    );
  const deploy = async (body: object = {}) => {
    const response = await call('post', '/accounts/acme/deploy', body);
    expect(response.status).toBe(202);
    return finished(response.body.id);
  };
  const helmRelease = (name: string) =>
    simulator.store('staging-eu').get({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      namespace: 'acme',
      name,
    }) as any;
  const failRelease = (name: string, message?: string) =>
    fetch(
      `${simulator.url}/simulator/clusters/staging-eu/releases/acme/${name}/failure`,
      message
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ message }),
          }
        : { method: 'DELETE' },
    );
  const cleanup = async () => {
    await simulator.close();
    await repo.remove();
    await rm(exportDir, { recursive: true, force: true });
  };
  return {
    call,
    createAccount,
    deploy,
    helmRelease,
    failRelease,
    simulator,
    repo,
    exportDir,
    audits,
    bodies,
    logged,
    cleanup,
  };
}

/** A root logger handing every plugin the one collecting logger. */
function rootLoggerFactory(
  logger: ReturnType<typeof collectingLogger>['logger'],
) {
  (logger.child as jest.Mock).mockImplementation(() => logger);
  return mockServices.rootLogger.mock({ child: () => logger }).factory;
}

describe('deploying an account', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeEach(async () => {
    env = await start();
  });
  afterEach(async () => {
    await env.cleanup();
  });

  it('provisions, commits, waits for Flux, records the deployment; reruns change nothing twice', async () => {
    const { call, createAccount, deploy, helmRelease } = env;
    expect((await createAccount()).status).toBe(201);

    const provisioned = await call('post', '/accounts/acme/provision');
    expect(provisioned.status).toBe(200);
    expect(provisioned.body.objects.map((o: any) => o.action)).toEqual([
      'created',
      'created',
      'created',
    ]);
    const again = await call('post', '/accounts/acme/provision');
    expect(again.body.objects.map((o: any) => o.action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);

    const first = await deploy({ reason: 'first deploy' });
    expect(first.error).toBeUndefined();
    expect(first.status).toBe('succeeded');
    expect(first.steps.map(s => [s.id, s.status])).toEqual([
      ['export', 'succeeded'],
      ['provision', 'succeeded'],
      ['commit', 'succeeded'],
      ['wait', 'succeeded'],
      ['record', 'succeeded'],
    ]);
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(git(env.repo.path, 'rev-parse', 'main').trim()).toBe(first.commit);
    expect(helmRelease('backend').status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'True' }),
    );

    // A pinned version reaches the cluster as a new Helm revision.
    const pinned = await deploy({
      versions: { backend: 'main-abc1234-1763900000' },
    });
    expect(pinned.status).toBe('succeeded');
    const backend = helmRelease('backend');
    expect(backend.spec.values.image.tag).toBe('main-abc1234-1763900000');
    expect(backend.status.history[0]).toMatchObject({
      version: 2,
      status: 'deployed',
    });

    // Deploying again with nothing changed makes no commit.
    const unchanged = await deploy();
    expect(unchanged.status).toBe('succeeded');
    expect(unchanged.commit).toBe(pinned.commit);
    expect(unchanged.steps[2].message).toMatch(/^Nothing to commit/);

    const { body } = await call('get', '/accounts/acme/deployments');
    const deployments: Deployment[] = body.items;
    expect(deployments.map(d => d.operationId)).toEqual([
      unchanged.id,
      pinned.id,
      first.id,
    ]);
    expect(deployments[1]).toMatchObject({
      commit: pinned.commit,
      deployedBy: 'user:default/mock',
      versions: {
        backend: 'main-abc1234-1763900000',
        engine: 'main-8d1e0b7-1763790000',
      },
    });
  });

  it('fails naming the HelmRelease and Flux message, and a rerun completes', async () => {
    const { call, createAccount, deploy, failRelease } = env;
    expect((await createAccount()).status).toBe(201);
    expect((await failRelease('engine', 'image pull back-off')).status).toBe(
      200,
    );
    const failed = await deploy();
    expect(failed.status).toBe('failed');
    expect(failed.steps.find(s => s.id === 'wait')).toMatchObject({
      status: 'failed',
    });
    expect(failed.error).toMatch(/HelmRelease acme\/engine/);
    expect(failed.error).toMatch(/image pull back-off/);
    const { body: none } = await call('get', '/accounts/acme/deployments');
    expect(none.items).toEqual([]);

    await failRelease('engine');
    const rerun = await deploy({ reason: 'after the fix' });
    expect(rerun.error).toBeUndefined();
    expect(rerun.status).toBe('succeeded');
    const { body } = await call('get', '/accounts/acme/deployments');
    expect(body.items).toHaveLength(1);
    // The rerun committed nothing new: the first run's commit was kept.
    expect(rerun.commit).toBe(failed.commit);
  });

  it('keeps the secret out of logs, responses, audit events, accounts.json and the config repository', async () => {
    const { call, createAccount, deploy, simulator } = env;
    expect((await createAccount([{ name: 'backend' }])).status).toBe(201);
    await call('post', '/accounts/acme/provision?dryRun=true');
    expect((await deploy()).status).toBe('succeeded');
    await call('post', '/accounts/acme/provision');

    const secret = simulator.store('staging-eu').get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'acme',
      name: 'slack',
    }) as any;
    // It is where it belongs...
    expect(Buffer.from(secret.data.address, 'base64').toString()).toBe(
      SENTINEL,
    );
    // ...and nowhere else.
    expect(env.bodies.join('\n')).not.toContain(SENTINEL);
    expect(env.bodies.join('\n')).toContain('slack');
    expect(env.logged()).not.toContain(SENTINEL);
    expect(JSON.stringify(env.audits)).not.toContain(SENTINEL);
    expect(
      await readFile(join(env.exportDir, 'accounts.json'), 'utf8'),
    ).not.toContain(SENTINEL);
    const history = git(env.repo.path, 'log', '-p', '--all');
    expect(history).toContain('helmrelease-backend.yaml');
    expect(history).not.toContain(SENTINEL);
  });
});
