import {
  actionContext,
  startAccountsBackend,
  testAccount,
} from '../__testUtils__/accountsBackend';
import { createGetAccountAction } from './getAccount';

/** The real accounts backend with account `acme`; the action's client on it. */
async function setup() {
  const backend = await startAccountsBackend({ accounts: [testAccount()] });
  return createGetAccountAction(backend);
}

describe('accounts:get', () => {
  it('outputs the account read from the accounts backend', async () => {
    const action = await setup();
    const ctx = actionContext({ name: 'acme' });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('environment', 'production');
    expect(ctx.output).toHaveBeenCalledWith('cluster', 'production-eu');
    expect(ctx.output).toHaveBeenCalledWith(
      'account',
      expect.objectContaining({
        name: 'acme',
        createdBy: 'user:default/alice',
      }),
    );
  });

  it('fails with a clear message when the account does not exist', async () => {
    const action = await setup();
    const ctx = actionContext({ name: 'nobody' });
    await expect(action.handler(ctx)).rejects.toThrow(
      "No account named 'nobody'",
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
