import { KubernetesTestServer } from '@fleet-portal/test-servers';
import { AccountReadiness } from '@fleet-portal/plugin-accounts-common';
import { ConfigReader } from '@backstage/config';
import {
  CLUSTER_TOKEN,
  clusterAppConfig,
  collectingLogger,
  registryAccount,
} from '../../__testUtils__/clusters';
import {
  gitopsAccountsConfig,
  tempRepositoryPath,
} from '../../__testUtils__/gitops';
import { AccountConfigService } from '../../gitops/AccountConfigService';
import { readGitopsConfig } from '../../gitops/render/gitopsConfig';
import { LocalGitConfigRepository } from '../../gitops/local/LocalGitConfigRepository';
import { ClusterClient } from '../ClusterClient';
import { KubernetesClusters } from '../KubernetesClusters';
import { KubernetesClusterSide } from '../KubernetesClusterSide';
import { AccountProvisioner } from '../provisioning/AccountProvisioner';
import {
  readAccountReadiness,
  RECONCILE_ANNOTATION,
  requestReconcile,
} from './readAccountReadiness';
import { waitForAccountReady } from './waitForAccountReady';

// End to end on the cluster side: the portal renders and commits the
// account's folder to a real bare repository, provisions the account on the
// Kubernetes simulator, whose simulated Flux controllers fetch the commit,
// apply the folder and install the HelmReleases; the portal reads what Flux
// reports through the real @kubernetes/client-node.

const CLUSTER = 'staging-eu';
const FAILURE =
  'Helm upgrade failed for release acme/backend with chart backend@1.4.0: timed out waiting for the condition';

let server: KubernetesTestServer;
let repository: Awaited<ReturnType<typeof tempRepositoryPath>>;
let config: ConfigReader;
let client: ClusterClient;
let clusterSide: KubernetesClusterSide;
let commit: (accounts: ReturnType<typeof registryAccount>[]) => Promise<string>;

beforeEach(async () => {
  repository = await tempRepositoryPath();
  const { logger } = collectingLogger();
  const configRepository = await LocalGitConfigRepository.open({
    path: repository.path,
    branch: 'main',
    logger,
  });
  server = await KubernetesTestServer.start({
    clusters: [{ name: CLUSTER, token: CLUSTER_TOKEN }],
    flux: {
      gitRepositories: [
        {
          namespace: 'flux-system',
          name: 'fleet-config',
          url: 'https://git.example.com/acme/fleet-config.git',
          branch: 'main',
          path: repository.path,
        },
      ],
      timing: { sourceMs: 5, kustomizeMs: 5, helmMs: 5, pollMs: 20 },
    },
  });
  config = clusterAppConfig({
    url: server.clusterUrl(CLUSTER),
    accounts: {
      ...gitopsAccountsConfig(repository.path),
      provisioning: {
        flux: { sourceRef: { name: 'fleet-config' }, interval: '1m' },
      },
    },
  });
  const clusters = KubernetesClusters.fromConfig(config, { logger });
  client = clusters.client(CLUSTER);
  clusterSide = new KubernetesClusterSide({
    clusters,
    provisioner: AccountProvisioner.fromConfig(config, { clusters, logger }),
  });
  const service = new AccountConfigService({
    repository: configRepository,
    config: readGitopsConfig(config),
    logger,
  });
  commit = async accounts => {
    const result = await service.commit(accounts, {
      actor: 'user:default/alice',
    });
    return result.commit.sha;
  };
});

afterEach(async () => {
  await server.close();
  await repository.remove();
});

const wait = (
  account: { name: string },
  options: Parameters<typeof waitForAccountReady>[2] = {},
) =>
  waitForAccountReady(client, account, {
    intervalMs: 25,
    timeoutSeconds: 60,
    ...options,
  });

async function failRelease(name: string, message: string) {
  const response = await fetch(
    `${server.url}/simulator/clusters/${CLUSTER}/releases/acme/${name}/failure`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message }),
    },
  );
  expect(response.status).toBe(200);
}

describe('account readiness on the simulated cluster', () => {
  it('is missing before provisioning, then ready at the committed revision', async () => {
    const account = registryAccount('acme', {
      services: [{ name: 'backend' }, { name: 'engine' }],
    });
    const sha = await commit([account]);
    expect(await clusterSide.readiness(account, sha)).toMatchObject({
      account: 'acme',
      cluster: CLUSTER,
      state: 'missing',
      wantedRevision: sha,
      releases: [],
    });

    await clusterSide.provision(account);
    const progress: AccountReadiness[] = [];
    const readiness = await wait(account, {
      revision: sha,
      onProgress: r => progress.push(r),
    });
    expect(readiness.state).toBe('ready');
    expect(readiness.message).toBe(
      `Kustomization acme/acme applied main@sha1:${sha}; 2 HelmReleases Ready`,
    );
    expect(readiness.kustomization).toMatchObject({
      name: 'acme',
      namespace: 'acme',
      ready: true,
      lastAppliedRevision: `main@sha1:${sha}`,
      suspended: false,
    });
    expect(readiness.releases.map(r => [r.name, r.ready, r.observed])).toEqual([
      ['backend', true, true],
      ['engine', true, true],
    ]);
    expect(readiness.releases[0].deployed).toMatchObject({
      chartVersion: '1.4.0',
      status: 'deployed',
    });
    // What it went through was reported, ending where it stopped.
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[0].state).not.toBe('ready');
    expect(progress[progress.length - 1]).toEqual(readiness);
  });

  it('waits for a newer commit and fails naming the HelmRelease with Flux’s message', async () => {
    const account = registryAccount('acme');
    const first = await commit([account]);
    await clusterSide.provision(account);
    expect((await wait(account, { revision: first })).state).toBe('ready');

    await failRelease('backend', 'timed out waiting for the condition');
    const second = await commit([
      registryAccount('acme', {
        services: [{ name: 'backend', values: { replicas: 3 } }],
      }),
    ]);
    await clusterSide.requestReconcile(account);
    const readiness = await wait(account, { revision: second });
    expect(readiness.state).toBe('failed');
    expect(readiness.message).toBe(
      `HelmRelease acme/backend failed: ${FAILURE}`,
    );
    expect(readiness.kustomization?.lastAppliedRevision).toBe(
      `main@sha1:${second}`,
    );
    expect(readiness.releases[0]).toMatchObject({
      name: 'backend',
      ready: false,
      observed: true,
      message: FAILURE,
    });

    // Fixed, it is retried by a reconcile request (with its failures reset),
    // without a commit changing its spec.
    const cleared = await fetch(
      `${server.url}/simulator/clusters/${CLUSTER}/releases/acme/backend/failure`,
      { method: 'DELETE' },
    );
    expect(cleared.status).toBe(200);
    const requestedAt = await requestReconcile(client, account);
    const backend = server.store(CLUSTER).get({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      namespace: 'acme',
      name: 'backend',
    });
    expect(backend?.metadata.annotations).toMatchObject({
      [RECONCILE_ANNOTATION]: requestedAt,
      'reconcile.fluxcd.io/resetAt': requestedAt,
    });
    expect((await wait(account, { revision: second })).state).toBe('ready');
  });

  it('is suspended when the Kustomization is', async () => {
    const account = registryAccount('acme');
    const sha = await commit([account]);
    await clusterSide.provision(account);
    expect((await wait(account, { revision: sha })).state).toBe('ready');
    server.store(CLUSTER).mergePatch(
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        namespace: 'acme',
        name: 'acme',
      },
      { spec: { suspend: true } },
      { fieldManager: 'flux-cli' },
    );
    const readiness = await readAccountReadiness(client, account);
    expect(readiness.state).toBe('suspended');
    expect(readiness.message).toBe('Kustomization acme/acme is suspended');
  });

  it('asks Flux to reconcile as flux reconcile does', async () => {
    const account = registryAccount('acme');
    await commit([account]);
    await clusterSide.provision(account);
    const requestedAt = await requestReconcile(client, account);
    expect(new Date(requestedAt).toISOString()).toBe(requestedAt);
    const stored = server.store(CLUSTER).get({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      namespace: 'acme',
      name: 'acme',
    });
    expect(stored?.metadata.annotations?.[RECONCILE_ANNOTATION]).toBe(
      requestedAt,
    );
    await expect(requestReconcile(client, { name: 'nobody' })).rejects.toThrow(
      "Kustomization nobody/nobody not found on cluster 'staging-eu'",
    );
  });

  it('stops waiting when aborted, and gives the last readiness at the timeout', async () => {
    const account = registryAccount('nobody');
    const controller = new AbortController();
    const waiting = wait(account, {
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('stopped by the test')),
    });
    await expect(waiting).rejects.toThrow('stopped by the test');
    const timedOut = await wait(account, { timeoutSeconds: 0.1 });
    expect(timedOut.state).toBe('missing');
  });
});
