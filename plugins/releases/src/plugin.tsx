import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isReleasableService } from './annotations';
import { ReleasesClient, releasesApiRef } from './api';

const releasesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: releasesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ReleasesClient(deps),
    }),
});

const releasesEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'releases',
    title: 'Releases',
    filter: isReleasableService,
    loader: () =>
      import('./components/ReleasesContent').then(m => <m.ReleasesContent />),
  },
});

/**
 * The Releases tab on service components (new frontend system), with the
 * client of the accounts backend's release routes.
 *
 * @public
 */
export const releasesPlugin = createFrontendPlugin({
  pluginId: 'releases',
  title: 'Releases',
  extensions: [releasesApi, releasesEntityContent],
});
