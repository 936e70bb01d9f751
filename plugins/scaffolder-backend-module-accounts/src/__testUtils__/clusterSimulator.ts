import {
  KubeObject,
  KubernetesLoggedRequest,
  KubernetesTestServer,
  ObjectRef,
} from '@fleet-portal/test-servers';

/*
 * The local cluster simulator (the Kubernetes API and simulated Flux
 * controllers of `@fleet-portal/test-servers`) for the accounts backend the
 * tests run: its clusters, the Backstage `kubernetes` config pointing at
 * them, and what tests do to a cluster from outside (fail a HelmRelease,
 * suspend an object, read what the backend asked).
 */

/** The value of the Secret provisioning creates; never to be logged. */
export const SECRET_VALUE = 'sentinel-secret-7c41e9';

/** Quick controllers, so that Flux applies a commit in milliseconds. */
const TIMING = { sourceMs: 5, kustomizeMs: 5, helmMs: 5, pollMs: 20 };

const API_VERSIONS: Record<string, string> = {
  Namespace: 'v1',
  Secret: 'v1',
  GitRepository: 'source.toolkit.fluxcd.io/v1',
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  HelmRelease: 'helm.toolkit.fluxcd.io/v2',
};

/** A kind the tests look at, by its name. */
export type SimulatedKind = keyof typeof API_VERSIONS;

/** One simulated cluster, as a test acts on it. */
export interface SimulatedCluster {
  /** The object as the cluster stores it; `undefined` when absent. */
  get(kind: SimulatedKind, namespace: string, name: string): any;
  /** Sets `spec.suspend`, as `flux suspend` does. */
  suspend(kind: SimulatedKind, namespace: string, name: string): void;
  /**
   * From now on installs and upgrades of the HelmRelease fail with Flux's
   * `message`, through the simulator's control endpoint; without a message
   * they succeed again.
   */
  failRelease(namespace: string, name: string, message?: string): Promise<void>;
  /** The requests the cluster received with this method and path. */
  requests(method: string, path: string): KubernetesLoggedRequest[];
}

/** The simulator with the clusters a test asked for. */
export interface ClusterSimulator {
  cluster(name: string): SimulatedCluster;
  /** Backstage's `kubernetes` config reaching every simulated cluster. */
  kubernetesConfig: {
    clusterLocatorMethods: Array<{
      type: 'config';
      clusters: Array<{
        name: string;
        url: string;
        authProvider: 'serviceAccount';
        serviceAccountToken: string;
      }>;
    }>;
  };
  close(): Promise<void>;
}

/**
 * Starts the simulator with the given clusters, each requiring its own
 * token, whose Flux reads the bare config repository at `repositoryPath`
 * through the GitRepository `flux-system/fleet-config` (the repository may
 * be created later: Flux keeps polling for it).
 */
export async function startClusterSimulator(options: {
  clusters: string[];
  repositoryPath: string;
}): Promise<ClusterSimulator> {
  const tokenOf = (name: string) => `token-of-${name}`;
  const server = await KubernetesTestServer.start({
    clusters: options.clusters.map(name => ({ name, token: tokenOf(name) })),
    flux: {
      gitRepositories: [
        {
          namespace: 'flux-system',
          name: 'fleet-config',
          url: 'https://git.example.com/acme/fleet-config.git',
          branch: 'main',
          path: options.repositoryPath,
        },
      ],
      timing: TIMING,
    },
  });
  const cluster = (name: string): SimulatedCluster => {
    const store = server.store(name);
    const ref = (kind: SimulatedKind, namespace: string, n: string) =>
      ({
        apiVersion: API_VERSIONS[kind],
        kind,
        name: n,
        ...(kind !== 'Namespace' && { namespace }),
      } as ObjectRef);
    return {
      get: (kind, namespace, n): KubeObject | undefined =>
        store.get(ref(kind, namespace, n)),
      suspend(kind, namespace, n) {
        store.mergePatch(
          ref(kind, namespace, n),
          { spec: { suspend: true } },
          { fieldManager: 'flux-cli' },
        );
      },
      async failRelease(namespace, n, message) {
        const response = await fetch(
          `${server.url}/simulator/clusters/${name}/releases/${namespace}/${n}/failure`,
          message === undefined
            ? { method: 'DELETE' }
            : {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ message }),
              },
        );
        if (!response.ok) {
          throw new Error(`The simulator answered ${response.status}`);
        }
      },
      requests: (method, path) =>
        server.requests.filter(
          r => r.cluster === name && r.method === method && r.path === path,
        ),
    };
  };
  return {
    cluster,
    kubernetesConfig: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: options.clusters.map(name => ({
            name,
            url: server.clusterUrl(name),
            authProvider: 'serviceAccount',
            serviceAccountToken: tokenOf(name),
          })),
        },
      ],
    },
    close: () => server.close(),
  };
}

/**
 * The `accounts` config of provisioning and deploys against the simulator:
 * the Kustomization reads `flux-system/fleet-config`, every namespace gets
 * the Secret `slack-webhook` holding {@link SECRET_VALUE}, and deploys look
 * at Flux every 50 ms.
 */
export const simulatedClustersAccountsConfig = {
  provisioning: {
    flux: {
      sourceRef: {
        kind: 'GitRepository',
        name: 'fleet-config',
        namespace: 'flux-system',
      },
      interval: '5m',
    },
    secrets: [
      { name: 'slack-webhook', data: { address: { value: SECRET_VALUE } } },
    ],
  },
  workflows: { readyTimeoutSeconds: 60, pollIntervalSeconds: 0.05 },
};
