import { KubeApiError } from './ClusterStore';
import { FluxSimulator } from './FluxSimulator';
import { InMemoryClusterStore } from './InMemoryClusterStore';
import { badRequest, methodNotAllowed, pathNotFound } from './kubeErrors';
import { KubeResponse } from './kubeHttp';
import { parseBody } from './requestOptions';
import { isPlainObject } from './objectFields';

/** One simulated cluster as the server keeps it. */
export interface SimulatedCluster {
  name: string;
  token?: string;
  store: InMemoryClusterStore;
  flux?: FluxSimulator;
  hang: boolean;
  refuse: boolean;
}

/**
 * The control endpoints under `/simulator/` for demos and browser tests:
 * `GET /simulator/clusters`, and `POST`/`DELETE
 * /simulator/clusters/<c>/releases/<namespace>/<name>/failure` to make a
 * HelmRelease fail (`{ "message": "..." }`) or recover.
 */
export function handleSimulator(
  method: string,
  path: string,
  body: Buffer,
  clusters: Map<string, SimulatedCluster>,
  clusterUrl: (name: string) => string,
): KubeResponse {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments.length === 2 && segments[1] === 'clusters') {
    if (method !== 'GET') throw methodNotAllowed();
    return {
      status: 200,
      body: {
        clusters: [...clusters.values()].map(c => ({
          name: c.name,
          url: clusterUrl(c.name),
          requiresToken: c.token !== undefined,
          flux: c.flux !== undefined,
          resourceVersion: c.store.resourceVersion,
        })),
      },
    };
  }
  const [, clustersSegment, clusterName, releases, namespace, name, failure] =
    segments;
  if (
    segments.length !== 7 ||
    clustersSegment !== 'clusters' ||
    releases !== 'releases' ||
    failure !== 'failure'
  ) {
    throw pathNotFound();
  }
  const cluster = clusters.get(clusterName);
  if (!cluster)
    throw new KubeApiError(
      404,
      'NotFound',
      `cluster "${clusterName}" not found`,
      {},
    );
  if (!cluster.flux) {
    throw new KubeApiError(
      409,
      'Conflict',
      `cluster "${clusterName}" runs no simulated Flux`,
      {},
    );
  }
  if (method === 'POST') {
    const request = parseBody(body, false);
    const message = isPlainObject(request) ? request.message : undefined;
    if (typeof message !== 'string' || message === '')
      throw badRequest('message: Required value');
    cluster.flux.failRelease(namespace, name, message);
    return {
      status: 200,
      body: { cluster: clusterName, namespace, name, failing: true, message },
    };
  }
  if (method === 'DELETE') {
    cluster.flux.clearFailure(namespace, name);
    return {
      status: 200,
      body: { cluster: clusterName, namespace, name, failing: false },
    };
  }
  throw methodNotAllowed();
}
