import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ProvisionResult } from '@fleet-portal/plugin-accounts-common';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import { accountNameInput, asJson } from './accountInputs';
import { accountStep } from './accountStep';
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
        name: accountNameInput(),
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
      const step = await accountStep(ctx, client);
      let result: ProvisionResult;
      if (ctx.isDryRun) {
        if (!(await step.existsForDryRun(name))) {
          return;
        }
        result = await client.provision(name, step.credentials, {
          dryRun: true,
        });
      } else {
        result = await step.once(`accounts-provision-${name}`, () =>
          client.provision(name, step.credentials),
        );
      }
      step.logObjects(result.objects, result.dryRun);
      step.log(
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
