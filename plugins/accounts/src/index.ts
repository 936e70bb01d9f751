/**
 * The Fleet Portal Accounts pages.
 *
 * @packageDocumentation
 */

export { accountsPlugin as default } from './plugin';
export * from './api';
export {
  AccountPickerFieldExtension,
  AccountsPage,
  FleetOptionPickerFieldExtension,
  accountsApiFactory,
  legacyAccountsPlugin,
  legacyAccountsRouteRef,
} from './legacy';
export * from './components/AccountPicker';
export * from './components/FleetOptionPicker';
