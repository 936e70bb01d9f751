import {
  actionContext,
  loggedLines,
  startAccountsBackend,
  startWithSimulatedCluster,
  testAccount,
} from '../__testUtils__/accountsBackend';
import { SECRET_VALUE } from '../__testUtils__/clusterSimulator';
import { createDeployAccountAction } from './deployAccount';

/** The accounts backend whose cluster production-eu is simulated. */
async function setup() {
  const backend = await startWithSimulatedCluster();
  return {
    ...backend,
    action: createDeployAccountAction(backend),
    /** The deploy operations of `acme` the backend holds. */
    operations: async (): Promise<Array<{ id: string; status: string }>> =>
      (await backend.get('/accounts/acme/operations')).items,
  };
}

const fast = { intervalSeconds: 0.005, timeoutSeconds: 60 };

/** The deploy's steps, as the accounts backend titles them. */
const STEPS = [
  'Export accounts.json',
  'Provision namespace, secrets and Flux Kustomization',
  "Commit the account's folder to the config repository",
  'Wait for Flux to apply the commit and the HelmReleases to be Ready',
  'Record the deployment',
];
const WAIT = STEPS[3];

describe('accounts:deploy', () => {
  it('starts the deploy and follows it to the end, logging each step change once', async () => {
    const { action, cluster, git, operations } = await setup();
    const checkpoints = new Map<string, unknown>();
    const ctx = actionContext(
      {
        name: 'acme',
        reason: 'Hotfix',
        versions: { backend: '1.4.3' },
        ...fast,
      },
      { checkpoints },
    );
    await action.handler(ctx);

    const [operation, ...others] = await operations();
    expect(others).toEqual([]);
    expect(operation.status).toBe('succeeded');
    const commit = git('rev-parse', 'main').trim();
    expect(git('log', '-1', '--format=%B', commit)).toContain('Hotfix');
    expect(ctx.output).toHaveBeenCalledWith('operationId', operation.id);
    expect(ctx.output).toHaveBeenCalledWith('commit', commit);
    expect(ctx.output).toHaveBeenCalledWith(
      'deploymentId',
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    );
    expect(checkpoints).toEqual(
      new Map([['accounts-deploy-acme', operation.id]]),
    );
    // The pinned version reached the cluster.
    expect(
      cluster.get('HelmRelease', 'acme', 'backend').spec.values.image.tag,
    ).toBe('1.4.3');

    const lines = loggedLines(ctx);
    expect(lines[0]).toBe(
      `Deploy of account 'acme' runs as operation ${operation.id}`,
    );
    expect(lines.at(-1)).toBe(`Deployed account 'acme' at ${commit}`);
    // Each step's outcome, in order; a 'running' at most once per step
    // (whether one was seen depends on when the readings fell), and never
    // a line per progress message of the step.
    const steps = lines.slice(1, -1);
    expect(steps.filter(l => !l.includes(': running'))).toEqual(
      STEPS.map(title => expect.stringMatching(`^${title}: succeeded`)),
    );
    for (const title of STEPS) {
      expect(steps.filter(l => l === `${title}: running`).length).toBeLessThan(
        2,
      );
    }
    expect(steps).toContainEqual(
      expect.stringMatching(
        /^Record the deployment: succeeded \(Deployed backend 1\.4\.3 at [0-9a-f]{7}\)$/,
      ),
    );
    expect(JSON.stringify(lines)).not.toContain(SECRET_VALUE);
  });

  it("fails naming the HelmRelease and Flux's message", async () => {
    const { action, cluster, operations } = await setup();
    await cluster.failRelease('acme', 'backend', 'image pull back-off');
    const ctx = actionContext({ name: 'acme', ...fast });
    await expect(action.handler(ctx)).rejects.toThrow(
      `Deploy of account 'acme' failed at step '${WAIT}': HelmRelease acme/backend failed: Helm install failed for release acme/backend with chart backend@1.0.0: image pull back-off`,
    );
    const [operation] = await operations();
    expect(operation.status).toBe('failed');
    expect(ctx.output).toHaveBeenCalledWith('operationId', operation.id);
    expect(ctx.output).not.toHaveBeenCalledWith('commit', expect.anything());
    expect(loggedLines(ctx)).toContainEqual(
      expect.stringMatching(`^${WAIT}: failed \\(HelmRelease acme/backend`),
    );
  });

  it('deploys again when a retried task finds its deploy failed, once per retry', async () => {
    const { action, cluster, operations } = await setup();
    await cluster.failRelease('acme', 'backend', 'image pull back-off');
    const checkpoints = new Map<string, unknown>();
    const run = () =>
      action.handler(
        actionContext(
          { name: 'acme', versions: { backend: '1.4.3' }, ...fast },
          { checkpoints },
        ),
      );
    await expect(run()).rejects.toThrow(/image pull back-off/);
    const [failed] = await operations();

    // Fixed; the task is retried with its checkpoints (the UI's Retry).
    await cluster.failRelease('acme', 'backend');
    const retried = actionContext(
      { name: 'acme', versions: { backend: '1.4.3' }, ...fast },
      { checkpoints },
    );
    await action.handler(retried);
    const [second, first] = await operations();
    expect(first).toMatchObject({ id: failed.id, status: 'failed' });
    expect(second.status).toBe('succeeded');
    expect(retried.output).toHaveBeenCalledWith('operationId', second.id);
    expect(loggedLines(retried)[0]).toBe(
      `Deploy operation ${failed.id} of an earlier run failed; deploying again`,
    );
    // Retrying the finished task follows the deploy that succeeded.
    const again = actionContext(
      { name: 'acme', versions: { backend: '1.4.3' }, ...fast },
      { checkpoints },
    );
    await action.handler(again);
    expect(again.output).toHaveBeenCalledWith('operationId', second.id);
    expect(await operations()).toHaveLength(2);
  });

  it('stops following when the task is cancelled, and the resumed task follows the same operation to its end', async () => {
    const { action, operations } = await setup();
    const checkpoints = new Map<string, unknown>();
    const controller = new AbortController();
    const first = actionContext(
      { name: 'acme', ...fast },
      {
        checkpoints,
        signal: controller.signal,
        onLog: () => controller.abort(),
      },
    );
    await expect(action.handler(first)).rejects.toThrow(
      /^Cancelled while waiting for deploy operation [0-9a-f-]{36}$/,
    );
    const id = checkpoints.get('accounts-deploy-acme');
    expect(loggedLines(first)).toEqual([
      `Deploy of account 'acme' runs as operation ${id}`,
    ]);

    const resumed = actionContext({ name: 'acme', ...fast }, { checkpoints });
    await action.handler(resumed);
    expect(resumed.output).toHaveBeenCalledWith('operationId', id);
    expect(loggedLines(resumed).at(-1)).toMatch(
      /^Deployed account 'acme' at [0-9a-f]{40}$/,
    );
    expect(await operations()).toEqual([
      expect.objectContaining({ id, status: 'succeeded' }),
    ]);
  });

  it('gives up at the timeout, saying the operation goes on', async () => {
    const { action, cluster, operations } = await setup();
    // Flux never fetches the commit, so the deploy waits for it.
    cluster.suspend('GitRepository', 'flux-system', 'fleet-config');
    const ctx = actionContext({
      name: 'acme',
      intervalSeconds: 0.01,
      timeoutSeconds: 0.5,
    });
    const error = await action.handler(ctx).catch(e => e);
    const [operation] = await operations();
    expect(error.message).toBe(
      `Deploy of account 'acme' did not finish within 0.5 s; operation ${operation.id} is running and goes on in the accounts backend`,
    );
    expect(operation.status).toBe('running');
  });

  describe('dry run', () => {
    it('previews the commit and the cluster side, starting and writing nothing', async () => {
      const { action, cluster, git, operations } = await setup();
      const head = git('rev-parse', 'main').trim();
      const ctx = actionContext(
        { name: 'acme', versions: { backend: '1.4.3' } },
        { dryRun: true },
      );
      await action.handler(ctx);

      const lines = loggedLines(ctx);
      expect(lines.slice(0, 3)).toEqual([
        'Namespace acme: created (dry run)',
        'Secret acme/slack-webhook: created (dry run) (keys: address)',
        'Kustomization acme/acme: created (dry run)',
      ]);
      const files = lines.slice(3, -1);
      expect(files).toContain(
        'added k8s/flux/production/acme/helmrelease-backend.yaml',
      );
      expect(lines.at(-1)).toBe(
        `Dry run: the deploy would apply 3 object(s) on production-eu and change ${files.length} file(s) of k8s/flux/production/acme; nothing was started`,
      );
      expect(ctx.output).not.toHaveBeenCalled();
      expect(await operations()).toEqual([]);
      expect(git('rev-parse', 'main').trim()).toBe(head);
      expect(cluster.get('Namespace', '', 'acme')).toBeUndefined();
      expect(JSON.stringify(lines)).not.toContain(SECRET_VALUE);
    });

    it('skips an account an earlier step would create', async () => {
      const { action, cluster } = await setup();
      const ctx = actionContext({ name: 'globex' }, { dryRun: true });
      await action.handler(ctx);
      expect(loggedLines(ctx)).toEqual([
        "Dry run: there is no account 'globex' yet (an earlier step creates it in a real run); nothing more to check",
      ]);
      expect(cluster.requests('PATCH', '/api/v1/namespaces/globex')).toEqual(
        [],
      );
    });
  });

  it("fails at the provision step when the account's cluster has no connection", async () => {
    const backend = await startAccountsBackend({ accounts: [testAccount()] });
    const action = createDeployAccountAction(backend);
    const ctx = actionContext({ name: 'acme', reason: 'Test', ...fast });
    await expect(action.handler(ctx)).rejects.toThrow(
      "Deploy of account 'acme' failed at step 'Provision namespace, secrets and Flux Kustomization': Cluster 'production-eu' has no connection",
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'operationId',
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    );
    expect(loggedLines(ctx)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Export accounts\.json: succeeded \(Wrote 1 accounts/,
        ),
        expect.stringMatching(
          /^Provision namespace, secrets and Flux Kustomization: failed \(Cluster 'production-eu' has no connection/,
        ),
      ]),
    );
  });
});
