import { readFile } from 'fs/promises';
import {
  actionContext,
  startAccountsBackend,
  testAccount,
} from '../__testUtils__/accountsBackend';
import { createExportAccountsAction } from './exportAccounts';

async function setup() {
  const backend = await startAccountsBackend({
    accounts: [testAccount(), testAccount({ name: 'globex' })],
  });
  return { ...backend, action: createExportAccountsAction(backend) };
}

describe('accounts:export', () => {
  it('writes accounts.json and outputs where and when', async () => {
    const { action, exportedFiles, exportFolder } = await setup();
    const ctx = actionContext({});
    await action.handler(ctx);

    expect(await exportedFiles()).toEqual(['accounts.json']);
    const document = JSON.parse(
      await readFile(`${exportFolder}/accounts.json`, 'utf8'),
    );
    expect(document.accounts.map((a: { name: string }) => a.name)).toEqual([
      'acme',
      'globex',
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'target',
      expect.stringContaining(exportFolder),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'generatedAt',
      document.generatedAt,
    );
  });

  it('keeps the result in a checkpoint', async () => {
    const { action } = await setup();
    const checkpoints = new Map<string, unknown>();
    await action.handler(actionContext({}, { checkpoints }));
    expect(checkpoints.get('accounts-export')).toMatchObject({ accounts: 2 });
  });

  it('writes nothing in a dry run', async () => {
    const { action, exportedFiles, exportFolder } = await setup();
    const ctx = actionContext({}, { dryRun: true });
    await action.handler(ctx);

    expect(await exportedFiles()).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith(
      'target',
      expect.stringContaining(exportFolder),
    );
    expect(ctx.output).not.toHaveBeenCalledWith(
      'generatedAt',
      expect.anything(),
    );
  });

  it('fails with the backend message when no export target is configured', async () => {
    const backend = await startAccountsBackend({
      extraConfig: { export: undefined },
    });
    const action = createExportAccountsAction(backend);
    await expect(action.handler(actionContext({}))).rejects.toThrow(
      'No export target is configured',
    );
  });
});
