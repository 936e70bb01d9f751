import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  accountConditions,
  createAccountConditionalDecision,
} from '@fleet-portal/plugin-accounts-backend';
import {
  ACCOUNT_RESOURCE_TYPE,
  accountReadPermission,
  accountsExportPermission,
} from '@fleet-portal/plugin-accounts-common';

/** Options of {@link FleetPortalPolicy}. */
export interface FleetPortalPolicyOptions {
  /** Members of these groups may do everything with accounts. */
  platformGroups: string[];
  /** Environments only the platform groups may change. */
  protectedEnvironments: string[];
}

/**
 * Fleet Portal's permission policy:
 * - everyone signed in reads accounts;
 * - the platform groups create, change, commit the config of, deploy (and
 *   provision) and export any account;
 * - everyone else does the same with accounts outside the protected
 *   environments (e.g. staging yes, production no), except export: every
 *   other account permission gets a conditional decision on the account's
 *   environment, which the accounts plugin applies per account;
 * - only the platform groups release services (tags in the services'
 *   repositories);
 * - accounts requests without a user are refused;
 * - permissions of other plugins (catalog, scaffolder) are allowed.
 */
export class FleetPortalPolicy implements PermissionPolicy {
  constructor(private readonly options: FleetPortalPolicyOptions) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const isAccounts = permission.name.startsWith('accounts.');
    if (!isAccounts) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const groups = user.info.ownershipEntityRefs;
    if (this.options.platformGroups.some(g => groups.includes(g))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isPermission(permission, accountReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isPermission(permission, accountsExportPermission)) {
      return { result: AuthorizeResult.DENY };
    }
    if (isResourcePermission(permission, ACCOUNT_RESOURCE_TYPE)) {
      return createAccountConditionalDecision(permission, {
        not: accountConditions.isInEnvironment({
          environments: this.options.protectedEnvironments,
        }),
      });
    }
    return { result: AuthorizeResult.DENY };
  }
}
