import {
  Account,
  AccountReadiness,
  ProvisionResult,
} from '@fleet-portal/plugin-accounts-common';

/**
 * What the workflows need of an account's cluster: provisioning, Flux's
 * readiness of the account, and asking Flux to reconcile now.
 */
export interface AccountClusterSide {
  provision(
    account: Account,
    options?: { dryRun?: boolean },
  ): Promise<ProvisionResult>;
  /** Readiness at `revision` (a config repository commit sha), if given. */
  readiness(account: Account, revision?: string): Promise<AccountReadiness>;
  /** Asks Flux to reconcile the account's Kustomization now. */
  requestReconcile(account: Account): Promise<void>;
}

/** One line for people: what provisioning did to each object. */
export function describeProvision(result: ProvisionResult): string {
  const objects = result.objects.map(
    o =>
      `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} ${o.action}`,
  );
  return `${result.dryRun ? 'Dry run on' : 'On'} cluster ${
    result.cluster
  }: ${objects.join(', ')}`;
}
