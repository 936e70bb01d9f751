import {
  actionContext,
  loggedLines,
  startAccountsBackend,
  testAccount,
} from '../__testUtils__/accountsBackend';
import { startWorkflowBackend } from '../__testUtils__/workflowBackend';
import { createProvisionAccountAction } from './provisionAccount';

const provision = (dryRun: boolean) => ({
  cluster: 'production-eu',
  namespace: 'acme',
  dryRun,
  objects: [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      name: 'acme',
      action: 'created' as const,
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'acme',
      name: 'slack-webhook',
      action: 'configured' as const,
      keys: ['address'],
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'acme',
      action: 'unchanged' as const,
    },
  ],
});

describe('accounts:provision', () => {
  it('logs each object applied, Secrets by key only, and outputs them', async () => {
    const backend = await startWorkflowBackend({
      accounts: ['acme'],
      provision: provision(false),
    });
    const action = createProvisionAccountAction(backend);
    const checkpoints = new Map<string, unknown>();
    const ctx = actionContext({ name: 'acme' }, { checkpoints });
    await action.handler(ctx);

    expect(backend.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/accounts/acme/provision',
      }),
    ]);
    expect(backend.requests[0].query.get('dryRun')).toBeNull();
    expect(loggedLines(ctx)).toEqual([
      'Namespace acme: created',
      'Secret acme/slack-webhook: configured (keys: address)',
      'Kustomization flux-system/acme: unchanged',
      'Provisioned namespace acme on cluster production-eu (3 object(s))',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('cluster', 'production-eu');
    expect(ctx.output).toHaveBeenCalledWith('namespace', 'acme');
    expect(ctx.output).toHaveBeenCalledWith(
      'objects',
      provision(false).objects,
    );
    expect(checkpoints.get('accounts-provision-acme')).toEqual(
      provision(false),
    );
  });

  it("goes through the API server's dry run in a dry run", async () => {
    const backend = await startWorkflowBackend({
      accounts: ['acme'],
      provision: provision(true),
    });
    const action = createProvisionAccountAction(backend);
    const ctx = actionContext({ name: 'acme' }, { dryRun: true });
    await action.handler(ctx);
    const post = backend.requests.find(r => r.method === 'POST')!;
    expect(post.query.get('dryRun')).toBe('true');
    expect(loggedLines(ctx)).toContain('Namespace acme: created (dry run)');
    expect(loggedLines(ctx)).toContain(
      'Dry run: would provision namespace acme on cluster production-eu (3 object(s))',
    );
  });

  it('skips an account an earlier step would create in a dry run', async () => {
    const backend = await startWorkflowBackend({ accounts: [] });
    const action = createProvisionAccountAction(backend);
    const ctx = actionContext({ name: 'globex' }, { dryRun: true });
    await action.handler(ctx);
    expect(backend.requests.map(r => r.method)).toEqual(['GET']);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it("fails with the real backend's message when the cluster has no connection", async () => {
    const backend = await startAccountsBackend({ accounts: [testAccount()] });
    const action = createProvisionAccountAction(backend);
    await expect(
      action.handler(actionContext({ name: 'acme' })),
    ).rejects.toThrow(
      "Cluster 'production-eu' has no connection: add it to kubernetes.clusterLocatorMethods",
    );
  });
});
