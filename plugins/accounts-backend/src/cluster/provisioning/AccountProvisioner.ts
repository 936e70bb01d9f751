import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AccountSettings,
  ProvisionedObject,
  ProvisionResult,
} from '@fleet-portal/plugin-accounts-common';
import { isDeepStrictEqual } from 'util';
import {
  GitopsConfig,
  readGitopsConfig,
} from '../../gitops/render/gitopsConfig';
import { ClusterClient, describeObject, KubeObject } from '../ClusterClient';
import { KubernetesClusters } from '../KubernetesClusters';
import {
  readProvisioningConfig,
  ProvisioningConfig,
} from './provisioningConfig';
import { buildProvisioningObjects } from './provisioningObjects';

/** The account fields provisioning needs. */
export type ProvisionableAccount = Pick<
  AccountSettings,
  'name' | 'environment' | 'cluster'
>;

/** Options of {@link AccountProvisioner}. */
export interface AccountProvisionerOptions {
  clusters: KubernetesClusters;
  provisioning: ProvisioningConfig;
  gitops: GitopsConfig;
  logger: LoggerService;
}

/** Metadata that changes without the object changing. */
const VOLATILE_METADATA = [
  'resourceVersion',
  'managedFields',
  'generation',
  'creationTimestamp',
  'uid',
];

/** The object without what the API server maintains, for comparison. */
function content(object: KubeObject): unknown {
  const { status: _status, metadata, ...rest } = object;
  const kept = Object.fromEntries(
    Object.entries(metadata).filter(([k]) => !VOLATILE_METADATA.includes(k)),
  );
  return { ...rest, metadata: kept };
}

/**
 * What an apply did: `created` when there was no object before, else
 * `unchanged` when the object's content (without its status and what the
 * API server maintains) is the same before and after. Comparing
 * resourceVersions instead would call an object `configured` whenever its
 * controller wrote status between the read and the apply (Flux does so all
 * the time); the same rule serves dry runs, which move no resourceVersion.
 */
function actionOf(
  before: KubeObject | undefined,
  after: KubeObject,
): ProvisionedObject['action'] {
  if (!before) return 'created';
  return isDeepStrictEqual(content(before), content(after))
    ? 'unchanged'
    : 'configured';
}

/**
 * Creates or updates the cluster side of an account, as Terraform did in the
 * seed: its Namespace, then the configured Secrets, then its Flux
 * Kustomization, each by server-side apply as `fleet-portal` (never forced:
 * a field another manager owns is a `ConflictError` naming it). Running it
 * again changes nothing. Secrets are reported by name and keys only.
 *
 * @public
 */
export class AccountProvisioner {
  static fromConfig(
    config: Config,
    options: { clusters: KubernetesClusters; logger: LoggerService },
  ): AccountProvisioner {
    return new AccountProvisioner({
      ...options,
      provisioning: readProvisioningConfig(config),
      gitops: readGitopsConfig(config),
    });
  }

  constructor(private readonly options: AccountProvisionerOptions) {}

  /**
   * Applies the account's objects on its cluster. With `dryRun` the API
   * server validates and computes every apply without storing anything
   * (objects inside a namespace that does not exist yet are reported as
   * `created` without asking, as the server would refuse them).
   */
  async provision(
    account: ProvisionableAccount,
    options: { dryRun?: boolean } = {},
  ): Promise<ProvisionResult> {
    const dryRun = options.dryRun ?? false;
    const client = this.options.clusters.client(account.cluster);
    const built = await buildProvisioningObjects(account, this.options);
    const steps: Array<{ object: KubeObject; keys?: string[] }> = [
      { object: built.namespace },
      ...built.secrets,
      { object: built.kustomization },
    ];
    const objects: ProvisionedObject[] = [];
    let namespaceIsNew = false;
    for (const { object, keys } of steps) {
      const action: ProvisionedObject['action'] =
        dryRun && namespaceIsNew && object.metadata.namespace
          ? 'created'
          : await this.applyOne(client, object, dryRun);
      if (object.kind === 'Namespace') namespaceIsNew = action === 'created';
      objects.push({
        apiVersion: object.apiVersion,
        kind: object.kind,
        ...(object.metadata.namespace !== undefined && {
          namespace: object.metadata.namespace,
        }),
        name: object.metadata.name,
        action,
        ...(keys && { keys }),
      });
    }
    this.options.logger.info(
      `${dryRun ? 'Dry run of provisioning' : 'Provisioned'} account ${
        account.name
      } on cluster ${client.name}`,
      {
        account: account.name,
        cluster: client.name,
        dryRun,
        objects: objects
          .map(o => `${describeObject(o)} ${o.action}`)
          .join(', '),
      },
    );
    return { cluster: client.name, namespace: account.name, dryRun, objects };
  }

  private async applyOne(
    client: ClusterClient,
    object: KubeObject,
    dryRun: boolean,
  ): Promise<ProvisionedObject['action']> {
    const before = await client.get({
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
    });
    const after = await client.apply(object, { dryRun });
    return actionOf(before, after);
  }
}
