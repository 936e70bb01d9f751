import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionRuleset,
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  ACCOUNT_RESOURCE_TYPE,
  Account,
  AccountsCapabilities,
  accountCreatePermission,
  accountsExportPermission,
} from '@fleet-portal/plugin-accounts-common';
import { AccountFilter } from '../registry/AccountsStore';

type AccountPermission = ResourcePermission<typeof ACCOUNT_RESOURCE_TYPE>;

/**
 * Asks the permission policy about accounts and applies its conditional
 * decisions: in SQL for lists, in memory for one account (loaded, or about
 * to be created).
 *
 * @public
 */
export class AccountsAuthorizer {
  private readonly permissions: PermissionsService;
  private readonly matches: (d: PolicyDecision, a: Account) => boolean;
  private readonly toFilter: (
    conditions: PermissionCriteria<PermissionCondition>,
  ) => PermissionCriteria<AccountFilter>;

  /**
   * @param options.ruleset - the accounts rules as registered with the
   *   permissions registry (`getPermissionRuleset(accountResourceRef)`).
   */
  constructor(options: {
    permissions: PermissionsService;
    ruleset: PermissionRuleset<Account, AccountFilter>;
  }) {
    this.permissions = options.permissions;
    this.matches = createConditionAuthorizer(options.ruleset);
    this.toFilter = createConditionTransformer(options.ruleset);
  }

  /** Throws `NotAllowedError` unless the policy allows the permission. */
  async authorizeBasic(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<void> {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  }

  /**
   * The policy's decision on an accounts permission. Throws
   * `NotAllowedError` when it denies outright; otherwise the decision is
   * checked per account with {@link AccountsAuthorizer.allows}.
   */
  async decide(
    credentials: BackstageCredentials,
    permission: AccountPermission,
  ): Promise<PolicyDecision> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return decision;
  }

  /** Whether a decision from {@link AccountsAuthorizer.decide} covers the account. */
  allows(decision: PolicyDecision, account: Account): boolean {
    return this.matches(decision, account);
  }

  /**
   * Throws `NotAllowedError` unless a decision from
   * {@link AccountsAuthorizer.decide} covers every account given (e.g. an
   * account before and after a change).
   */
  assertAllows(
    decision: PolicyDecision,
    permission: AccountPermission,
    accounts: Account[],
  ): void {
    const refused = accounts.find(account => !this.matches(decision, account));
    if (refused) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} for account '${refused.name}' (${refused.environment})`,
      );
    }
  }

  /**
   * The filter to list with: `undefined` when everything may be seen.
   * Throws `NotAllowedError` when nothing may be.
   */
  async listFilter(
    credentials: BackstageCredentials,
    permission: AccountPermission,
  ): Promise<PermissionCriteria<AccountFilter> | undefined> {
    const decision = await this.decide(credentials, permission);
    return decision.result === AuthorizeResult.CONDITIONAL
      ? this.toFilter(decision.conditions)
      : undefined;
  }

  /** What the caller may do overall, for the frontend to show or hide. */
  async capabilities(
    credentials: BackstageCredentials,
  ): Promise<AccountsCapabilities> {
    const [[create], [exportDecision]] = await Promise.all([
      this.permissions.authorizeConditional(
        [{ permission: accountCreatePermission }],
        { credentials },
      ),
      this.permissions.authorize([{ permission: accountsExportPermission }], {
        credentials,
      }),
    ]);
    const createAccount = {
      [AuthorizeResult.ALLOW]: 'allow',
      [AuthorizeResult.DENY]: 'deny',
      [AuthorizeResult.CONDITIONAL]: 'conditional',
    } as const;
    return {
      createAccount: createAccount[create.result],
      export: exportDecision.result === AuthorizeResult.ALLOW,
    };
  }
}
