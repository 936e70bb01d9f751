import { createApiRef } from '@backstage/frontend-plugin-api';
import { AccountList } from '@fleet-portal/plugin-accounts-common';

/**
 * Options of {@link AccountsApi.listAccounts}.
 *
 * @public
 */
export interface ListAccountsRequest {
  environment?: string;
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
}

/** @public */
export const accountsApiRef = createApiRef<AccountsApi>({
  id: 'plugin.accounts.api',
});
