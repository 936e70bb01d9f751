import {
  actionContext,
  loggedLines,
  startAccountsBackend,
  startWithSimulatedCluster,
  testAccount,
} from '../__testUtils__/accountsBackend';
import { SECRET_VALUE } from '../__testUtils__/clusterSimulator';
import { createProvisionAccountAction } from './provisionAccount';

/** The accounts backend whose cluster production-eu is simulated. */
async function setup() {
  const backend = await startWithSimulatedCluster();
  return { ...backend, action: createProvisionAccountAction(backend) };
}

const objects = (action: string) => [
  { apiVersion: 'v1', kind: 'Namespace', name: 'acme', action },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: 'acme',
    name: 'slack-webhook',
    action,
    keys: ['address'],
  },
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    namespace: 'acme',
    name: 'acme',
    action,
  },
];

/** Everything the action handed to the task: log lines and outputs. */
function reported(ctx: ReturnType<typeof actionContext>): string {
  return JSON.stringify([
    (ctx.logger.info as jest.Mock).mock.calls,
    (ctx.output as jest.Mock).mock.calls,
  ]);
}

describe('accounts:provision', () => {
  it('applies the objects on the cluster, logs them with Secrets by key only, and outputs them', async () => {
    const { action, cluster } = await setup();
    const checkpoints = new Map<string, unknown>();
    const ctx = actionContext({ name: 'acme' }, { checkpoints });
    await action.handler(ctx);

    expect(loggedLines(ctx)).toEqual([
      'Namespace acme: created',
      'Secret acme/slack-webhook: created (keys: address)',
      'Kustomization acme/acme: created',
      'Provisioned namespace acme on cluster production-eu (3 object(s))',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('cluster', 'production-eu');
    expect(ctx.output).toHaveBeenCalledWith('namespace', 'acme');
    expect(ctx.output).toHaveBeenCalledWith('objects', objects('created'));
    expect(checkpoints.get('accounts-provision-acme')).toEqual({
      cluster: 'production-eu',
      namespace: 'acme',
      dryRun: false,
      objects: objects('created'),
    });

    // The cluster holds them, the Secret with its value...
    expect(cluster.get('Namespace', '', 'acme')).toBeDefined();
    expect(cluster.get('Kustomization', 'acme', 'acme').spec).toMatchObject({
      path: './k8s/flux/production/acme',
      sourceRef: { kind: 'GitRepository', name: 'fleet-config' },
    });
    const secret = cluster.get('Secret', 'acme', 'slack-webhook');
    expect(Buffer.from(secret.data.address, 'base64').toString()).toBe(
      SECRET_VALUE,
    );
    // ...which the task never sees.
    expect(reported(ctx)).not.toContain(SECRET_VALUE);
    expect(JSON.stringify([...checkpoints])).not.toContain(SECRET_VALUE);
  });

  it('changes nothing when run again', async () => {
    const { action } = await setup();
    await action.handler(actionContext({ name: 'acme' }));
    const again = actionContext({ name: 'acme' });
    await action.handler(again);
    expect(again.output).toHaveBeenCalledWith('objects', objects('unchanged'));
    expect(loggedLines(again)).toContain('Kustomization acme/acme: unchanged');
  });

  it("goes through the API server's dry run in a dry run, changing nothing", async () => {
    const { action, cluster } = await setup();
    const ctx = actionContext({ name: 'acme' }, { dryRun: true });
    await action.handler(ctx);

    expect(loggedLines(ctx)).toEqual([
      'Namespace acme: created (dry run)',
      'Secret acme/slack-webhook: created (dry run) (keys: address)',
      'Kustomization acme/acme: created (dry run)',
      'Dry run: would provision namespace acme on cluster production-eu (3 object(s))',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('objects', objects('created'));
    // The namespace was applied with the API server's dry run; the objects
    // inside the namespace that does not exist yet are not sent at all.
    const applies = cluster.requests('PATCH', '/api/v1/namespaces/acme');
    expect(applies.map(r => r.query)).toEqual([
      expect.objectContaining({ dryRun: 'All' }),
    ]);
    expect(cluster.get('Namespace', '', 'acme')).toBeUndefined();
    expect(cluster.get('Kustomization', 'acme', 'acme')).toBeUndefined();
    expect(reported(ctx)).not.toContain(SECRET_VALUE);
  });

  it('sends every apply through the dry run once the account exists', async () => {
    const { action, cluster } = await setup();
    await action.handler(actionContext({ name: 'acme' }));
    const before = cluster.get('Secret', 'acme', 'slack-webhook');
    const ctx = actionContext({ name: 'acme' }, { dryRun: true });
    await action.handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith('objects', objects('unchanged'));
    const applies = cluster.requests(
      'PATCH',
      '/api/v1/namespaces/acme/secrets/slack-webhook',
    );
    expect(applies.map(r => r.query.dryRun)).toEqual([undefined, 'All']);
    expect(cluster.get('Secret', 'acme', 'slack-webhook')).toEqual(before);
  });

  it('skips an account an earlier step would create in a dry run', async () => {
    const { action, cluster } = await setup();
    const ctx = actionContext({ name: 'globex' }, { dryRun: true });
    await action.handler(ctx);
    expect(loggedLines(ctx)).toEqual([
      "Dry run: there is no account 'globex' yet (an earlier step creates it in a real run); nothing more to check",
    ]);
    expect(ctx.output).not.toHaveBeenCalled();
    expect(cluster.requests('PATCH', '/api/v1/namespaces/globex')).toEqual([]);
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
