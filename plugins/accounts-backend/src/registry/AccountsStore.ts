import { Account, AccountList } from '@fleet-portal/plugin-accounts-common';

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
 * Options of {@link AccountsStore.listAccounts}.
 *
 * @public
 */
export interface ListAccountsOptions {
  environment?: string;
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
  /** Returns the account, or `undefined` when there is none by that name. */
  getAccount(name: string): Promise<Account | undefined>;
  /** Returns one page of accounts ordered by name, and the total count. */
  listAccounts(options: ListAccountsOptions): Promise<AccountList>;
}
