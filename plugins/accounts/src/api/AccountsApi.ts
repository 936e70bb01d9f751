import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  Account,
  AccountHistoryEntry,
  AccountList,
  AccountsCapabilities,
  CreateAccountRequest,
  Environment,
  UpdateAccountRequest,
} from '@fleet-portal/plugin-accounts-common';

/**
 * Filters and page of {@link AccountsApi.listAccounts}.
 *
 * @public
 */
export interface ListAccountsRequest {
  environment?: string;
  region?: string;
  cluster?: string;
  active?: boolean;
  uat?: boolean;
  /** Matches name and display name. */
  q?: string;
  limit?: number;
  offset?: number;
}

/**
 * The accounts backend, as the frontend sees it.
 *
 * @public
 */
export interface AccountsApi {
  listAccounts(request?: ListAccountsRequest): Promise<AccountList>;
  listEnvironments(): Promise<Environment[]>;
  getAccount(name: string): Promise<Account>;
  getHistory(name: string): Promise<AccountHistoryEntry[]>;
  /**
   * Creates an account. Fails with a `ResponseError`: 400 naming the field
   * (`Invalid <field>: ...`), 403 when not allowed, 409 when the name exists.
   */
  createAccount(request: CreateAccountRequest): Promise<Account>;
  /**
   * Changes an account, given the `version` read. Fails with a
   * `ResponseError`: 400 naming the field, 403, 404, and 409 when the account
   * changed since that version (then nothing changed).
   */
  updateAccount(name: string, request: UpdateAccountRequest): Promise<Account>;
  /** What the caller may do in the registry overall. */
  getCapabilities(): Promise<AccountsCapabilities>;
}

/** @public */
export const accountsApiRef = createApiRef<AccountsApi>({
  id: 'plugin.accounts.api',
});
