import { NotFoundError } from '@backstage/errors';
import { Account } from '@fleet-portal/plugin-accounts-common';
import { randomUUID } from 'crypto';
import { AccountsExporter } from '../export/AccountsExporter';
import { AccountConfigService } from '../gitops/AccountConfigService';
import { AccountsStore } from '../registry/AccountsStore';
import { AccountClusterSide, describeProvision } from './AccountClusterSide';
import { OperationsStore, StoredOperation } from './OperationsStore';
import { WaitOptions, waitForFlux } from './waitForFlux';
import { StepContext, WorkflowStep } from './WorkflowStep';

/** What the deploy steps use. */
export interface DeployDependencies {
  accounts: AccountsStore;
  operations: OperationsStore;
  cluster: AccountClusterSide;
  gitops?: AccountConfigService;
  exporter?: AccountsExporter;
  /** Called after each export (the optional HTTP hook). */
  afterExport?: (event: {
    generatedAt: string;
    accounts: number;
    account: string;
  }) => Promise<void>;
  wait: WaitOptions;
}

/** The request a deploy operation stores. */
export interface DeployRequest {
  versions?: Record<string, string>;
}

/**
 * The deploy workflow: export accounts.json → provision the cluster side →
 * commit the account's folder → wait for Flux → record the deployment. Every
 * step is idempotent, so a resumed deploy repeats nothing harmful. The steps
 * read the operation they run for from their context.
 */
export function deploySteps(deps: DeployDependencies): WorkflowStep[] {
  // Read at each step: the account may change while a deploy runs.
  const account = async (operation: StoredOperation) => {
    const found = await deps.accounts.getAccount(operation.account);
    if (!found) {
      throw new NotFoundError(`No account named '${operation.account}'`);
    }
    return found;
  };
  return [
    {
      id: 'export',
      title: 'Export accounts.json',
      async run({ operation }) {
        if (!deps.exporter) {
          return { message: 'No export target is configured', skipped: true };
        }
        const document = await deps.exporter.exportNow();
        await deps.afterExport?.({
          generatedAt: document.generatedAt,
          accounts: document.accounts.length,
          account: operation.account,
        });
        return {
          message: `Wrote ${
            document.accounts.length
          } accounts to ${deps.exporter.describeTarget()}${
            deps.afterExport ? ' and notified the export hook' : ''
          }`,
        };
      },
    },
    {
      id: 'provision',
      title: 'Provision namespace, secrets and Flux Kustomization',
      async run({ operation }) {
        return {
          message: describeProvision(
            await deps.cluster.provision(await account(operation)),
          ),
        };
      },
    },
    {
      id: 'commit',
      title: "Commit the account's folder to the config repository",
      async run(context) {
        const { operation } = context;
        const request = operation.request as DeployRequest;
        const gitops = requireGitops(deps);
        const result = await gitops.commit([await account(operation)], {
          actor: operation.requestedBy,
          reason: operation.reason ?? 'deploy',
          pins: request.versions
            ? { [operation.account]: request.versions }
            : undefined,
        });
        await context.set({ commit: result.commit.sha });
        const short = result.commit.sha.slice(0, 7);
        return {
          message:
            result.status === 'committed'
              ? `Committed ${short} (${result.changes.length} files changed)`
              : `Nothing to commit: the folder is up to date at ${short}`,
        };
      },
    },
    {
      id: 'wait',
      title:
        'Wait for Flux to apply the commit and the HelmReleases to be Ready',
      run: async context =>
        waitStep(deps, context, await account(context.operation)),
    },
    {
      id: 'record',
      title: 'Record the deployment',
      async run(context) {
        const current = await account(context.operation);
        const commit = requireCommit(context.operation);
        const deployment = await deps.operations.recordDeployment({
          id: randomUUID(),
          account: current.name,
          environment: current.environment,
          cluster: current.cluster,
          operationId: context.operation.id,
          commit,
          versions: await requireGitops(deps).imageTags(current),
          deployedBy: context.operation.requestedBy,
          reason: context.operation.reason,
          deployedAt: new Date().toISOString(),
        });
        await context.set({ deploymentId: deployment.id });
        return {
          message: `Deployed ${Object.entries(deployment.versions)
            .map(([service, tag]) => `${service} ${tag}`)
            .join(', ')} at ${commit.slice(0, 7)}`,
        };
      },
    },
  ];
}

async function waitStep(
  deps: DeployDependencies,
  context: StepContext,
  current: Account,
) {
  const gitops = requireGitops(deps);
  // Like `flux reconcile`: do not wait for the Kustomization's interval.
  await deps.cluster.requestReconcile(current);
  const { readiness, timedOut } = await waitForFlux({
    cluster: deps.cluster,
    account: current,
    commit: requireCommit(context.operation),
    head: async () => (await gitops.head()).sha,
    options: deps.wait,
    signal: context.signal,
    onProgress: r => context.progress(r.message),
  });
  if (readiness.state === 'ready') return { message: readiness.message };
  if (timedOut) {
    throw new Error(
      `Flux did not finish within ${Math.round(
        deps.wait.timeoutMs / 1000,
      )} s: ${readiness.message}`,
    );
  }
  throw new Error(readiness.message);
}

function requireGitops(deps: DeployDependencies): AccountConfigService {
  if (!deps.gitops) {
    throw new Error('No config repository is configured (accounts.gitops)');
  }
  return deps.gitops;
}

function requireCommit(operation: StoredOperation): string {
  if (!operation.commit) {
    throw new Error('The commit step has not recorded a commit');
  }
  return operation.commit;
}
