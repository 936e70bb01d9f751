import { Config } from '@backstage/config';
import { isInside, repositoryPathProblem } from '../repositoryPaths';
import {
  FLUX_DURATION,
  IMAGE_REPOSITORY,
  IMAGE_TAG,
  isDnsLabel,
  isDnsSubdomain,
} from './kubernetesRules';
import { isPlainObject } from './mergeValues';

/**
 * How an environment's image tags change: `automation` lets Flux image
 * automation rewrite the tag (the `$imagepolicy` marker, e.g. staging);
 * `pinned` writes released versions only (e.g. production).
 */
export type ImagePolicyMode = 'automation' | 'pinned';

/** Source kinds a service's chart can come from. */
export type ChartSourceKind =
  | 'HelmRepository'
  | 'GitRepository'
  | 'OCIRepository';

/** One environment as the config repository lays it out. */
export interface GitopsEnvironment {
  /** As in `accounts.environments`, e.g. `staging`; a DNS-1123 label. */
  name: string;
  /** Folder holding the environment's account folders, e.g. `k8s/flux/staging`. */
  pathPrefix: string;
  imagePolicy: ImagePolicyMode;
  /** Replaces the global notification settings for this environment. */
  notifications?: { slackChannel?: string; secretName?: string };
}

/** A deployable service: its Helm chart, image and default values. */
export interface GitopsService {
  /** DNS-1123 label; names the HelmRelease and its file. */
  name: string;
  chart: {
    /** Chart name in a HelmRepository, or its path in a GitRepository. */
    name: string;
    version: string;
    sourceRef: { kind: ChartSourceKind; name: string; namespace?: string };
  };
  image: { repository: string };
  /** Helm values for every environment. */
  values?: Record<string, unknown>;
  /** Per environment name: values merged over `values`, and the default image tag. */
  environments?: Record<
    string,
    { values?: Record<string, unknown>; imageTag?: string }
  >;
}

/** What rendering an account's Flux folder needs from app-config. */
export interface GitopsConfig {
  environments: GitopsEnvironment[];
  services: GitopsService[];
  /** Reconciliation interval of every HelmRelease, e.g. `5m`. */
  interval: string;
  notifications: { slackChannel: string; secretName: string };
  /** Author of the portal's commits to the config repository. */
  author: { name: string; email: string };
}

const SOURCE_KINDS: ChartSourceKind[] = [
  'HelmRepository',
  'GitRepository',
  'OCIRepository',
];

// Slack channel names or ids: short, one line.
// eslint-disable-next-line no-control-regex
const SLACK_CHANNEL = /^[^\u0000-\u001f\u007f]{1,80}$/;

function fail(key: string, message: string): never {
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

function readNotifications(
  config: Config | undefined,
  path: string,
): { slackChannel?: string; secretName?: string } {
  const slackChannel = config?.getOptionalString('slackChannel');
  const secretName = config?.getOptionalString('secretName');
  if (slackChannel !== undefined && !SLACK_CHANNEL.test(slackChannel)) {
    fail(
      `${path}.slackChannel`,
      'must be 1–80 characters without control characters',
    );
  }
  if (secretName !== undefined && !isDnsSubdomain(secretName)) {
    fail(
      `${path}.secretName`,
      'must be a Kubernetes object name (DNS-1123 subdomain)',
    );
  }
  return { slackChannel, secretName };
}

function readEnvironment(env: Config, index: number): GitopsEnvironment {
  const path = `accounts.environments[${index}]`;
  const name = env.getString('name');
  if (!isDnsLabel(name)) {
    fail(
      `${path}.name`,
      `'${name}' must be a DNS-1123 label (it names a folder and labels)`,
    );
  }
  const gitops = env.getOptionalConfig('gitops');
  const pathPrefix =
    gitops?.getOptionalString('pathPrefix') ?? `k8s/flux/${name}`;
  const problem = repositoryPathProblem(pathPrefix);
  if (problem) fail(`${path}.gitops.pathPrefix`, `'${pathPrefix}' ${problem}`);
  const imagePolicy = gitops?.getOptionalString('imagePolicy') ?? 'pinned';
  if (imagePolicy !== 'automation' && imagePolicy !== 'pinned') {
    fail(
      `${path}.gitops.imagePolicy`,
      `must be 'automation' or 'pinned', not '${imagePolicy}'`,
    );
  }
  const notifications = gitops?.getOptionalConfig('notifications');
  return {
    name,
    pathPrefix,
    imagePolicy,
    ...(notifications && {
      notifications: readNotifications(
        notifications,
        `${path}.gitops.notifications`,
      ),
    }),
  };
}

function readService(
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

/**
 * Reads `accounts.gitops` and `accounts.environments[].gitops`, applying the
 * defaults (interval `5m`, author `Fleet Portal <fleet-portal@localhost>`,
 * path prefix `k8s/flux/<environment>`, image policy `pinned`, notifications
 * to `#deployments` through the secret `slack-webhook`). Throws an error
 * naming the config key on anything that could not render or would escape
 * the repository, so a bad config stops the backend at start-up.
 */
export function readGitopsConfig(config: Config): GitopsConfig {
  const root = config.getOptionalConfig('accounts.gitops');
  const environments = (
    config.getOptionalConfigArray('accounts.environments') ?? []
  ).map(readEnvironment);
  checkDistinctFolders(environments);

  const interval = root?.getOptionalString('interval') ?? '5m';
  if (!FLUX_DURATION.test(interval)) {
    fail(
      'accounts.gitops.interval',
      `'${interval}' is not a duration like 5m or 1h30m`,
    );
  }
  const author = {
    name: root?.getOptionalString('author.name') ?? 'Fleet Portal',
    email: root?.getOptionalString('author.email') ?? 'fleet-portal@localhost',
  };
  // Git writes `name <email>` on one line: no angle brackets or line breaks.
  if (!/^[^<>\n\r]+$/.test(author.name))
    fail('accounts.gitops.author.name', 'must be a plain name');
  if (!/^[^<>\s@]+@[^<>\s@]+$/.test(author.email)) {
    fail(
      'accounts.gitops.author.email',
      `'${author.email}' is not an email address`,
    );
  }
  const notifications = readNotifications(
    root?.getOptionalConfig('notifications'),
    'accounts.gitops.notifications',
  );

  const names = environments.map(e => e.name);
  const services = (root?.getOptionalConfigArray('services') ?? []).map(
    (service, i) =>
      readService(service, `accounts.gitops.services[${i}]`, names),
  );
  services.forEach((service, i) => {
    if (services.findIndex(s => s.name === service.name) !== i) {
      fail(
        `accounts.gitops.services[${i}].name`,
        `'${service.name}' is configured twice`,
      );
    }
  });

  return {
    environments,
    services,
    interval,
    notifications: {
      slackChannel: notifications.slackChannel ?? '#deployments',
      secretName: notifications.secretName ?? 'slack-webhook',
    },
    author,
  };
}

/** Account names are unique, but two environments must not share folders. */
function checkDistinctFolders(environments: GitopsEnvironment[]) {
  environments.forEach((env, i) => {
    const other = environments.find(
      (o, j) =>
        j !== i &&
        (isInside(env.pathPrefix, o.pathPrefix) ||
          isInside(o.pathPrefix, env.pathPrefix)),
    );
    if (other) {
      fail(
        `accounts.environments[${i}].gitops.pathPrefix`,
        `'${env.pathPrefix}' overlaps the folder of environment '${other.name}' ('${other.pathPrefix}')`,
      );
    }
  });
}
