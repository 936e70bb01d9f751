import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isReleasableService } from './annotations';

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
 * The Releases tab on service components (new frontend system).
 *
 * @public
 */
export const releasesPlugin = createFrontendPlugin({
  pluginId: 'releases',
  title: 'Releases',
  extensions: [releasesEntityContent],
});
