import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ReleasesClient, releasesApiRef } from './api';

/**
 * The Releases tab's route, for apps on the legacy frontend system.
 *
 * @public
 */
export const legacyReleasesRouteRef = createRouteRef({ id: 'releases' });

/**
 * The releases client as a legacy API factory, for apps that list their
 * APIs themselves.
 *
 * @public
 */
export const releasesApiFactory = createApiFactory({
  api: releasesApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new ReleasesClient({ discoveryApi, fetchApi }),
});

/**
 * The Releases plugin for apps not yet on the new frontend system.
 *
 * @public
 */
export const legacyReleasesPlugin = createPlugin({
  id: 'releases',
  apis: [releasesApiFactory],
  routes: { root: legacyReleasesRouteRef },
});

/**
 * The Releases tab for the legacy frontend system. Add it to the entity
 * page of service components, e.g.
 * `<EntityLayout.Route path="/releases" title="Releases"><EntityReleasesContent /></EntityLayout.Route>`,
 * shown for entities matching `isReleasableService`.
 *
 * @public
 */
export const EntityReleasesContent = legacyReleasesPlugin.provide(
  createRoutableExtension({
    name: 'EntityReleasesContent',
    component: () =>
      import('./components/ReleasesContent').then(m => m.ReleasesContent),
    mountPoint: legacyReleasesRouteRef,
  }),
);
