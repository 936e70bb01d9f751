import { ClusterSyncStatus } from '@fleet-portal/plugin-accounts-common';
import { KubeObject } from '../cluster/ClusterClient';
import { LiveStateCache } from '../cluster/live/LiveStateCache';
import { imageTag } from './health/imageVersion';
import { HELM_RELEASE_NAME_LABEL } from './health/workloadHealth';

/**
 * What the fleet needs of one cluster's cached objects, indexed once per
 * change of the cache (not once per request or per account): a cluster's
 * Deployments by the HelmRelease that made them and by namespace.
 */
export interface ClusterIndex {
  status: ClusterSyncStatus;
  /** `<namespace>/<release>` → its Deployments, by name. */
  workloads: Map<string, KubeObject[]>;
  /** namespace → its Deployments, by name. */
  namespaces: Map<string, KubeObject[]>;
}

/** Indexes of every cluster, rebuilt when the cache's version moves. */
export class LiveIndex {
  private built?: { version: number; clusters: Map<string, ClusterIndex> };

  constructor(private readonly live: LiveStateCache) {}

  /** The index of `cluster`, with a stale status when nothing knows it. */
  cluster(cluster: string): ClusterIndex {
    const clusters = this.current();
    return (
      clusters.get(cluster) ?? {
        status: {
          cluster,
          stale: true,
          error: `Cluster '${cluster}' has no connection configured`,
        },
        workloads: new Map(),
        namespaces: new Map(),
      }
    );
  }

  /** The cache's version the index was built at. */
  get version(): number {
    return this.live.version;
  }

  private current(): Map<string, ClusterIndex> {
    const version = this.live.version;
    if (this.built?.version !== version) {
      const clusters = new Map<string, ClusterIndex>();
      for (const status of this.live.statuses()) {
        const workloads = new Map<string, KubeObject[]>();
        const namespaces = new Map<string, KubeObject[]>();
        const deployments = [
          ...this.live.objects(status.cluster, 'Deployment'),
        ].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
        for (const deployment of deployments) {
          const { namespace = '', labels } = deployment.metadata;
          const release = labels?.[HELM_RELEASE_NAME_LABEL] ?? '';
          append(workloads, `${namespace}/${release}`, deployment);
          append(namespaces, namespace, deployment);
        }
        clusters.set(status.cluster, { status, workloads, namespaces });
      }
      this.built = { version, clusters };
    }
    return this.built.clusters;
  }
}

function append<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The image tag a release's workloads run: the first container of its first
 * Deployment (by name), as `helm.toolkit.fluxcd.io/name` labels them.
 */
export function liveTagOf(workloads: KubeObject[] | undefined) {
  for (const deployment of workloads ?? []) {
    const containers = (deployment.spec as any)?.template?.spec?.containers;
    const image = Array.isArray(containers) ? containers[0]?.image : undefined;
    if (typeof image === 'string') return imageTag(image);
  }
  return undefined;
}
