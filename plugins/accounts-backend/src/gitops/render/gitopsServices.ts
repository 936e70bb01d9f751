import { Config } from '@backstage/config';
import type { ChartSourceKind, GitopsService } from './gitopsConfig';
import {
  IMAGE_REPOSITORY,
  IMAGE_TAG,
  isDnsLabel,
  isDnsSubdomain,
} from './kubernetesRules';
import { isPlainObject } from './mergeValues';

const SOURCE_KINDS: ChartSourceKind[] = [
  'HelmRepository',
  'GitRepository',
  'OCIRepository',
];

/** Throws the error of a bad config key. */
export function fail(key: string, message: string): never {
  throw new Error(`Invalid config ${key}: ${message}`);
}

function optionalObject(
  config: Config,
  key: string,
  path: string,
): Record<string, unknown> | undefined {
  const value = config.getOptional(key);
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) fail(`${path}.${key}`, 'must be an object');
  return value as Record<string, unknown>;
}

/**
 * Reads one entry of `accounts.gitops.services` at `path`; `environments`
 * are the configured environment names its per-environment settings may use.
 */
export function readService(
  service: Config,
  path: string,
  environments: string[],
): GitopsService {
  const name = service.getString('name');
  if (!isDnsLabel(name) || name.length > 53) {
    fail(
      `${path}.name`,
      `'${name}' must be a DNS-1123 label of at most 53 characters`,
    );
  }
  const chart = service.getConfig('chart');
  const chartName = chart.getString('name');
  if (chartName.length === 0 || chartName.length > 2048) {
    fail(`${path}.chart.name`, 'must be 1–2048 characters');
  }
  const version = chart.getString('version');
  if (version.trim() === '') fail(`${path}.chart.version`, 'must not be empty');
  const kind = chart.getString('sourceRef.kind') as ChartSourceKind;
  if (!SOURCE_KINDS.includes(kind)) {
    fail(
      `${path}.chart.sourceRef.kind`,
      `must be one of ${SOURCE_KINDS.join(', ')}`,
    );
  }
  const sourceName = chart.getString('sourceRef.name');
  if (!isDnsSubdomain(sourceName)) {
    fail(`${path}.chart.sourceRef.name`, 'must be a Kubernetes object name');
  }
  const namespace = chart.getOptionalString('sourceRef.namespace');
  if (namespace !== undefined && !isDnsLabel(namespace)) {
    fail(
      `${path}.chart.sourceRef.namespace`,
      'must be a namespace name (DNS-1123 label)',
    );
  }
  const repository = service.getString('image.repository');
  if (!IMAGE_REPOSITORY.test(repository)) {
    fail(
      `${path}.image.repository`,
      `'${repository}' is not an image repository reference`,
    );
  }
  const values = optionalObject(service, 'values', path);
  const byEnvironment = service.getOptionalConfig('environments');
  const perEnvironment: NonNullable<GitopsService['environments']> = {};
  for (const envName of byEnvironment?.keys() ?? []) {
    const envPath = `${path}.environments.${envName}`;
    if (!environments.includes(envName)) {
      fail(
        envPath,
        `'${envName}' is not one of accounts.environments (${environments.join(
          ', ',
        )})`,
      );
    }
    const env = byEnvironment!.getConfig(envName);
    const imageTag = env.getOptionalString('imageTag');
    if (imageTag !== undefined && !IMAGE_TAG.test(imageTag)) {
      fail(`${envPath}.imageTag`, `'${imageTag}' is not a valid image tag`);
    }
    const envValues = optionalObject(env, 'values', envPath);
    perEnvironment[envName] = {
      ...(envValues && { values: envValues }),
      ...(imageTag !== undefined && { imageTag }),
    };
  }
  return {
    name,
    chart: {
      name: chartName,
      version,
      sourceRef: { kind, name: sourceName, ...(namespace && { namespace }) },
    },
    image: { repository },
    ...(values && { values }),
    ...(byEnvironment && { environments: perEnvironment }),
  };
}
