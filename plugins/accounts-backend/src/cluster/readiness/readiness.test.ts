import { Account } from '@fleet-portal/plugin-accounts-common';
import { registryAccount } from '../../__testUtils__/clusters';
import {
  FLUX_TEST_CLUSTER as CLUSTER,
  FluxTestCluster,
  startFluxTestCluster,
} from '../../workflows/__testUtils__/fluxTestCluster';
import { waitForFlux } from '../../workflows/waitForFlux';
import { REQUESTED_AT_ANNOTATION } from '../flux/fluxAnnotations';
import { readAccountReadiness, requestReconcile } from './readAccountReadiness';

// End to end on the cluster side: the portal commits the account's folder to
// a real bare repository and provisions the account on the Kubernetes
// simulator, whose Flux applies it; the portal reads what Flux reports
// through the real @kubernetes/client-node. What waiting itself does is
// tested beside waitForFlux.

const FAILURE =
  'Helm upgrade failed for release acme/backend with chart backend@1.4.0: timed out waiting for the condition';

let env: FluxTestCluster;

beforeEach(async () => {
  env = await startFluxTestCluster();
});

afterEach(async () => {
  await env.close();
});

/** Waits as the deploy workflow does until Flux has settled on `commit`. */
async function wait(account: Account, commit: string) {
  const { readiness, timedOut } = await waitForFlux({
    cluster: env.clusterSide,
    account,
    commit,
    head: env.head,
    options: { timeoutMs: 60_000, intervalMs: 25 },
    signal: new AbortController().signal,
    onProgress: async () => undefined,
  });
  expect(timedOut).toBe(false);
  return readiness;
}

describe('account readiness on the simulated cluster', () => {
  it('is missing before provisioning, then ready at the committed revision', async () => {
    const account = registryAccount('acme', {
      services: [{ name: 'backend' }, { name: 'engine' }],
    });
    const sha = await env.commit([account]);
    expect(await env.clusterSide.readiness(account, sha)).toMatchObject({
      account: 'acme',
      cluster: CLUSTER,
      state: 'missing',
      wantedRevision: sha,
      releases: [],
    });

    await env.clusterSide.provision(account);
    const readiness = await wait(account, sha);
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
  });

  it('waits for a newer commit and fails naming the HelmRelease with Flux’s message', async () => {
    const account = registryAccount('acme');
    const first = await env.commit([account]);
    await env.clusterSide.provision(account);
    expect((await wait(account, first)).state).toBe('ready');

    await env.failRelease(
      'acme',
      'backend',
      'timed out waiting for the condition',
    );
    const second = await env.commit([
      registryAccount('acme', {
        services: [{ name: 'backend', values: { replicas: 3 } }],
      }),
    ]);
    await env.clusterSide.requestReconcile(account);
    const readiness = await wait(account, second);
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
    await env.failRelease('acme', 'backend');
    const requestedAt = await requestReconcile(env.client, account);
    const backend = env.server.store(CLUSTER).get({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      namespace: 'acme',
      name: 'backend',
    });
    expect(backend?.metadata.annotations).toMatchObject({
      [REQUESTED_AT_ANNOTATION]: requestedAt,
      'reconcile.fluxcd.io/resetAt': requestedAt,
    });
    expect((await wait(account, second)).state).toBe('ready');
  });

  it('is suspended when the Kustomization is', async () => {
    const account = registryAccount('acme');
    const sha = await env.commit([account]);
    await env.clusterSide.provision(account);
    expect((await wait(account, sha)).state).toBe('ready');
    env.server.store(CLUSTER).mergePatch(
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        namespace: 'acme',
        name: 'acme',
      },
      { spec: { suspend: true } },
      { fieldManager: 'flux-cli' },
    );
    const readiness = await readAccountReadiness(env.client, account);
    expect(readiness.state).toBe('suspended');
    expect(readiness.message).toBe('Kustomization acme/acme is suspended');
  });

  it('asks Flux to reconcile as flux reconcile does', async () => {
    const account = registryAccount('acme');
    await env.commit([account]);
    await env.clusterSide.provision(account);
    const requestedAt = await requestReconcile(env.client, account);
    expect(new Date(requestedAt).toISOString()).toBe(requestedAt);
    const stored = env.server.store(CLUSTER).get({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      namespace: 'acme',
      name: 'acme',
    });
    expect(stored?.metadata.annotations?.[REQUESTED_AT_ANNOTATION]).toBe(
      requestedAt,
    );
    await expect(
      requestReconcile(env.client, { name: 'nobody' }),
    ).rejects.toThrow(
      "Kustomization nobody/nobody not found on cluster 'staging-eu'",
    );
  });
});
