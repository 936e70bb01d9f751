import { ServiceUnavailableError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'fs';
import { ClusterConnection } from './clusterConfig';

const USER = 'fleet-portal';

function fromBackstageEntry(
  cluster: string,
  connection: Extract<ClusterConnection, { source: 'kubernetes' }>,
): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: cluster,
        server: connection.url,
        caData: connection.caData,
        caFile: connection.caFile,
        // The client refuses plain http unless told to skip TLS checks;
        // there is no TLS to check on an http URL (e.g. a local simulator).
        skipTLSVerify:
          connection.skipTLSVerify || connection.url.startsWith('http:'),
      },
    ],
    users: [
      {
        name: USER,
        // Google tokens are added per request (they expire); see ClusterClient.
        ...(connection.auth.type === 'serviceAccount' && {
          token: connection.auth.token,
        }),
      },
    ],
    contexts: [{ name: cluster, cluster, user: USER }],
    currentContext: cluster,
  });
  return kubeConfig;
}

function unusable(cluster: string, where: string, why: string): never {
  throw new ServiceUnavailableError(
    `Cluster '${cluster}' has no usable connection: ${where} ${why}`,
  );
}

/** Like kubectl with several files: the first file naming an entry wins. */
function mergeFirstWins(into: KubeConfig, from: KubeConfig) {
  for (const cluster of from.getClusters()) {
    if (!into.getCluster(cluster.name)) into.addCluster(cluster);
  }
  for (const user of from.getUsers()) {
    if (!into.getUser(user.name)) into.addUser(user);
  }
  for (const context of from.getContexts()) {
    if (!into.getContextObject(context.name)) into.addContext(context);
  }
}

function fromKubeconfigFiles(
  cluster: string,
  connection: Extract<ClusterConnection, { source: 'kubeconfig' }>,
): KubeConfig {
  const where = `the kubeconfig of ${connection.configKey}`;
  const files = connection.paths.filter(path => existsSync(path));
  if (files.length === 0) {
    unusable(
      cluster,
      where,
      `names no existing file (${connection.paths.join(', ')})`,
    );
  }
  let merged: KubeConfig | undefined;
  for (const file of files) {
    const kubeConfig = new KubeConfig();
    try {
      kubeConfig.loadFromFile(file);
    } catch (error) {
      // Parser messages quote the file around the error, which may hold a
      // token: only the kind of failure is passed on.
      const code = (error as NodeJS.ErrnoException)?.code;
      unusable(
        cluster,
        where,
        `cannot be read from ${file} (${code ?? 'not a valid kubeconfig'})`,
      );
    }
    if (merged) mergeFirstWins(merged, kubeConfig);
    else merged = kubeConfig;
  }
  const kubeConfig = merged!;
  const context = kubeConfig.getContextObject(connection.context);
  if (!context) {
    unusable(
      cluster,
      where,
      `has no context '${connection.context}' (contexts: ${
        kubeConfig
          .getContexts()
          .map(c => c.name)
          .join(', ') || 'none'
      })`,
    );
  }
  kubeConfig.setCurrentContext(connection.context);
  const current = kubeConfig.getCurrentCluster();
  if (!current) {
    unusable(
      cluster,
      where,
      `has no cluster '${context.cluster}' for context '${connection.context}'`,
    );
  }
  if (current.server.startsWith('http:') && !current.skipTLSVerify) {
    // As kubectl does: a plain http server has no TLS to verify, but the
    // client refuses it unless told to skip verification.
    kubeConfig.clusters = kubeConfig.clusters.map(c =>
      c === current ? { ...c, skipTLSVerify: true } : c,
    );
  }
  return kubeConfig;
}

/**
 * A `KubeConfig` whose current context is the cluster: built from the entry
 * of Backstage's kubernetes config, or loaded from the kubeconfig files and
 * context. Throws `ServiceUnavailableError` naming the config key when the
 * files cannot be used; never with file contents or tokens.
 */
export function buildKubeConfig(
  cluster: string,
  connection: ClusterConnection,
): KubeConfig {
  return connection.source === 'kubernetes'
    ? fromBackstageEntry(cluster, connection)
    : fromKubeconfigFiles(cluster, connection);
}
