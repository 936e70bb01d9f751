import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import BusinessIcon from '@material-ui/icons/Business';
import ViewModuleIcon from '@material-ui/icons/ViewModule';
import { AccountsClient, accountsApiRef } from './api';
import { accountRouteRef, fleetRouteRef, rootRouteRef } from './routes';

const accountsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: accountsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AccountsClient(deps),
    }),
});

const accountsPage = PageBlueprint.make({
  params: {
    path: '/accounts',
    title: 'Accounts',
    icon: <BusinessIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/AccountsRouter').then(m => <m.AccountsRouter />),
  },
});

/** The fleet matrix, beside Accounts in the sidebar. */
const fleetPage = PageBlueprint.make({
  name: 'fleet',
  params: {
    path: '/fleet',
    title: 'Fleet',
    icon: <ViewModuleIcon fontSize="inherit" />,
    routeRef: fleetRouteRef,
    loader: () =>
      import('./components/FleetPage').then(m => <m.RoutedFleetPage />),
  },
});

/** The scaffolder field `AccountPicker`, for the deploy template. */
const accountPickerField = FormFieldBlueprint.make({
  name: 'account-picker',
  params: {
    field: () => import('./formFields').then(m => m.accountPickerFormField),
  },
});

/** The scaffolder field `FleetOptionPicker`, for the new-account template. */
const fleetOptionPickerField = FormFieldBlueprint.make({
  name: 'fleet-option-picker',
  params: {
    field: () => import('./formFields').then(m => m.fleetOptionPickerFormField),
  },
});

/**
 * The Accounts pages of Fleet Portal (new frontend system), and the
 * scaffolder form fields of its templates.
 *
 * @public
 */
export const accountsPlugin = createFrontendPlugin({
  pluginId: 'accounts',
  title: 'Accounts',
  icon: <BusinessIcon fontSize="inherit" />,
  routes: {
    root: rootRouteRef,
    account: accountRouteRef,
    fleet: fleetRouteRef,
  },
  extensions: [
    accountsApi,
    accountsPage,
    fleetPage,
    accountPickerField,
    fleetOptionPickerField,
  ],
});
