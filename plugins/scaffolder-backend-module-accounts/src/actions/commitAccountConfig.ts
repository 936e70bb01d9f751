import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  AccountConfigCommitResult,
  ConfigFileStatus,
} from '@fleet-portal/plugin-accounts-common';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import { ACCOUNT_NAME_PATTERN, asJson, existsForDryRun } from './accountInputs';
import { examples } from './commitAccountConfig.examples';

/**
 * `accounts:config:commit`: renders the account's folder of the config
 * repository and commits it in one commit, as the user who started the task.
 * Re-running it makes no second commit: an unchanged folder is reported as
 * `unchanged` with the commit that already holds it.
 */
export function createCommitAccountConfigAction(options: {
  client: AccountsBackendClient;
}) {
  const { client } = options;
  return createTemplateAction({
    id: 'accounts:config:commit',
    description:
      "Renders an account's folder and commits it to the config repository",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .min(2)
            .max(40)
            .regex(ACCOUNT_NAME_PATTERN)
            .describe('Name of the account (a DNS-1123 label)'),
        reason: z =>
          z
            .string()
            .max(200)
            .optional()
            .describe('Why, one line, for the commit message'),
      },
      output: {
        commitSha: z =>
          z
            .string()
            .describe(
              'The commit holding the folder (in a dry run: the head the commit would build on)',
            ),
        commitUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'The commit on the web, when the repository has a web UI',
            ),
        status: z =>
          z
            .enum(['committed', 'unchanged'])
            .describe('`unchanged` when the folder already was as rendered'),
      },
    },
    async handler(ctx) {
      const { name, reason } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      if (ctx.isDryRun) {
        const log = (message: string) => ctx.logger.info(message);
        if (!(await existsForDryRun(client, name, credentials, log))) {
          return;
        }
        const preview = await client.previewConfig(name, credentials);
        logChanges(log, preview.changes);
        ctx.logger.info(
          `Dry run: ${
            preview.changes.length
              ? `would commit ${preview.changes.length} file(s) of ${preview.folder}`
              : `${preview.folder} is already as rendered; nothing to commit`
          } (on ${preview.base.sha})`,
        );
        ctx.output('commitSha', preview.base.sha);
        ctx.output(
          'status',
          preview.changes.length ? 'committed' : 'unchanged',
        );
        return;
      }
      const result = (await ctx.checkpoint({
        key: `accounts-config-commit-${name}`,
        fn: async () =>
          asJson(
            await client.commitConfig(
              name,
              reason ? { reason } : {},
              credentials,
            ),
          ),
      })) as unknown as AccountConfigCommitResult;
      logChanges(message => ctx.logger.info(message), result.changes);
      ctx.logger.info(
        result.status === 'committed'
          ? `Committed ${result.commit.sha} for account '${name}'`
          : `Account '${name}' was already committed as rendered (${result.commit.sha}); no new commit`,
      );
      ctx.output('commitSha', result.commit.sha);
      if (result.commit.url) {
        ctx.output('commitUrl', result.commit.url);
      }
      ctx.output('status', result.status);
    },
  });
}

function logChanges(
  log: (message: string) => void,
  changes: ConfigFileStatus[],
) {
  for (const change of changes) {
    log(`${change.status} ${change.path}`);
  }
}
