import { Config } from '@backstage/config';

/** How Fleet Portal authenticates to a cluster configured for Backstage. */
export type ClusterAuth =
  /** A static bearer token (`serviceAccountToken`). */
  | { type: 'serviceAccount'; token: string }
  /** Google application default credentials, as for GKE. */
  | { type: 'googleServiceAccount' };

/** Where a cluster's connection comes from. */
export type ClusterConnection =
  | {
      /** An entry of `kubernetes.clusterLocatorMethods[].clusters[]`. */
      source: 'kubernetes';
      /** The config key of the entry, for messages. */
      configKey: string;
      url: string;
      auth: ClusterAuth;
      caData?: string;
      caFile?: string;
      skipTLSVerify: boolean;
    }
  | {
      /** A context of a kubeconfig file. */
      source: 'kubeconfig';
      configKey: string;
      /** Files to merge, in order (`$KUBECONFIG` may name several). */
      paths: string[];
      context: string;
    };

/** One cluster named by `accounts.environments[].clusters[]`. */
export interface ClusterSettings {
  name: string;
  /** Its entry, `accounts.environments[i].clusters[j]`, for messages. */
  configKey: string;
  environment: string;
  region?: string;
  simulated: boolean;
  /** Every request to the cluster fails after this long. */
  timeoutSeconds: number;
  /** `undefined` when nothing configures how to reach it. */
  connection?: ClusterConnection;
}

/** Default of `accounts.environments[].clusters[].timeoutSeconds`. */
export const DEFAULT_CLUSTER_TIMEOUT_SECONDS = 10;

const SUPPORTED_AUTH = ['serviceAccount', 'googleServiceAccount'];

function invalid(key: string, message: string): never {
  throw new Error(`Invalid config ${key}: ${message}`);
}

/**
 * The entries of Backstage's own kubernetes config
 * (`kubernetes.clusterLocatorMethods[]` of `type: config`), by cluster name,
 * each with its config key. Only the entries of `wanted` clusters are read:
 * the others belong to Backstage's kubernetes plugin alone.
 */
function backstageClusters(
  config: Config,
  wanted: Set<string>,
): Map<string, ClusterConnection> {
  const found = new Map<string, ClusterConnection>();
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  methods.forEach((method, i) => {
    if (method.getOptionalString('type') !== 'config') return;
    (method.getOptionalConfigArray('clusters') ?? []).forEach((entry, j) => {
      const key = `kubernetes.clusterLocatorMethods[${i}].clusters[${j}]`;
      const name = entry.getString('name');
      if (!wanted.has(name)) return;
      if (found.has(name)) {
        invalid(`${key}.name`, `cluster '${name}' is configured twice`);
      }
      found.set(name, readBackstageCluster(entry, key));
    });
  });
  return found;
}

function readBackstageCluster(entry: Config, key: string): ClusterConnection {
  const url = entry.getString('url');
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    invalid(`${key}.url`, `'${url}' is not an http(s) URL`);
  }
  const authProvider = entry.getOptionalString('authProvider');
  let auth: ClusterAuth;
  if (authProvider === 'serviceAccount') {
    const token = entry.getOptionalString('serviceAccountToken');
    if (!token) {
      invalid(
        `${key}.serviceAccountToken`,
        'is required with authProvider serviceAccount',
      );
    }
    auth = { type: 'serviceAccount', token };
  } else if (authProvider === 'googleServiceAccount') {
    auth = { type: 'googleServiceAccount' };
  } else {
    invalid(
      `${key}.authProvider`,
      `${
        authProvider === undefined ? 'is missing' : `'${authProvider}'`
      } is not supported by Fleet Portal (use one of ${SUPPORTED_AUTH.join(
        ', ',
      )})`,
    );
  }
  return {
    source: 'kubernetes',
    configKey: key,
    url,
    auth,
    caData: entry.getOptionalString('caData'),
    caFile: entry.getOptionalString('caFile'),
    skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify') ?? false,
  };
}

/** The files a kubeconfig without `path` comes from, as kubectl finds them. */
export function defaultKubeconfigPaths(
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const fromEnv = (env.KUBECONFIG ?? '')
    .split(process.platform === 'win32' ? ';' : ':')
    .filter(Boolean);
  if (fromEnv.length > 0) return fromEnv;
  const home = env.HOME ?? env.USERPROFILE ?? '';
  return [`${home}/.kube/config`];
}

function readKubeconfigSource(
  cluster: Config,
  key: string,
): ClusterConnection | undefined {
  const kubeconfig = cluster.getOptionalConfig('kubeconfig');
  if (!kubeconfig) return undefined;
  const context = kubeconfig.getString('context');
  if (!context.trim())
    invalid(`${key}.kubeconfig.context`, 'must not be empty');
  const path = kubeconfig.getOptionalString('path');
  if (path !== undefined && !path.trim()) {
    invalid(`${key}.kubeconfig.path`, 'must not be empty');
  }
  return {
    source: 'kubeconfig',
    configKey: `${key}.kubeconfig`,
    paths: path !== undefined ? [path] : defaultKubeconfigPaths(),
    context,
  };
}

function readTimeout(cluster: Config, key: string): number {
  const timeout = cluster.getOptionalNumber('timeoutSeconds');
  if (timeout === undefined) return DEFAULT_CLUSTER_TIMEOUT_SECONDS;
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600) {
    invalid(
      `${key}.timeoutSeconds`,
      `${timeout} must be a number of seconds above 0 and at most 600`,
    );
  }
  return timeout;
}

/**
 * Reads the clusters named by `accounts.environments[].clusters[]` and where
 * each one's connection comes from: first Backstage's own kubernetes config
 * (`kubernetes.clusterLocatorMethods[]` of `type: config`, the keys
 * Backstage's kubernetes plugin reads), then the cluster entry's
 * `kubeconfig`. A cluster without either is listed without a connection, so
 * the registry works without clusters; using it fails then. Bad values throw
 * an error naming the config key. Secrets never appear in the messages.
 */
export function readClusterSettings(config: Config): ClusterSettings[] {
  const entries: Array<{ env: string; cluster: Config; key: string }> = [];
  (config.getOptionalConfigArray('accounts.environments') ?? []).forEach(
    (env, i) =>
      (env.getOptionalConfigArray('clusters') ?? []).forEach((cluster, j) =>
        entries.push({
          env: env.getString('name'),
          cluster,
          key: `accounts.environments[${i}].clusters[${j}]`,
        }),
      ),
  );
  const names = new Set<string>();
  for (const { cluster, key } of entries) {
    const name = cluster.getString('name');
    if (names.has(name)) {
      invalid(
        `${key}.name`,
        `cluster '${name}' is named by two environments; a cluster serves one`,
      );
    }
    names.add(name);
  }
  const fromBackstage = backstageClusters(config, names);
  return entries.map(({ env, cluster, key }) => {
    const name = cluster.getString('name');
    return {
      name,
      configKey: key,
      environment: env,
      region: cluster.getOptionalString('region'),
      simulated: cluster.getOptionalBoolean('simulated') ?? false,
      timeoutSeconds: readTimeout(cluster, key),
      connection: fromBackstage.get(name) ?? readKubeconfigSource(cluster, key),
    };
  });
}
