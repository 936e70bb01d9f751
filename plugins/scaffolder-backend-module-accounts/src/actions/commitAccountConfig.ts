import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import { accountNameInput } from './accountInputs';
import { accountStep } from './accountStep';
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
        name: accountNameInput(),
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
      const step = await accountStep(ctx, client);
      if (ctx.isDryRun) {
        if (!(await step.existsForDryRun(name))) {
          return;
        }
        const preview = await client.previewConfig(name, step.credentials);
        step.logChanges(preview.changes);
        step.log(
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
      const result = await step.once(`accounts-config-commit-${name}`, () =>
        client.commitConfig(name, reason ? { reason } : {}, step.credentials),
      );
      step.logChanges(result.changes);
      step.log(
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
