import {
  actionContext,
  loggedLines,
  startAccountsBackend,
  testAccount,
} from '../__testUtils__/accountsBackend';
import { createCreateAccountAction } from './createAccount';

/** The action's input for a new production account `globex`. */
const input = {
  name: 'globex',
  displayName: 'Globex',
  environment: 'production',
  region: 'us-central1',
  cluster: 'production-us',
  isUat: false,
  services: ['engine', 'backend'],
  owner: 'group:default/platform',
};

async function setup() {
  const backend = await startAccountsBackend({ accounts: [testAccount()] });
  return { ...backend, action: createCreateAccountAction(backend) };
}

describe('accounts:create', () => {
  it('registers the account and outputs it with its page', async () => {
    const { action, store } = await setup();
    const ctx = actionContext(input);
    await action.handler(ctx);

    const stored = await store.getAccount('globex');
    expect(stored).toMatchObject({
      cluster: 'production-us',
      region: 'us-central1',
      gcpProject: 'globex-production',
      services: [{ name: 'engine' }, { name: 'backend' }],
      createdBy: 'user:default/mock',
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'account',
      expect.objectContaining({ name: 'globex', version: stored!.version }),
    );
    expect(ctx.output).toHaveBeenCalledWith('accountUrl', '/accounts/globex');
  });

  it('applies the defaults of optional inputs the scaffolder leaves out', async () => {
    const { action, store } = await setup();
    const { isUat, services, ...rest } = input;
    await action.handler(actionContext({ ...rest, labels: { tier: 'gold' } }));
    expect(await store.getAccount('globex')).toMatchObject({
      isUat: false,
      services: [],
      labels: { tier: 'gold' },
    });
  });

  it('counts a second run with the same settings as done, creating one account', async () => {
    const { action, store } = await setup();
    await action.handler(actionContext(input));
    const first = await store.getAccount('globex');

    // As after a crash between the create and its checkpoint: run again.
    const again = actionContext({ ...input, services: ['backend', 'engine'] });
    await action.handler(again);

    expect(await store.getAccount('globex')).toEqual(first);
    expect(await store.getHistory('globex')).toHaveLength(1);
    expect(again.output).toHaveBeenCalledWith(
      'account',
      expect.objectContaining({ name: 'globex', version: first!.version }),
    );
    expect(loggedLines(again)).toContain(
      "Account 'globex' already exists with these settings; nothing to do",
    );
  });

  it('fails clearly when the name is taken by an account with other settings', async () => {
    const { action, store } = await setup();
    const before = await store.getAccount('acme');
    const ctx = actionContext({
      ...input,
      name: 'acme',
      displayName: 'Acme',
      gcpProject: 'acme-production',
      services: ['backend'],
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'Account \'acme\' already exists with different settings: region is "europe-west4", not "us-central1"; cluster is "production-eu", not "production-us"',
    );
    expect(await store.getAccount('acme')).toEqual(before);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it("surfaces the backend's message for invalid input, creating nothing", async () => {
    const { action, store } = await setup();
    const ctx = actionContext({ ...input, cluster: 'staging-eu' });
    await expect(action.handler(ctx)).rejects.toThrow(
      "Invalid cluster: 'staging-eu' is not a cluster of environment 'production'",
    );
    expect(await store.getAccount('globex')).toBeUndefined();
  });

  it('refuses to derive a GCP project id that Google would not take', async () => {
    const { action, store } = await setup();
    await expect(
      action.handler(actionContext({ ...input, name: '9lives' })),
    ).rejects.toThrow(
      "Invalid gcpProject: none was given and '9lives-production'",
    );
    expect(await store.getAccount('9lives')).toBeUndefined();
  });

  it('runs inside a checkpoint keyed by the account name', async () => {
    const { action, store } = await setup();
    const checkpoints = new Map<string, unknown>();
    await action.handler(actionContext(input, { checkpoints }));
    expect([...checkpoints.keys()]).toEqual(['accounts-create-globex']);
    expect(checkpoints.get('accounts-create-globex')).toEqual(
      await store.getAccount('globex'),
    );
  });

  describe('dry run', () => {
    it('validates through the backend and writes nothing', async () => {
      const { action, store, exportedFiles } = await setup();
      const ctx = actionContext(input, { dryRun: true });
      await action.handler(ctx);
      expect(await store.getAccount('globex')).toBeUndefined();
      expect(await exportedFiles()).toEqual([]);
      expect(ctx.output).toHaveBeenCalledWith(
        'account',
        expect.objectContaining({ name: 'globex', cluster: 'production-us' }),
      );
      expect(ctx.output).toHaveBeenCalledWith('accountUrl', '/accounts/globex');
    });

    it('counts an existing account with the same settings as done', async () => {
      const { action, store } = await setup();
      await action.handler(actionContext(input));
      const created = await store.getAccount('globex');
      const ctx = actionContext(input, { dryRun: true });
      await action.handler(ctx);
      expect(await store.getAccount('globex')).toEqual(created);
      expect(loggedLines(ctx)).toContain(
        "Account 'globex' already exists with these settings; nothing to do",
      );
    });

    it('fails on input the backend refuses', async () => {
      const { action, store } = await setup();
      const ctx = actionContext(
        { ...input, environment: 'qa' },
        { dryRun: true },
      );
      await expect(action.handler(ctx)).rejects.toThrow(
        "Invalid environment: unknown environment 'qa'",
      );
      expect(await store.getAccount('globex')).toBeUndefined();
    });
  });
});
