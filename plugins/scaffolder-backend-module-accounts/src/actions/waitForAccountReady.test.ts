import {
  actionContext,
  loggedLines,
  startAccountsBackend,
  testAccount,
} from '../__testUtils__/accountsBackend';
import {
  WorkflowScript,
  readiness,
  startWorkflowBackend,
} from '../__testUtils__/workflowBackend';
import { createWaitForAccountReadyAction } from './waitForAccountReady';

const sha = '3f2a9c1d0b7e4a5f6c8d9e0f1a2b3c4d5e6f7a8b';

async function setup(script: WorkflowScript) {
  const backend = await startWorkflowBackend({ accounts: ['acme'], ...script });
  return { ...backend, action: createWaitForAccountReadyAction(backend) };
}

/** Fast polling, so that a test waits milliseconds, not seconds. */
const fast = { intervalSeconds: 0.001, timeoutSeconds: 60 };

describe('accounts:wait-ready', () => {
  it('waits for the revision until ready, logging each change once', async () => {
    const { action, requests } = await setup({
      readiness: [
        readiness('progressing', 'Kustomization acme has not applied it yet'),
        readiness('progressing', 'Kustomization acme has not applied it yet'),
        readiness('progressing', 'Kustomization acme has not applied it yet'),
        readiness('progressing', 'HelmRelease acme/backend is installing'),
        readiness('ready', 'All 2 HelmReleases are Ready'),
      ],
    });
    const ctx = actionContext({ name: 'acme', revision: sha, ...fast });
    await action.handler(ctx);

    expect(loggedLines(ctx)).toEqual([
      "Account 'acme' is progressing: Kustomization acme has not applied it yet",
      "Account 'acme' is progressing: HelmRelease acme/backend is installing",
      "Account 'acme' is ready: All 2 HelmReleases are Ready",
    ]);
    expect(ctx.output).toHaveBeenCalledWith('state', 'ready');
    const reads = requests.filter(r => r.path === '/accounts/acme/readiness');
    expect(reads).toHaveLength(5);
    expect(reads.every(r => r.query.get('revision') === sha)).toBe(true);
  });

  it("fails with Flux's message naming the HelmRelease that failed", async () => {
    const { action } = await setup({
      readiness: [
        readiness('progressing', 'HelmRelease acme/engine is installing'),
        readiness(
          'failed',
          'HelmRelease acme/engine failed: install retries exhausted: context deadline exceeded',
        ),
      ],
    });
    const ctx = actionContext({ name: 'acme', ...fast });
    await expect(action.handler(ctx)).rejects.toThrow(
      "Account 'acme' is failed: HelmRelease acme/engine failed: install retries exhausted: context deadline exceeded",
    );
    expect(ctx.output).toHaveBeenCalledWith('state', 'failed');
  });

  it('fails when something is suspended', async () => {
    const { action } = await setup({
      readiness: [readiness('suspended', 'Kustomization acme is suspended')],
    });
    await expect(
      action.handler(actionContext({ name: 'acme', ...fast })),
    ).rejects.toThrow(
      "Account 'acme' is suspended: Kustomization acme is suspended",
    );
  });

  it('fails at the timeout with the last message', async () => {
    const { action } = await setup({
      readiness: [
        readiness('missing', 'No Kustomization acme on production-eu'),
      ],
    });
    const ctx = actionContext({
      name: 'acme',
      intervalSeconds: 0.001,
      timeoutSeconds: 0.05,
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      "Account 'acme' was not ready after 0.05 s: No Kustomization acme on production-eu",
    );
  });

  it('stops when the task is cancelled', async () => {
    const controller = new AbortController();
    const { action, requests } = await setup({
      readiness: [readiness('progressing', 'installing')],
      onRequest: () => controller.abort(),
    });
    const ctx = actionContext(
      { name: 'acme', intervalSeconds: 3600, timeoutSeconds: 7200 },
      { signal: controller.signal },
    );
    await expect(action.handler(ctx)).rejects.toThrow(
      "Cancelled while waiting for account 'acme' to be ready",
    );
    expect(requests).toHaveLength(1);
  });

  describe('dry run', () => {
    it('reads readiness once and logs it, even when not ready', async () => {
      const { action, requests } = await setup({
        readiness: [readiness('progressing', 'installing')],
      });
      const ctx = actionContext({ name: 'acme', ...fast }, { dryRun: true });
      await action.handler(ctx);
      expect(loggedLines(ctx)).toEqual([
        "Dry run: account 'acme' is progressing: installing",
      ]);
      expect(ctx.output).toHaveBeenCalledWith('state', 'progressing');
      expect(requests.filter(r => r.path.endsWith('/readiness'))).toHaveLength(
        1,
      );
    });

    it('skips an account that an earlier step would create', async () => {
      const { action, requests } = await setup({ accounts: [] });
      const ctx = actionContext({ name: 'globex' }, { dryRun: true });
      await action.handler(ctx);
      expect(ctx.output).not.toHaveBeenCalled();
      expect(requests.map(r => r.path)).toEqual(['/accounts/globex']);
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
