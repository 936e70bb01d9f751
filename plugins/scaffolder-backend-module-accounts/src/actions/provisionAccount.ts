import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ProvisionResult,
  ProvisionedObject,
} from '@fleet-portal/plugin-accounts-common';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import { ACCOUNT_NAME_PATTERN, asJson, existsForDryRun } from './accountInputs';
import { examples } from './provisionAccount.examples';

/**
 * `accounts:provision`: applies the account's cluster side (namespace,
 * secrets, the Flux Kustomization of its folder) on its cluster, as the user
 * who started the task. Server-side apply makes a re-run change nothing; a
 * dry run goes through the API server's dry run.
 */
export function createProvisionAccountAction(options: {
  client: AccountsBackendClient;
}) {
  const { client } = options;
  return createTemplateAction({
    id: 'accounts:provision',
    description:
      "Applies an account's namespace, secrets and Flux Kustomization on its cluster",
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
      },
      output: {
        cluster: z => z.string().describe('The cluster provisioned'),
        namespace: z => z.string().describe("The account's namespace"),
        objects: z =>
          z
            .array(z.record(z.string(), z.unknown()))
            .describe(
              'The objects applied, with their action; Secrets by key names only',
            ),
      },
    },
    async handler(ctx) {
      const { name } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      const log = (message: string) => ctx.logger.info(message);
      let result: ProvisionResult;
      if (ctx.isDryRun) {
        if (!(await existsForDryRun(client, name, credentials, log))) {
          return;
        }
        result = await client.provision(name, credentials, { dryRun: true });
      } else {
        result = (await ctx.checkpoint({
          key: `accounts-provision-${name}`,
          fn: async () => asJson(await client.provision(name, credentials)),
        })) as unknown as ProvisionResult;
      }
      for (const object of result.objects) {
        log(describeObject(object, result.dryRun));
      }
      log(
        `${
          result.dryRun ? 'Dry run: would provision' : 'Provisioned'
        } namespace ${result.namespace} on cluster ${result.cluster} (${
          result.objects.length
        } object(s))`,
      );
      ctx.output('cluster', result.cluster);
      ctx.output('namespace', result.namespace);
      ctx.output(
        'objects',
        result.objects.map(o => asJson(o)),
      );
    },
  });
}

/** One log line per object; Secrets by their key names, never values. */
export function describeObject(
  object: ProvisionedObject,
  dryRun: boolean,
): string {
  const where = object.namespace ? `${object.namespace}/` : '';
  const keys = object.keys ? ` (keys: ${object.keys.join(', ')})` : '';
  return `${object.kind} ${where}${object.name}: ${object.action}${
    dryRun ? ' (dry run)' : ''
  }${keys}`;
}
