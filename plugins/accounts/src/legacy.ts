import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { AccountsClient, accountsApiRef } from './api';
import {
  AccountPicker,
  AccountPickerUiOptions,
  accountPickerSchema,
  accountPickerValidation,
} from './components/AccountPicker';
import {
  FleetOptionPicker,
  FleetOptionPickerUiOptions,
  fleetOptionPickerSchema,
  fleetOptionPickerValidation,
} from './components/FleetOptionPicker';

/**
 * The Accounts pages' route, for apps on the legacy frontend system.
 *
 * @public
 */
export const legacyAccountsRouteRef = createRouteRef({ id: 'accounts' });

/**
 * The Fleet page's route, for apps on the legacy frontend system.
 *
 * @public
 */
export const legacyFleetRouteRef = createRouteRef({ id: 'accounts-fleet' });

/**
 * The accounts client as a legacy API factory, for apps that list their
 * APIs themselves.
 *
 * @public
 */
export const accountsApiFactory = createApiFactory({
  api: accountsApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new AccountsClient({ discoveryApi, fetchApi }),
});

/**
 * The Accounts plugin for apps not yet on the new frontend system. Mount
 * {@link AccountsPage} at `/accounts`:
 * `<Route path="/accounts" element={<AccountsPage />} />`.
 *
 * @public
 */
export const legacyAccountsPlugin = createPlugin({
  id: 'accounts',
  apis: [accountsApiFactory],
  routes: { root: legacyAccountsRouteRef, fleet: legacyFleetRouteRef },
});

/**
 * The Accounts pages (list, create form, one account) for the legacy
 * frontend system.
 *
 * @public
 */
export const AccountsPage = legacyAccountsPlugin.provide(
  createRoutableExtension({
    name: 'AccountsPage',
    component: () =>
      import('./components/AccountsRouter').then(m => m.AccountsRouter),
    mountPoint: legacyAccountsRouteRef,
  }),
);

/**
 * The fleet matrix for the legacy frontend system. Mount it at `/fleet`
 * (`<Route path="/fleet" element={<FleetPage />} />`); its account links go
 * to `/accounts/<name>`, where {@link AccountsPage} is mounted.
 *
 * @public
 */
export const FleetPage = legacyAccountsPlugin.provide(
  createRoutableExtension({
    name: 'FleetPage',
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
    mountPoint: legacyFleetRouteRef,
  }),
);

/**
 * The scaffolder field `AccountPicker` for the legacy frontend system: place
 * it inside `<ScaffolderFieldExtensions>` of the scaffolder route.
 *
 * @public
 */
export const AccountPickerFieldExtension = legacyAccountsPlugin.provide(
  createScaffolderFieldExtension<string, AccountPickerUiOptions>({
    name: 'AccountPicker',
    component: AccountPicker,
    validation: accountPickerValidation,
    schema: accountPickerSchema.schema,
  }),
);

/**
 * The scaffolder field `FleetOptionPicker` for the legacy frontend system:
 * place it inside `<ScaffolderFieldExtensions>` of the scaffolder route.
 *
 * @public
 */
export const FleetOptionPickerFieldExtension = legacyAccountsPlugin.provide(
  createScaffolderFieldExtension<string | string[], FleetOptionPickerUiOptions>(
    {
      name: 'FleetOptionPicker',
      component: FleetOptionPicker,
      validation: fleetOptionPickerValidation,
      schema: fleetOptionPickerSchema.schema,
    },
  ),
);
