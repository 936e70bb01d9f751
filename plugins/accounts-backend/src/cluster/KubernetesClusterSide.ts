import {
  Account,
  AccountReadiness,
  ProvisionResult,
} from '@fleet-portal/plugin-accounts-common';
import { AccountClusterSide } from '../workflows/AccountClusterSide';
import { KubernetesClusters } from './KubernetesClusters';
import { AccountProvisioner } from './provisioning/AccountProvisioner';
import {
  readAccountReadiness,
  requestReconcile,
} from './readiness/readAccountReadiness';

/**
 * The workflows' view of an account's cluster, on the configured
 * Kubernetes clusters: provisioning with {@link AccountProvisioner},
 * readiness and reconcile requests on the account's own cluster.
 *
 * @public
 */
export class KubernetesClusterSide implements AccountClusterSide {
  constructor(
    private readonly options: {
      clusters: KubernetesClusters;
      provisioner: AccountProvisioner;
    },
  ) {}

  provision(
    account: Account,
    options?: { dryRun?: boolean },
  ): Promise<ProvisionResult> {
    return this.options.provisioner.provision(account, options);
  }

  readiness(account: Account, revision?: string): Promise<AccountReadiness> {
    return readAccountReadiness(
      this.options.clusters.client(account.cluster),
      account,
      { revision },
    );
  }

  async requestReconcile(account: Account): Promise<void> {
    await requestReconcile(
      this.options.clusters.client(account.cluster),
      account,
    );
  }
}
