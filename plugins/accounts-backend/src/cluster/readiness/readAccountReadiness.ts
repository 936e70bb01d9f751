import { AccountReadiness } from '@fleet-portal/plugin-accounts-common';
import { ClusterClient, KubeObject } from '../ClusterClient';
import { HELM_RELEASE_API_VERSION, fluxObjectRef } from '../flux/fluxObjectRef';
import { reconcileRequest } from '../flux/reconcileRequest';
import { releaseReadiness, summarizeReadiness } from './summarizeReadiness';

export { HELM_RELEASE_API_VERSION };

/** Names an account by what the cluster side needs. */
export interface ReadinessAccount {
  name: string;
}

function kustomizationRef(account: ReadinessAccount) {
  return fluxObjectRef(account.name, { kind: 'Kustomization' });
}

/**
 * Reads whether Flux has applied the account's folder and its releases are
 * Ready: the Kustomization `<account>/<account>` and the HelmReleases
 * labelled `fleet-portal.io/account=<account>` in its namespace (two
 * requests). With `revision`, `ready` also needs the Kustomization's
 * `lastAppliedRevision` to be that commit (compared by sha). The state
 * follows the rules on `AccountReadiness` (see `summarizeReadiness`).
 * Cluster failures are thrown as `clusterError` maps them.
 */
export async function readAccountReadiness(
  client: ClusterClient,
  account: ReadinessAccount,
  options: { revision?: string } = {},
): Promise<AccountReadiness> {
  const kustomization = await client.get(kustomizationRef(account));
  let helmReleases: KubeObject[] = [];
  if (kustomization) {
    helmReleases = await client.list(HELM_RELEASE_API_VERSION, 'HelmRelease', {
      namespace: account.name,
      labelSelector: `fleet-portal.io/account=${account.name}`,
    });
  }
  return summarizeReadiness({
    account: account.name,
    cluster: client.name,
    kustomization,
    helmReleases,
    revision: options.revision,
    checkedAt: new Date(),
  });
}

/**
 * Asks Flux to reconcile the account's Kustomization now, as
 * `flux reconcile kustomization` does: a merge patch setting the
 * `reconcile.fluxcd.io/requestedAt` annotation to the current time
 * (RFC 3339). The account's HelmReleases that are not Ready also get it,
 * with `reconcile.fluxcd.io/resetAt`, as `flux reconcile helmrelease
 * --reset` does. Returns that time. A missing Kustomization is a
 * `NotFoundError`.
 */
export async function requestReconcile(
  client: ClusterClient,
  account: ReadinessAccount,
): Promise<string> {
  const { token, annotations } = reconcileRequest();
  await client.mergePatch(kustomizationRef(account), {
    metadata: { annotations },
  });
  // A HelmRelease that failed is not retried by a new commit that leaves
  // its spec alone; like `flux reconcile helmrelease --reset`, ask it to
  // try again with its failure counters reset.
  const releases = await client.list(HELM_RELEASE_API_VERSION, 'HelmRelease', {
    namespace: account.name,
    labelSelector: `fleet-portal.io/account=${account.name}`,
  });
  const reset = reconcileRequest({ reset: true }, new Date(token));
  for (const release of releases) {
    if (releaseReadiness(release).ready !== false) continue;
    await client.mergePatch(
      fluxObjectRef(account.name, {
        kind: 'HelmRelease',
        name: release.metadata.name,
      }),
      { metadata: { annotations: reset.annotations } },
    );
  }
  return token;
}
