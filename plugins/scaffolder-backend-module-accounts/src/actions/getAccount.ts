import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import { examples } from './getAccount.examples';

/**
 * `accounts:get`: reads an account from the registry, as the user who started
 * the task, and outputs its global configuration for later steps.
 */
export function createGetAccountAction(options: {
  client: AccountsBackendClient;
}) {
  return createTemplateAction({
    id: 'accounts:get',
    description:
      "Reads an account's global configuration from the Fleet Portal registry",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
            .max(40)
            .describe('Name of the account (a DNS-1123 label)'),
      },
      output: {
        account: z =>
          z.record(z.string(), z.unknown()).describe('The account as stored'),
        environment: z => z.string().describe("The account's environment"),
        cluster: z => z.string().describe("The account's target cluster"),
      },
    },
    async handler(ctx) {
      const account = await options.client.getAccount(
        ctx.input.name,
        await ctx.getInitiatorCredentials(),
      );
      if (!account) {
        throw new InputError(`No account named '${ctx.input.name}'`);
      }
      ctx.output('account', account as unknown as Record<string, unknown>);
      ctx.output('environment', account.environment);
      ctx.output('cluster', account.cluster);
    },
  });
}
