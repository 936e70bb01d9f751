import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  Account,
  AccountHistoryEntry,
  AccountList,
  Environment,
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
}

/** @public */
export const accountsApiRef = createApiRef<AccountsApi>({
  id: 'plugin.accounts.api',
});
