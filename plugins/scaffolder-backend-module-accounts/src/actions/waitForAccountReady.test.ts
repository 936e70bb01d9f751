import { mockCredentials } from '@backstage/backend-test-utils';
import {
  actionContext,
  loggedLines,
  startAccountsBackend,
  startWithSimulatedCluster,
  testAccount,
} from '../__testUtils__/accountsBackend';
import { createWaitForAccountReadyAction } from './waitForAccountReady';

const user = mockCredentials.user();
const KUSTOMIZATION =
  '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/acme/kustomizations/acme';
const MISSING =
  "Account 'acme' is missing: Cluster 'production-eu' has no Flux Kustomization acme/acme: the account is not provisioned there";

/** The accounts backend whose cluster production-eu is simulated. */
async function setup() {
  const backend = await startWithSimulatedCluster();
  const { cluster } = backend;
  return {
    ...backend,
    action: createWaitForAccountReadyAction(backend),
    /** How often the backend read the account's Kustomization. */
    reads: () => cluster.requests('GET', KUSTOMIZATION).length,
    /** Commits the account's folder; answers the commit. */
    commit: async () =>
      (await backend.client.commitConfig('acme', {}, user)).commit.sha,
    provision: () => backend.client.provision('acme', user),
  };
}

/** Fast polling, so that a test waits milliseconds, not seconds. */
const fast = { intervalSeconds: 0.005, timeoutSeconds: 60 };

async function until(condition: () => boolean) {
  while (!condition()) await new Promise(r => setTimeout(r, 5));
}

describe('accounts:wait-ready', () => {
  it('waits until Flux applied the revision and is ready, logging each change once', async () => {
    const { action, reads, commit, provision } = await setup();
    const sha = await commit();
    const ctx = actionContext({ name: 'acme', revision: sha, ...fast });
    const waiting = action.handler(ctx);
    // Not provisioned yet: the action reads "missing" a few times first.
    await until(() => reads() >= 3);
    await provision();
    await waiting;

    const lines = loggedLines(ctx);
    expect(lines[0]).toBe(MISSING);
    expect(lines.at(-1)).toBe(
      `Account 'acme' is ready: Kustomization acme/acme applied main@sha1:${sha}; 1 HelmRelease Ready`,
    );
    for (const line of lines.slice(1, -1)) {
      expect(line).toMatch(/^Account 'acme' is progressing: /);
    }
    // A line per change, not per reading.
    expect(lines.filter((line, i) => line === lines[i - 1])).toEqual([]);
    expect(reads()).toBeGreaterThan(lines.length);
    expect(ctx.output).toHaveBeenCalledWith('state', 'ready');
  });

  it('waits for a newer revision than the one Flux applied', async () => {
    const { action, store, commit, provision } = await setup();
    await commit();
    await provision();
    await action.handler(actionContext({ name: 'acme', ...fast }));

    // A second service: a new commit Flux has not applied yet.
    const services = [{ name: 'backend' }, { name: 'engine' }];
    await store.updateAccount('acme', { services }, 1, 'user:default/alice');
    const sha = await commit();
    const ctx = actionContext({ name: 'acme', revision: sha, ...fast });
    await action.handler(ctx);
    expect(loggedLines(ctx).at(-1)).toBe(
      `Account 'acme' is ready: Kustomization acme/acme applied main@sha1:${sha}; 2 HelmReleases Ready`,
    );
  });

  it("fails with Flux's message naming the HelmRelease that failed", async () => {
    const { action, cluster, commit, provision } = await setup();
    await cluster.failRelease('acme', 'backend', 'image pull back-off');
    const sha = await commit();
    await provision();
    const ctx = actionContext({ name: 'acme', revision: sha, ...fast });
    await expect(action.handler(ctx)).rejects.toThrow(
      "Account 'acme' is failed: HelmRelease acme/backend failed: Helm install failed for release acme/backend with chart backend@1.0.0: image pull back-off",
    );
    expect(ctx.output).toHaveBeenCalledWith('state', 'failed');
  });

  it('fails when the Kustomization is suspended', async () => {
    const { action, cluster, commit, provision } = await setup();
    await commit();
    await provision();
    cluster.suspend('Kustomization', 'acme', 'acme');
    await expect(
      action.handler(actionContext({ name: 'acme', ...fast })),
    ).rejects.toThrow(
      "Account 'acme' is suspended: Kustomization acme/acme is suspended",
    );
  });

  it('fails when a HelmRelease is suspended', async () => {
    const { action, cluster, commit, provision } = await setup();
    const sha = await commit();
    await provision();
    await action.handler(
      actionContext({ name: 'acme', revision: sha, ...fast }),
    );
    cluster.suspend('HelmRelease', 'acme', 'backend');
    const ctx = actionContext({ name: 'acme', revision: sha, ...fast });
    await expect(action.handler(ctx)).rejects.toThrow(
      "Account 'acme' is suspended: HelmRelease acme/backend is suspended",
    );
    expect(ctx.output).toHaveBeenCalledWith('state', 'suspended');
  });

  it('fails at the timeout with the last message', async () => {
    const { action, reads } = await setup();
    const ctx = actionContext({
      name: 'acme',
      intervalSeconds: 0.01,
      timeoutSeconds: 0.2,
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      "Account 'acme' was not ready after 0.2 s: Cluster 'production-eu' has no Flux Kustomization acme/acme: the account is not provisioned there",
    );
    expect(loggedLines(ctx)).toEqual([MISSING]);
    expect(reads()).toBeGreaterThan(1);
    expect(ctx.output).toHaveBeenCalledWith('state', 'missing');
  });

  it('stops when the task is cancelled', async () => {
    const { action, reads } = await setup();
    const controller = new AbortController();
    const ctx = actionContext(
      { name: 'acme', intervalSeconds: 300, timeoutSeconds: 7200 },
      { signal: controller.signal, onLog: () => controller.abort() },
    );
    await expect(action.handler(ctx)).rejects.toThrow(
      "Cancelled while waiting for account 'acme' to be ready",
    );
    expect(reads()).toBe(1);
  });

  describe('dry run', () => {
    it('reads readiness once and logs it, even when not ready', async () => {
      const { action, reads } = await setup();
      const ctx = actionContext({ name: 'acme', ...fast }, { dryRun: true });
      await action.handler(ctx);
      expect(loggedLines(ctx)).toEqual([
        "Dry run: account 'acme' is missing: Cluster 'production-eu' has no Flux Kustomization acme/acme: the account is not provisioned there",
      ]);
      expect(ctx.output).toHaveBeenCalledWith('state', 'missing');
      expect(reads()).toBe(1);
    });

    it('skips an account that an earlier step would create', async () => {
      const { action, cluster } = await setup();
      const ctx = actionContext({ name: 'globex' }, { dryRun: true });
      await action.handler(ctx);
      expect(ctx.output).not.toHaveBeenCalled();
      expect(
        cluster.requests(
          'GET',
          '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/globex/kustomizations/globex',
        ),
      ).toEqual([]);
    });
  });

  it("fails with the real backend's message when the cluster has no connection", async () => {
    const backend = await startAccountsBackend({ accounts: [testAccount()] });
    const action = createWaitForAccountReadyAction(backend);
    await expect(
      action.handler(actionContext({ name: 'acme', ...fast })),
    ).rejects.toThrow(
      "Cluster 'production-eu' has no connection: add it to kubernetes.clusterLocatorMethods",
    );
  });
});
