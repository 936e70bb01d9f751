import { CustomErrorBase } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AccountReadiness } from '@fleet-portal/plugin-accounts-common';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import { accountNameInput, pollingInputs } from './accountInputs';
import { accountStep } from './accountStep';
import { examples } from './waitForAccountReady.examples';
import { pollUntil } from './pollUntil';

/** Flux reports the account failed or suspended, or it was not ready in time. */
class AccountNotReadyError extends CustomErrorBase {
  name = 'AccountNotReadyError' as const;
}

/**
 * `accounts:wait-ready`: waits until Flux has applied the account's folder
 * (at the given commit, when one is given) and every HelmRelease is Ready.
 * Logs each change of state, and fails with Flux's message naming what
 * failed, when something is suspended, or at the timeout. Reads only, so a
 * resumed task just waits again.
 */
export function createWaitForAccountReadyAction(options: {
  client: AccountsBackendClient;
}) {
  const { client } = options;
  return createTemplateAction({
    id: 'accounts:wait-ready',
    description:
      "Waits until Flux has applied an account's folder and its HelmReleases are Ready",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: accountNameInput(),
        revision: z =>
          z
            .string()
            .optional()
            .describe('Config repository commit Flux must have applied'),
        ...pollingInputs('Seconds to wait before failing (default 600)'),
      },
      output: {
        state: z =>
          z.string().describe('The last readiness state (`ready` on success)'),
      },
    },
    async handler(ctx) {
      const { name } = ctx.input;
      // The scaffolder validates input but does not apply defaults.
      const timeoutSeconds = ctx.input.timeoutSeconds ?? 600;
      const intervalSeconds = ctx.input.intervalSeconds ?? 5;
      // An empty revision comes from a template whose commit step was skipped.
      const revision = ctx.input.revision || undefined;
      const step = await accountStep(ctx, client);
      const read = () =>
        client.getReadiness(name, step.credentials, { revision });
      if (ctx.isDryRun) {
        if (await step.existsForDryRun(name)) {
          const readiness = await read();
          step.log(`Dry run: account '${name}' is ${describe(readiness)}`);
          ctx.output('state', readiness.state);
        }
        return;
      }

      let last = '';
      const { value, done } = await pollUntil({
        read,
        // One log line per change of state, not per poll.
        onValue: readiness => {
          const line = describe(readiness);
          if (line !== last) {
            step.log(`Account '${name}' is ${line}`);
            last = line;
          }
        },
        isDone: readiness =>
          ['ready', 'failed', 'suspended'].includes(readiness.state),
        intervalMs: intervalSeconds * 1000,
        timeoutMs: timeoutSeconds * 1000,
        signal: ctx.signal,
        what: `account '${name}' to be ready`,
      });
      ctx.output('state', value.state);
      if (!done) {
        throw new AccountNotReadyError(
          `Account '${name}' was not ready after ${timeoutSeconds} s: ${value.message}`,
        );
      }
      if (value.state !== 'ready') {
        throw new AccountNotReadyError(
          `Account '${name}' is ${value.state}: ${value.message}`,
        );
      }
    },
  });
}

function describe(readiness: AccountReadiness): string {
  return `${readiness.state}: ${readiness.message}`;
}
