import {
  actionContext,
  loggedLines,
  startAccountsBackend,
  testAccount,
} from '../__testUtils__/accountsBackend';
import {
  WorkflowScript,
  operation,
  startWorkflowBackend,
} from '../__testUtils__/workflowBackend';
import { createDeployAccountAction } from './deployAccount';

const sha = '9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c';
const id = '6f1c2b8e-3d4a-4b5c-9e8f-0a1b2c3d4e5f';

async function setup(script: WorkflowScript) {
  const backend = await startWorkflowBackend({ accounts: ['acme'], ...script });
  return { ...backend, action: createDeployAccountAction(backend) };
}

const fast = { intervalSeconds: 0.001, timeoutSeconds: 60 };

/** A deploy that moves through its steps and succeeds. */
const succeeding = [
  operation('pending', [
    { id: 'export', status: 'pending' },
    { id: 'provision', status: 'pending' },
  ]),
  operation('running', [
    { id: 'export', status: 'running' },
    { id: 'provision', status: 'pending' },
  ]),
  operation('running', [
    { id: 'export', status: 'running' },
    { id: 'provision', status: 'pending' },
  ]),
  operation('running', [
    { id: 'export', status: 'succeeded', message: 'accounts.json written' },
    { id: 'provision', status: 'running' },
  ]),
  operation(
    'succeeded',
    [
      { id: 'export', status: 'succeeded', message: 'accounts.json written' },
      { id: 'provision', status: 'succeeded', message: '3 objects unchanged' },
    ],
    { commit: sha, deploymentId: 'd-42' },
  ),
];

describe('accounts:deploy', () => {
  it('starts the deploy and follows it, logging each step change once', async () => {
    const { action, requests } = await setup({ operations: succeeding });
    const ctx = actionContext({
      name: 'acme',
      reason: 'Hotfix',
      versions: { backend: '1.4.3' },
      ...fast,
    });
    await action.handler(ctx);

    const starts = requests.filter(r => r.method === 'POST');
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({
      path: '/accounts/acme/deploy',
      body: { reason: 'Hotfix', versions: { backend: '1.4.3' } },
    });
    expect(loggedLines(ctx)).toEqual([
      `Deploy of account 'acme' runs as operation ${id}`,
      'Step export: running',
      'Step export: succeeded (accounts.json written)',
      'Step provision: running',
      'Step provision: succeeded (3 objects unchanged)',
      `Deployed account 'acme' at ${sha}`,
    ]);
    expect(ctx.output).toHaveBeenCalledWith('operationId', id);
    expect(ctx.output).toHaveBeenCalledWith('commit', sha);
    expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'd-42');
  });

  it("fails with the failed step's message", async () => {
    const { action } = await setup({
      operations: [
        operation(
          'failed',
          [
            { id: 'export', status: 'succeeded' },
            {
              id: 'provision',
              status: 'failed',
              message: 'production-eu refused the connection',
            },
          ],
          { error: 'production-eu refused the connection' },
        ),
      ],
    });
    const ctx = actionContext({ name: 'acme', ...fast });
    await expect(action.handler(ctx)).rejects.toThrow(
      "Deploy of account 'acme' failed at step 'Step provision': production-eu refused the connection",
    );
    expect(ctx.output).toHaveBeenCalledWith('operationId', id);
    expect(ctx.output).not.toHaveBeenCalledWith('commit', expect.anything());
  });

  it('follows the operation it started when the task resumes, starting none', async () => {
    const { action, requests } = await setup({ operations: succeeding });
    const checkpoints = new Map<string, unknown>([
      ['accounts-deploy-acme', id],
    ]);
    await action.handler(
      actionContext({ name: 'acme', ...fast }, { checkpoints }),
    );
    expect(requests.filter(r => r.method === 'POST')).toEqual([]);
    expect(requests.at(-1)?.path).toBe(`/operations/${id}`);
  });

  it('keeps the operation id in a checkpoint', async () => {
    const { action } = await setup({ operations: succeeding });
    const checkpoints = new Map<string, unknown>();
    await action.handler(
      actionContext({ name: 'acme', ...fast }, { checkpoints }),
    );
    expect(checkpoints).toEqual(new Map([['accounts-deploy-acme', id]]));
  });

  it('gives up at the timeout, saying the operation goes on', async () => {
    const { action } = await setup({ operations: succeeding.slice(0, 2) });
    await expect(
      action.handler(
        actionContext({
          name: 'acme',
          intervalSeconds: 0.001,
          timeoutSeconds: 0.05,
        }),
      ),
    ).rejects.toThrow(
      `Deploy of account 'acme' did not finish within 0.05 s; operation ${id} is running and goes on in the accounts backend`,
    );
  });

  describe('dry run', () => {
    it('previews the commit and the cluster side, starting nothing', async () => {
      const { action, requests } = await setup({
        deployPreview: {
          dryRun: true,
          preview: {
            folder: 'k8s/flux/production/acme',
            base: {
              sha,
              message: 'acme: render config',
              author: { name: 'Fleet Portal', email: 'fleet@example.com' },
              committedAt: '2026-11-23T08:00:00.000Z',
            },
            changes: [
              {
                path: 'k8s/flux/production/acme/helmrelease-backend.yaml',
                status: 'modified',
              },
            ],
            diff: '',
          },
          provision: {
            cluster: 'production-eu',
            namespace: 'acme',
            dryRun: true,
            objects: [
              {
                apiVersion: 'v1',
                kind: 'Namespace',
                name: 'acme',
                action: 'unchanged',
              },
            ],
          },
        },
      });
      const ctx = actionContext(
        { name: 'acme', versions: { backend: '1.4.3' } },
        { dryRun: true },
      );
      await action.handler(ctx);
      expect(requests.filter(r => r.method === 'POST')).toEqual([
        expect.objectContaining({
          path: '/accounts/acme/deploy',
          body: { versions: { backend: '1.4.3' } },
        }),
      ]);
      expect(requests.find(r => r.method === 'POST')!.query.get('dryRun')).toBe(
        'true',
      );
      expect(loggedLines(ctx)).toEqual([
        'Namespace acme: unchanged (dry run)',
        'modified k8s/flux/production/acme/helmrelease-backend.yaml',
        'Dry run: the deploy would apply 1 object(s) on production-eu and change 1 file(s) of k8s/flux/production/acme; nothing was started',
      ]);
      expect(ctx.output).not.toHaveBeenCalled();
    });
  });

  it('follows a real deploy operation to the failure of its provision step', async () => {
    // The real backend, whose cluster has no connection configured.
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
    // Whether a 'running' was seen depends on when the reads fell; the
    // outcome of each step is always logged.
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
