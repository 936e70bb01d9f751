import { createBackendModule } from '@backstage/backend-plugin-api';
import { coreServices } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { FleetPortalPolicy } from './FleetPortalPolicy';

/**
 * Installs {@link FleetPortalPolicy} in the permission backend, configured by
 * `fleetPortal.policy` in app-config (platform groups, protected
 * environments).
 */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'fleet-portal-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const policyConfig = config.getOptionalConfig('fleetPortal.policy');
        policy.setPolicy(
          new FleetPortalPolicy({
            platformGroups: policyConfig?.getOptionalStringArray(
              'platformGroups',
            ) ?? ['group:default/platform'],
            protectedEnvironments: policyConfig?.getOptionalStringArray(
              'protectedEnvironments',
            ) ?? ['production'],
          }),
        );
      },
    });
  },
});
