import { Config } from '@backstage/config';
import { isInside, repositoryPathProblem } from '../repositoryPaths';
import { fail, readService } from './gitopsServices';
import { FLUX_DURATION, isDnsLabel, isDnsSubdomain } from './kubernetesRules';

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

// Slack channel names or ids: short, one line.
// eslint-disable-next-line no-control-regex
const SLACK_CHANNEL = /^[^\u0000-\u001f\u007f]{1,80}$/;

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
