export { accountsApiRef } from './AccountsApi';
export type {
  AccountsApi,
  FleetRequest,
  FluxActionRequest,
  ListAccountsRequest,
} from './AccountsApi';
export { AccountsClient } from './AccountsClient';
