import {
  Account,
  AccountHistoryEntry,
  AccountList,
} from '@fleet-portal/plugin-accounts-common';
import { PermissionCriteria } from '@backstage/plugin-permission-common';

/**
 * The fields of an account that its creator chooses; the store fills in the
 * audit fields and the version.
 *
 * @public
 */
export type NewAccount = Omit<
  Account,
  'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy' | 'version'
>;

/**
 * The fields of an account that can change after creation.
 *
 * @public
 */
export type AccountChanges = Partial<Omit<NewAccount, 'name'>>;

/**
 * One condition on accounts that the store can apply in SQL. The permission
 * rules translate a policy's conditional decision into a tree of these.
 *
 * @public
 */
export type AccountFilter =
  | { field: 'environment'; values: string[] }
  | { field: 'owner'; values: string[] }
  | { field: 'isUat'; value: boolean };

/**
 * Options of {@link AccountsStore.listAccounts}. Filters combine with AND.
 *
 * @public
 */
export interface ListAccountsOptions {
  environment?: string;
  region?: string;
  cluster?: string;
  active?: boolean;
  isUat?: boolean;
  /** Case-insensitive substring of the name or the display name. */
  q?: string;
  /** What the caller may see, from a conditional permission decision. */
  permissionFilter?: PermissionCriteria<AccountFilter>;
  /** Page size; the caller validates the bounds. */
  limit: number;
  offset: number;
}

/**
 * The account registry.
 *
 * @public
 */
export interface AccountsStore {
  /** Adds an account; throws `ConflictError` when the name is taken. */
  createAccount(account: NewAccount, actor: string): Promise<Account>;
  /**
   * Applies changes when the account is still at `expectedVersion`, bumping
   * the version and recording the change. Throws `NotFoundError` when there
   * is no such account and `ConflictError` when the version is stale (then
   * nothing changes). Changing nothing returns the account as it is.
   */
  updateAccount(
    name: string,
    changes: AccountChanges,
    expectedVersion: number,
    actor: string,
  ): Promise<Account>;
  /** Returns the account, or `undefined` when there is none by that name. */
  getAccount(name: string): Promise<Account | undefined>;
  /** Returns the named accounts, `undefined` where there is none, in order. */
  getAccounts(names: string[]): Promise<Array<Account | undefined>>;
  /**
   * Every account, ordered by name, read in one statement: one consistent
   * snapshot, even while the registry changes (for exports).
   */
  allAccounts(): Promise<Account[]>;
  /** Returns one page of accounts ordered by name, and the total count. */
  listAccounts(options: ListAccountsOptions): Promise<AccountList>;
  /** The account's changes, newest first. */
  getHistory(name: string): Promise<AccountHistoryEntry[]>;
}
