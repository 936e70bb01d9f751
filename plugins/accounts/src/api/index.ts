export { accountsApiRef } from './AccountsApi';
export type { AccountsApi, ListAccountsRequest } from './AccountsApi';
export { AccountsClient } from './AccountsClient';
