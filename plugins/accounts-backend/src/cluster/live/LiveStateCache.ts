import { ClusterSyncStatus } from '@fleet-portal/plugin-accounts-common';
import { KubeObject, KubeResource } from '../ClusterClient';

/** The kinds the live-state cache keeps of every cluster. */
export type LiveKind =
  | 'HelmRelease'
  | 'Kustomization'
  | 'ImagePolicy'
  | 'Deployment';

/** What is listed and watched of a {@link LiveKind}, across all namespaces. */
export interface LiveResource extends KubeResource {
  kind: LiveKind;
  /** Only objects matching it are cached. */
  labelSelector?: string;
}

/**
 * The resources the cache watches: Fleet Portal's own HelmReleases and
 * Kustomizations, the Deployments Helm releases made, and every
 * ImagePolicy. API versions are the ones the Flux CRDs serve.
 */
export const LIVE_RESOURCES: readonly LiveResource[] = [
  {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    plural: 'helmreleases',
    labelSelector: 'app.kubernetes.io/managed-by=fleet-portal',
  },
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    plural: 'kustomizations',
    labelSelector: 'app.kubernetes.io/managed-by=fleet-portal',
  },
  {
    apiVersion: 'image.toolkit.fluxcd.io/v1',
    kind: 'ImagePolicy',
    plural: 'imagepolicies',
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    plural: 'deployments',
    labelSelector: 'helm.toolkit.fluxcd.io/name',
  },
];

/**
 * The Flux and workload objects of every cluster, held in memory and kept
 * current by one list and one watch per cluster and kind. Reading it makes
 * no request, so the number of requests to clusters depends on the number
 * of clusters and kinds only, never on accounts, users or page views.
 *
 * Objects handed out are the cache's own: callers must not change them.
 *
 * @public
 */
export interface LiveStateCache {
  /**
   * Starts list+watch on every cluster; resolves once each cluster's first
   * list has succeeded or failed (bounded by its timeout). A cluster that
   * failed is `stale` and keeps being retried.
   */
  start(): Promise<void>;
  /** Ends every watch, retry and request; nothing is left running. */
  stop(): Promise<void>;
  /**
   * Re-lists every kind on every cluster (scheduled periodically; also
   * recovers clusters that were down). Resolves when each list has
   * succeeded or failed.
   */
  resync(): Promise<void>;
  /** The cached objects of a kind on a cluster, in no particular order. */
  objects(cluster: string, kind: LiveKind): KubeObject[];
  get(
    cluster: string,
    kind: LiveKind,
    namespace: string,
    name: string,
  ): KubeObject | undefined;
  /** Throws `NotFoundError` for a cluster no environment names. */
  status(cluster: string): ClusterSyncStatus;
  /** One per configured cluster, in config order. */
  statuses(): ClusterSyncStatus[];
  /** Increases on every change of any object or status. */
  readonly version: number;
  /**
   * Calls `listener` after changes (once for all the changes of one moment,
   * e.g. a whole list); returns the function that removes it.
   */
  onChange(listener: () => void): () => void;
}
