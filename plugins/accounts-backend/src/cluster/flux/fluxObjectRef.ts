import { KubeObjectRef } from '../ClusterClient';
import { KUSTOMIZATION_API_VERSION } from '../provisioning/provisioningObjects';

/** The apiVersion of the HelmReleases the portal renders. */
export const HELM_RELEASE_API_VERSION = 'helm.toolkit.fluxcd.io/v2';

/**
 * One of an account's Flux objects: the HelmRelease of a service, or the
 * Kustomization applying the account's folder.
 */
export type FluxTarget =
  | { kind: 'HelmRelease'; name: string }
  | { kind: 'Kustomization' };

/**
 * Where a Flux object of the account lives: its Kustomization is
 * `<account>/<account>` (see `kustomizationObject`), its HelmReleases are
 * in namespace `<account>`, named after their service.
 */
export function fluxObjectRef(
  account: string,
  target: FluxTarget,
): KubeObjectRef {
  return target.kind === 'Kustomization'
    ? {
        apiVersion: KUSTOMIZATION_API_VERSION,
        kind: 'Kustomization',
        namespace: account,
        name: account,
      }
    : {
        apiVersion: HELM_RELEASE_API_VERSION,
        kind: 'HelmRelease',
        namespace: account,
        name: target.name,
      };
}
