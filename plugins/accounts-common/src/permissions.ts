import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of accounts in the permission framework. Policies can
 * answer permissions of this type with conditions built from the accounts
 * plugin's rules (by environment, by UAT, by owner).
 *
 * @public
 */
export const ACCOUNT_RESOURCE_TYPE = 'fleet-account';

/**
 * Read accounts from the registry. Conditions filter lists in SQL.
 *
 * @public
 */
export const accountReadPermission = createPermission({
  name: 'accounts.account.read',
  attributes: { action: 'read' },
  resourceType: ACCOUNT_RESOURCE_TYPE,
});

/**
 * Create an account in the registry. Conditions are checked against the
 * account as it would be created (e.g. "staging only").
 *
 * @public
 */
export const accountCreatePermission = createPermission({
  name: 'accounts.account.create',
  attributes: { action: 'create' },
  resourceType: ACCOUNT_RESOURCE_TYPE,
});

/**
 * Change an account's global configuration. Conditions must hold for the
 * account both before and after the change, so an account cannot be moved
 * out of what the policy allows.
 *
 * @public
 */
export const accountUpdatePermission = createPermission({
  name: 'accounts.account.update',
  attributes: { action: 'update' },
  resourceType: ACCOUNT_RESOURCE_TYPE,
});

/**
 * Render the account's folder and commit it to the config repository.
 * Conditions are checked on the account (e.g. "staging only").
 *
 * @public
 */
export const accountConfigCommitPermission = createPermission({
  name: 'accounts.config.commit',
  attributes: { action: 'update' },
  resourceType: ACCOUNT_RESOURCE_TYPE,
});

/**
 * Deploy an account: export accounts.json, provision its namespace, secrets
 * and Flux Kustomization, commit its folder and wait for Flux. Also covers
 * provisioning alone. Conditions are checked on the account (e.g. "staging
 * only").
 *
 * @public
 */
export const accountDeployPermission = createPermission({
  name: 'accounts.account.deploy',
  attributes: { action: 'update' },
  resourceType: ACCOUNT_RESOURCE_TYPE,
});

/**
 * Write accounts.json to its export target now.
 *
 * @public
 */
export const accountsExportPermission = createPermission({
  name: 'accounts.export',
  attributes: { action: 'update' },
});

/**
 * Ask Flux to reconcile an account's HelmRelease or Kustomization now
 * (`flux reconcile`, with its `force` and `reset` options). Conditions are
 * checked on the account (e.g. "staging only").
 *
 * @public
 */
export const accountFluxReconcilePermission = createPermission({
  name: 'accounts.flux.reconcile',
  attributes: { action: 'update' },
  resourceType: ACCOUNT_RESOURCE_TYPE,
});

/**
 * Suspend reconciliation of an account's HelmRelease or Kustomization
 * (`flux suspend`). Conditions are checked on the account.
 *
 * @public
 */
export const accountFluxSuspendPermission = createPermission({
  name: 'accounts.flux.suspend',
  attributes: { action: 'update' },
  resourceType: ACCOUNT_RESOURCE_TYPE,
});

/**
 * Resume reconciliation of an account's suspended HelmRelease or
 * Kustomization (`flux resume`). Conditions are checked on the account.
 *
 * @public
 */
export const accountFluxResumePermission = createPermission({
  name: 'accounts.flux.resume',
  attributes: { action: 'update' },
  resourceType: ACCOUNT_RESOURCE_TYPE,
});

/**
 * Create a service's release or release candidate (a tag and its release
 * in the service's repository), and hot-fix branches.
 *
 * @public
 */
export const serviceReleasePermission = createPermission({
  name: 'accounts.service.release',
  attributes: { action: 'create' },
});

/**
 * All permissions of the accounts plugin.
 *
 * @public
 */
export const accountsPermissions = [
  accountReadPermission,
  accountCreatePermission,
  accountUpdatePermission,
  accountConfigCommitPermission,
  accountDeployPermission,
  accountsExportPermission,
  accountFluxReconcilePermission,
  accountFluxSuspendPermission,
  accountFluxResumePermission,
  serviceReleasePermission,
];

/**
 * What the caller may do in the registry overall, as answered by
 * `GET /api/accounts/capabilities`. `conditional` means the policy allows it
 * for some accounts only; the server decides per account.
 *
 * @public
 */
export interface AccountsCapabilities {
  createAccount: 'allow' | 'conditional' | 'deny';
  export: boolean;
}
