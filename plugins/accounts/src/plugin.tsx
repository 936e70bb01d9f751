import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import BusinessIcon from '@material-ui/icons/Business';
import { AccountsClient, accountsApiRef } from './api';
import { accountRouteRef, rootRouteRef } from './routes';

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

/**
 * The Accounts pages of Fleet Portal (new frontend system).
 *
 * @public
 */
export const accountsPlugin = createFrontendPlugin({
  pluginId: 'accounts',
  title: 'Accounts',
  icon: <BusinessIcon fontSize="inherit" />,
  routes: { root: rootRouteRef, account: accountRouteRef },
  extensions: [accountsApi, accountsPage],
});
