import {
  Account,
  AccountReadiness,
} from '@fleet-portal/plugin-accounts-common';
import { registryAccount } from '../__testUtils__/clusters';
import {
  FLUX_TEST_CLUSTER,
  FluxTestCluster,
  startFluxTestCluster,
} from './__testUtils__/fluxTestCluster';
import { MAX_MISSED_READINGS, waitForFlux } from './waitForFlux';

// waitForFlux against the Kubernetes simulator, whose Flux applies what the
// portal commits to a real config repository.

jest.setTimeout(60_000);

let env: FluxTestCluster;

beforeEach(async () => {
  env = await startFluxTestCluster();
});

afterEach(async () => {
  await env.close();
});

/** Waits on the simulated cluster; what was reported is in `progress`. */
async function wait(
  account: Account,
  commit: string,
  options: {
    timeoutMs?: number;
    head?: () => Promise<string>;
    signal?: AbortSignal;
    onProgress?: (readiness: AccountReadiness) => void;
  } = {},
) {
  const progress: AccountReadiness[] = [];
  const result = await waitForFlux({
    cluster: env.clusterSide,
    account,
    commit,
    head: options.head ?? env.head,
    options: { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 25 },
    signal: options.signal ?? new AbortController().signal,
    onProgress: async readiness => {
      progress.push(readiness);
      options.onProgress?.(readiness);
    },
  });
  return { ...result, progress };
}

describe('waitForFlux', () => {
  it('reports each new message and returns once Flux applied the commit', async () => {
    const account = registryAccount('acme', {
      services: [{ name: 'backend' }, { name: 'engine' }],
    });
    const sha = await env.commit([account]);
    await env.clusterSide.provision(account);

    const { readiness, timedOut, progress } = await wait(account, sha);
    expect(timedOut).toBe(false);
    expect(readiness).toMatchObject({
      state: 'ready',
      wantedRevision: sha,
      message: `Kustomization acme/acme applied main@sha1:${sha}; 2 HelmReleases Ready`,
    });
    // What it went through was reported once each, ending where it stopped.
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[0].state).not.toBe('ready');
    expect(progress[progress.length - 1]).toEqual(readiness);
    const messages = progress.map(r => r.message);
    expect(messages.filter((m, i) => m === messages[i - 1])).toEqual([]);
  });

  it('returns a failed release at once, with Flux’s message', async () => {
    const account = registryAccount('acme');
    await env.failRelease('acme', 'backend', 'image pull back-off');
    const sha = await env.commit([account]);
    await env.clusterSide.provision(account);

    // Failed is final: it does not wait for the timeout.
    const { readiness, timedOut } = await wait(account, sha);
    expect(timedOut).toBe(false);
    expect(readiness.state).toBe('failed');
    expect(readiness.message).toMatch(
      /^HelmRelease acme\/backend failed: .*image pull back-off/,
    );
  });

  it('accepts a newer head of the branch that Flux applied, and no other revision', async () => {
    const account = registryAccount('acme');
    const older = await env.commit([account]);
    await env.clusterSide.provision(account);
    expect((await wait(account, older)).readiness.state).toBe('ready');
    const newer = await env.commit([
      registryAccount('acme', {
        services: [{ name: 'backend', values: { replicas: 3 } }],
      }),
    ]);
    await env.clusterSide.requestReconcile(account);
    expect((await wait(account, newer)).readiness.state).toBe('ready');

    // At the older commit itself the account reads as still on its way...
    const atOlder = await env.clusterSide.readiness(account, older);
    expect(atOlder.state).toBe('progressing');
    // ...but the head Flux applied contains it.
    const { readiness, timedOut } = await wait(account, older, {
      timeoutMs: 5_000,
    });
    expect(timedOut).toBe(false);
    expect(readiness).toMatchObject({ state: 'ready', wantedRevision: newer });

    // An applied revision that is not the branch's head proves nothing.
    const unrelated = await wait(account, older, {
      timeoutMs: 300,
      head: async () => older,
    });
    expect(unrelated.timedOut).toBe(true);
    expect(unrelated.readiness.state).toBe('progressing');
  });

  it('reads again when the cluster misses a reading, and fails when it keeps missing them', async () => {
    const account = registryAccount('acme');
    const sha = await env.commit([account]);
    await env.clusterSide.provision(account);
    const refused = () =>
      env.server.requests.filter(r => r.cluster && r.status === 0).length;

    // One reading cut off (a dropped connection, an API server restarting).
    env.server.refuse(FLUX_TEST_CLUSTER, true);
    const waiting = wait(account, sha);
    while (refused() === 0) await new Promise(r => setTimeout(r, 5));
    env.server.refuse(FLUX_TEST_CLUSTER, false);
    const { readiness, timedOut } = await waiting;
    expect(timedOut).toBe(false);
    expect(readiness.state).toBe('ready');

    // A cluster that stays away fails the wait with its error, long before
    // the timeout.
    env.server.refuse(FLUX_TEST_CLUSTER, true);
    const before = refused();
    await expect(wait(account, sha, { timeoutMs: 30_000 })).rejects.toThrow(
      /staging-eu/,
    );
    expect(refused() - before).toBe(MAX_MISSED_READINGS);
  });

  it('gives the last readiness at the timeout, and stops when aborted', async () => {
    const account = registryAccount('nobody');
    const sha = await env.commit([account]);

    const timedOut = await wait(account, sha, { timeoutMs: 100 });
    expect(timedOut.timedOut).toBe(true);
    expect(timedOut.readiness.state).toBe('missing');

    const controller = new AbortController();
    const reason = new Error('stopped by the test');
    const waiting = wait(account, sha, {
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    });
    await expect(waiting).rejects.toMatchObject({
      name: 'AbortError',
      cause: reason,
    });
  });
});
