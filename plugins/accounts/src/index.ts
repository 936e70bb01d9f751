/**
 * The Fleet Portal Accounts pages.
 *
 * @packageDocumentation
 */

export { accountsPlugin as default } from './plugin';
export * from './api';
export {
  AccountsPage,
  accountsApiFactory,
  legacyAccountsPlugin,
  legacyAccountsRouteRef,
} from './legacy';
