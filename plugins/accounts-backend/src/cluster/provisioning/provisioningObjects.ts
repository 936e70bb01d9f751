import { InputError } from '@backstage/errors';
import { AccountSettings } from '@fleet-portal/plugin-accounts-common';
import { readFile } from 'fs/promises';
import { GitopsConfig } from '../../gitops/render/gitopsConfig';
import { validateFluxObject } from '../../gitops/render/fluxSchemas';
import { kubernetesObjectProblems } from '../../gitops/render/kubernetesRules';
import { accountFolder } from '../../gitops/render/renderAccountFolder';
import { KubeObject } from '../ClusterClient';
import {
  ProvisionedSecretConfig,
  ProvisioningConfig,
} from './provisioningConfig';

/** The apiVersion of the Flux Kustomization provisioning creates. */
export const KUSTOMIZATION_API_VERSION = 'kustomize.toolkit.fluxcd.io/v1';

/** The account fields provisioning builds from. */
export type ProvisionedAccount = Pick<AccountSettings, 'name' | 'environment'>;

/** What provisioning applies for one account, in order. */
export interface ProvisioningObjects {
  namespace: KubeObject;
  /** Each Secret with its keys (for the result, which never holds values). */
  secrets: Array<{ object: KubeObject; keys: string[] }>;
  kustomization: KubeObject;
}

/** The labels every provisioned object carries. */
export function provisioningLabels(
  account: ProvisionedAccount,
): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'fleet-portal',
    'fleet-portal.io/account': account.name,
    'fleet-portal.io/environment': account.environment,
  };
}

async function secretObject(
  account: ProvisionedAccount,
  secret: ProvisionedSecretConfig,
): Promise<{ object: KubeObject; keys: string[] }> {
  const data: Record<string, string> = {};
  for (const { key, source } of secret.data) {
    if ('file' in source) {
      let content: Buffer;
      try {
        content = await readFile(source.file);
      } catch (error) {
        // Name the secret, key and file; the error has no file contents.
        throw new Error(
          `Secret ${secret.name} key ${key}: cannot read ${source.file} (${
            (error as NodeJS.ErrnoException).code ?? 'unreadable'
          })`,
        );
      }
      data[key] = content.toString('base64');
    } else {
      data[key] = Buffer.from(source.value.reveal(), 'utf8').toString('base64');
    }
  }
  return {
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: secret.name,
        namespace: account.name,
        labels: provisioningLabels(account),
      },
      type: secret.type,
      data,
    },
    keys: secret.data.map(d => d.key),
  };
}

/**
 * The Flux Kustomization applying the account's folder of the config
 * repository (`./<pathPrefix>/<account>`) into its namespace. It stays
 * active for inactive accounts: their HelmReleases are suspended instead.
 */
export function kustomizationObject(
  account: ProvisionedAccount,
  provisioning: ProvisioningConfig,
  gitops: GitopsConfig,
): KubeObject {
  const { flux } = provisioning;
  const object: KubeObject = {
    apiVersion: KUSTOMIZATION_API_VERSION,
    kind: 'Kustomization',
    metadata: {
      name: account.name,
      namespace: account.name,
      labels: provisioningLabels(account),
    },
    spec: {
      interval: flux.interval,
      ...(flux.timeout !== undefined && { timeout: flux.timeout }),
      path: `./${accountFolder(gitops, account)}`,
      prune: true,
      sourceRef: { ...flux.sourceRef },
    },
  };
  const problems = [
    ...validateFluxObject(object),
    ...kubernetesObjectProblems(object, { namespace: account.name }),
  ];
  if (problems.length > 0) {
    throw new InputError(
      `Invalid Kustomization ${account.name}/${account.name}: ${problems.join(
        '; ',
      )}`,
    );
  }
  return object;
}

/**
 * Builds what provisioning applies for an account: its Namespace (named
 * after it, with Fleet Portal's labels and the configured ones), the
 * configured Secrets (values from config or read from files now; a file
 * that cannot be read is an error naming the secret, key and file) and its
 * Flux Kustomization, validated against Flux's schema.
 */
export async function buildProvisioningObjects(
  account: ProvisionedAccount,
  options: { provisioning: ProvisioningConfig; gitops: GitopsConfig },
): Promise<ProvisioningObjects> {
  const { provisioning, gitops } = options;
  const namespace: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: account.name,
      labels: { ...provisioning.labels, ...provisioningLabels(account) },
    },
  };
  const kustomization = kustomizationObject(account, provisioning, gitops);
  const secrets = [];
  for (const secret of provisioning.secrets) {
    secrets.push(await secretObject(account, secret));
  }
  return { namespace, secrets, kustomization };
}
