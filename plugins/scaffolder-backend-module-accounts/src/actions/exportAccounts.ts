import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import { accountStep } from './accountStep';
import { examples } from './exportAccounts.examples';

/**
 * `accounts:export`: writes accounts.json (the registry, for provisioning)
 * to the configured target now, as the user who started the task. A dry run
 * only checks that the user may export.
 */
export function createExportAccountsAction(options: {
  client: AccountsBackendClient;
}) {
  const { client } = options;
  return createTemplateAction({
    id: 'accounts:export',
    description:
      'Exports the account registry as accounts.json to the configured target',
    examples,
    supportsDryRun: true,
    schema: {
      input: {},
      output: {
        target: z =>
          z.string().describe('Where accounts.json was written, for people'),
        generatedAt: z =>
          z
            .string()
            .optional()
            .describe(
              'When the export was generated (ISO 8601); not in a dry run',
            ),
      },
    },
    async handler(ctx) {
      const step = await accountStep(ctx, client);
      if (ctx.isDryRun) {
        const result = await client.exportAccounts(step.credentials, {
          dryRun: true,
        });
        step.log(
          `Dry run: would export ${result.accounts} account(s) to ${result.target}; nothing was written`,
        );
        ctx.output('target', result.target);
        return;
      }
      const result = await step.once('accounts-export', () =>
        client.exportAccounts(step.credentials),
      );
      step.log(`Exported ${result.accounts} account(s) to ${result.target}`);
      ctx.output('target', result.target);
      if (result.generatedAt) {
        ctx.output('generatedAt', result.generatedAt);
      }
    },
  });
}
