import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Accounts list page. */
export const rootRouteRef = createRouteRef();
