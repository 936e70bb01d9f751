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
  FleetPage,
  accountsApiFactory,
  legacyAccountsPlugin,
  legacyAccountsRouteRef,
  legacyFleetRouteRef,
} from './legacy';
export * from './components/AccountPicker';
export * from './components/FleetOptionPicker';
