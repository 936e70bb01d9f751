import { CustomErrorBase } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  Operation,
  OperationStatus,
} from '@fleet-portal/plugin-accounts-common';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import { accountNameInput, pollingInputs } from './accountInputs';
import { accountStep } from './accountStep';
import { examples } from './deployAccount.examples';
import { pollUntil } from './pollUntil';

/** The deploy operation failed, or did not finish in time. */
class DeployFailedError extends CustomErrorBase {
  name = 'DeployFailedError' as const;
}

/**
 * `accounts:deploy`: deploys an account (export, cluster side, config
 * commit, wait for Flux, record) as an operation of the accounts backend,
 * started as the user who started the task, and follows it to its end. The
 * start is checkpointed: a resumed task follows the same operation instead
 * of starting a second deploy, and a retried task whose deploy failed starts
 * a new one.
 */
export function createDeployAccountAction(options: {
  client: AccountsBackendClient;
}) {
  const { client } = options;
  return createTemplateAction({
    id: 'accounts:deploy',
    description:
      'Deploys an account: export, provision, commit its config, wait for Flux, record the deployment',
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
            .describe('Why, for the commit message and the audit trail'),
        versions: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('Service name → image tag to pin for this deploy'),
        ...pollingInputs(
          'Seconds to follow the deploy before failing (default 1800)',
        ),
      },
      output: {
        operationId: z =>
          z
            .string()
            .optional()
            .describe('The deploy operation (not in a dry run)'),
        commit: z =>
          z
            .string()
            .optional()
            .describe(
              'The config repository commit deployed (not in a dry run)',
            ),
        deploymentId: z =>
          z
            .string()
            .optional()
            .describe('The deployment recorded (not in a dry run)'),
      },
    },
    async handler(ctx) {
      const { name } = ctx.input;
      // The scaffolder validates input but does not apply defaults.
      const timeoutSeconds = ctx.input.timeoutSeconds ?? 1800;
      const intervalSeconds = ctx.input.intervalSeconds ?? 5;
      const request = {
        ...(ctx.input.reason ? { reason: ctx.input.reason } : {}),
        // Empty pins come from a form whose version map was left empty.
        ...(ctx.input.versions && Object.keys(ctx.input.versions).length
          ? { versions: ctx.input.versions }
          : {}),
      };
      const step = await accountStep(ctx, client);
      const { credentials, log } = step;
      if (ctx.isDryRun) {
        if (await step.existsForDryRun(name)) {
          const { preview, provision } = await client.previewDeploy(
            name,
            request,
            credentials,
          );
          step.logObjects(provision.objects, true);
          step.logChanges(preview.changes);
          log(
            `Dry run: the deploy would apply ${provision.objects.length} object(s) on ${provision.cluster} and change ${preview.changes.length} file(s) of ${preview.folder}; nothing was started`,
          );
        }
        return;
      }

      // A resumed task follows the deploy it started. A retried task whose
      // deploy failed starts another: the backend's deploy commits nothing
      // unchanged and records one deployment per operation. Each attempt has
      // its own checkpoint, so no retry starts one beside a running deploy.
      let operationId = '';
      for (let attempt = 1; !operationId; attempt += 1) {
        const started = { now: false };
        const id = await step.once(
          attempt === 1
            ? `accounts-deploy-${name}`
            : `accounts-deploy-${name}-${attempt}`,
          async () => {
            started.now = true;
            return (await client.startDeploy(name, request, credentials)).id;
          },
        );
        const earlier = started.now
          ? undefined
          : await client.getOperation(id, credentials);
        if (earlier?.status === 'failed') {
          log(
            `Deploy operation ${id} of an earlier run failed; deploying again`,
          );
        } else {
          operationId = id;
        }
      }
      log(`Deploy of account '${name}' runs as operation ${operationId}`);

      const seen = new Map<string, OperationStatus>();
      const { value: operation, done } = await pollUntil({
        read: () => client.getOperation(operationId, credentials),
        onValue: op => logTransitions(op, seen, log),
        isDone: op => op.status === 'succeeded' || op.status === 'failed',
        intervalMs: intervalSeconds * 1000,
        timeoutMs: timeoutSeconds * 1000,
        signal: ctx.signal,
        what: `deploy operation ${operationId}`,
      });
      ctx.output('operationId', operationId);
      if (!done) {
        throw new DeployFailedError(
          `Deploy of account '${name}' did not finish within ${timeoutSeconds} s; operation ${operationId} is ${operation.status} and goes on in the accounts backend`,
        );
      }
      if (operation.status === 'failed') {
        const failed = operation.steps.find(s => s.status === 'failed');
        const why = failed?.message ?? operation.error ?? 'no reason given';
        throw new DeployFailedError(
          `Deploy of account '${name}' failed${
            failed ? ` at step '${failed.title}'` : ''
          }: ${why}`,
        );
      }
      if (operation.commit) {
        ctx.output('commit', operation.commit);
      }
      if (operation.deploymentId) {
        ctx.output('deploymentId', operation.deploymentId);
      }
      log(
        `Deployed account '${name}' at ${
          operation.commit ?? 'its current commit'
        }`,
      );
    },
  });
}

/** Logs each step whose status changed since the last read. */
function logTransitions(
  operation: Operation,
  seen: Map<string, OperationStatus>,
  log: (message: string) => void,
) {
  for (const step of operation.steps) {
    const before = seen.get(step.id) ?? 'pending';
    if (step.status !== before) {
      log(
        `${step.title}: ${step.status}${
          step.message ? ` (${step.message})` : ''
        }`,
      );
    }
    seen.set(step.id, step.status);
  }
}
