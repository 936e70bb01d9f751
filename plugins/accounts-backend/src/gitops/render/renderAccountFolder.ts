import { InputError } from '@backstage/errors';
import { assertRepositoryPath, isInside } from '../repositoryPaths';
import { GitopsConfig, GitopsEnvironment, GitopsService } from './gitopsConfig';
import {
  accountConfigMap,
  API_VERSIONS,
  helmRelease,
  helmReleaseAlert,
  kustomization,
  RenderableAccount,
  slackProvider,
} from './fluxObjects';
import { isFluxApiVersion, validateFluxObject } from './fluxSchemas';
import { chooseImageTag, IMAGE_TAG_PATH, imagePolicyMarker } from './imageTags';
import {
  IMAGE_TAG,
  isDnsLabel,
  kubernetesObjectProblems,
} from './kubernetesRules';
import {
  isPlainObject,
  jsonDataProblems,
  JsonObject,
  mergeValues,
} from './mergeValues';
import { RenderValidationError } from './RenderValidationError';
import { ScalarComment, writeYamlDocument } from './yamlDocument';

export type { RenderableAccount } from './fluxObjects';

/** One rendered file: its name inside the account's folder and its text. */
export interface RenderedFile {
  name: string;
  content: string;
}

/** An account's folder as it should be committed. */
export interface RenderedFolder {
  /** Path of the folder in the repository, e.g. `k8s/flux/staging/acme`. */
  folder: string;
  /** Every file of the folder, sorted by name. */
  files: RenderedFile[];
}

/** What {@link renderAccountFolder} renders from. */
export interface RenderAccountFolderInput {
  account: RenderableAccount;
  /** File name inside the folder → its content as committed now. */
  current: ReadonlyMap<string, string>;
  /** Service name → image tag to deploy, over everything else. */
  pins?: Record<string, string>;
}

/** The file of a service's HelmRelease. */
export function helmReleaseFileName(service: string): string {
  return `helmrelease-${service}.yaml`;
}

function environmentOf(config: GitopsConfig, name: string): GitopsEnvironment {
  const env = config.environments.find(e => e.name === name);
  if (!env) {
    throw new InputError(
      `Invalid environment: '${name}' has no GitOps configuration (configured: ${
        config.environments.map(e => e.name).join(', ') || 'none'
      })`,
    );
  }
  return env;
}

/**
 * The account's folder in the config repository,
 * `<pathPrefix of its environment>/<account>`. Both names must be DNS-1123
 * labels and the folder a safe repository path; otherwise an `InputError`.
 */
export function accountFolder(
  config: GitopsConfig,
  account: { name: string; environment: string },
): string {
  for (const [field, value] of [
    ['account name', account.name],
    ['environment', account.environment],
  ]) {
    if (!isDnsLabel(value)) {
      throw new InputError(
        `Invalid ${field}: ${JSON.stringify(value)} must be a DNS-1123 label`,
      );
    }
  }
  const env = environmentOf(config, account.environment);
  assertRepositoryPath(env.pathPrefix, `pathPrefix of environment ${env.name}`);
  const folder = `${env.pathPrefix}/${account.name}`;
  assertRepositoryPath(folder, 'account folder');
  return folder;
}

interface PlannedFile {
  name: string;
  object: JsonObject;
  comments?: ScalarComment[];
}

/** The configured service of each of the account's services, or the problems. */
function accountServices(account: RenderableAccount, config: GitopsConfig) {
  const problems: string[] = [];
  const found: Array<{ service: GitopsService; values?: JsonObject }> = [];
  (account.services ?? []).forEach((entry, i) => {
    const service = config.services.find(s => s.name === entry.name);
    if (!service) {
      problems.push(
        `services[${i}].name: '${
          entry.name
        }' is not a configured service (configured: ${
          config.services.map(s => s.name).join(', ') || 'none'
        })`,
      );
    } else if (account.services.findIndex(s => s.name === entry.name) !== i) {
      problems.push(`services[${i}].name: '${entry.name}' is listed twice`);
    } else if (entry.values !== undefined && !isPlainObject(entry.values)) {
      problems.push(`services[${i}].values: must be an object`);
    } else {
      found.push({ service, values: entry.values });
    }
  });
  return { found, problems };
}

function planHelmRelease(
  { service, values }: { service: GitopsService; values?: JsonObject },
  env: GitopsEnvironment,
  input: RenderAccountFolderInput,
  config: GitopsConfig,
): PlannedFile {
  const { account } = input;
  const name = helmReleaseFileName(service.name);
  const where = {
    file: name,
    object: `HelmRelease ${account.name}/${service.name}`,
  };
  const merged = mergeValues(
    service.values,
    service.environments?.[env.name]?.values,
    values,
  );
  const image = merged.image ?? {};
  if (!isPlainObject(image)) {
    throw new RenderValidationError({
      ...where,
      problems: ['spec.values.image: must be an object'],
    });
  }
  let tag: string;
  try {
    tag = chooseImageTag({
      service: service.name,
      environment: env.name,
      pin: input.pins?.[service.name],
      committedFile: input.current.get(name),
      configured: service.environments?.[env.name]?.imageTag,
    });
  } catch (error) {
    throw new RenderValidationError({
      ...where,
      problems: [(error as Error).message],
    });
  }
  // The portal owns repository and tag: values overrides cannot change them.
  const withImage = mergeValues(merged, {
    image: {
      ...image,
      repository: service.image.repository,
      tag,
    },
  });
  const object = helmRelease({
    account,
    service,
    interval: config.interval,
    values: withImage,
  });
  const comments =
    env.imagePolicy === 'automation'
      ? [
          {
            path: IMAGE_TAG_PATH,
            comment: imagePolicyMarker(service.name, env.name),
          },
        ]
      : undefined;
  return { name, object, comments };
}

/** The kustomization is a kustomize file, not an object in the cluster. */
function kustomizationProblems(object: JsonObject, files: string[]): string[] {
  const resources = Array.isArray(object.resources) ? object.resources : [];
  return resources.flatMap((resource, i) =>
    typeof resource === 'string' &&
    files.includes(resource) &&
    !resource.includes('/')
      ? []
      : [`resources[${i}]: must name a file of the folder`],
  );
}

function validate(file: PlannedFile, namespace: string, files: string[]): void {
  const { object } = file;
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  const isKustomization = object.apiVersion === API_VERSIONS.kustomize;
  const problems = [
    ...jsonDataProblems(object, ''),
    ...(isKustomization
      ? kustomizationProblems(object, files)
      : kubernetesObjectProblems(object, { namespace })),
    ...(isFluxApiVersion(object.apiVersion) ? validateFluxObject(object) : []),
  ];
  if (problems.length > 0) {
    throw new RenderValidationError({
      file: file.name,
      object: `${String(object.kind)} ${String(
        metadata.namespace ?? namespace,
      )}/${String(metadata.name ?? '')}`,
      problems,
    });
  }
}

/**
 * Renders the account's Flux folder: `kustomization.yaml`, one
 * `helmrelease-<service>.yaml` per service of the account, `provider.yaml`,
 * `alert.yaml` and `account-config.yaml`. Deterministic: the same input gives
 * byte-identical files. The image tag of each service is `pins[service]`,
 * else the tag committed in `current`, else the service's configured tag for
 * the environment. Every object is validated against its Flux CRD schema and
 * Kubernetes' rules before anything is returned; a broken one throws a
 * {@link RenderValidationError}, a bad account or environment name an
 * `InputError`.
 */
export function renderAccountFolder(
  input: RenderAccountFolderInput,
  config: GitopsConfig,
): RenderedFolder {
  const { account } = input;
  const folder = accountFolder(config, account);
  const env = environmentOf(config, account.environment);
  const { found, problems } = accountServices(account, config);
  for (const [service, tag] of Object.entries(input.pins ?? {})) {
    if (!found.some(f => f.service.name === service)) {
      problems.push(`pins.${service}: the account has no service '${service}'`);
    } else if (typeof tag !== 'string' || !IMAGE_TAG.test(tag)) {
      problems.push(
        `pins.${service}: ${JSON.stringify(tag)} is not an image tag`,
      );
    }
  }
  if (problems.length > 0) throw new RenderValidationError({ problems });

  const notifications = { ...config.notifications, ...env.notifications };
  const planned: PlannedFile[] = [
    ...found.map(entry => planHelmRelease(entry, env, input, config)),
    { name: 'provider.yaml', object: slackProvider(account, notifications) },
    { name: 'alert.yaml', object: helmReleaseAlert(account) },
    { name: 'account-config.yaml', object: accountConfigMap(account) },
  ];
  planned.push({
    name: 'kustomization.yaml',
    object: kustomization(planned.map(p => p.name)),
  });

  const header = `Rendered by Fleet Portal for account ${account.name}. Changes here are overwritten; change the account in the portal.`;
  const files = planned.map(file => {
    const path = `${folder}/${file.name}`;
    assertRepositoryPath(path, 'rendered file path');
    if (!isInside(path, folder) || file.name.includes('/')) {
      throw new InputError(
        `Invalid rendered file path: '${path}' is outside '${folder}'`,
      );
    }
    validate(
      file,
      account.name,
      planned.map(p => p.name),
    );
    try {
      const content = writeYamlDocument(file.object, {
        header,
        comments: file.comments,
      });
      return { name: file.name, content };
    } catch (error) {
      throw new RenderValidationError({
        file: file.name,
        problems: [`(document): ${(error as Error).message}`],
      });
    }
  });
  files.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { folder, files };
}
