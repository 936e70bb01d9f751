import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  Account,
  AccountSettings,
  CreateAccountRequest,
} from '@fleet-portal/plugin-accounts-common';
import { AccountsBackendClient } from '../client/AccountsBackendClient';
import {
  accountNameInput,
  accountPagePath,
  asJson,
  hasStatus,
} from './accountInputs';
import { accountStep } from './accountStep';
import { examples } from './createAccount.examples';

/** Google's rule for project ids, as the registry checks it. */
const GCP_PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/**
 * `accounts:create`: registers an account in the Fleet Portal registry, as
 * the user who started the task. Re-running it is safe: an account that
 * already exists with the same settings counts as created (a task resumed
 * after a crash between the create and its checkpoint); one with different
 * settings fails the step.
 */
export function createCreateAccountAction(options: {
  client: AccountsBackendClient;
}) {
  const { client } = options;
  return createTemplateAction({
    id: 'accounts:create',
    description: 'Registers a new account in the Fleet Portal registry',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: accountNameInput(
          'Name of the account (a DNS-1123 label); it becomes the namespace',
        ),
        displayName: z =>
          z.string().min(1).max(100).describe('Name shown to people'),
        environment: z =>
          z.string().describe('A configured environment, e.g. `staging`'),
        region: z => z.string().describe('A region of the environment'),
        gcpProject: z =>
          z
            .string()
            .optional()
            .describe(
              'GCP project id; defaults to `<name>-<environment>` when that is a valid project id',
            ),
        cluster: z => z.string().describe('A cluster of the environment'),
        isUat: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Whether the account receives release candidates (default false)',
            ),
        services: z =>
          z
            .array(z.string())
            .optional()
            .describe('Names of the services deployed into the account'),
        owner: z =>
          z
            .string()
            .describe('Catalog group owning it, e.g. `group:default/platform`'),
        labels: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('Kubernetes-style labels'),
      },
      output: {
        account: z =>
          z.record(z.string(), z.unknown()).describe('The account as stored'),
        accountUrl: z =>
          z.string().describe("Path of the account's page in the portal"),
      },
    },
    async handler(ctx) {
      const request = createRequest(ctx.input);
      const step = await accountStep(ctx, client);
      const create = () =>
        createOrAdopt(client, request, step.credentials, {
          dryRun: ctx.isDryRun ?? false,
          log: step.log,
        });
      // A dry run writes nothing, so there is nothing to resume.
      const account = ctx.isDryRun
        ? await create()
        : await step.once(`accounts-create-${request.name}`, create);
      ctx.output('account', asJson(account));
      ctx.output('accountUrl', accountPagePath(request.name));
    },
  });
}

/** The registry request for the action's input. */
function createRequest(input: {
  name: string;
  displayName: string;
  environment: string;
  region: string;
  gcpProject?: string;
  cluster: string;
  isUat?: boolean;
  services?: string[];
  owner: string;
  labels?: Record<string, string>;
}): CreateAccountRequest {
  // An empty form field comes through as an empty string.
  let gcpProject = input.gcpProject || undefined;
  if (gcpProject === undefined) {
    gcpProject = `${input.name}-${input.environment}`;
    if (!GCP_PROJECT_ID.test(gcpProject)) {
      throw new InputError(
        `Invalid gcpProject: none was given and '${gcpProject}' (name-environment) is not a GCP project id (6–30 lowercase letters, digits and dashes, starting with a letter); give gcpProject`,
      );
    }
  }
  return {
    name: input.name,
    displayName: input.displayName,
    environment: input.environment,
    region: input.region,
    gcpProject,
    cluster: input.cluster,
    // The scaffolder validates input but does not apply defaults.
    isUat: input.isUat ?? false,
    owner: input.owner,
    labels: input.labels ?? {},
    services: (input.services ?? []).map(name => ({ name })),
  };
}

/**
 * Creates the account, or adopts the one that already exists when it has
 * the settings asked for.
 */
async function createOrAdopt(
  client: AccountsBackendClient,
  request: CreateAccountRequest,
  credentials: BackstageCredentials,
  options: { dryRun: boolean; log: (message: string) => void },
): Promise<Account | AccountSettings> {
  try {
    if (options.dryRun) {
      const settings = await client.validateAccount(request, credentials);
      options.log(
        `Dry run: account '${settings.name}' is valid and may be created; nothing was written`,
      );
      return settings;
    }
    const account = await client.createAccount(request, credentials);
    options.log(
      `Created account '${account.name}' in ${account.environment} (${account.cluster})`,
    );
    return account;
  } catch (error) {
    if (!hasStatus(error, 409)) {
      throw error;
    }
    const existing = await client.getAccount(request.name, credentials);
    if (!existing) {
      // Taken and gone again between the two calls: let the retry decide.
      throw error;
    }
    const differences = settingDifferences(request, existing);
    if (differences.length > 0) {
      throw new ConflictError(
        `Account '${
          request.name
        }' already exists with different settings: ${differences.join('; ')}`,
      );
    }
    options.log(
      `Account '${request.name}' already exists with these settings; nothing to do`,
    );
    return existing;
  }
}

/** Which settings of an existing account differ from the request, for people. */
function settingDifferences(
  request: CreateAccountRequest,
  existing: Account,
): string[] {
  const wanted: Record<string, unknown> = {
    displayName: request.displayName,
    environment: request.environment,
    region: request.region,
    gcpProject: request.gcpProject,
    cluster: request.cluster,
    isUat: request.isUat ?? false,
    owner: request.owner,
    labels: sortedLabels(request.labels ?? {}),
    // The action sets service names only; values are changed elsewhere.
    services: (request.services ?? []).map(s => s.name).sort(),
  };
  const actual: Record<string, unknown> = {
    ...existing,
    labels: sortedLabels(existing.labels),
    services: existing.services.map(s => s.name).sort(),
  };
  return Object.keys(wanted)
    .filter(key => JSON.stringify(wanted[key]) !== JSON.stringify(actual[key]))
    .map(
      key =>
        `${key} is ${JSON.stringify(actual[key])}, not ${JSON.stringify(
          wanted[key],
        )}`,
    );
}

/** The same labels with their keys in order, so that JSON compares them. */
function sortedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)),
  );
}
