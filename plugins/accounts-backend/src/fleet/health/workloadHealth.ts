import { WorkloadHealth } from '@fleet-portal/plugin-accounts-common';
import { KubeObject } from '../../cluster/ClusterClient';
import { imageTag, parseImageVersion } from './imageVersion';

/** The label helm-controller puts on every object of a HelmRelease. */
export const HELM_RELEASE_NAME_LABEL = 'helm.toolkit.fluxcd.io/name';

interface DeploymentShape {
  spec?: { template?: { spec?: { containers?: Array<{ image?: string }> } } };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
}

/**
 * The live state of one Deployment: the HelmRelease that owns it (from
 * helm-controller's label), the image tag of its first container (the
 * service's own; later ones are sidecars) and its replica counts as the
 * Deployment controller reports them, 0 where the status omits a count
 * (Kubernetes leaves out zeros).
 */
export function workloadHealth(deployment: KubeObject): WorkloadHealth {
  const { spec, status = {} } = deployment as KubeObject & DeploymentShape;
  const image = spec?.template?.spec?.containers?.[0]?.image;
  const tag = image ? imageTag(image) : undefined;
  const release = deployment.metadata.labels?.[HELM_RELEASE_NAME_LABEL];
  return {
    name: deployment.metadata.name,
    ...(release !== undefined && { release }),
    ...(tag !== undefined && { image: parseImageVersion(tag) }),
    replicas: status.replicas ?? 0,
    readyReplicas: status.readyReplicas ?? 0,
    updatedReplicas: status.updatedReplicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
  };
}
