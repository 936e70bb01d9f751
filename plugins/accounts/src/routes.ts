import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** The Accounts list page. */
export const rootRouteRef = createRouteRef();

/** One account's page. */
export const accountRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/:name',
});

/** The fleet matrix: accounts × services, with Flux's state. */
export const fleetRouteRef = createRouteRef();
