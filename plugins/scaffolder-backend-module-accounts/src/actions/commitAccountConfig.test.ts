import {
  actionContext,
  loggedLines,
  startAccountsBackend,
  testAccount,
} from '../__testUtils__/accountsBackend';
import { createCommitAccountConfigAction } from './commitAccountConfig';

async function setup() {
  const backend = await startAccountsBackend({ accounts: [testAccount()] });
  return { ...backend, action: createCommitAccountConfigAction(backend) };
}

describe('accounts:config:commit', () => {
  it("commits the account's folder with the reason and outputs the commit", async () => {
    const { action, git } = await setup();
    const ctx = actionContext({ name: 'acme', reason: 'New account' });
    await action.handler(ctx);

    const head = git('rev-parse', 'main').trim();
    expect(ctx.output).toHaveBeenCalledWith('commitSha', head);
    expect(ctx.output).toHaveBeenCalledWith('status', 'committed');
    // A local repository has no web UI, hence no URL.
    expect(ctx.output).not.toHaveBeenCalledWith('commitUrl', expect.anything());
    expect(git('log', '-1', '--format=%B', head)).toContain('New account');
    expect(
      git('ls-tree', '-r', '--name-only', head, 'k8s/flux/production/acme'),
    ).toContain('k8s/flux/production/acme/kustomization.yaml');
    expect(loggedLines(ctx)).toContain(
      'added k8s/flux/production/acme/kustomization.yaml',
    );
  });

  it('makes no second commit when run again', async () => {
    const { action, git } = await setup();
    await action.handler(actionContext({ name: 'acme' }));
    const head = git('rev-parse', 'main').trim();

    const again = actionContext({ name: 'acme' });
    await action.handler(again);
    expect(git('rev-parse', 'main').trim()).toBe(head);
    expect(again.output).toHaveBeenCalledWith('status', 'unchanged');
    expect(again.output).toHaveBeenCalledWith('commitSha', head);
  });

  it('keeps the commit in a checkpoint keyed by the account', async () => {
    const { action, git } = await setup();
    const checkpoints = new Map<string, unknown>();
    await action.handler(actionContext({ name: 'acme' }, { checkpoints }));
    expect(checkpoints.get('accounts-config-commit-acme')).toMatchObject({
      status: 'committed',
      commit: { sha: git('rev-parse', 'main').trim() },
    });
  });

  it("surfaces the backend's message for a bad reason, committing nothing", async () => {
    const { action, git } = await setup();
    const before = git('rev-parse', 'main').trim();
    await expect(
      action.handler(actionContext({ name: 'acme', reason: 'two\nlines' })),
    ).rejects.toThrow('Invalid reason: must be one line');
    expect(git('rev-parse', 'main').trim()).toBe(before);
  });

  it('fails with the backend message for an unknown account', async () => {
    const { action } = await setup();
    await expect(
      action.handler(actionContext({ name: 'nobody' })),
    ).rejects.toThrow("No account named 'nobody'");
  });

  describe('dry run', () => {
    it('previews the commit and writes nothing', async () => {
      const { action, git } = await setup();
      const before = git('rev-parse', 'main').trim();
      const ctx = actionContext({ name: 'acme' }, { dryRun: true });
      await action.handler(ctx);

      expect(git('rev-parse', 'main').trim()).toBe(before);
      expect(ctx.output).toHaveBeenCalledWith('status', 'committed');
      expect(ctx.output).toHaveBeenCalledWith('commitSha', before);
      expect(loggedLines(ctx)).toContain(
        'added k8s/flux/production/acme/kustomization.yaml',
      );
    });

    it('says nothing would change once committed', async () => {
      const { action } = await setup();
      await action.handler(actionContext({ name: 'acme' }));
      const ctx = actionContext({ name: 'acme' }, { dryRun: true });
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('status', 'unchanged');
    });

    it('skips an account that an earlier step would create', async () => {
      const { action } = await setup();
      const ctx = actionContext({ name: 'globex' }, { dryRun: true });
      await action.handler(ctx);
      expect(ctx.output).not.toHaveBeenCalled();
      expect(loggedLines(ctx)).toEqual([
        "Dry run: there is no account 'globex' yet (an earlier step creates it in a real run); nothing more to check",
      ]);
    });
  });
});
