import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { ClusterInfo } from '@fleet-portal/plugin-accounts-common';
import { GoogleAuth } from 'google-auth-library';
import { buildKubeConfig } from './buildKubeConfig';
import { ClusterClient } from './ClusterClient';
import { ClusterSettings, readClusterSettings } from './clusterConfig';

/** The scope GKE accepts Google access tokens with. */
export const GOOGLE_CLOUD_PLATFORM_SCOPE =
  'https://www.googleapis.com/auth/cloud-platform';

/** Options of {@link KubernetesClusters.fromConfig}. */
export interface KubernetesClustersOptions {
  logger: LoggerService;
  /**
   * Where `googleServiceAccount` clusters get tokens. Default: Google
   * application default credentials with the cloud-platform scope, created
   * when the first such cluster is used.
   */
  googleAuth?: Pick<GoogleAuth, 'getAccessToken'>;
}

/**
 * The clusters named by `accounts.environments[].clusters[]`, and a
 * {@link ClusterClient} for each one that has a connection (Backstage's
 * kubernetes config or a kubeconfig context; see `readClusterSettings`).
 *
 * @public
 */
export class KubernetesClusters {
  private readonly clients = new Map<string, ClusterClient>();
  private googleAuth: Pick<GoogleAuth, 'getAccessToken'> | undefined;

  /**
   * Reads the clusters from config. Bad values throw naming the config key;
   * clusters without a connection are accepted and fail when used.
   */
  static fromConfig(
    config: Config,
    options: KubernetesClustersOptions,
  ): KubernetesClusters {
    const settings = readClusterSettings(config);
    const sources = settings.map(
      s =>
        `${s.name} (${
          s.connection ? `${s.connection.source} config` : 'no connection'
        })`,
    );
    if (settings.length > 0) {
      options.logger.info(`Kubernetes clusters: ${sources.join(', ')}`);
    }
    return new KubernetesClusters(settings, options);
  }

  constructor(
    private readonly settings: ClusterSettings[],
    private readonly options: KubernetesClustersOptions,
  ) {
    this.googleAuth = options.googleAuth;
  }

  /** Every configured cluster, without connection details. */
  list(): ClusterInfo[] {
    return this.settings.map(s => ({
      name: s.name,
      environment: s.environment,
      ...(s.region !== undefined && { region: s.region }),
      simulated: s.simulated,
    }));
  }

  /**
   * The client of a cluster. Throws `NotFoundError` for a cluster no
   * environment names, `ServiceUnavailableError` when nothing configures how
   * to reach it or its kubeconfig cannot be used.
   */
  client(name: string): ClusterClient {
    const existing = this.clients.get(name);
    if (existing) return existing;
    const settings = this.settings.find(s => s.name === name);
    if (!settings) {
      throw new NotFoundError(
        `Unknown cluster '${name}' (configured: ${
          this.settings.map(s => s.name).join(', ') || 'none'
        })`,
      );
    }
    const { connection } = settings;
    if (!connection) {
      throw new ServiceUnavailableError(
        `Cluster '${name}' has no connection: add it to kubernetes.clusterLocatorMethods (type: config) or set ${settings.configKey}.kubeconfig`,
      );
    }
    // A kubeconfig that cannot be used throws here and is read again on the
    // next call, so fixing the file needs no restart.
    const kubeConfig = buildKubeConfig(name, connection);
    const google =
      connection.source === 'kubernetes' &&
      connection.auth.type === 'googleServiceAccount';
    const client = new ClusterClient({
      name,
      kubeConfig,
      timeoutSeconds: settings.timeoutSeconds,
      bearerToken: google ? () => this.googleToken() : undefined,
    });
    this.clients.set(name, client);
    this.options.logger.debug(`Connected cluster ${name}`, {
      source: connection.source,
    });
    return client;
  }

  /** A current access token; the library caches it and refreshes it early. */
  private async googleToken(): Promise<string> {
    this.googleAuth ??= new GoogleAuth({
      scopes: [GOOGLE_CLOUD_PLATFORM_SCOPE],
    });
    const token = await this.googleAuth.getAccessToken();
    if (!token) {
      throw new Error(
        'Google application default credentials gave no access token',
      );
    }
    return token;
  }
}
