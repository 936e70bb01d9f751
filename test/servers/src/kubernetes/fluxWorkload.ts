import { ClusterStore, KubeObject } from './ClusterStore';
import { kubeTime } from './fluxConditions';

/** What a Helm release installed, as far as the simulated chart goes. */
export interface ReleaseWorkload {
  /** The HelmRelease that owns the release. */
  owner: { namespace: string; name: string };
  namespace: string;
  name: string;
  chartName: string;
  chartVersion: string;
  values: Record<string, any>;
}

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
const HELM_MANAGER = 'helm-controller';
/** The manager the real Deployment controller writes status as. */
const STATUS_MANAGER = 'kube-controller-manager';

/** The image of the chart's container: `values.image` as most charts read it. */
export function imageOf(workload: ReleaseWorkload): string {
  const image = workload.values.image;
  if (typeof image === 'string') return image;
  const repository =
    typeof image?.repository === 'string'
      ? image.repository
      : workload.chartName;
  const tag =
    typeof image?.tag === 'string' || typeof image?.tag === 'number'
      ? String(image.tag)
      : workload.chartVersion;
  return `${repository}:${tag}`;
}

function replicasOf(values: Record<string, any>): number {
  const replicas = values.replicas ?? values.replicaCount;
  return Number.isInteger(replicas) && replicas >= 0 ? replicas : 1;
}

/**
 * The Deployment the simulated chart renders, applied as Helm would, and
 * reported rolled out (every replica ready and available) as the
 * Deployment controller would once its pods run. Throws the store's error.
 */
export function deployWorkload(
  store: ClusterStore,
  workload: ReleaseWorkload,
): KubeObject {
  const selector = {
    'app.kubernetes.io/instance': workload.name,
    'app.kubernetes.io/name': workload.chartName,
  };
  const replicas = replicasOf(workload.values);
  const { object } = store.apply(
    {
      ...DEPLOYMENT,
      metadata: {
        name: workload.name,
        namespace: workload.namespace,
        labels: {
          ...selector,
          'app.kubernetes.io/managed-by': 'Helm',
          'helm.sh/chart': `${workload.chartName}-${workload.chartVersion}`,
          'helm.toolkit.fluxcd.io/name': workload.owner.name,
          'helm.toolkit.fluxcd.io/namespace': workload.owner.namespace,
        },
        annotations: {
          'meta.helm.sh/release-name': workload.name,
          'meta.helm.sh/release-namespace': workload.namespace,
        },
      },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            containers: [
              { name: workload.chartName, image: imageOf(workload) },
            ],
          },
        },
      },
    },
    { fieldManager: HELM_MANAGER, force: true },
  );
  const now = kubeTime();
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    reason,
    message,
    lastUpdateTime: now,
    lastTransitionTime: now,
  });
  return store.mergePatch(
    { ...DEPLOYMENT, namespace: workload.namespace, name: workload.name },
    {
      status: {
        observedGeneration: object.metadata.generation,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          condition(
            'Available',
            'MinimumReplicasAvailable',
            'Deployment has minimum availability.',
          ),
          condition(
            'Progressing',
            'NewReplicaSetAvailable',
            `ReplicaSet "${workload.name}" has successfully progressed.`,
          ),
        ],
      },
    },
    { fieldManager: STATUS_MANAGER, subresource: 'status' },
  );
}

/** `helm uninstall`: removes the Deployment the release installed. */
export function removeWorkload(
  store: ClusterStore,
  release: {
    namespace: string;
    name: string;
    owner: { namespace: string; name: string };
  },
): void {
  const ref = {
    ...DEPLOYMENT,
    namespace: release.namespace,
    name: release.name,
  };
  const labels = store.get(ref)?.metadata.labels;
  if (
    labels?.['helm.toolkit.fluxcd.io/name'] === release.owner.name &&
    labels?.['helm.toolkit.fluxcd.io/namespace'] === release.owner.namespace
  ) {
    store.delete(ref);
  }
}
